// The driver's event loop helpers: bounded runs of the loop, N operations with C in
// flight, a kube::client from a kubeconfig. Header only (each is a few lines).
#pragma once

#include "langop/kube/client.hpp"
#include "langop/kube/kubeconfig.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>

#include <algorithm>
#include <chrono>
#include <exception>
#include <functional>
#include <memory>
#include <stdexcept>
#include <string>

namespace bench::converge {

namespace net = boost::asio;
using steady = std::chrono::steady_clock;

// Runs the loop until `done()` (checked at least every 100 ms) or `limit`; returns done().
inline bool run_until(net::io_context& ioc, const std::function<bool()>& done, steady::duration limit) {
  const auto end = steady::now() + limit;
  while (!done()) {
    const auto now = steady::now();
    if (now >= end) return false;
    ioc.restart();
    ioc.run_one_until(std::min(end, now + std::chrono::milliseconds(100)));
  }
  return true;
}

// Awaits `op(i)` for every i in [0, count), `concurrency` at a time; `op` returns false
// for a failure. Returns the number of failures; throws when `limit` passes first.
template <class Op>
std::size_t for_each_concurrently(net::io_context& ioc, std::size_t count, std::size_t concurrency, Op op,
                                  steady::duration limit) {
  std::size_t next = 0, failures = 0, finished = 0;
  std::exception_ptr failure;
  auto worker = [&]() -> net::awaitable<void> {
    while (next < count) {
      const std::size_t i = next++;
      const bool ok = co_await op(i);
      if (!ok) ++failures;
    }
  };
  const std::size_t workers = std::max<std::size_t>(1, std::min(concurrency, count));
  for (std::size_t k = 0; k < workers; ++k)
    net::co_spawn(ioc, worker(), [&](std::exception_ptr e) {
      if (e && !failure) failure = e;
      ++finished;
    });
  const bool done = run_until(ioc, [&] { return finished == workers; }, limit);
  if (failure) std::rethrow_exception(failure);
  if (!done) throw std::runtime_error("a benchmark phase did not finish within its deadline");
  return failures;
}

// Awaits `body()` (a coroutine returning awaitable<void>) on the loop, bounded by `limit`.
template <class Body>
void run_one(net::io_context& ioc, Body body, steady::duration limit) {
  (void)for_each_concurrently(
      ioc, 1, 1,
      [&](std::size_t) -> net::awaitable<bool> {
        co_await body();
        co_return true;
      },
      limit);
}

inline std::unique_ptr<langop::kube::client> client_from_kubeconfig(net::io_context& ioc, const std::string& path,
                                                                     std::size_t in_flight) {
  langop::kube::kubeconfig_options ko;
  ko.files = {path};
  auto cfg = langop::kube::load_kubeconfig(ko);
  if (!cfg) throw std::runtime_error("kubeconfig " + path + ": " + cfg.error().message);
  langop::kube::client_options o;
  o.max_requests_in_flight = in_flight;
  o.request_timeout = std::chrono::seconds(60);
  auto c = langop::kube::client::create(ioc.get_executor(), *cfg, o);
  if (!c) throw std::runtime_error(c.error().message);
  return std::move(*c);
}

}  // namespace bench::converge
