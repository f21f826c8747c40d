// Time formats used by the Kubernetes API (PURE): RFC 3339 seconds ("Time") and
// microseconds ("MicroTime"), and Go-style durations ("1h30m", "500ms").
#pragma once

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace langop {

using sys_time = std::chrono::system_clock::time_point;

// "2006-01-02T15:04:05Z" (UTC, whole seconds) — metav1.Time.
[[nodiscard]] std::string format_rfc3339(sys_time t);
// "2006-01-02T15:04:05.000000Z" — metav1.MicroTime.
[[nodiscard]] std::string format_rfc3339_micro(sys_time t);
// Accepts both forms above and numeric offsets ("+02:00"); nullopt when malformed.
[[nodiscard]] std::optional<sys_time> parse_rfc3339(std::string_view s);

// Go time.Duration syntax ("300ms", "1.5h", "2h45m"); nullopt when malformed.
[[nodiscard]] std::optional<std::chrono::nanoseconds> parse_duration(std::string_view s);
// Shortest Go-style rendering ("1m30s", "250ms", "0s").
[[nodiscard]] std::string format_duration(std::chrono::nanoseconds d);

}  // namespace langop
