#include "channel.hpp"

#include <boost/asio/error.hpp>

#include <poll.h>

#include <algorithm>
#include <stdexcept>
#include <string>

namespace langop::dns::detail {
namespace asio = boost::asio;

// c-ares only calls back from inside ares_query/ares_process_fd/ares_cancel/ares_destroy,
// all of which the channel calls while alive, so a raw pointer back to it is safe.
struct channel::pending_query {
  channel* self;
  ares_callback callback;
  void* arg;
};

namespace {

std::string join_servers(const std::vector<std::string>& servers) {
  std::string csv;
  for (const auto& s : servers) {
    if (s.empty() || s.find(',') != std::string::npos) {
      throw std::invalid_argument("DNS server \"" + s + "\": expected ip, ip:port or [ipv6]:port");
    }
    if (!csv.empty()) csv += ',';
    csv += s;
  }
  return csv;
}

// How many servers the channel will use: the configured list, or resolv.conf's.
std::size_t server_count(const resolver_options& options) {
  if (!options.servers.empty()) return options.servers.size();
  ares_channel probe = nullptr;
  if (ares_init(&probe) != ARES_SUCCESS) return 0;
  ares_addr_node* servers = nullptr;
  std::size_t n = 0;
  if (ares_get_servers(probe, &servers) == ARES_SUCCESS) {
    for (const ares_addr_node* s = servers; s != nullptr; s = s->next) ++n;
    ares_free_data(servers);
  }
  ares_destroy(probe);
  return n;
}

// Still readable after c-ares processed the fd? Asio's reactor is edge-triggered, and
// c-ares reads a TCP stream one chunk per call, so data left behind would otherwise wait
// for a packet that may never come. poll() with a zero timeout never blocks.
bool readable_now(int fd) {
  pollfd p{fd, POLLIN, 0};
  return ::poll(&p, 1, 0) > 0 && (p.revents & (POLLIN | POLLERR | POLLHUP)) != 0;
}

}  // namespace

channel::channel(asio::any_io_executor ex, const resolver_options& options)
    : ex_(std::move(ex)),
      timer_(ex_),
      max_in_flight_(std::max<std::size_t>(options.max_queries_in_flight, queries_per_lookup)) {
  if (const int rc = ares_library_init(ARES_LIB_INIT_ALL); rc != ARES_SUCCESS) {
    throw std::runtime_error(std::string("c-ares library init failed: ") + ares_strerror(rc));
  }
  ares_options opts{};
  int mask = ARES_OPT_SOCK_STATE_CB | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_LOOKUPS | ARES_OPT_FLAGS;
  // c-ares 1.18 treats SERVFAIL/REFUSED as "try the next server" and, once every server
  // has been skipped, reports ARES_ECONNREFUSED: the real answer is lost. With a single
  // server (the usual in-cluster kube-dns) there is nothing to fail over to, so we take
  // such answers as final and report them as they are.
  opts.flags = server_count(options) == 1 ? ARES_FLAG_NOCHECKRESP : 0;
  opts.sock_state_cb = &channel::on_socket_state;
  opts.sock_state_cb_data = this;
  opts.timeout = static_cast<int>(options.attempt_timeout.count());
  opts.tries = options.tries > 0 ? options.tries : 1;
  char dns_only[] = "b";  // never consult /etc/hosts (a file read) for egress names
  opts.lookups = dns_only;
  if (const int rc = ares_init_options(&ares_, &opts, mask); rc != ARES_SUCCESS) {
    ares_library_cleanup();
    throw std::runtime_error(std::string("c-ares channel init failed: ") + ares_strerror(rc));
  }
  if (!options.servers.empty()) {
    const std::string csv = join_servers(options.servers);
    if (const int rc = ares_set_servers_ports_csv(ares_, csv.c_str()); rc != ARES_SUCCESS) {
      ares_destroy(ares_);
      ares_ = nullptr;
      ares_library_cleanup();
      throw std::invalid_argument("DNS servers \"" + csv + "\": " + ares_strerror(rc));
    }
  }
}

channel::~channel() {
  destroy();
  ares_library_cleanup();
}

void channel::query(const std::string& name, int type, ares_callback callback, void* arg) {
  if (ares_ == nullptr) {
    callback(arg, ARES_EDESTRUCTION, 0, nullptr, 0);
    return;
  }
  ++in_flight_;
  ares_query(ares_, name.c_str(), 1 /* class IN */, type, &channel::on_query_done,
             new pending_query{this, callback, arg});
  reschedule();
}

void channel::on_query_done(void* arg, int status, int timeouts, unsigned char* abuf, int alen) {
  const std::unique_ptr<pending_query> q(static_cast<pending_query*>(arg));
  --q->self->in_flight_;
  q->callback(q->arg, status, timeouts, abuf, alen);
  q->self->admit_waiters();
}

bool channel::try_admit() {
  admit_waiters();  // whoever queued first goes first
  return ares_ != nullptr && waiters_.empty() && in_flight_ + reserved_ + queries_per_lookup <= max_in_flight_;
}

void channel::enqueue(const std::shared_ptr<lookup>& l) { waiters_.push_back(l); }

void channel::release_reserved() {
  reserved_ -= queries_per_lookup;
  admit_waiters();
}

void channel::admit_waiters() {
  if (ares_ == nullptr) return;  // destroy() wakes every waiter itself
  while (!waiters_.empty() && in_flight_ + reserved_ + queries_per_lookup <= max_in_flight_) {
    const auto l = waiters_.front().lock();
    waiters_.pop_front();
    if (!l || l->admitted) continue;  // its caller gave up: the entry expired
    l->admitted = true;
    reserved_ += queries_per_lookup;
    l->wake.cancel();
  }
}

void channel::cancel_all() {
  if (ares_ != nullptr) ares_cancel(ares_);
  reschedule();
}

void channel::destroy() {
  if (ares_ == nullptr) return;
  // Fires every pending callback with ARES_EDESTRUCTION, then reports each socket as
  // no longer wanted (we release the descriptors) before closing it.
  ares_destroy(std::exchange(ares_, nullptr));
  for (auto& [fd, w] : watches_) w->descriptor.release();  // defensive: c-ares owns the fds
  watches_.clear();
  timer_.cancel();
  timer_pending_ = false;
  // Queued lookups wake, see the channel closed and report cancelled.
  for (auto& waiter : waiters_) {
    if (auto l = waiter.lock()) l->wake.cancel();
  }
  waiters_.clear();
}

void channel::on_socket_state(void* data, ares_socket_t fd, int readable, int writable) {
  static_cast<channel*>(data)->socket_state(fd, readable != 0, writable != 0);
}

void channel::socket_state(int fd, bool readable, bool writable) {
  auto it = watches_.find(fd);
  if (!readable && !writable) {
    // c-ares is about to close fd. release() (not close) cancels our waits; their
    // handlers see operation_aborted and a missing or newer watch, and do nothing.
    if (it != watches_.end()) {
      it->second->descriptor.release();
      watches_.erase(it);
    }
    return;
  }
  if (it == watches_.end()) {
    auto w = std::make_unique<watch>(ex_);
    boost::system::error_code ec;
    w->descriptor.assign(fd, ec);
    // A failed registration leaves the socket unwatched; c-ares' own timeout then ends
    // the queries on it, so nothing hangs.
    if (ec) return;
    w->generation = next_generation_++;
    it = watches_.emplace(fd, std::move(w)).first;
  }
  it->second->want_read = readable;
  it->second->want_write = writable;
  arm(fd, *it->second);
}

void channel::arm(int fd, watch& w) {
  auto handler = [weak = weak_from_this(), fd, generation = w.generation](bool read) {
    return [weak, fd, generation, read](boost::system::error_code ec) {
      if (auto self = weak.lock()) self->on_ready(fd, generation, read, ec);
    };
  };
  if (w.want_read && !w.reading) {
    w.reading = true;
    w.descriptor.async_wait(asio::posix::descriptor_base::wait_read, handler(true));
  }
  if (w.want_write && !w.writing) {
    w.writing = true;
    w.descriptor.async_wait(asio::posix::descriptor_base::wait_write, handler(false));
  }
}

void channel::on_ready(int fd, std::uint64_t generation, bool read, boost::system::error_code ec) {
  auto find = [&]() -> watch* {
    auto it = watches_.find(fd);
    return it != watches_.end() && it->second->generation == generation ? it->second.get() : nullptr;
  };
  watch* w = find();
  if (w == nullptr) return;  // released: c-ares closed this socket
  (read ? w->reading : w->writing) = false;
  if (ec == asio::error::operation_aborted || ares_ == nullptr) return;
  // Other errors (EPOLLERR) are handed to c-ares as readiness: its recv/send then sees
  // the socket error and fails over to the next server.
  if (read) {
    // ares_process_fd may close fd (and even reopen the number) through socket_state,
    // so the watch is looked up again after each call.
    int rounds = 0;
    do {
      ares_process_fd(ares_, fd, ARES_SOCKET_BAD);
      w = find();
    } while (w != nullptr && w->want_read && ++rounds < 64 && readable_now(fd));
  } else {
    ares_process_fd(ares_, ARES_SOCKET_BAD, fd);
    w = find();
  }
  if (w != nullptr) arm(fd, *w);
  reschedule();
}

void channel::reschedule() {
  if (ares_ == nullptr) return;
  timeval tv{};
  if (ares_timeout(ares_, nullptr, &tv) == nullptr) {
    if (timer_pending_) timer_.cancel();  // no query pending: nothing to retransmit
    timer_pending_ = false;
    return;
  }
  const auto at = std::chrono::steady_clock::now() + std::chrono::seconds(tv.tv_sec) +
                  std::chrono::microseconds(tv.tv_usec);
  // An earlier wake-up re-evaluates ares_timeout anyway; keeping it saves a cancel and a
  // re-arm per query when hundreds start at once.
  if (timer_pending_ && timer_.expiry() <= at) return;
  timer_.expires_at(at);  // cancels a later wait, whose handler then ignores it
  timer_pending_ = true;
  timer_.async_wait([weak = weak_from_this()](boost::system::error_code ec) {
    if (ec == asio::error::operation_aborted) return;
    if (auto self = weak.lock()) self->on_timer();
  });
}

void channel::on_timer() {
  timer_pending_ = false;
  if (ares_ == nullptr) return;
  ares_process_fd(ares_, ARES_SOCKET_BAD, ARES_SOCKET_BAD);  // retransmits and timeouts
  reschedule();
}

}  // namespace langop::dns::detail
