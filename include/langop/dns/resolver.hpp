// Asynchronous A/AAAA lookups on c-ares, driven by the Asio loop (never blocks it).
#pragma once

#include "langop/core/error.hpp"
#include "langop/dns/answer.hpp"
#include "langop/dns/errc.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>
#include <vector>

namespace langop::obs {
class registry;
}

namespace langop::dns {

namespace detail {
class channel;
struct resolver_metrics;
}  // namespace detail

struct resolver_options {
  // "ip", "ip:port" or "[ipv6]:port". Empty: servers from /etc/resolv.conf, read once by
  // the constructor (start-up time, not on the loop's hot path).
  std::vector<std::string> servers;
  // c-ares retransmits after this (doubling on each round over the servers) ...
  std::chrono::milliseconds attempt_timeout{2000};
  // ... and gives up with errc::timeout after this many rounds. The caller's deadline
  // bounds every lookup regardless.
  int tries = 3;
  // Queries (two per lookup) sent and not yet answered; more lookups wait their turn,
  // still bounded by their deadline. A burst beyond what a UDP receive buffer holds
  // (~200 datagrams by default on Linux) would be lost and retransmitted.
  std::size_t max_queries_in_flight = 128;
  // When set: langop_dns_lookups_total{result} and langop_dns_lookup_duration_seconds.
  // The registry must outlive the resolver and every lookup it started.
  obs::registry* metrics = nullptr;
};

// One c-ares channel: every lookup shares its sockets (one UDP socket per server), which
// c-ares opens and Asio watches. Names are queried as absolute (no search domains, no
// /etc/hosts): egress rules name external hosts. No caching: each resolve() asks the
// servers, so changed records are seen at once. Must be destroyed before its io_context.
class resolver final {
 public:
  using clock = std::chrono::steady_clock;

  // Throws std::invalid_argument for a malformed server list and std::runtime_error
  // when c-ares cannot initialize (start-up configuration errors).
  explicit resolver(boost::asio::any_io_executor ex, resolver_options options = {});
  // Cancels every lookup in flight: their coroutines resume later with errc::cancelled
  // and never touch the destroyed resolver.
  ~resolver();
  resolver(const resolver&) = delete;
  resolver& operator=(const resolver&) = delete;

  // Looks up A and AAAA for `host` concurrently. Partial success is success (see
  // dns::combine). Errors: errc::bad_name (validated before any query), not_found,
  // no_data, server_failure, refused, connection_refused, bad_response, timeout (the
  // deadline passed or c-ares ran out of tries), cancelled (per-operation cancellation of
  // the awaiting coroutine, shutdown() or destruction). Messages name the host. After a
  // deadline or cancellation the queries stay with c-ares until it answers or gives up;
  // their late answers are dropped. The returned awaitable holds what it needs: awaited
  // (or co_spawned) after the resolver is destroyed, it completes with cancelled.
  [[nodiscard]] boost::asio::awaitable<result<answer>> resolve(std::string host, clock::time_point deadline);
  [[nodiscard]] boost::asio::awaitable<result<answer>> resolve(std::string host, clock::duration timeout);

  // Cancels every lookup in flight (errc::cancelled) and refuses new ones. Idempotent.
  void shutdown();

  // Queries c-ares still holds, including those whose caller gave up.
  [[nodiscard]] std::size_t queries_in_flight() const noexcept;

 private:
  boost::asio::any_io_executor ex_;
  std::shared_ptr<detail::channel> channel_;
  std::shared_ptr<const detail::resolver_metrics> metrics_;
};

}  // namespace langop::dns
