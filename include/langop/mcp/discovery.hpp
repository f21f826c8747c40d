// MCP tool discovery over streamable HTTP (SPEC 1.4): initialize, notifications/initialized,
// then tools/list with pagination, against one server endpoint.
#pragma once

#include "langop/core/error.hpp"
#include "langop/http/client.hpp"
#include "langop/http/deadline.hpp"
#include "langop/mcp/protocol.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <string>
#include <vector>

namespace langop::mcp {

// Not an aggregate (declared constructor): it is a defaulted coroutine parameter (GCC 12 rule).
struct discovery_options {
  discovery_options() = default;

  std::string client_version = "0.1.0";  // clientInfo.version
  std::size_t max_pages = 20;             // bound on tools/list pagination (a looping cursor)
  // After listing, the session is ended with DELETE (best effort, MCP asks clients to) within
  // this bound, so periodic re-discovery does not pile up sessions on the server.
  std::chrono::milliseconds close_session_timeout{1000};
};

// Runs the handshake against `path` (e.g. "/mcp", joined to the client's base path) and
// returns every tool, in server order. The Mcp-Session-Id from initialize, when present,
// is sent on every later request. `d` bounds the whole exchange.
// Errors (mcp::errc): http_error (non-2xx; http_status set), rpc_error, malformed_response,
// too_many_pages, timeout, network, cancelled. Messages name the step and path.
// `client` must outlive the returned awaitable.
[[nodiscard]] boost::asio::awaitable<result<std::vector<tool_info>>> discover_tools(http::client& client,
                                                                                    std::string path, http::deadline d,
                                                                                    discovery_options opts = {});

}  // namespace langop::mcp
