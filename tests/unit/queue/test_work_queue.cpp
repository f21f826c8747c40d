#include "langop/queue/work_queue.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <map>
#include <set>
#include <string>
#include <vector>

using namespace langop::queue;
using namespace std::chrono_literals;

namespace {

const time_point t0 = time_point{} + 1000h;  // any fixed instant: the queue never reads a clock

work_queue_options exact_options() {
  work_queue_options o;
  o.backoff.jitter = jitter_mode::none;
  return o;
}

std::string take(work_queue& q, time_point now) {
  auto r = q.next(now);
  REQUIRE(r.status == poll_status::ready);
  return std::string(r.key);
}

std::vector<std::string> drain(work_queue& q, time_point now) {
  std::vector<std::string> out;
  for (;;) {
    auto r = q.next(now);
    if (r.status != poll_status::ready) break;
    out.emplace_back(r.key);
    REQUIRE(q.done(out.back(), now));
  }
  return out;
}

}  // namespace

TEST_CASE("keys are de-duplicated while pending", "[queue][work_queue]") {
  work_queue q;
  CHECK(q.add("ns/a", t0));
  CHECK_FALSE(q.add("ns/a", t0));
  CHECK_FALSE(q.add("ns/a", t0 + 1s));
  CHECK(q.add("ns/b", t0));
  CHECK(q.depth() == 2);
  CHECK(q.counters().adds == 2);
  CHECK(q.counters().deduplicated == 2);
  CHECK(drain(q, t0 + 2s) == std::vector<std::string>{"ns/a", "ns/b"});
  CHECK(q.next(t0 + 2s).status == poll_status::idle);
  CHECK(q.size() == 0);  // nothing remembered once done without failures
}

TEST_CASE("a key is never handed out twice at once", "[queue][work_queue]") {
  work_queue q;
  q.add("ns/a", t0);
  CHECK(take(q, t0) == "ns/a");
  CHECK(q.is_processing("ns/a"));

  SECTION("re-added while processing: held back, re-queued once after done") {
    CHECK(q.add("ns/a", t0 + 1s));
    CHECK_FALSE(q.add("ns/a", t0 + 2s));  // already dirty
    CHECK(q.depth() == 0);
    CHECK(q.is_pending("ns/a"));
    CHECK(q.next(t0 + 3s).status == poll_status::idle);
    CHECK(q.done("ns/a", t0 + 4s));
    CHECK(q.depth() == 1);
    CHECK(take(q, t0 + 5s) == "ns/a");
    CHECK(q.done("ns/a", t0 + 6s));
    CHECK(q.next(t0 + 7s).status == poll_status::idle);
  }
  SECTION("not re-added: done forgets it") {
    CHECK(q.done("ns/a", t0 + 1s));
    CHECK(q.next(t0 + 1s).status == poll_status::idle);
    CHECK_FALSE(q.is_pending("ns/a"));
  }
  SECTION("done is only accepted for a key being processed") {
    CHECK_FALSE(q.done("ns/zzz", t0));
    CHECK(q.done("ns/a", t0));
    CHECK_FALSE(q.done("ns/a", t0));
    CHECK(q.processing() == 0);
  }
  SECTION("other keys flow while one is processing") {
    q.add("ns/b", t0);
    q.add("ns/a", t0);
    CHECK(take(q, t0) == "ns/b");
    CHECK(q.next(t0).status == poll_status::idle);
    CHECK(q.processing() == 2);
  }
}

TEST_CASE("delays: the earliest deadline wins", "[queue][work_queue]") {
  work_queue q;
  CHECK(q.add_after("ns/a", 10s, t0));
  CHECK(q.add_after("ns/a", 5s, t0));
  CHECK_FALSE(q.add_after("ns/a", 20s, t0));
  CHECK_FALSE(q.add_after("ns/a", 5s, t0));
  CHECK(q.delayed() == 1);
  CHECK(q.next_deadline() == t0 + 5s);

  auto r = q.next(t0 + 4s);
  CHECK(r.status == poll_status::waiting);
  CHECK(r.wake_at == t0 + 5s);
  CHECK(take(q, t0 + 5s) == "ns/a");
  CHECK(q.delayed() == 0);
  q.done("ns/a", t0 + 6s);
  CHECK(q.next(t0 + 60s).status == poll_status::idle);  // the 10 s and 20 s requests were merged
}

TEST_CASE("a plain add of a delayed key makes it ready now", "[queue][work_queue]") {
  work_queue q;
  q.add_after("ns/a", 1h, t0);
  CHECK(q.add("ns/a", t0 + 1s));
  CHECK(q.delayed() == 0);
  CHECK(take(q, t0 + 1s) == "ns/a");
  q.done("ns/a", t0 + 2s);
  CHECK(q.next(t0 + 2h).status == poll_status::idle);  // the hour-later wake-up is gone
}

TEST_CASE("a delay never postpones a key that is ready or dirty", "[queue][work_queue]") {
  work_queue q;
  SECTION("ready") {
    q.add("ns/a", t0);
    CHECK_FALSE(q.add_after("ns/a", 1s, t0));
    CHECK(q.delayed() == 0);
    CHECK(take(q, t0) == "ns/a");
  }
  SECTION("dirty while processing") {
    q.add("ns/a", t0);
    take(q, t0);
    q.add("ns/a", t0);
    CHECK_FALSE(q.add_after("ns/a", 1s, t0));
    q.done("ns/a", t0);
    CHECK(take(q, t0) == "ns/a");
  }
  SECTION("non-positive delay is a plain add") {
    CHECK(q.add_after("ns/a", 0s, t0));
    CHECK(q.add_after("ns/b", -5s, t0));
    CHECK(q.depth() == 2);
  }
}

TEST_CASE("a delay that falls due while processing re-queues after done", "[queue][work_queue]") {
  work_queue q;
  q.add("ns/a", t0);
  take(q, t0);
  CHECK(q.add_after("ns/a", 2s, t0));  // e.g. requeue_after requested by a reconcile
  CHECK(q.next(t0 + 3s).status == poll_status::idle);  // due, but the key is busy
  CHECK(q.delayed() == 0);
  CHECK(q.is_pending("ns/a"));
  q.done("ns/a", t0 + 4s);
  CHECK(take(q, t0 + 4s) == "ns/a");
}

TEST_CASE("per-key rate limiting grows, caps, and resets on forget", "[queue][work_queue]") {
  work_queue q(exact_options());
  time_point now = t0;
  std::vector<duration> delays;
  for (int i = 0; i < 20; ++i) {
    q.add("ns/a", now);
    REQUIRE(take(q, now) == "ns/a");
    delays.push_back(q.add_rate_limited("ns/a", now));  // the reconcile failed
    q.done("ns/a", now);
    auto r = q.next(now);
    REQUIRE(r.status == poll_status::waiting);
    REQUIRE(r.wake_at == now + delays.back());
    now = r.wake_at;
    REQUIRE(take(q, now) == "ns/a");
    q.done("ns/a", now);
  }
  CHECK(delays[0] == 5ms);
  CHECK(delays[1] == 10ms);
  CHECK(delays[2] == 20ms);
  CHECK(delays[10] == 5120ms);
  CHECK(delays[19] == 5min);
  CHECK(q.failures("ns/a") == 20);
  CHECK(q.counters().retries == 20);
  CHECK(q.size() == 1);  // failures are remembered while the key is idle

  SECTION("forget resets the key") {
    q.forget("ns/a");
    CHECK(q.failures("ns/a") == 0);
    CHECK(q.size() == 0);
    CHECK(q.add_rate_limited("ns/a", now) == 5ms);
  }
  SECTION("other keys are not slowed down by one failing key") {
    CHECK(q.add_rate_limited("ns/b", now) == 5ms);
  }
}

TEST_CASE("rate-limited keys with jitter spread out", "[queue][work_queue]") {
  work_queue q;  // default: full jitter
  std::set<duration::rep> seen;
  for (int k = 0; k < 100; ++k) {
    const std::string key = "ns/k" + std::to_string(k);
    for (int i = 0; i < 5; ++i) {
      const duration d = q.add_rate_limited(key, t0);
      REQUIRE(d >= 5ms);
      REQUIRE(d <= exponential_delay(5ms, 5min, static_cast<std::uint32_t>(i)));
      if (i == 4) seen.insert(d.count());
    }
  }
  CHECK(seen.size() > 50);
}

TEST_CASE("new events go before initial-list items", "[queue][work_queue]") {
  work_queue q;
  q.add("ns/l1", t0, priority::low);
  q.add("ns/l2", t0, priority::low);
  q.add("ns/l3", t0, priority::low);
  q.add("ns/n1", t0 + 1ms);
  CHECK(q.low_depth() == 3);
  SECTION("FIFO within a priority") {
    CHECK(drain(q, t0 + 2ms) == std::vector<std::string>{"ns/n1", "ns/l1", "ns/l2", "ns/l3"});
  }
  SECTION("a normal add upgrades a pending low key") {
    CHECK_FALSE(q.add("ns/l3", t0 + 1ms));
    CHECK(q.low_depth() == 2);
    CHECK(drain(q, t0 + 2ms) == std::vector<std::string>{"ns/n1", "ns/l3", "ns/l1", "ns/l2"});
  }
  SECTION("a low add never downgrades") {
    CHECK_FALSE(q.add("ns/n1", t0 + 1ms, priority::low));
    CHECK(take(q, t0 + 2ms) == "ns/n1");
  }
}

TEST_CASE("low-priority items age into the normal FIFO so nothing starves", "[queue][work_queue]") {
  // One worker handles one key per second while one new event arrives per second: the
  // normal FIFO never empties, so without aging the initial list would wait forever.
  auto run = [](duration aging) {
    work_queue_options o;
    o.low_priority_aging = aging;
    work_queue q(o);
    for (int i = 0; i < 10; ++i) q.add("init/" + std::to_string(i), t0, priority::low);
    q.add("event/start", t0);
    std::map<std::string, time_point> low_served;
    for (int s = 1; s <= 60; ++s) {
      const time_point now = t0 + std::chrono::seconds(s);
      q.add("event/" + std::to_string(s), now);
      auto r = q.next(now);
      REQUIRE(r.status == poll_status::ready);
      const std::string key(r.key);
      if (key.rfind("init/", 0) == 0) low_served[key] = now;
      q.done(key, now);
    }
    return low_served;
  };
  SECTION("with aging every initial item is served within aging + backlog") {
    auto served = run(5s);
    REQUIRE(served.size() == 10);
    for (auto& [key, when] : served) {
      INFO(key);
      CHECK(when <= t0 + 5s + 12s);
    }
  }
  SECTION("the same load without aging starves them (the test can fail)") {
    CHECK(run(24h).empty());
  }
}

TEST_CASE("shutdown stops intake and dispatch but lets in-flight work finish", "[queue][work_queue]") {
  work_queue q;
  q.add("ns/a", t0);
  q.add("ns/b", t0);
  take(q, t0);
  q.shutdown();
  CHECK(q.is_shut_down());
  CHECK(q.next(t0).status == poll_status::closed);
  CHECK_FALSE(q.add("ns/c", t0));
  CHECK_FALSE(q.add_after("ns/c", 1s, t0));
  CHECK(q.add_rate_limited("ns/c", t0) == 0s);
  CHECK(q.done("ns/a", t0));
  CHECK(q.processing() == 0);
}

TEST_CASE("metrics: counters and per-item latency hooks", "[queue][work_queue]") {
  work_queue q;
  std::vector<duration> latency, work;
  q.set_hooks({[&](duration d) { latency.push_back(d); }, [&](duration d) { work.push_back(d); }});
  q.add("ns/a", t0);
  q.add_after("ns/b", 2s, t0);
  CHECK(take(q, t0 + 1s) == "ns/a");
  q.done("ns/a", t0 + 4s);
  CHECK(take(q, t0 + 5s) == "ns/b");  // due at t0+2s: waited 3 s past its deadline
  q.done("ns/b", t0 + 5500ms);
  CHECK(latency == std::vector<duration>{1s, 3s});
  CHECK(work == std::vector<duration>{3s, 500ms});
  const auto& c = q.counters();
  CHECK(c.adds == 2);
  CHECK(c.dispatched == 2);
  CHECK(c.completed == 2);
  CHECK(q.depth() == 0);
}

TEST_CASE("a handed-out key stays valid while many other keys come and go", "[queue][work_queue]") {
  work_queue q;
  const std::string long_key = "some-long-namespace-name/some-equally-long-object-name-0";
  q.add(long_key, t0);
  q.add("s", t0);
  auto r1 = q.next(t0);
  auto r2 = q.next(t0);
  REQUIRE(r1.status == poll_status::ready);
  REQUIRE(r2.status == poll_status::ready);
  for (int i = 0; i < 5000; ++i) q.add("ns/other-" + std::to_string(i), t0);  // grows slots and index
  for (int i = 0; i < 5000; ++i) {
    auto r = q.next(t0);
    REQUIRE(r.status == poll_status::ready);
    REQUIRE(q.done(r.key, t0));
  }
  CHECK(r1.key == long_key);
  CHECK(r2.key == "s");
  CHECK(q.done(long_key, t0));
  CHECK(q.done("s", t0));
  CHECK(q.size() == 0);
  // Freed slots are reused for new keys.
  for (int i = 0; i < 100; ++i) q.add("ns/again-" + std::to_string(i), t0);
  CHECK(drain(q, t0).size() == 100);
}

TEST_CASE("random operations agree with a reference model", "[queue][work_queue]") {
  // The model is the specification written naively with std::set/std::map.
  struct model {
    std::set<std::string> ready, processing, dirty;
    std::map<std::string, time_point> delayed;
    std::map<std::string, std::uint32_t> failures;
  };
  const std::uint64_t seed = GENERATE(1, 2, 3, 4, 5);
  random_source rng(seed);
  work_queue q(exact_options());
  model m;
  time_point now = t0;
  auto pick = [&](std::size_t n) { return static_cast<std::size_t>(rng.next() % n); };
  auto key_of = [&] { return "ns/k" + std::to_string(pick(40)); };
  auto model_add = [&](const std::string& k) {
    if (m.processing.count(k)) {
      m.dirty.insert(k);
      m.delayed.erase(k);
    } else if (!m.ready.count(k)) {
      m.delayed.erase(k);
      m.ready.insert(k);
    }
  };
  auto model_add_after = [&](const std::string& k, duration d) {
    if (d <= 0s) return model_add(k);
    if (m.ready.count(k) || m.dirty.count(k)) return;
    auto [it, fresh] = m.delayed.emplace(k, now + d);
    if (!fresh) it->second = std::min(it->second, now + d);
  };
  for (int step = 0; step < 20000; ++step) {
    const auto op = pick(9);
    const std::string k = key_of();
    INFO("seed " << seed << " step " << step << " op " << op << " key " << k);
    switch (op) {
      case 0:
      case 1:
        q.add(k, now);
        model_add(k);
        break;
      case 2: {
        const duration d = std::chrono::milliseconds(static_cast<long>(pick(3000)) - 500);
        q.add_after(k, d, now);
        model_add_after(k, d);
        break;
      }
      case 3: {
        const duration d = q.add_rate_limited(k, now);
        REQUIRE(d == exponential_delay(5ms, 5min, m.failures[k]++));
        model_add_after(k, d);
        break;
      }
      case 4:
        q.forget(k);
        m.failures.erase(k);
        break;
      case 5:
      case 6: {
        // Due delays first, as the queue does.
        for (auto it = m.delayed.begin(); it != m.delayed.end();) {
          if (it->second <= now) {
            if (m.processing.count(it->first)) {
              m.dirty.insert(it->first);
            } else {
              m.ready.insert(it->first);
            }
            it = m.delayed.erase(it);
          } else {
            ++it;
          }
        }
        auto r = q.next(now);
        if (m.ready.empty()) {
          if (m.delayed.empty()) {
            REQUIRE(r.status == poll_status::idle);
          } else {
            REQUIRE(r.status == poll_status::waiting);
            time_point earliest = time_point::max();
            for (auto& [_, t] : m.delayed) earliest = std::min(earliest, t);
            REQUIRE(r.wake_at == earliest);
          }
        } else {
          REQUIRE(r.status == poll_status::ready);
          const std::string got(r.key);
          REQUIRE(m.ready.count(got) == 1);
          REQUIRE(m.processing.count(got) == 0);  // never twice at once
          m.ready.erase(got);
          m.processing.insert(got);
        }
        break;
      }
      case 7: {
        if (m.processing.empty()) {
          REQUIRE_FALSE(q.done(k, now));
          break;
        }
        auto it = m.processing.begin();
        std::advance(it, static_cast<long>(pick(m.processing.size())));
        const std::string done_key = *it;
        REQUIRE(q.done(done_key, now));
        m.processing.erase(done_key);
        if (m.dirty.erase(done_key)) m.ready.insert(done_key);
        break;
      }
      case 8:
        now += std::chrono::milliseconds(pick(400));
        break;
    }
    REQUIRE(q.depth() == m.ready.size());
    REQUIRE(q.processing() == m.processing.size());
    REQUIRE(q.delayed() == m.delayed.size());
    REQUIRE(q.is_processing(k) == (m.processing.count(k) == 1));
    REQUIRE(q.is_pending(k) == (m.ready.count(k) + m.dirty.count(k) + m.delayed.count(k) > 0));
    REQUIRE(q.failures(k) == (m.failures.count(k) ? m.failures[k] : 0));
  }
}
