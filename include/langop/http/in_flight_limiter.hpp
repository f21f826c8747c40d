// A fair (FIFO) async semaphore for one io_context thread: caps requests in flight
// (--max-requests-in-flight). No locks: all calls happen on the loop thread.
#pragma once

#include "langop/core/error.hpp"
#include "langop/http/deadline.hpp"

#include <boost/asio/awaitable.hpp>

#include <cstddef>
#include <list>

namespace langop::http {

class in_flight_limiter final {
  struct waiter;

 public:
  // Owning one slot; released on destruction. Must not outlive the limiter.
  class permit final {
   public:
    permit() = default;
    explicit permit(in_flight_limiter* owner) noexcept : owner_(owner) {}
    permit(permit&& o) noexcept : owner_(o.owner_) { o.owner_ = nullptr; }
    permit& operator=(permit&& o) noexcept;
    permit(const permit&) = delete;
    permit& operator=(const permit&) = delete;
    ~permit() { reset(); }
    void reset() noexcept;
    [[nodiscard]] bool held() const noexcept { return owner_ != nullptr; }

   private:
    in_flight_limiter* owner_ = nullptr;
  };

  explicit in_flight_limiter(std::size_t limit) : limit_(limit == 0 ? 1 : limit) {}
  in_flight_limiter(const in_flight_limiter&) = delete;
  in_flight_limiter& operator=(const in_flight_limiter&) = delete;

  // A slot, granted in arrival order. Errors: errc::timeout when `d` passes first,
  // errc::cancelled on per-operation cancellation; either way the caller leaves the queue.
  [[nodiscard]] boost::asio::awaitable<result<permit>> acquire(deadline d);

  [[nodiscard]] std::size_t limit() const noexcept { return limit_; }
  [[nodiscard]] std::size_t in_flight() const noexcept { return in_use_; }
  [[nodiscard]] std::size_t waiting() const noexcept { return waiters_.size(); }

 private:
  void release() noexcept;

  std::size_t limit_;
  std::size_t in_use_ = 0;
  std::list<waiter*> waiters_;
};

}  // namespace langop::http
