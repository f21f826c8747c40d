// A c-ares channel whose sockets and timeouts are driven by Asio (internal to dns).
//
// c-ares tells us through its socket-state callback which fds it wants watched for
// reading/writing; we wait on them with posix::stream_descriptor::async_wait (the
// descriptor is released, never closed, because c-ares owns the fd) and hand readiness
// back with ares_process_fd. One steady_timer follows ares_timeout() for retransmits.
// Handlers hold a weak_ptr to the channel, so a destroyed channel is never touched.
//
// Queries in flight are capped (resolver_options::max_queries_in_flight): a burst of
// thousands of lookups would overflow UDP receive buffers (ours and the server's) and
// turn into retransmits. Lookups beyond the cap wait, first come first served.
#pragma once

#include "langop/dns/resolver.hpp"
#include "lookup.hpp"

#include <ares.h>

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/posix/stream_descriptor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <cstdint>
#include <deque>
#include <memory>
#include <string>
#include <unordered_map>

namespace langop::dns::detail {

class channel final : public std::enable_shared_from_this<channel> {
 public:
  // Throws like resolver's constructor. Must be owned by a shared_ptr before use.
  channel(boost::asio::any_io_executor ex, const resolver_options& options);
  ~channel();
  channel(const channel&) = delete;
  channel& operator=(const channel&) = delete;

  // Starts one query; `callback(arg, ...)` runs exactly once: from the loop when the
  // answer or a failure arrives, or synchronously from cancel_all()/destroy() with
  // ARES_ECANCELLED/ARES_EDESTRUCTION. Callbacks must not call back into the channel.
  void query(const std::string& name, int type, ares_callback callback, void* arg);

  // Admission for one lookup (an A and an AAAA query). try_admit() is true when both may
  // start now; otherwise enqueue() the lookup: it is woken (wake.cancel()) with
  // `admitted` set once room frees, and then owns two reserved slots that start_reserved()
  // turns into queries or release_reserved() gives back.
  [[nodiscard]] bool try_admit();
  void enqueue(const std::shared_ptr<lookup>& l);
  void release_reserved();
  void use_reserved() noexcept { reserved_ -= queries_per_lookup; }

  void cancel_all();  // ares_cancel: every pending callback fires with ARES_ECANCELLED
  void destroy();     // ares_destroy: idempotent; the channel refuses queries afterwards
  [[nodiscard]] bool open() const noexcept { return ares_ != nullptr; }
  [[nodiscard]] std::size_t queries_in_flight() const noexcept { return in_flight_; }

 private:
  struct watch {
    explicit watch(boost::asio::any_io_executor ex) : descriptor(std::move(ex)) {}
    boost::asio::posix::stream_descriptor descriptor;
    std::uint64_t generation = 0;  // tells a reused fd number from the socket it replaced
    bool want_read = false, want_write = false;
    bool reading = false, writing = false;  // an async_wait is outstanding
  };

  struct pending_query;
  static void on_query_done(void* arg, int status, int timeouts, unsigned char* abuf, int alen);
  static void on_socket_state(void* data, ares_socket_t fd, int readable, int writable);
  void socket_state(int fd, bool readable, bool writable);
  void arm(int fd, watch& w);
  void on_ready(int fd, std::uint64_t generation, bool read, boost::system::error_code ec);
  void reschedule();
  void on_timer();
  void admit_waiters();

  static constexpr std::size_t queries_per_lookup = 2;

  boost::asio::any_io_executor ex_;
  ares_channel ares_ = nullptr;
  std::unordered_map<int, std::unique_ptr<watch>> watches_;
  std::uint64_t next_generation_ = 1;
  boost::asio::steady_timer timer_;
  bool timer_pending_ = false;  // a wait on timer_ is outstanding
  std::size_t in_flight_ = 0;
  std::size_t max_in_flight_;
  std::size_t reserved_ = 0;  // slots promised to admitted lookups not yet started
  std::deque<std::weak_ptr<lookup>> waiters_;
};

}  // namespace langop::dns::detail
