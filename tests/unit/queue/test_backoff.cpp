#include "langop/queue/backoff.hpp"

#include <catch2/catch.hpp>

#include <set>
#include <vector>

using namespace langop::queue;
using namespace std::chrono_literals;

namespace {
backoff_params exact(duration base, duration cap, duration reset = {}) {
  return {.base = base, .cap = cap, .jitter = jitter_mode::none, .reset_after = reset};
}
}  // namespace

TEST_CASE("exponential delay doubles, caps and never overflows", "[queue][backoff]") {
  CHECK(exponential_delay(5ms, 5min, 0) == 5ms);
  CHECK(exponential_delay(5ms, 5min, 1) == 10ms);
  CHECK(exponential_delay(5ms, 5min, 10) == 5120ms);
  CHECK(exponential_delay(5ms, 5min, 15) == 163840ms);
  CHECK(exponential_delay(5ms, 5min, 16) == 5min);  // 327.68 s > cap
  for (std::uint32_t n : {17U, 40U, 61U, 62U, 63U, 64U, 1000U, UINT32_MAX}) {
    INFO(n);
    CHECK(exponential_delay(5ms, 5min, n) == 5min);
  }
  CHECK(exponential_delay(10s, 1s, 0) == 1s);  // base above cap: cap wins
  CHECK(exponential_delay(0ms, 1s, 3) == 0ms);
}

TEST_CASE("defaults match the work queue and the watcher", "[queue][backoff]") {
  const auto wq = work_queue_backoff();
  CHECK(wq.base == 5ms);
  CHECK(wq.cap == 5min);
  CHECK(wq.jitter != jitter_mode::none);
  const auto w = watcher_backoff();
  CHECK(w.base == 800ms);
  CHECK(w.cap == 30s);
  CHECK(w.jitter != jitter_mode::none);
  CHECK(w.reset_after == 2min);
  CHECK(w.reset_after > w.cap);
}

TEST_CASE("without jitter the sequence is exactly exponential up to the cap", "[queue][backoff]") {
  random_source rng(1);
  backoff_state st;
  const auto p = exact(800ms, 30s);
  std::vector<duration> got;
  for (int i = 0; i < 9; ++i) got.push_back(next_delay(p, st, rng));
  const std::vector<duration> want{800ms, 1600ms, 3200ms, 6400ms, 12800ms, 25600ms, 30s, 30s, 30s};
  CHECK(got == want);
  CHECK(st.failures == 9);
  CHECK(st.last == 30s);
}

TEST_CASE("jittered delays stay within their bounds and actually vary", "[queue][backoff]") {
  const auto mode = GENERATE(jitter_mode::full, jitter_mode::equal, jitter_mode::decorrelated);
  INFO(static_cast<int>(mode));
  const backoff_params p{.base = 5ms, .cap = 5min, .jitter = mode};
  for (std::uint64_t seed = 0; seed < 50; ++seed) {
    random_source rng(seed);
    backoff_state st;
    std::set<duration::rep> distinct;
    for (std::uint32_t n = 0; n < 40; ++n) {
      const duration prev = st.last;
      const duration d = next_delay(p, st, rng);
      const duration raw = exponential_delay(p.base, p.cap, n);
      distinct.insert(d.count());
      REQUIRE(d <= p.cap);
      switch (mode) {
        case jitter_mode::full:
          REQUIRE(d >= p.base);
          REQUIRE(d <= raw);
          break;
        case jitter_mode::equal:
          REQUIRE(d >= raw / 2);
          REQUIRE(d <= raw);
          break;
        case jitter_mode::decorrelated:
          REQUIRE(d >= p.base);
          REQUIRE(d <= std::max(p.base, 3 * (prev > 0ms ? prev : p.base)));
          break;
        case jitter_mode::none:
          break;
      }
    }
    CHECK(distinct.size() > 10);
  }
}

TEST_CASE("jitter grows: late failures wait much longer than early ones", "[queue][backoff]") {
  const auto mode = GENERATE(jitter_mode::full, jitter_mode::equal, jitter_mode::decorrelated);
  const backoff_params p{.base = 800ms, .cap = 30s, .jitter = mode};
  duration early{}, late{};
  for (std::uint64_t seed = 0; seed < 200; ++seed) {
    random_source rng(seed);
    backoff_state st;
    for (int n = 0; n < 12; ++n) {
      const duration d = next_delay(p, st, rng);
      if (n == 0) early += d;
      if (n == 11) late += d;
    }
  }
  CHECK(late > 5 * early);
}

TEST_CASE("the random source is deterministic per seed", "[queue][backoff]") {
  const backoff_params p{.base = 5ms, .cap = 5min, .jitter = jitter_mode::full};
  auto run = [&](std::uint64_t seed) {
    random_source rng(seed);
    backoff_state st;
    std::vector<duration> out;
    for (int i = 0; i < 20; ++i) out.push_back(next_delay(p, st, rng));
    return out;
  };
  CHECK(run(42) == run(42));
  CHECK(run(42) != run(43));
  random_source r(7);
  CHECK(r.between(3s, 3s) == 3s);
  CHECK(r.between(3s, 1s) == 3s);
  for (int i = 0; i < 1000; ++i) {
    const auto d = r.between(1s, 2s);
    REQUIRE(d >= 1s);
    REQUIRE(d <= 2s);
    const double u = r.unit();
    REQUIRE(u >= 0.0);
    REQUIRE(u < 1.0);
  }
}

TEST_CASE("a backoff stream resets after a healthy period and on demand", "[queue][backoff]") {
  const time_point t0{};
  backoff b(exact(800ms, 30s, 2min));
  CHECK(b.next(t0) == 800ms);
  CHECK(b.next(t0 + 1s) == 1600ms);
  CHECK(b.next(t0 + 3s) == 3200ms);
  SECTION("failing again before the healthy period keeps growing") {
    CHECK(b.next(t0 + 3s + 119s) == 6400ms);
    CHECK(b.failures() == 4);
  }
  SECTION("no failure for reset_after: back to base") {
    CHECK(b.next(t0 + 3s + 2min) == 800ms);
    CHECK(b.failures() == 1);
    CHECK(b.next(t0 + 3s + 2min + 1s) == 1600ms);
  }
  SECTION("explicit reset") {
    b.reset();
    CHECK(b.failures() == 0);
    CHECK(b.next(t0 + 4s) == 800ms);
  }
  SECTION("continuous failure at the cap never resets itself") {
    time_point t = t0 + 3s;
    duration d{};
    for (int i = 0; i < 20; ++i) {
      t += d;
      d = b.next(t);
    }
    CHECK(d == 30s);
  }
}

TEST_CASE("reset_after zero never resets", "[queue][backoff]") {
  backoff b(exact(5ms, 5min));
  CHECK(b.next(time_point{}) == 5ms);
  CHECK(b.next(time_point{} + 24h) == 10ms);
}
