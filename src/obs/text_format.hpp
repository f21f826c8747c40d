// Prometheus text format 0.0.4 building blocks (PURE, internal to obs).
#pragma once

#include <string>
#include <string_view>

namespace langop::obs::detail {

// Sample values and `le` bounds: integers without a fraction, others shortest round-trip,
// "+Inf", "-Inf", "NaN".
void append_value(std::string& out, double v);
// HELP text: backslash and newline escaped.
void append_help_escaped(std::string& out, std::string_view text);
// Label values: backslash, double quote and newline escaped.
void append_label_value_escaped(std::string& out, std::string_view text);

[[nodiscard]] bool valid_metric_name(std::string_view name) noexcept;
[[nodiscard]] bool valid_label_name(std::string_view name) noexcept;

}  // namespace langop::obs::detail
