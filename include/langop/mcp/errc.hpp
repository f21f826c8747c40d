// MCP discovery failures as typed error codes (mcp::errc + its category) and the mapping
// of transport failures onto them (PURE), so callers can tell "server broken" from
// "server slow" from "network down" when they set a LanguageTool's status.
#pragma once

#include "langop/core/error.hpp"

#include <boost/system/error_category.hpp>

#include <optional>
#include <string>
#include <string_view>
#include <type_traits>

namespace langop::mcp {

enum class errc {
  http_error = 1,      // a non-2xx HTTP status (http_status is set)
  rpc_error,           // the server answered with a JSON-RPC error object
  malformed_response,  // not JSON / not JSON-RPC / no response with our id / bad tools list
  timeout,             // the discovery deadline passed
  network,             // DNS, connect, TLS, connection dropped or truncated
  too_many_pages,      // tools/list kept returning nextCursor past the page bound
  cancelled,           // per-operation cancellation
};

[[nodiscard]] const boost::system::error_category& category() noexcept;
[[nodiscard]] inline boost::system::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), category()};
}

[[nodiscard]] inline error make_error(errc e, std::string message, int http_status = 0) {
  return error{make_error_code(e), std::move(message), http_status};
}

// The mcp::errc of `e`, or nullopt when `e` belongs to another category.
[[nodiscard]] std::optional<errc> code_of(const error& e) noexcept;
[[nodiscard]] inline bool is(const error& e, errc c) noexcept { return code_of(e) == c; }

// Maps an http::errc failure onto mcp::errc, prefixing `what` ("mcp POST /mcp tools/list").
[[nodiscard]] error from_http_error(const error& transport, std::string_view what);

}  // namespace langop::mcp

template <>
struct boost::system::is_error_code_enum<langop::mcp::errc> : std::true_type {};
