// Structured logging: JSON lines (default) or text, levels, bound fields.
// Writes go to stderr with one write(2) per line; a secret value must never be
// passed as a field or message (callers pass names/references, not values).
#pragma once

#include <cstdint>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace langop::log {

enum class level { debug = 0, info = 1, warn = 2, error = 3, off = 4 };
enum class format { json, text };

[[nodiscard]] bool parse_level(std::string_view text, level& out);
[[nodiscard]] bool parse_format(std::string_view text, format& out);

using field_value = std::variant<std::string_view, std::string, std::int64_t, double, bool>;

struct field {
  std::string_view key;
  field_value value;

  field(std::string_view k, std::string_view v) : key(k), value(v) {}
  field(std::string_view k, const char* v) : key(k), value(std::string_view(v)) {}
  field(std::string_view k, const std::string& v) : key(k), value(std::string_view(v)) {}
  field(std::string_view k, std::string&& v) : key(k), value(std::move(v)) {}
  field(std::string_view k, bool v) : key(k), value(v) {}
  field(std::string_view k, double v) : key(k), value(v) {}
  template <class I>
    requires(std::is_integral_v<I> && !std::is_same_v<I, bool>)
  field(std::string_view k, I v) : key(k), value(static_cast<std::int64_t>(v)) {}
};

// Where lines go. The default writes to stderr; tests capture lines in memory.
class sink {
 public:
  virtual ~sink() = default;
  virtual void write(std::string_view line) = 0;
};
std::shared_ptr<sink> stderr_sink();

// A cheap-to-copy logger with a minimum level and fields bound to every line.
class logger {
 public:
  logger();  // info, json, stderr
  logger(level min, format fmt, std::shared_ptr<sink> out = stderr_sink());

  [[nodiscard]] bool enabled(level l) const noexcept { return l >= min_; }
  [[nodiscard]] logger with(std::initializer_list<field> fields) const;

  void log(level l, std::string_view msg, std::initializer_list<field> fields = {}) const;
  void debug(std::string_view msg, std::initializer_list<field> f = {}) const { log(level::debug, msg, f); }
  void info(std::string_view msg, std::initializer_list<field> f = {}) const { log(level::info, msg, f); }
  void warn(std::string_view msg, std::initializer_list<field> f = {}) const { log(level::warn, msg, f); }
  void error(std::string_view msg, std::initializer_list<field> f = {}) const { log(level::error, msg, f); }

 private:
  level min_;
  format fmt_;
  std::shared_ptr<sink> out_;
  // Pre-rendered bound fields: ",\"k\":v" for json, " k=v" for text.
  std::string bound_;
};

// Appends `s` to `out` as a JSON string literal (quotes included).
void append_json_string(std::string& out, std::string_view s);

}  // namespace langop::log
