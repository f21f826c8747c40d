// HTTP request methods the clients use, and their idempotency (PURE).
#pragma once

#include <string_view>

namespace langop::http {

enum class method { get, head, post, put, patch, delete_, options };

[[nodiscard]] std::string_view to_string(method m) noexcept;

// RFC 9110 §9.2.2: GET, HEAD, PUT, DELETE and OPTIONS may be sent twice with the same
// effect as once, so a request that may or may not have reached the server can be retried.
[[nodiscard]] constexpr bool is_idempotent(method m) noexcept {
  return m == method::get || m == method::head || m == method::put || m == method::delete_ ||
         m == method::options;
}

}  // namespace langop::http
