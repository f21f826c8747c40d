// HTTP/1.1 client for one endpoint: keep-alive pool, FIFO cap on requests in flight,
// a deadline on every request, bearer token per request, dedicated streaming connections.
#pragma once

#include "langop/core/error.hpp"
#include "langop/http/client_options.hpp"
#include "langop/http/deadline.hpp"
#include "langop/http/endpoint.hpp"
#include "langop/http/request.hpp"
#include "langop/http/resolver.hpp"
#include "langop/http/response.hpp"
#include "langop/http/stream.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace langop::http {

class client final {
 public:
  // `dns` null: the system resolver.
  client(boost::asio::any_io_executor ex, endpoint ep, client_options opts = {}, std::shared_ptr<resolver> dns = {});
  client(const client&) = delete;
  client& operator=(const client&) = delete;
  ~client();

  // Sends one request and reads the whole response (any status is a response, not an
  // error). The client adds Host, User-Agent (unless set), Authorization: Bearer from the
  // provider (unless set), Content-Length, and prefixes the endpoint's base path.
  // Waits FIFO for a request slot, reuses an idle connection when one is alive, and
  // retries once on a fresh connection when a reused one was found stale (retry_rule.hpp).
  // Errors: timeout (`d` covers the slot wait, connect, handshake, write and read),
  // connect_failed, resolve_failed, tls_handshake_failed, connection_closed,
  // malformed_response, body_too_large, credentials_unavailable (or the provider's
  // error), invalid_argument (bad target or header), cancelled. Messages name the method,
  // path and peer, never header values.
  // Cancellation (per-operation, e.g. awaitable `||`): returns errc::cancelled promptly;
  // the connection in use is closed, never pooled, and the request slot is released.
  [[nodiscard]] boost::asio::awaitable<result<response>> send(request req, deadline d);
  [[nodiscard]] boost::asio::awaitable<result<response>> request(method m, std::string target, header_list headers,
                                                                 std::string body, deadline d);

  // Opens a dedicated connection (outside the in-flight cap), sends `req` and reads the
  // response head by `d`; the body is then read with stream::read_line. Errors and
  // cancellation as for send() up to the head. Never retried: a fresh connection.
  [[nodiscard]] boost::asio::awaitable<result<stream>> open_stream(http::request req, deadline d);

  // Closes idle pooled connections (e.g. on shutdown or after the peer restarted).
  void close_idle() noexcept;

  [[nodiscard]] const endpoint& target() const noexcept;
  [[nodiscard]] std::size_t in_flight() const noexcept;
  [[nodiscard]] std::size_t idle_connections() const noexcept;
  [[nodiscard]] std::uint64_t connections_opened() const noexcept;  // pool + streams

 private:
  struct state;
  // Shared with running requests, so destroying the client never strands a coroutine.
  std::shared_ptr<state> st_;
};

}  // namespace langop::http
