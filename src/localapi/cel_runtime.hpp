// CEL runtime helpers shared by the evaluator and the function library (PURE, internal).
#pragma once

#include "cel_ast.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace langop::localapi::detail {

enum class cel_kind { null, boolean, int_, uint_, double_, string, list, map };

[[nodiscard]] cel_kind kind_of(const cel_value& v) noexcept;
[[nodiscard]] const char* type_name(cel_kind k) noexcept;

// Numbers and booleans are copied; strings, arrays and objects are borrowed (the JSON
// must outlive the value).
[[nodiscard]] cel_value from_json(const json::value& j);

// The text of a string value (owned or borrowed); nullopt for other kinds.
[[nodiscard]] std::optional<std::string_view> as_string(const cel_value& v) noexcept;

[[nodiscard]] std::size_t list_size(const cel_value& v) noexcept;
[[nodiscard]] cel_value list_at(const cel_value& v, std::size_t i);
[[nodiscard]] std::size_t map_size(const cel_value& v) noexcept;
[[nodiscard]] std::optional<cel_value> map_get(const cel_value& v, std::string_view key);
[[nodiscard]] std::vector<std::string> map_keys(const cel_value& v);

[[nodiscard]] bool cel_equal(const cel_value& a, const cel_value& b, int depth = 0);

// Work and memory limits of one evaluation, so a rule can never hang or exhaust memory.
struct cel_budget {
  std::int64_t steps = 1'000'000;
  std::size_t bytes = 16u << 20;
  [[nodiscard]] bool step() noexcept { return --steps >= 0; }
  [[nodiscard]] bool take_bytes(std::size_t n) noexcept {
    if (n > bytes) {
      bytes = 0;
      return false;
    }
    bytes -= n;
    return true;
  }
};

inline constexpr std::string_view cost_exceeded = "operation cancelled: actual cost limit exceeded";
inline constexpr std::string_view no_overload = "no such overload";

[[nodiscard]] inline cel_outcome cel_error(std::string msg) {
  cel_outcome o;
  o.failed = true;
  o.error = std::move(msg);
  return o;
}
[[nodiscard]] inline cel_outcome cel_ok(cel_value v) {
  cel_outcome o;
  o.value = std::move(v);
  return o;
}

// Built-in functions and methods; `args` holds the target first for method calls.
[[nodiscard]] cel_outcome cel_call(const cel_node& call, std::vector<cel_value>& args, cel_budget& budget);

}  // namespace langop::localapi::detail
