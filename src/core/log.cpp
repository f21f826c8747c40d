#include "langop/core/log.hpp"

#include "langop/core/time.hpp"

#include <unistd.h>

#include <cstdio>

namespace langop::log {
namespace {

class stderr_writer final : public sink {
 public:
  void write(std::string_view line) override {
    // One write(2) per line so concurrent processes never interleave inside a line.
    const char* p = line.data();
    std::size_t left = line.size();
    while (left > 0) {
      ssize_t n = ::write(STDERR_FILENO, p, left);
      if (n <= 0) return;
      p += n;
      left -= static_cast<std::size_t>(n);
    }
  }
};

std::string_view level_name(level l) {
  switch (l) {
    case level::debug: return "debug";
    case level::info: return "info";
    case level::warn: return "warn";
    case level::error: return "error";
    case level::off: return "off";
  }
  return "info";
}

bool needs_quotes(std::string_view s) {
  if (s.empty()) return true;
  for (char c : s)
    if (c == ' ' || c == '"' || c == '=' || static_cast<unsigned char>(c) < 0x20) return true;
  return false;
}

void append_value(std::string& out, const field_value& v, format fmt) {
  std::visit(
      [&](const auto& x) {
        using T = std::decay_t<decltype(x)>;
        if constexpr (std::is_same_v<T, std::string_view> || std::is_same_v<T, std::string>) {
          if (fmt == format::json || needs_quotes(x))
            append_json_string(out, x);
          else
            out.append(x);
        } else if constexpr (std::is_same_v<T, bool>) {
          out += x ? "true" : "false";
        } else if constexpr (std::is_same_v<T, double>) {
          char buf[32];
          int n = std::snprintf(buf, sizeof buf, "%.6g", x);
          out.append(buf, static_cast<std::size_t>(n));
        } else {
          out += std::to_string(x);
        }
      },
      v);
}

void append_field(std::string& out, const field& f, format fmt) {
  if (fmt == format::json) {
    out += ',';
    append_json_string(out, f.key);
    out += ':';
  } else {
    out += ' ';
    out.append(f.key);
    out += '=';
  }
  append_value(out, f.value, fmt);
}

}  // namespace

bool parse_level(std::string_view t, level& out) {
  if (t == "debug") out = level::debug;
  else if (t == "info") out = level::info;
  else if (t == "warn" || t == "warning") out = level::warn;
  else if (t == "error") out = level::error;
  else if (t == "off" || t == "none") out = level::off;
  else return false;
  return true;
}

bool parse_format(std::string_view t, format& out) {
  if (t == "json") out = format::json;
  else if (t == "text") out = format::text;
  else return false;
  return true;
}

std::shared_ptr<sink> stderr_sink() {
  static auto s = std::make_shared<stderr_writer>();
  return s;
}

void append_json_string(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out += '"';
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        if (c < 0x20) {
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 15];
        } else {
          out += ch;
        }
    }
  }
  out += '"';
}

logger::logger() : logger(level::info, format::json) {}

logger::logger(level min, format fmt, std::shared_ptr<sink> out)
    : min_(min), fmt_(fmt), out_(std::move(out)) {}

logger logger::with(std::initializer_list<field> fields) const {
  logger child = *this;
  for (const auto& f : fields) append_field(child.bound_, f, fmt_);
  return child;
}

void logger::log(level l, std::string_view msg, std::initializer_list<field> fields) const {
  if (!enabled(l) || !out_) return;
  std::string line;
  line.reserve(128 + msg.size() + bound_.size());
  const std::string ts = format_rfc3339_micro(std::chrono::system_clock::now());
  if (fmt_ == format::json) {
    line += "{\"ts\":\"";
    line += ts;
    line += "\",\"level\":\"";
    line += level_name(l);
    line += "\",\"msg\":";
    append_json_string(line, msg);
    line += bound_;
    for (const auto& f : fields) append_field(line, f, fmt_);
    line += "}\n";
  } else {
    line += ts;
    line += ' ';
    line += level_name(l);
    line += ' ';
    line.append(msg);
    line += bound_;
    for (const auto& f : fields) append_field(line, f, fmt_);
    line += '\n';
  }
  out_->write(line);
}

}  // namespace langop::log
