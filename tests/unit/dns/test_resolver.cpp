#include "langop/dns/resolver.hpp"
#include "langop/obs/registry.hpp"

#include "support/async_test.hpp"
#include "support/dns_server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/udp.hpp>

#include <catch2/catch.hpp>

#include <memory>
#include <optional>
#include <variant>

using namespace langop;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using asio::ip::make_address;
using test::dns_rcode;

namespace {

dns::resolver_options options_for(const test::dns_server& srv) {
  dns::resolver_options o;
  o.servers = {srv.address()};
  o.attempt_timeout = 200ms;
  o.tries = 2;
  return o;
}

std::vector<asio::ip::address> addrs(std::initializer_list<const char*> list) {
  std::vector<asio::ip::address> out;
  for (const char* a : list) out.push_back(make_address(a));
  return out;
}

// Runs the io_context until `done()` or the hard limit; returns done().
template <class Pred>
bool run_until(asio::io_context& io, Pred done, std::chrono::milliseconds limit = 10s) {
  const auto end = std::chrono::steady_clock::now() + limit;
  while (!done() && std::chrono::steady_clock::now() < end) io.run_one_until(end);
  return done();
}

}  // namespace

TEST_CASE("resolver: A and AAAA together, with the shortest TTL", "[dns]") {
  asio::io_context io;
  test::dns_server srv(io);
  srv.set("api.example.com", {{"1.2.3.5", 90}, {"1.2.3.4", 30}}, {{"2001:db8::1", 60}});
  dns::resolver r(io.get_executor(), options_for(srv));
  test::run_async(io, [&]() -> asio::awaitable<void> {
    auto res = co_await r.resolve("API.example.com.", 2s);
    REQUIRE(res.has_value());
    CHECK(res->v4 == addrs({"1.2.3.4", "1.2.3.5"}));
    CHECK(res->v6 == addrs({"2001:db8::1"}));
    CHECK(res->min_ttl == 30s);
    CHECK(srv.queries("api.example.com") == 2);
  }());
}

TEST_CASE("resolver: a name with only A records is a success without IPv6", "[dns]") {
  asio::io_context io;
  test::dns_server srv(io);
  srv.set("v4only.example", {{"10.1.1.1", 120}});
  srv.set("v6only.example", {}, {{"2001:db8::7", 15}});
  srv.set("empty.example", {});
  dns::resolver r(io.get_executor(), options_for(srv));
  test::run_async(io, [&]() -> asio::awaitable<void> {
    auto v4 = co_await r.resolve("v4only.example", 2s);
    REQUIRE(v4.has_value());
    CHECK(v4->v4 == addrs({"10.1.1.1"}));
    CHECK(v4->v6.empty());
    CHECK(v4->min_ttl == 120s);
    auto v6 = co_await r.resolve("v6only.example", 2s);
    REQUIRE(v6.has_value());
    CHECK(v6->v4.empty());
    CHECK(v6->min_ttl == 15s);
    auto none = co_await r.resolve("empty.example", 2s);
    REQUIRE_FALSE(none.has_value());
    CHECK(none.error().code == dns::errc::no_data);
  }());
}

TEST_CASE("resolver: server answers map to errors that name the host", "[dns]") {
  asio::io_context io;
  test::dns_server srv(io);
  srv.fail("broken.example", dns_rcode::servfail);
  srv.fail("private.example", dns_rcode::refused);
  dns::resolver r(io.get_executor(), options_for(srv));
  test::run_async(io, [&]() -> asio::awaitable<void> {
    auto missing = co_await r.resolve("missing.example", 2s);
    REQUIRE_FALSE(missing.has_value());
    CHECK(missing.error().code == dns::errc::not_found);
    CHECK(missing.error().message == "resolving missing.example: no such domain (NXDOMAIN)");

    auto broken = co_await r.resolve("broken.example", 2s);
    REQUIRE_FALSE(broken.has_value());
    CHECK(broken.error().code == dns::errc::server_failure);
    CHECK_THAT(broken.error().message, Catch::Contains("broken.example"));

    auto refused = co_await r.resolve("private.example", 2s);
    REQUIRE_FALSE(refused.has_value());
    CHECK(refused.error().code == dns::errc::refused);
    CHECK(dns::is_transient(dns::errc::refused));
  }());
}

TEST_CASE("resolver: an unanswered query times out at the caller's deadline", "[dns]") {
  asio::io_context io;
  test::dns_server srv(io);
  srv.drop("slow.example");
  auto opts = options_for(srv);
  opts.attempt_timeout = 5s;  // c-ares alone would wait far longer than the deadline
  dns::resolver r(io.get_executor(), opts);
  test::run_async(io, [&]() -> asio::awaitable<void> {
    const auto start = std::chrono::steady_clock::now();
    auto res = co_await r.resolve("slow.example", 300ms);
    const auto took = std::chrono::steady_clock::now() - start;
    REQUIRE_FALSE(res.has_value());
    CHECK(res.error().code == dns::errc::timeout);
    CHECK_THAT(res.error().message, Catch::Contains("slow.example"));
    CHECK(took >= 300ms);
    CHECK(took < 5s);  // the deadline, not c-ares' retransmit schedule, ended the wait
    CHECK(r.queries_in_flight() == 2);  // abandoned, still owned by c-ares
  }());
}

TEST_CASE("resolver: c-ares giving up after its tries is a timeout too", "[dns]") {
  asio::io_context io;
  test::dns_server srv(io);
  srv.drop("slow.example");
  auto opts = options_for(srv);
  opts.attempt_timeout = 50ms;
  opts.tries = 2;
  dns::resolver r(io.get_executor(), opts);
  test::run_async(io, [&]() -> asio::awaitable<void> {
    auto res = co_await r.resolve("slow.example", 10s);
    REQUIRE_FALSE(res.has_value());
    CHECK(res.error().code == dns::errc::timeout);
    CHECK(srv.queries("slow.example") == 4);  // two tries for each of A and AAAA
    CHECK(r.queries_in_flight() == 0);
  }());
}

TEST_CASE("resolver: a late answer after the deadline is dropped safely", "[dns]") {
  asio::io_context io;
  test::dns_server srv(io);
  srv.set("late.example", {{"192.0.2.1", 60}});
  srv.delay("late.example", 300ms);
  dns::resolver r(io.get_executor(), options_for(srv));
  test::run_async(io, [&]() -> asio::awaitable<void> {
    auto res = co_await r.resolve("late.example", 100ms);
    REQUIRE_FALSE(res.has_value());
    CHECK(res.error().code == dns::errc::timeout);
    co_await test::sleep_for(400ms);  // the answers arrive and find nobody waiting
    CHECK(r.queries_in_flight() == 0);
    srv.delay("late.example", 0ms);
    auto again = co_await r.resolve("late.example", 2s);
    REQUIRE(again.has_value());
    CHECK(again->v4 == addrs({"192.0.2.1"}));
  }());
}

TEST_CASE("resolver: every lookup asks the server, so address changes are seen", "[dns]") {
  asio::io_context io;
  test::dns_server srv(io);
  srv.set("moving.example", {{"198.51.100.1", 30}});
  dns::resolver r(io.get_executor(), options_for(srv));
  test::run_async(io, [&]() -> asio::awaitable<void> {
    auto first = co_await r.resolve("moving.example", 2s);
    REQUIRE(first.has_value());
    srv.set("moving.example", {{"198.51.100.2", 10}, {"198.51.100.1", 30}});
    auto second = co_await r.resolve("moving.example", 2s);
    REQUIRE(second.has_value());
    CHECK(second->v4 == addrs({"198.51.100.1", "198.51.100.2"}));
    CHECK(second->min_ttl == 10s);
    CHECK_FALSE(first->same_addresses(*second));
    auto third = co_await r.resolve("moving.example", 2s);
    REQUIRE(third.has_value());
    CHECK(third->same_addresses(*second));
  }());
}

TEST_CASE("resolver: 200 concurrent lookups share one channel", "[dns]") {
  asio::io_context io;
  test::dns_server srv(io);
  constexpr int n = 200;
  for (int i = 0; i < n; ++i) {
    srv.set("host-" + std::to_string(i) + ".example",
            {{"10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256), static_cast<std::uint32_t>(i + 1)}});
  }
  dns::resolver r(io.get_executor(), options_for(srv));
  std::vector<std::optional<result<dns::answer>>> results(n);
  int done = 0;
  for (int i = 0; i < n; ++i) {
    asio::co_spawn(io, r.resolve("host-" + std::to_string(i) + ".example", 5s),
                   [&, i](std::exception_ptr e, result<dns::answer> res) {
                     REQUIRE_FALSE(e);
                     results[i] = std::move(res);
                     ++done;
                   });
  }
  REQUIRE(run_until(io, [&] { return done == n; }));
  CHECK(r.queries_in_flight() == 0);
  CHECK(srv.queries() == 2 * n);
  for (int i = 0; i < n; ++i) {
    INFO(i);
    REQUIRE(results[i]->has_value());
    const auto& a = results[i]->value();
    CHECK(a.v4 == addrs({("10.0." + std::to_string(i / 256) + "." + std::to_string(i % 256)).c_str()}));
    CHECK(a.min_ttl == std::chrono::seconds(i + 1));
  }
}

TEST_CASE("resolver: lookups beyond the in-flight cap wait their turn within their deadline", "[dns]") {
  asio::io_context io;
  test::dns_server srv(io);
  for (int i = 0; i < 10; ++i) {
    const std::string name = "q" + std::to_string(i) + ".example";
    srv.set(name, {{"192.0.2." + std::to_string(i + 1), 60}});
    srv.delay(name, 30ms);
  }
  srv.drop("stuck.example");
  auto opts = options_for(srv);
  opts.max_queries_in_flight = 4;  // two lookups at a time
  auto r = std::make_unique<dns::resolver>(io.get_executor(), opts);

  std::vector<std::optional<result<dns::answer>>> results(10);
  int done = 0;
  for (int i = 0; i < 10; ++i) {
    asio::co_spawn(io, r->resolve("q" + std::to_string(i) + ".example", 5s),
                   [&, i](std::exception_ptr, result<dns::answer> res) {
                     results[i] = std::move(res);
                     ++done;
                   });
  }
  std::size_t most = 0;
  const auto end = std::chrono::steady_clock::now() + 10s;
  while (done < 10 && std::chrono::steady_clock::now() < end) {
    io.run_one_until(end);
    most = std::max(most, r->queries_in_flight());
  }
  REQUIRE(done == 10);
  CHECK(most == 4);
  for (int i = 0; i < 10; ++i) {
    REQUIRE(results[i]->has_value());
    CHECK(results[i]->value().v4 == addrs({("192.0.2." + std::to_string(i + 1)).c_str()}));
  }

  SECTION("a queued lookup times out at its deadline") {
    test::run_async(io, [&]() -> asio::awaitable<void> {
      using namespace asio::experimental::awaitable_operators;
      // Two stuck lookups fill the cap; the third never gets a slot.
      auto both = co_await (r->resolve("stuck.example", 300ms) && r->resolve("stuck.example", 300ms) &&
                            r->resolve("q0.example", 100ms));
      const auto& queued = std::get<2>(both);
      REQUIRE_FALSE(queued.has_value());
      CHECK(queued.error().code == dns::errc::timeout);
      CHECK_THAT(queued.error().message, Catch::Contains("free query slot"));
    }());
  }
  SECTION("destruction wakes queued lookups with cancelled") {
    std::vector<result<dns::answer>> out;
    for (int i = 0; i < 3; ++i) {
      asio::co_spawn(io, r->resolve("stuck.example", 30s),
                     [&](std::exception_ptr, result<dns::answer> res) { out.push_back(std::move(res)); });
    }
    REQUIRE(run_until(io, [&] { return r->queries_in_flight() == 4; }));
    r.reset();
    REQUIRE(run_until(io, [&] { return out.size() == 3; }));
    for (const auto& res : out) CHECK(res.error().code == dns::errc::cancelled);
  }
}

TEST_CASE("resolver: destroying it cancels lookups in flight without touching freed memory", "[dns]") {
  asio::io_context io;
  test::dns_server srv(io);
  srv.drop("never.example");
  srv.set("quick.example", {{"192.0.2.9", 60}});
  srv.delay("quick.example", 200ms);
  auto r = std::make_unique<dns::resolver>(io.get_executor(), options_for(srv));
  std::vector<result<dns::answer>> results;
  for (const char* host : {"never.example", "never.example", "quick.example", "never.example"}) {
    asio::co_spawn(io, r->resolve(host, 30s), [&](std::exception_ptr e, result<dns::answer> res) {
      REQUIRE_FALSE(e);
      results.push_back(std::move(res));
    });
  }
  REQUIRE(run_until(io, [&] { return srv.queries() == 8; }));
  CHECK(r->queries_in_flight() == 8);
  const auto start = std::chrono::steady_clock::now();
  r.reset();
  REQUIRE(run_until(io, [&] { return results.size() == 4; }));
  CHECK(std::chrono::steady_clock::now() - start < 10s);
  for (const auto& res : results) {
    REQUIRE_FALSE(res.has_value());
    CHECK(res.error().code == dns::errc::cancelled);
  }
  // The delayed answers for quick.example arrive at a closed channel: nothing happens.
  io.run_for(300ms);
}

TEST_CASE("resolver: shutdown cancels lookups and refuses new ones", "[dns]") {
  asio::io_context io;
  test::dns_server srv(io);
  srv.drop("never.example");
  dns::resolver r(io.get_executor(), options_for(srv));
  std::optional<result<dns::answer>> pending;
  asio::co_spawn(io, r.resolve("never.example", 30s),
                 [&](std::exception_ptr, result<dns::answer> res) { pending = std::move(res); });
  REQUIRE(run_until(io, [&] { return srv.queries() == 2; }));
  r.shutdown();
  r.shutdown();
  REQUIRE(run_until(io, [&] { return pending.has_value(); }));
  CHECK(pending->error().code == dns::errc::cancelled);
  test::run_async(io, [&]() -> asio::awaitable<void> {
    auto later = co_await r.resolve("never.example", 1s);
    REQUIRE_FALSE(later.has_value());
    CHECK(later.error().code == dns::errc::cancelled);
  }());
}

TEST_CASE("resolver: an awaitable started after the resolver is gone completes with cancelled", "[dns]") {
  asio::io_context io;
  test::dns_server srv(io);
  srv.set("ok.example", {{"192.0.2.1", 60}});
  auto r = std::make_unique<dns::resolver>(io.get_executor(), options_for(srv));
  auto lookup = r->resolve("ok.example", 2s);  // coroutine not started yet
  r.reset();
  std::optional<result<dns::answer>> out;
  asio::co_spawn(io, std::move(lookup), [&](std::exception_ptr, result<dns::answer> res) { out = std::move(res); });
  REQUIRE(run_until(io, [&] { return out.has_value(); }));
  REQUIRE_FALSE(out->has_value());
  CHECK(out->error().code == dns::errc::cancelled);
  CHECK(srv.queries() == 0);
}

TEST_CASE("resolver: per-operation cancellation ends the wait with cancelled", "[dns]") {
  using namespace asio::experimental::awaitable_operators;
  asio::io_context io;
  test::dns_server srv(io);
  srv.drop("never.example");
  srv.set("fine.example", {{"192.0.2.3", 60}});
  dns::resolver r(io.get_executor(), options_for(srv));
  test::run_async(io, [&]() -> asio::awaitable<void> {
    auto raced = co_await (r.resolve("never.example", 30s) || test::sleep_for(100ms));
    REQUIRE(raced.index() == 1);  // the sleep won; the lookup was cancelled
    auto fine = co_await r.resolve("fine.example", 2s);
    REQUIRE(fine.has_value());
    CHECK(fine->v4 == addrs({"192.0.2.3"}));
  }());
}

TEST_CASE("resolver: bad names fail before any query", "[dns]") {
  asio::io_context io;
  test::dns_server srv(io);
  dns::resolver r(io.get_executor(), options_for(srv));
  test::run_async(io, [&]() -> asio::awaitable<void> {
    const std::vector<std::string> names = {"",        "a..example",           "-x.example",
                                            "1.2.3.4", std::string(300, 'a'), "bad_name.example"};
    for (const std::string& name : names) {
      INFO(name);
      auto res = co_await r.resolve(name, 1s);
      REQUIRE_FALSE(res.has_value());
      CHECK(res.error().code == dns::errc::bad_name);
    }
    CHECK(srv.queries() == 0);
  }());
}

TEST_CASE("resolver: an unreachable server is reported, not hung on", "[dns]") {
  asio::io_context io;
  // A port nobody listens on: the kernel answers with ICMP port unreachable.
  std::uint16_t port = 0;
  {
    asio::ip::udp::socket probe(io, asio::ip::udp::endpoint(make_address("127.0.0.1"), 0));
    port = probe.local_endpoint().port();
  }
  dns::resolver_options opts;
  opts.servers = {"127.0.0.1:" + std::to_string(port)};
  opts.attempt_timeout = 200ms;
  opts.tries = 1;
  dns::resolver r(io.get_executor(), opts);
  test::run_async(io, [&]() -> asio::awaitable<void> {
    auto res = co_await r.resolve("any.example", 5s);
    REQUIRE_FALSE(res.has_value());
    const bool reported = res.error().code == dns::errc::connection_refused || res.error().code == dns::errc::timeout;
    CHECK(reported);
    CHECK(dns::is_transient(static_cast<dns::errc>(res.error().code.value())));
  }());
}

TEST_CASE("resolver: a malformed server list is a start-up error", "[dns]") {
  asio::io_context io;
  dns::resolver_options opts;
  opts.servers = {"not an address"};
  CHECK_THROWS_AS(dns::resolver(io.get_executor(), opts), std::invalid_argument);
}

TEST_CASE("resolver: lookups are counted by result when a registry is given", "[dns][metrics]") {
  asio::io_context io;
  test::dns_server srv(io);
  srv.set("ok.example", {{"192.0.2.1", 60}});
  obs::registry reg;
  auto opts = options_for(srv);
  opts.metrics = &reg;
  dns::resolver r(io.get_executor(), opts);
  test::run_async(io, [&]() -> asio::awaitable<void> {
    auto a = co_await r.resolve("ok.example", 2s);
    auto b = co_await r.resolve("missing.example", 2s);
    auto c = co_await r.resolve("ok.example", 2s);
    CHECK(a.has_value());
    CHECK_FALSE(b.has_value());
    CHECK(c.has_value());
  }());
  const std::string text = reg.render();
  CHECK_THAT(text, Catch::Contains("langop_dns_lookups_total{result=\"success\"} 2\n"));
  CHECK_THAT(text, Catch::Contains("langop_dns_lookups_total{result=\"not_found\"} 1\n"));
  CHECK_THAT(text, Catch::Contains("langop_dns_lookup_duration_seconds_count 3\n"));
}
