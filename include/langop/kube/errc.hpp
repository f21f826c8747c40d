// Kubernetes API failures as typed error codes (PURE). A Status body from the server
// becomes a langop::error with this category, the HTTP code, the Status reason and the
// server's message (kept for the user; it never contains request credentials).
#pragma once

#include "langop/core/error.hpp"

#include <boost/system/error_category.hpp>

#include <chrono>
#include <optional>
#include <string_view>

namespace langop::kube {

enum class errc {
  bad_request = 1,         // 400
  unauthorized,            // 401
  forbidden,               // 403
  not_found,               // 404
  method_not_allowed,      // 405
  conflict,                // 409 Conflict: stale resourceVersion, apply conflicts
  already_exists,          // 409 AlreadyExists
  gone,                    // 410 Gone / Expired: resourceVersion too old, relist
  request_too_large,       // 413
  unsupported_media_type,  // 415
  invalid,                 // 422 Invalid
  throttled,               // 429 TooManyRequests
  server_error,            // 500, 502, 503
  server_timeout,          // 504, or Status reason Timeout/ServerTimeout
  unexpected_status,       // any other status
  malformed_response,      // the server's body is not what the API promises
};

[[nodiscard]] const boost::system::error_category& category() noexcept;
[[nodiscard]] inline boost::system::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), category()};
}

// The error for an HTTP response that is not a success. `what` names the operation for
// the message when the body carries none ("get configmaps default/x").
[[nodiscard]] error status_error(int http_status, std::string_view body, std::string_view what);

// True for failures worth retrying after a delay (429, 5xx, 504): the runtime backs off.
[[nodiscard]] bool is_retryable(const error& e) noexcept;
[[nodiscard]] bool is(const error& e, errc code) noexcept;

// Retry-After (seconds) from a response header value; nullopt when absent/malformed.
[[nodiscard]] std::optional<std::chrono::seconds> parse_retry_after(std::string_view header);

}  // namespace langop::kube

template <>
struct boost::system::is_error_code_enum<langop::kube::errc> : std::true_type {};
