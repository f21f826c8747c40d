// Runs a test coroutine on an io_context with a hard deadline, so a broken test fails
// instead of hanging. Exceptions (including Catch2 REQUIRE failures) are rethrown.
// Never write `co_await` inside a Catch2 macro: GCC 12 miscompiles it (the awaited
// operation runs more than once). Await into a local, then assert on the local.
#pragma once

#include "support/result_printing.hpp"

#include <boost/asio/awaitable.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <exception>

namespace langop::test {

inline void run_async(boost::asio::io_context& io, boost::asio::awaitable<void> body,
                      std::chrono::milliseconds limit = std::chrono::seconds(20)) {
  bool done = false;
  std::exception_ptr failure;
  boost::asio::co_spawn(io, std::move(body), [&](std::exception_ptr e) {
    done = true;
    failure = e;
  });
  const auto end = std::chrono::steady_clock::now() + limit;
  while (!done && std::chrono::steady_clock::now() < end) {
    if (io.run_one_until(end) == 0) break;  // out of work with the body suspended: a bug
  }
  if (failure) std::rethrow_exception(failure);
  if (!done) FAIL("test coroutine did not finish within its hard deadline");
  // Let aborted server/client operations finish so their frames are released.
  io.restart();
  io.run_for(std::chrono::milliseconds(50));
}

// Suspends the calling coroutine for `d` (used to let scripted peers make progress).
inline boost::asio::awaitable<void> sleep_for(std::chrono::milliseconds d) {
  boost::asio::steady_timer t(co_await boost::asio::this_coro::executor, d);
  co_await t.async_wait(boost::asio::use_awaitable);
}

}  // namespace langop::test
