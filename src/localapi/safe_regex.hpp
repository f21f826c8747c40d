// std::regex behind guards (PURE, internal). Schema `pattern`s and CEL matches() come
// from users; libstdc++'s default (backtracking, recursive) executor can overflow the
// stack or run for hours on hostile input, so patterns are compiled in the
// non-recursive "polynomial" mode (libstdc++ extension; no back-references, like RE2),
// counted repetitions are capped as RE2 caps them, and matches whose cost estimate is
// too high are refused instead of run.
#pragma once

#include <cstddef>
#include <memory>
#include <optional>
#include <regex>
#include <string>
#include <string_view>
#include <variant>

namespace langop::localapi::detail {

struct safe_regex {
  std::regex re;
  std::size_t weight = 1;  // rough NFA size, for the per-match cost estimate
};

// The compiled pattern, or a message saying why it is refused.
[[nodiscard]] std::variant<std::shared_ptr<const safe_regex>, std::string> compile_regex(std::string_view pattern);

// Unanchored search (JSON Schema `pattern` and CEL matches() semantics). nullopt when the
// match is refused as too expensive or the engine fails.
[[nodiscard]] std::optional<bool> regex_search(const safe_regex& r, std::string_view input);

}  // namespace langop::localapi::detail
