// The model's answer -> agent code (PURE): the code block taken out of its markdown
// fence, and the checks code must pass before it is stored (SPEC 1.9). A check's message
// is shown to users (status, events) and fed back to the model on the next attempt.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace langop::synthesis {

inline constexpr std::size_t default_max_code_bytes = 64 * 1024;

// The contents of the first ```ruby (or ```rb) fence, else of the first fence of any
// language, else the whole answer when it already looks like code (starts with
// `require` or `agent`); nullopt when the answer has no code. Trailing whitespace is
// trimmed and one final newline kept.
[[nodiscard]] std::optional<std::string> extract_code(std::string_view answer);

struct validation_options {
  std::string agent_name;
  std::vector<std::string> known_tools;  // names use_tool may take
  std::size_t max_bytes = default_max_code_bytes;
};

// Why `code` cannot be stored, or nullopt when it can: size over the cap; no
// `agent '<name>'` header (or another name); unbalanced blocks (each do/def/class/module,
// each statement-starting if/unless/while/until/case/begin, closed by one `end`; braces
// and brackets paired; strings and comments skipped); use_tool naming a tool the agent
// does not have (the message lists the known ones).
[[nodiscard]] std::optional<std::string> validate_code(std::string_view code, const validation_options& o);

}  // namespace langop::synthesis
