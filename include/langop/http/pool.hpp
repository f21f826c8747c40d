// Idle keep-alive connections to one endpoint: hands out a live idle connection or
// opens a new one, takes finished connections back. It does not cap concurrency —
// http::client holds an in_flight_limiter permit around each checkout.
#pragma once

#include "langop/core/error.hpp"
#include "langop/http/client_options.hpp"
#include "langop/http/connection.hpp"
#include "langop/http/deadline.hpp"
#include "langop/http/endpoint.hpp"
#include "langop/http/resolver.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstdint>
#include <deque>
#include <memory>

namespace langop::http {

class pool final {
 public:
  struct lease {
    std::shared_ptr<connection> conn;
    bool reused = false;  // came from the idle set (feeds the retry rule)
  };

  pool(endpoint ep, std::shared_ptr<resolver> dns, const client_options& opts);
  pool(const pool&) = delete;
  pool& operator=(const pool&) = delete;
  ~pool();

  // The most recently used idle connection that is still alive (idle_timeout and a
  // non-blocking peer-closed check), else a new one. `allow_reuse` false forces a new
  // connection (the retry after a stale one). Errors and cancellation: those of
  // connection::open.
  [[nodiscard]] boost::asio::awaitable<result<lease>> checkout(deadline d, bool allow_reuse = true);
  // Returns a connection after a complete exchange: kept idle if reusable, else closed.
  void checkin(std::shared_ptr<connection> conn);
  // Closes every idle connection (e.g. after the server restarted).
  void close_idle() noexcept;

  [[nodiscard]] const endpoint& target() const noexcept { return ep_; }
  [[nodiscard]] std::size_t idle_count() const noexcept { return idle_.size(); }
  [[nodiscard]] std::uint64_t connections_opened() const noexcept { return opened_; }

 private:
  struct idle_entry {
    std::shared_ptr<connection> conn;
    clock::time_point since;
  };

  endpoint ep_;
  std::shared_ptr<resolver> dns_;
  client_options opts_;
  std::deque<idle_entry> idle_;  // oldest at the front
  std::uint64_t opened_ = 0;
};

}  // namespace langop::http
