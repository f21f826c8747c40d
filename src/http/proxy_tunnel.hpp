// Opens an HTTP CONNECT tunnel through a proxy on a connected TCP stream (internal to
// connection::open): afterwards the stream carries bytes to `target_authority`, and the
// TLS handshake runs end to end through it.
#pragma once

#include "langop/core/error.hpp"
#include "langop/http/deadline.hpp"
#include "langop/http/proxy.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/beast/core/tcp_stream.hpp>

#include <string>

namespace langop::http::detail {

// Sends "CONNECT <target_authority>" (with Proxy-Authorization when configured) and
// reads the proxy's response head. Errors: connect_failed (the proxy refused: the
// message carries its status, e.g. 407 or 502), malformed_response, timeout at `d`,
// cancelled, connection_closed. Messages never contain Proxy-Authorization.
[[nodiscard]] boost::asio::awaitable<result<void>> open_tunnel(boost::beast::tcp_stream& s, const proxy_server& proxy,
                                                              const std::string& target_authority, deadline d);

}  // namespace langop::http::detail
