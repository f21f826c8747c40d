#include "langop/http/pool.hpp"

namespace langop::http {

namespace asio = boost::asio;

pool::pool(endpoint ep, std::shared_ptr<resolver> dns, const client_options& opts)
    : ep_(std::move(ep)), dns_(std::move(dns)), opts_(opts) {}

pool::~pool() { close_idle(); }

asio::awaitable<result<pool::lease>> pool::checkout(deadline d, bool allow_reuse) {
  const auto now = clock::now();
  // Most recent first: it is the least likely to have been closed by the server, and the
  // older ones age out instead of being kept warm by round-robin use.
  while (allow_reuse && !idle_.empty()) {
    idle_entry e = std::move(idle_.back());
    idle_.pop_back();
    if (now - e.since > opts_.idle_timeout || e.conn->peer_closed()) {
      e.conn->close();
      continue;
    }
    co_return lease{std::move(e.conn), true};
  }
  auto conn = co_await connection::open(ep_, *dns_, earliest(d, now + opts_.connect_timeout), opts_.connection);
  if (!conn) co_return conn.error();
  ++opened_;
  co_return lease{std::move(*conn), false};
}

void pool::checkin(std::shared_ptr<connection> conn) {
  if (!conn || !conn->reusable()) {
    if (conn) conn->close();
    return;
  }
  idle_.push_back({std::move(conn), clock::now()});
  const std::size_t cap = opts_.max_idle_connections ? opts_.max_idle_connections : opts_.max_requests_in_flight;
  while (idle_.size() > cap) {
    idle_.front().conn->close();
    idle_.pop_front();
  }
}

void pool::close_idle() noexcept {
  for (auto& e : idle_) e.conn->close();
  idle_.clear();
}

}  // namespace langop::http
