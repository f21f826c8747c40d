// A complete HTTP response (PURE data) with accessors for the headers callers act on:
// Retry-After (429/503 backoff), Content-Type and Warning (API deprecation notices).
#pragma once

#include "langop/http/header_list.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace langop::http {

struct response {
  int status = 0;
  header_list headers;
  std::string body;

  [[nodiscard]] bool ok() const noexcept { return status >= 200 && status < 300; }
  [[nodiscard]] std::string_view content_type() const { return headers.get("Content-Type").value_or(""); }
  [[nodiscard]] std::vector<std::string_view> warnings() const { return headers.get_all("Warning"); }
  // Retry-After as delta-seconds or an IMF-fixdate relative to `now`; nullopt when
  // absent or malformed. A date in the past gives zero.
  [[nodiscard]] std::optional<std::chrono::seconds> retry_after(
      std::chrono::system_clock::time_point now = std::chrono::system_clock::now()) const;
};

// Parses a Retry-After value (PURE); see response::retry_after.
[[nodiscard]] std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                                    std::chrono::system_clock::time_point now);

}  // namespace langop::http
