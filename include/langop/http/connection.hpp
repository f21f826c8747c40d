// One HTTP/1.1 connection (plain TCP or TLS) to an endpoint. Beast lives in the .cpp.
// Every operation takes an absolute deadline; on any error the connection is closed and
// must be discarded. Shared ownership so a pending operation keeps it alive while
// another coroutine calls close().
#pragma once

#include "langop/core/error.hpp"
#include "langop/http/connection_options.hpp"
#include "langop/http/deadline.hpp"
#include "langop/http/endpoint.hpp"
#include "langop/http/request.hpp"
#include "langop/http/resolver.hpp"
#include "langop/http/response.hpp"
#include "langop/http/retry_rule.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <memory>
#include <string_view>

namespace langop::http {

class connection final {
  struct private_tag {};

 public:
  // Resolves, connects (each address in turn), enables TCP_NODELAY and keepalive, and
  // for https performs the handshake with SNI, CA and hostname (or IP) verification —
  // through an HTTP CONNECT tunnel when `opts.proxy` is set (then only the proxy's name
  // is resolved here). Errors: resolve_failed, connect_failed (also: the proxy refused
  // the tunnel), tls_handshake_failed (the message says why, e.g. "certificate verify
  // failed: Hostname mismatch"), malformed_response (proxy), timeout, cancelled.
  [[nodiscard]] static boost::asio::awaitable<result<std::shared_ptr<connection>>> open(
      const endpoint& ep, resolver& dns, deadline d, const connection_options& opts = {});

  connection(private_tag, boost::asio::any_io_executor ex, const endpoint& ep, const connection_options& opts);
  ~connection();
  connection(const connection&) = delete;
  connection& operator=(const connection&) = delete;

  // Writes `req` then reads the whole response (body capped at `max_body` bytes).
  // `facts` records bytes written / response bytes seen for the retry rule.
  // Errors: timeout, connection_closed, malformed_response, body_too_large,
  // tls_handshake_failed (a TLS alert, e.g. a rejected client certificate in TLS 1.3),
  // cancelled (per-operation cancellation or close()).
  [[nodiscard]] boost::asio::awaitable<result<response>> exchange(const request& req, deadline d,
                                                                  std::size_t max_body, attempt_facts& facts);

  // Streaming: write the request, read the head, then the body piece by piece.
  [[nodiscard]] boost::asio::awaitable<result<void>> write(const request& req, deadline d, attempt_facts& facts);
  // Status and headers; the body is left on the wire. Errors as for exchange().
  [[nodiscard]] boost::asio::awaitable<result<response>> read_head(deadline d);
  // The next body bytes (valid until the next call); an empty view means the body
  // ended cleanly. Errors as for exchange().
  [[nodiscard]] boost::asio::awaitable<result<std::string_view>> read_body_some(deadline d);

  // True when the last exchange completed and both sides allow keep-alive.
  [[nodiscard]] bool reusable() const noexcept;
  // Non-blocking check of an idle connection: true when the peer closed it or sent
  // unsolicited bytes (a TLS close_notify, garbage) — either way it must not be reused.
  [[nodiscard]] bool peer_closed() const noexcept;
  // Closes the socket now; pending operations complete with errc::cancelled. Idempotent.
  // Per-operation cancellation (e.g. awaitable `||`) of any operation above has the same
  // effect: errc::cancelled, and the connection is closed.
  void close() noexcept;
  [[nodiscard]] bool is_open() const noexcept;
  [[nodiscard]] const endpoint& target() const noexcept;

 private:
  struct impl;
  std::unique_ptr<impl> impl_;
};

}  // namespace langop::http
