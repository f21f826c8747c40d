#include "langop/queue/async_work_queue.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <catch2/catch.hpp>

#include <exception>
#include <map>
#include <set>
#include <string>
#include <vector>

namespace asio = boost::asio;
using namespace langop::queue;
using namespace std::chrono_literals;
using namespace asio::experimental::awaitable_operators;

namespace {

// Runs `body` on a fresh io_context and fails the test unless it finishes within `limit`:
// no test can hang, whatever the queue does.
template <class F>
void run_bounded(F body, std::chrono::steady_clock::duration limit = 5s) {
  asio::io_context io{1};
  bool finished = false;
  std::exception_ptr failure;
  asio::co_spawn(io, body(io), [&](std::exception_ptr e) {
    finished = true;
    failure = e;
  });
  io.run_for(limit);
  REQUIRE(finished);
  if (failure) std::rethrow_exception(failure);
}

asio::awaitable<void> sleep(std::chrono::steady_clock::duration d) {
  asio::steady_timer t(co_await asio::this_coro::executor, d);
  co_await t.async_wait(asio::use_awaitable);
}

}  // namespace

TEST_CASE("get returns a ready key and waits for the next add", "[queue][async]") {
  run_bounded([](asio::io_context& io) -> asio::awaitable<void> {
    async_work_queue q(io.get_executor());
    q.add("ns/a");
    auto a = co_await q.get();
    REQUIRE(a == "ns/a");
    q.done(*a);
    // Nothing ready: get() must suspend until someone else adds.
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          co_await sleep(10ms);
          q.add("ns/b");
        },
        asio::detached);
    auto b = co_await q.get();
    REQUIRE(b == "ns/b");
    q.done(*b);
    CHECK(q.waiters() == 0);
  });
}

TEST_CASE("delayed and rate-limited keys arrive through the delay timer", "[queue][async]") {
  run_bounded([](asio::io_context& io) -> asio::awaitable<void> {
    async_work_queue q(io.get_executor());
    q.add_after("ns/late", 1h);    // arms the timer far away...
    q.add_after("ns/soon", 20ms);  // ...and must re-arm it earlier, or this test times out
    auto k = co_await q.get();
    REQUIRE(k == "ns/soon");
    q.add_rate_limited(*k);  // failed: comes back after its backoff
    q.done(*k);
    auto again = co_await q.get();
    REQUIRE(again == "ns/soon");
    CHECK(q.core().failures("ns/soon") == 1);
    q.forget(*again);
    q.done(*again);
    CHECK(q.core().delayed() == 1);  // ns/late is still waiting
  });
}

TEST_CASE("several workers never process one key at once and see every key", "[queue][async]") {
  run_bounded([](asio::io_context& io) -> asio::awaitable<void> {
    async_work_queue q(io.get_executor());
    std::set<std::string> in_flight;
    std::map<std::string, int> processed;
    bool overlap = false;
    int workers_done = 0;
    auto worker = [&]() -> asio::awaitable<void> {
      while (auto key = co_await q.get()) {
        if (!in_flight.insert(*key).second) overlap = true;
        co_await sleep(1ms);  // the "reconcile": lets other workers and producers run
        ++processed[*key];
        in_flight.erase(*key);
        q.done(*key);
      }
      ++workers_done;
    };
    for (int i = 0; i < 4; ++i) asio::co_spawn(io, worker(), asio::detached);
    // Keys are re-added while being processed: they must be re-queued, not run twice at once.
    for (int round = 0; round < 5; ++round) {
      for (int k = 0; k < 40; ++k) q.add("ns/k" + std::to_string(k));
      co_await sleep(2ms);
    }
    while (q.core().depth() > 0 || q.core().processing() > 0) co_await sleep(1ms);
    q.shutdown();
    while (workers_done < 4) co_await sleep(1ms);
    CHECK_FALSE(overlap);
    CHECK(processed.size() == 40);
    for (auto& [key, n] : processed) CHECK(n >= 1);
  });
}

TEST_CASE("shutdown wakes every waiter with nullopt", "[queue][async]") {
  run_bounded([](asio::io_context& io) -> asio::awaitable<void> {
    async_work_queue q(io.get_executor());
    q.add_after("ns/never", 1h);
    int ended = 0;
    for (int i = 0; i < 3; ++i) {
      asio::co_spawn(
          io,
          [&]() -> asio::awaitable<void> {
            auto k = co_await q.get();
            CHECK_FALSE(k.has_value());
            ++ended;
          },
          asio::detached);
    }
    while (q.waiters() < 3) co_await sleep(1ms);
    q.shutdown();
    while (ended < 3) co_await sleep(1ms);
    CHECK(q.waiters() == 0);
    CHECK_FALSE(co_await q.get());  // and later calls return at once
  });
}

TEST_CASE("a cancelled get never loses a key", "[queue][async]") {
  run_bounded([](asio::io_context& io) -> asio::awaitable<void> {
    async_work_queue q(io.get_executor());
    asio::steady_timer t(io, 10ms);
    auto r = co_await (q.get() || t.async_wait(asio::use_awaitable));
    CHECK(r.index() == 1);  // the timer won: get() was cancelled
    CHECK(q.waiters() == 0);

    // A waiter woken for a key and cancelled before it resumes passes the wake-up on.
    std::optional<std::string> got;
    bool other_ended = false;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          got = co_await q.get();
          other_ended = true;
        },
        asio::detached);
    asio::steady_timer t2(io, 1h);
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          co_await sleep(5ms);
          q.add("ns/a");  // wakes one of the two waiters...
          t2.cancel();    // ...and the other one's race is decided at the same time
        },
        asio::detached);
    auto r2 = co_await (q.get() || t2.async_wait(asio::as_tuple(asio::use_awaitable)));
    while (!got && r2.index() == 1) co_await sleep(1ms);
    if (r2.index() == 0) {
      CHECK(std::get<0>(r2) == "ns/a");
    } else {
      CHECK(got == "ns/a");
    }
    CHECK(q.core().processing() == 1);
    q.shutdown();
    while (!other_ended) co_await sleep(1ms);  // it references this frame
  });
}
