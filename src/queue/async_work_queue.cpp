#include "langop/queue/async_work_queue.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace langop::queue {

namespace asio = boost::asio;

async_work_queue::async_work_queue(const asio::any_io_executor& ex, work_queue_options options)
    : core_(std::move(options)),
      signal_(ex, time_point::max()),
      delay_(ex),
      self_(std::make_shared<async_work_queue*>(this)) {}

async_work_queue::~async_work_queue() {
  self_.reset();
  signal_.cancel();
  delay_.cancel();
}

asio::awaitable<std::optional<std::string>> async_work_queue::get() {
  for (;;) {
    auto cs = co_await asio::this_coro::cancellation_state;
    if (cs.cancelled() != asio::cancellation_type::none) {
      // We may have been woken for a ready key we now refuse: hand the wake-up on.
      wake_if_ready();
      co_return std::nullopt;
    }
    const poll_result r = core_.next(clock::now());
    if (r.status == poll_status::ready) {
      std::string key(r.key);
      rearm_delay_timer();  // next() may have consumed the earliest deadline
      wake_if_ready();      // more ready keys: chain the wake-up to another waiter
      co_return key;
    }
    if (r.status == poll_status::closed) co_return std::nullopt;
    rearm_delay_timer();
    ++waiters_;
    // Completes with operation_aborted both when woken (cancel_one) and when the caller
    // cancels; the cancellation state at the top of the loop tells them apart.
    auto [ec] = co_await signal_.async_wait(asio::as_tuple(asio::use_awaitable));
    (void)ec;
    --waiters_;
    if (wakes_in_flight_ > 0) --wakes_in_flight_;
  }
}

void async_work_queue::wake_if_ready() {
  // Wake only as many waiters as there are ready keys not yet promised to a woken waiter,
  // so one add does not stampede every worker.
  if (core_.is_shut_down()) return;
  while (wakes_in_flight_ < core_.depth() && waiters_ > wakes_in_flight_) {
    if (signal_.cancel_one() == 0) break;
    ++wakes_in_flight_;
  }
}

void async_work_queue::rearm_delay_timer() {
  const auto deadline = core_.next_deadline();
  if (deadline == armed_at_ || core_.is_shut_down()) return;
  armed_at_ = deadline;
  const std::uint64_t gen = ++generation_;
  if (!deadline) {
    delay_.cancel();
    return;
  }
  delay_.expires_at(*deadline);
  delay_.async_wait([weak = std::weak_ptr<async_work_queue*>(self_), gen](const boost::system::error_code& ec) {
    auto self = weak.lock();
    if (ec || !self) return;
    async_work_queue& q = **self;
    if (gen != q.generation_) return;
    q.armed_at_.reset();
    // The due key is still in the heap: a waiter's next() moves it to ready. With no
    // waiter, the next get() finds it itself.
    if (q.waiters_ > q.wakes_in_flight_ && q.signal_.cancel_one() > 0) ++q.wakes_in_flight_;
  });
}

void async_work_queue::add(std::string_view key, priority p) {
  if (core_.add(key, clock::now(), p)) {
    wake_if_ready();
    rearm_delay_timer();  // the key may have left the delay heap
  }
}

void async_work_queue::add_after(std::string_view key, duration delay) {
  if (core_.add_after(key, delay, clock::now())) {
    wake_if_ready();
    rearm_delay_timer();
  }
}

duration async_work_queue::add_rate_limited(std::string_view key) {
  const duration d = core_.add_rate_limited(key, clock::now());
  wake_if_ready();
  rearm_delay_timer();
  return d;
}

void async_work_queue::forget(std::string_view key) { core_.forget(key); }

void async_work_queue::done(std::string_view key) {
  if (core_.done(key, clock::now())) wake_if_ready();
}

void async_work_queue::shutdown() {
  core_.shutdown();
  signal_.cancel();
  delay_.cancel();
  armed_at_.reset();
  ++generation_;
}

}  // namespace langop::queue
