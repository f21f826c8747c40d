#include "langop/runtime/leader_machine.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <vector>

using namespace langop;
using namespace langop::runtime;
using namespace std::chrono_literals;

namespace {

const mono_time m0 = mono_time{} + 1000h;
const sys_time w0 = *parse_rfc3339("2024-05-01T12:00:00Z");

leader_config config(std::string id) {
  leader_config c;
  c.identity = std::move(id);
  return c;
}

error io_error() { return error(make_error_code(boost::system::errc::connection_reset), "scripted failure"); }

// A Lease on an API server with optimistic concurrency on resourceVersion.
struct fake_lease_server {
  std::optional<lease_record> lease;
  std::int64_t rv = 0;

  leader_input respond(const leader_action& a) {
    if (std::holds_alternative<get_lease>(a)) {
      if (!lease) return lease_read{std::nullopt};
      return lease_read{lease_observation{*lease, std::to_string(rv)}};
    }
    if (auto* c = std::get_if<create_lease>(&a)) {
      if (lease) return lease_write_conflict{};
      lease = c->record;
      return lease_written{std::to_string(++rv)};
    }
    if (auto* u = std::get_if<update_lease>(&a)) {
      if (!lease) return lease_write_failed{error(io_error().code, "not found", 404, "NotFound")};
      if (u->resource_version != std::to_string(rv)) return lease_write_conflict{};
      lease = u->record;
      return lease_written{std::to_string(++rv)};
    }
    if (std::holds_alternative<sleep_for>(a)) return retry_elapsed{};
    FAIL("no response for this action");
    return retry_elapsed{};
  }
  // Another client writes the Lease object without changing the record (e.g. a label).
  void touch() { ++rv; }
};

// Both clocks advance together here; skew tests move the holder's timestamps instead.
struct fake_clock {
  mono_time mono = m0;
  sys_time wall = w0;
  void advance(duration d) {
    mono += d;
    wall += std::chrono::duration_cast<sys_time::duration>(d);
  }
  [[nodiscard]] leader_clock now() const { return {mono, wall}; }
};

duration latency_of(const leader_action& a) {
  if (auto* s = std::get_if<sleep_for>(&a)) return s->delay;
  return 50ms;  // one API request
}

lease_record held_by(std::string holder, sys_time renew, std::int64_t transitions = 3) {
  return lease_record{std::move(holder), 15, renew - 1h, renew, transitions};
}

}  // namespace

TEST_CASE("leader: config validation follows client-go", "[leader]") {
  CHECK_FALSE(validate(config("a")));
  CHECK(validate(config("")));
  auto c = config("a");
  c.renew_deadline = 15s;
  CHECK(validate(c));  // lease duration must exceed renew deadline
  c = config("a");
  c.retry_period = 9s;
  CHECK(validate(c));  // renew deadline must exceed jitter * retry
  c = config("a");
  c.retry_period = 0s;
  CHECK(validate(c));
  CHECK_THROWS_AS(leader_machine(config("")), std::invalid_argument);
}

TEST_CASE("leader: creates a missing lease, then renews it every retry period", "[leader]") {
  leader_machine m(config("a"));
  fake_clock clk;
  auto st = m.start(clk.now());
  REQUIRE(std::holds_alternative<get_lease>(st.action));
  st = m.handle(lease_read{std::nullopt}, clk.now());
  auto* c = std::get_if<create_lease>(&st.action);
  REQUIRE(c);
  CHECK(c->record.holder_identity == "a");
  CHECK(c->record.lease_duration_seconds == 15);
  CHECK(c->record.acquire_time == w0);
  CHECK(c->record.renew_time == w0);
  CHECK(c->record.lease_transitions == 0);
  CHECK_FALSE(m.is_leader());

  clk.advance(50ms);
  st = m.handle(lease_written{"7"}, clk.now());
  CHECK(st.change == leadership_change::became_leader);
  CHECK(m.is_leader());
  REQUIRE(std::holds_alternative<sleep_for>(st.action));
  CHECK(std::get<sleep_for>(st.action).delay == 2s);  // leaders renew without jitter
  CHECK(m.renew_deadline_at() == clk.mono + 10s);

  clk.advance(2s);
  st = m.handle(retry_elapsed{}, clk.now());
  auto* u = std::get_if<update_lease>(&st.action);  // fast path: no GET
  REQUIRE(u);
  CHECK(u->resource_version == "7");
  CHECK(u->record.holder_identity == "a");
  CHECK(u->record.acquire_time == w0);  // the term started at creation
  CHECK(u->record.renew_time == to_micro_time(clk.wall));
  CHECK(u->record.lease_transitions == 0);
  st = m.handle(lease_written{"8"}, clk.now());
  CHECK(st.change == leadership_change::none);
  CHECK(m.stats().renewals == 1);
  CHECK(m.stats().acquisitions == 1);
}

TEST_CASE("leader: another holder's lease expires by local observation, not its timestamps", "[leader]") {
  // The holder's renewTime is what its own (possibly skewed) clock said.
  const sys_time holder_clock = GENERATE(w0 - 24h, w0, w0 + 24h);
  leader_machine m(config("b"));
  fake_clock clk;
  fake_lease_server api;
  api.lease = held_by("a", holder_clock);
  api.rv = 41;
  auto st = m.start(clk.now());
  const mono_time first_seen = clk.mono + 50ms;
  int reads = 0;
  while (!std::holds_alternative<update_lease>(st.action)) {
    REQUIRE(clk.mono < m0 + 60s);
    if (std::holds_alternative<get_lease>(st.action)) ++reads;
    if (auto* s = std::get_if<sleep_for>(&st.action)) {
      CHECK(s->delay >= 2s);  // candidates jitter: [2 s, 2 s * 2.2)
      CHECK(s->delay < 4400ms);
    }
    clk.advance(latency_of(st.action));
    st = m.handle(api.respond(st.action), clk.now());
    CHECK(m.observed_holder() == "a");
  }
  // Taken over no sooner than a full lease duration after we first saw the record.
  CHECK(clk.mono >= first_seen + 15s);
  CHECK(clk.mono < first_seen + 15s + 5s);
  CHECK(reads > 3);
  auto& u = std::get<update_lease>(st.action);
  CHECK(u.resource_version == "41");
  CHECK(u.record.holder_identity == "b");
  CHECK(u.record.lease_transitions == 4);  // a new term
  CHECK(u.record.acquire_time == to_micro_time(clk.wall));
  clk.advance(50ms);
  st = m.handle(api.respond(st.action), clk.now());
  CHECK(st.change == leadership_change::became_leader);
}

TEST_CASE("leader: a holder that keeps renewing is never taken over", "[leader]") {
  leader_machine m(config("b"));
  fake_clock clk;
  fake_lease_server api;
  api.lease = held_by("a", w0);
  auto st = m.start(clk.now());
  while (clk.mono < m0 + 120s) {
    REQUIRE_FALSE(std::holds_alternative<update_lease>(st.action));
    REQUIRE_FALSE(std::holds_alternative<create_lease>(st.action));
    clk.advance(latency_of(st.action));
    api.lease->renew_time = to_micro_time(clk.wall + 3h);  // skewed, but changing: alive
    api.touch();
    st = m.handle(api.respond(st.action), clk.now());
  }
  CHECK_FALSE(m.is_leader());
}

TEST_CASE("leader: a released lease is taken over at once", "[leader]") {
  leader_machine m(config("b"));
  fake_clock clk;
  fake_lease_server api;
  api.lease = lease_record{"", 1, w0, w0, 5};
  auto st = m.start(clk.now());
  st = m.handle(api.respond(st.action), clk.now());
  auto* u = std::get_if<update_lease>(&st.action);
  REQUIRE(u);
  CHECK(u->record.holder_identity == "b");
  CHECK(u->record.lease_transitions == 6);
}

TEST_CASE("leader: our own lease from a previous run is resumed without a new term", "[leader]") {
  leader_machine m(config("a"));
  fake_clock clk;
  fake_lease_server api;
  api.lease = held_by("a", w0 - 5s, 2);
  auto st = m.start(clk.now());
  st = m.handle(api.respond(st.action), clk.now());
  auto* u = std::get_if<update_lease>(&st.action);
  REQUIRE(u);
  CHECK(u->record.lease_transitions == 2);
  CHECK(u->record.acquire_time == api.lease->acquire_time);
}

TEST_CASE("leader: renew failures lose leadership exactly at the renew deadline", "[leader]") {
  leader_machine m(config("a"));
  fake_clock clk;
  fake_lease_server api;
  auto st = m.start(clk.now());
  for (int i = 0; i < 3; ++i) {
    clk.advance(latency_of(st.action));
    st = m.handle(api.respond(st.action), clk.now());
  }
  REQUIRE(m.is_leader());
  const mono_time deadline = *m.renew_deadline_at();
  // From now on every request fails.
  bool lost = false;
  while (!lost) {
    REQUIRE(clk.mono <= deadline);
    clk.advance(latency_of(st.action));
    leader_input in = retry_elapsed{};
    if (std::holds_alternative<get_lease>(st.action)) in = lease_read_failed{io_error()};
    if (std::holds_alternative<update_lease>(st.action)) in = lease_write_failed{io_error()};
    st = m.handle(std::move(in), clk.now());
    if (st.change == leadership_change::lost_leadership) {
      lost = true;
      CHECK(clk.mono >= deadline);
      CHECK(clk.mono < deadline + 100ms);  // sleeps never overshoot the deadline
    } else {
      REQUIRE(m.is_leader());
    }
  }
  CHECK_FALSE(m.is_leader());
  CHECK(m.stats().losses == 1);
  REQUIRE(std::holds_alternative<sleep_for>(st.action));  // back to campaigning

  SECTION("a late success after the deadline does not revive the old term silently") {
    // The next campaign re-reads and re-acquires normally (same holder: no new term).
    clk.advance(latency_of(st.action));
    st = m.handle(api.respond(st.action), clk.now());
    REQUIRE(std::holds_alternative<get_lease>(st.action));
    st = m.handle(api.respond(st.action), clk.now());
    REQUIRE(std::holds_alternative<update_lease>(st.action));
    CHECK(std::get<update_lease>(st.action).record.lease_transitions == 0);
    st = m.handle(api.respond(st.action), clk.now());
    CHECK(st.change == leadership_change::became_leader);
  }
}

TEST_CASE("leader: a failed optimistic renew falls back to GET at once", "[leader]") {
  leader_machine m(config("a"));
  fake_clock clk;
  fake_lease_server api;
  auto st = m.start(clk.now());
  for (int i = 0; i < 2; ++i) st = m.handle(api.respond(st.action), clk.now());  // get, create
  REQUIRE(m.is_leader());
  REQUIRE(std::holds_alternative<sleep_for>(st.action));
  clk.advance(2s);
  st = m.handle(retry_elapsed{}, clk.now());
  REQUIRE(std::holds_alternative<update_lease>(st.action));

  SECTION("conflict from a harmless write: re-read, still ours, renew") {
    api.touch();
    st = m.handle(api.respond(st.action), clk.now());
    REQUIRE(std::holds_alternative<get_lease>(st.action));
    st = m.handle(api.respond(st.action), clk.now());
    REQUIRE(std::holds_alternative<update_lease>(st.action));
    st = m.handle(api.respond(st.action), clk.now());
    CHECK(st.change == leadership_change::none);
    CHECK(m.is_leader());
  }
  SECTION("someone else holds a valid lease: lost at once, not at the deadline") {
    api.lease = held_by("b", w0);
    api.touch();
    st = m.handle(api.respond(st.action), clk.now());
    REQUIRE(std::holds_alternative<get_lease>(st.action));
    st = m.handle(api.respond(st.action), clk.now());
    CHECK(st.change == leadership_change::lost_leadership);
    CHECK_FALSE(m.is_leader());
    CHECK(m.observed_holder() == "b");
  }
}

TEST_CASE("leader: stop releases a held lease (ReleaseOnCancel)", "[leader]") {
  leader_machine m(config("a"));
  fake_clock clk;
  fake_lease_server api;
  auto st = m.start(clk.now());
  for (int i = 0; i < 3; ++i) st = m.handle(api.respond(st.action), clk.now());
  REQUIRE(m.is_leader());
  clk.advance(1s);
  st = m.handle(stop_requested{}, clk.now());
  CHECK(st.change == leadership_change::lost_leadership);
  CHECK_FALSE(m.is_leader());
  auto* u = std::get_if<update_lease>(&st.action);
  REQUIRE(u);
  CHECK(u->record.holder_identity.empty());
  CHECK(u->record.lease_duration_seconds == 1);
  CHECK(u->record.lease_transitions == 0);
  CHECK(u->record.renew_time == to_micro_time(clk.wall));
  const auto outcome = GENERATE(0, 1, 2);
  leader_input in = api.respond(st.action);
  if (outcome == 1) in = lease_write_conflict{};
  if (outcome == 2) in = lease_write_failed{io_error()};
  st = m.handle(std::move(in), clk.now());
  CHECK(std::holds_alternative<stopped>(st.action));
  CHECK(m.phase() == leader_phase::stopped);
  st = m.handle(retry_elapsed{}, clk.now());  // and it stays stopped
  CHECK(std::holds_alternative<stopped>(st.action));
  if (outcome == 0) {
    CHECK(api.lease->holder_identity.empty());
  }
}

TEST_CASE("leader: stop while not leading just stops", "[leader]") {
  leader_machine m(config("a"));
  fake_clock clk;
  auto st = m.start(clk.now());
  st = m.handle(stop_requested{}, clk.now());
  CHECK(st.change == leadership_change::none);
  CHECK(std::holds_alternative<stopped>(st.action));
}

TEST_CASE("leader: inputs out of place are ignored", "[leader]") {
  leader_machine m(config("a"));
  fake_clock clk;
  auto st = m.handle(lease_written{"1"}, clk.now());  // before start
  CHECK(std::holds_alternative<carry_on>(st.action));
  CHECK_FALSE(m.is_leader());
  st = m.start(clk.now());
  st = m.handle(retry_elapsed{}, clk.now());  // while reading
  CHECK(std::holds_alternative<carry_on>(st.action));
  st = m.handle(lease_write_conflict{}, clk.now());
  CHECK(std::holds_alternative<carry_on>(st.action));
  CHECK(m.stats().ignored == 3);
  CHECK(m.phase() == leader_phase::reading);
}

TEST_CASE("leader: a failure at every step still converges to one safe leader", "[leader]") {
  enum class fault { io, conflict };
  const fault f = GENERATE(fault::io, fault::conflict);
  const bool lease_exists = GENERATE(false, true);
  for (int k = 0; k < 40; ++k) {
    INFO("failure at response " << k << " kind " << static_cast<int>(f) << " lease exists " << lease_exists);
    leader_machine m(config("a"));
    fake_clock clk;
    fake_lease_server api;
    if (lease_exists) api.lease = lease_record{"", 1, w0 - 1h, w0 - 1h, 7};  // released earlier
    auto st = m.start(clk.now());
    int became = 0, lost = 0;
    for (int i = 0; i < 60; ++i) {
      clk.advance(latency_of(st.action));
      leader_input in = api.respond(st.action);
      if (i == k && !std::holds_alternative<sleep_for>(st.action)) {
        if (f == fault::conflict && !std::holds_alternative<get_lease>(st.action)) {
          // Someone else wrote the object meanwhile: our write is rejected.
          api.touch();
          in = lease_write_conflict{};
        } else if (std::holds_alternative<get_lease>(st.action)) {
          in = lease_read_failed{io_error()};
        } else {
          in = lease_write_failed{io_error()};  // the write did not happen
        }
      }
      st = m.handle(std::move(in), clk.now());
      if (st.change == leadership_change::became_leader) ++became;
      if (st.change == leadership_change::lost_leadership) ++lost;
      // Safety: whenever we think we lead, the server says so and our deadline is ahead.
      if (m.is_leader()) {
        REQUIRE(api.lease);
        REQUIRE(api.lease->holder_identity == "a");
        REQUIRE(*m.renew_deadline_at() > clk.mono);
      }
      REQUIRE(became - lost == (m.is_leader() ? 1 : 0));
      REQUIRE(m.stats().ignored == 0);
    }
    REQUIRE(m.is_leader());
    REQUIRE(lost == 0);  // one failure never costs the lease (renew deadline > retry period)
    REQUIRE(api.lease->lease_transitions == (lease_exists ? 8 : 0));
  }
}

TEST_CASE("leader: two candidates never lead at the same time", "[leader]") {
  // A leads, then loses connectivity; B takes over only after A has stopped leading.
  fake_lease_server api;
  fake_clock clk;
  struct node {
    leader_machine m;
    leader_step st;
    mono_time ready_at;
    std::vector<std::pair<mono_time, leadership_change>> changes;
  };
  leader_config ca = config("a"), cb = config("b");
  cb.seed = 99;
  node a{leader_machine(ca), {}, m0, {}};
  node b{leader_machine(cb), {}, m0 + 500ms, {}};
  a.st = a.m.start(clk.now());
  b.st = b.m.start(clk.now());
  const mono_time partition_at = m0 + 30s;
  const mono_time heal_at = m0 + 90s;
  while (clk.mono < m0 + 150s) {
    node& n = a.ready_at <= b.ready_at ? a : b;
    clk.advance(n.ready_at - clk.mono);
    // While partitioned, A's requests never reach the server.
    const bool partitioned = &n == &a && clk.mono >= partition_at && clk.mono < heal_at;
    leader_input in = retry_elapsed{};
    if (partitioned && std::holds_alternative<get_lease>(n.st.action)) {
      in = lease_read_failed{io_error()};
    } else if (partitioned && !std::holds_alternative<sleep_for>(n.st.action)) {
      in = lease_write_failed{io_error()};
    } else {
      in = api.respond(n.st.action);
    }
    n.st = n.m.handle(std::move(in), clk.now());
    if (n.st.change != leadership_change::none) n.changes.emplace_back(clk.mono, n.st.change);
    n.ready_at = clk.mono + latency_of(n.st.action);
    REQUIRE_FALSE((a.m.is_leader() && b.m.is_leader()));
  }
  REQUIRE(a.changes.size() == 2);
  CHECK(a.changes[0].second == leadership_change::became_leader);
  CHECK(a.changes[1].second == leadership_change::lost_leadership);
  REQUIRE(b.changes.size() == 1);
  CHECK(b.changes[0].second == leadership_change::became_leader);
  // B's term starts a good margin after A's ended (lease 15 s vs renew deadline 10 s).
  CHECK(b.changes[0].first > a.changes[1].first + 3s);
  CHECK(api.lease->holder_identity == "b");
  CHECK(api.lease->lease_transitions == 1);
  CHECK_FALSE(a.m.is_leader());  // healed, A sees B's valid lease and stays standby
}
