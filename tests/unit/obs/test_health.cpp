#include "langop/obs/bind_address.hpp"
#include "langop/obs/health.hpp"

#include "support/result_printing.hpp"

#include <catch2/catch.hpp>

using namespace langop;

TEST_CASE("check_set: ok when everything passes, controller-runtime listing otherwise", "[health]") {
  obs::check_set ready("readyz");
  bool synced = false;
  ready.add("ping", [] { return obs::check_status::pass(); });
  ready.add("informers-synced", [&] {
    return synced ? obs::check_status::pass() : obs::check_status::fail("caches not synced: Agent\nTool");
  });
  auto failing = ready.evaluate();
  CHECK(failing.status == 503);
  CHECK(failing.body ==
        "[+]ping ok\n"
        "[-]informers-synced failed: caches not synced: Agent Tool\n"
        "readyz check failed\n");
  synced = true;
  auto passing = ready.evaluate();
  CHECK(passing.status == 200);
  CHECK(passing.body == "ok");
  auto verbose = ready.evaluate(true);
  CHECK(verbose.status == 200);
  CHECK(verbose.body == "[+]ping ok\n[+]informers-synced ok\nreadyz check passed\n");
}

TEST_CASE("check_set: exclusion, single checks and name validation", "[health]") {
  obs::check_set live("healthz");
  live.add("ping", [] { return obs::check_status::pass(); });
  live.add("loop", [] { return obs::check_status::fail(""); });
  auto excluded = live.evaluate(false, {"loop"});
  CHECK(excluded.status == 200);
  CHECK(excluded.body == "ok");
  auto excluded_verbose = live.evaluate(true, {"loop"});
  CHECK(excluded_verbose.body == "[+]ping ok\n[+]loop excluded: ok\nhealthz check passed\n");
  auto one = live.evaluate_one("loop");
  REQUIRE(one);
  CHECK(one->status == 503);
  CHECK(one->body == "[-]loop failed: reason withheld\n");
  CHECK(live.evaluate_one("ping")->body == "ok");
  CHECK_FALSE(live.evaluate_one("missing"));
  CHECK_THROWS_AS(live.add("ping", [] { return obs::check_status::pass(); }), std::invalid_argument);
  CHECK_THROWS_AS(live.add("a/b", [] { return obs::check_status::pass(); }), std::invalid_argument);
  CHECK_THROWS_AS(live.add("", [] { return obs::check_status::pass(); }), std::invalid_argument);
}

TEST_CASE("bind addresses parse like controller-runtime flags", "[health]") {
  auto all = obs::parse_bind_address(":8080");
  REQUIRE(all);
  REQUIRE(*all);
  CHECK((*all)->host.empty());
  CHECK((*all)->port == 8080);
  auto local = obs::parse_bind_address("127.0.0.1:0");
  REQUIRE(local);
  CHECK((*local)->host == "127.0.0.1");
  CHECK((*local)->port == 0);
  CHECK(obs::parse_bind_address("localhost:8081").value()->host == "127.0.0.1");
  CHECK(obs::parse_bind_address("[::1]:9090").value()->host == "::1");
  auto disabled = obs::parse_bind_address("0");
  REQUIRE(disabled);
  CHECK_FALSE(*disabled);
  for (const char* bad : {"", "8080", ":", ":http", ":65536", "host.example:80", "[::1:80", "[1.2.3.4]:80", ":-1"}) {
    INFO(bad);
    auto r = obs::parse_bind_address(bad);
    REQUIRE_FALSE(r);
    CHECK(r.error().code == boost::system::errc::invalid_argument);
    CHECK_THAT(r.error().message, Catch::Contains("bind address \""));
  }
}
