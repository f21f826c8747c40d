#include "langop/http/in_flight_limiter.hpp"

#include "langop/http/errc.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace langop::http {

namespace asio = boost::asio;

// Lives in the waiting coroutine's frame; leaves the queue on destruction unless a slot
// was handed to it, so a timed-out, cancelled or destroyed waiter never leaks a slot.
struct in_flight_limiter::waiter {
  waiter(asio::any_io_executor ex, deadline d, in_flight_limiter& o) : timer(std::move(ex), d), owner(o) {
    pos = owner.waiters_.insert(owner.waiters_.end(), this);
  }
  ~waiter() {
    if (!granted) owner.waiters_.erase(pos);
  }
  waiter(const waiter&) = delete;
  waiter& operator=(const waiter&) = delete;

  asio::steady_timer timer;
  in_flight_limiter& owner;
  std::list<waiter*>::iterator pos;
  bool granted = false;
};

in_flight_limiter::permit& in_flight_limiter::permit::operator=(permit&& o) noexcept {
  if (this != &o) {
    reset();
    owner_ = o.owner_;
    o.owner_ = nullptr;
  }
  return *this;
}

void in_flight_limiter::permit::reset() noexcept {
  if (owner_) std::exchange(owner_, nullptr)->release();
}

asio::awaitable<result<in_flight_limiter::permit>> in_flight_limiter::acquire(deadline d) {
  // The fast path only when nobody queues: otherwise a newcomer would overtake waiters.
  if (in_use_ < limit_ && waiters_.empty()) {
    ++in_use_;
    co_return permit(this);
  }
  waiter w(co_await asio::this_coro::executor, d, *this);
  auto [ec] = co_await w.timer.async_wait(asio::as_tuple(asio::use_awaitable));
  // A granted slot is ours even if the wait also timed out or was cancelled meanwhile;
  // the caller drops the permit if it no longer wants it.
  if (w.granted) co_return permit(this);
  if (ec == asio::error::operation_aborted)
    co_return make_error(errc::cancelled, "waiting for a request slot: cancelled");
  co_return make_error(errc::timeout, "waiting for a request slot: deadline exceeded (" +
                                          std::to_string(limit_) + " requests in flight)");
}

void in_flight_limiter::release() noexcept {
  if (!waiters_.empty()) {
    // Hand the slot straight to the oldest waiter: in_use_ is unchanged.
    waiter* next = waiters_.front();
    waiters_.pop_front();
    next->granted = true;
    next->timer.cancel();
    return;
  }
  --in_use_;
}

}  // namespace langop::http
