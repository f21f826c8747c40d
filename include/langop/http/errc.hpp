// HTTP transport failures as error codes (http::errc + its category), and the
// helper that wraps them in a langop::error whose message never carries secrets.
#pragma once

#include "langop/core/error.hpp"

#include <string>
#include <type_traits>

namespace langop::http {

enum class errc {
  invalid_argument = 1,  // bad URL, bad header value, unusable TLS material
  resolve_failed,        // DNS lookup failed or returned nothing
  connect_failed,        // every resolved address refused / unreachable
  tls_handshake_failed,  // certificate verification, protocol or alert failure
  timeout,               // the operation's deadline passed
  connection_closed,     // the peer closed or reset the connection mid-exchange
  malformed_response,    // not parseable as HTTP/1.1
  body_too_large,        // response body over the configured limit
  line_too_long,         // a streamed line over the configured limit
  end_of_stream,         // a streamed body ended cleanly (not a failure for watches)
  cancelled,             // per-operation cancellation or close()
  credentials_unavailable,  // the bearer provider could not supply a token
};

[[nodiscard]] const boost::system::error_category& category() noexcept;

[[nodiscard]] inline boost::system::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), category()};
}

// A langop::error for `e`. `message` must not contain header values or tokens.
[[nodiscard]] inline error make_error(errc e, std::string message) { return error{make_error_code(e), std::move(message)}; }

// How a protocol client above HTTP (LLM, MCP) reads a transport failure: the one
// classification they share, so their own error codes stay consistent.
enum class failure_kind {
  network,       // could not reach or talk to the peer (and any error of another category)
  timeout,       // the deadline passed
  cancelled,     // the caller cancelled
  bad_response,  // the peer answered something unparseable or oversized: its fault
  bad_input,     // the caller's own input was refused (e.g. a header value with a newline)
};
[[nodiscard]] failure_kind classify(const error& e) noexcept;

}  // namespace langop::http

template <>
struct boost::system::is_error_code_enum<langop::http::errc> : std::true_type {};
