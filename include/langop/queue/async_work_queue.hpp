// The work queue on an io_context: workers co_await get() for the next ready key.
// Single-threaded by design (one io_context thread, no mutex): every member must be called
// from that thread. A timer at time_point::max() that is cancelled to wake one waiter is
// the condition variable; a second timer is armed to the earliest delayed deadline.
// Lifetime: destroy it only after every get() has returned (shutdown() wakes them all).
#pragma once

#include "langop/queue/work_queue.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace langop::queue {

class async_work_queue final {
 public:
  explicit async_work_queue(const boost::asio::any_io_executor& ex, work_queue_options options = {});
  ~async_work_queue();
  async_work_queue(const async_work_queue&) = delete;
  async_work_queue& operator=(const async_work_queue&) = delete;

  // Suspends until a key is ready and returns it; the key is then "processing" and the
  // caller must call done(key) exactly once. Returns nullopt once shutdown() was called, or
  // when the awaiting operation is cancelled (e.g. the loser of `get() || timer`): a
  // cancelled get() never consumes a key, and it passes any wake-up it received on to
  // another waiter. Never throws for these cases.
  [[nodiscard]] boost::asio::awaitable<std::optional<std::string>> get();

  void add(std::string_view key, priority p = priority::normal);
  void add_after(std::string_view key, duration delay);
  // Counts a failure and schedules the key after its backoff; returns the delay (for logs).
  duration add_rate_limited(std::string_view key);
  void forget(std::string_view key);
  void done(std::string_view key);
  // Stops intake; wakes every waiter with nullopt. done() keeps working for in-flight keys.
  void shutdown();

  [[nodiscard]] const work_queue& core() const noexcept { return core_; }
  [[nodiscard]] std::size_t waiters() const noexcept { return waiters_; }
  void set_hooks(work_queue_hooks hooks) { core_.set_hooks(std::move(hooks)); }

 private:
  void wake_if_ready();
  void rearm_delay_timer();

  work_queue core_;
  boost::asio::steady_timer signal_;  // expires at max(); cancel_one() wakes one waiter
  boost::asio::steady_timer delay_;   // expires at the core's earliest deadline
  std::optional<time_point> armed_at_;
  std::uint64_t generation_ = 0;      // ignores a delay completion queued before a re-arm
  std::size_t waiters_ = 0;
  std::size_t wakes_in_flight_ = 0;   // waiters woken but not yet resumed
  // Expires with this object so a timer completion already queued never touches it.
  std::shared_ptr<async_work_queue*> self_;
};

}  // namespace langop::queue
