// LLM call failures as typed error codes (llm::errc + its category), the mapping of
// transport failures onto them, and which of them are worth retrying (PURE).
#pragma once

#include "langop/core/error.hpp"

#include <boost/system/error_category.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace langop::llm {

enum class errc {
  unauthorized = 1,      // 401/403: missing, wrong or revoked key; no access to the model
  rate_limited,          // 429: quota or rate limit (Retry-After honoured by the client)
  bad_request,           // 400/404/409/413/422 and other 4xx: fix the request or the model name
  server_error,          // 5xx (incl. Anthropic's 529 overloaded)
  timeout,               // the call's deadline passed (or the provider answered 408)
  malformed_response,    // a 2xx body that is not the documented JSON
  unsupported_provider,  // configuration: unknown provider, or one that needs a gateway URL
  network,               // DNS, connect, TLS, proxy, connection dropped or truncated
  cancelled,             // per-operation cancellation
};

[[nodiscard]] const boost::system::error_category& category() noexcept;
[[nodiscard]] inline boost::system::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), category()};
}

// A langop::error for `e`. `message` must not contain the API key (see redact()).
[[nodiscard]] inline error make_error(errc e, std::string message, int http_status = 0, std::string reason = {}) {
  return error{make_error_code(e), std::move(message), http_status, std::move(reason)};
}

// The llm::errc of `e`, or nullopt when `e` belongs to another category.
[[nodiscard]] std::optional<errc> code_of(const error& e) noexcept;
[[nodiscard]] inline bool is(const error& e, errc c) noexcept { return code_of(e) == c; }

// Stable snake_case name for metric labels and logs ("rate_limited").
[[nodiscard]] std::string_view to_string(errc e) noexcept;

// 429, 5xx, timeouts and network failures may succeed when sent again later; 4xx,
// malformed answers and configuration errors will not.
[[nodiscard]] constexpr bool is_retryable(errc e) noexcept {
  return e == errc::rate_limited || e == errc::server_error || e == errc::timeout || e == errc::network;
}

// Maps an http::errc failure (transport) onto llm::errc, prefixing `what` ("openai chat
// gpt-4o") to its message. HTTP messages never carry header values, so no key leaks.
[[nodiscard]] error from_http_error(const error& transport, std::string_view what);

}  // namespace langop::llm

template <>
struct boost::system::is_error_code_enum<langop::llm::errc> : std::true_type {};
