#include "langop/informer/watcher_machine.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <set>
#include <string>
#include <vector>

using namespace langop;
using namespace langop::informer;
using namespace std::chrono_literals;

namespace {

const time_point t0 = time_point{} + 1000h;

cjson::key_table& keys() {
  static auto table = cjson::key_table::create();
  return *table;
}

object_ptr obj(std::string_view name, std::int64_t rv) {
  json::object o;
  json::object& md = o["metadata"].emplace_object();
  md["name"] = name;
  md["resourceVersion"] = std::to_string(rv);
  return cached_object::from_json(o, keys()).value();
}

std::string name_of(const object_ptr& o) { return std::string(o->name()); }
std::string rv_of(const object_ptr& o) { return std::string(o->resource_version()); }

watch_event error_event(int code, std::string reason) {
  return watch_event{watch_event_type::error, nullptr, {}, code, std::move(reason)};
}

watch_event bookmark(std::string rv) { return watch_event{watch_event_type::bookmark, nullptr, std::move(rv)}; }

error http_error(int status_code, std::string reason = {}) {
  return error(make_error_code(boost::system::errc::io_error), "scripted failure", status_code, std::move(reason));
}

// The informer's store as the effects describe it: name -> resourceVersion.
struct fake_store {
  std::map<std::string, std::string> objects;
  int restarts = 0;
  void apply(const store_effect& e) {
    if (auto* r = std::get_if<restarted>(&e)) {
      objects.clear();
      for (auto& o : r->objects) objects[name_of(o)] = rv_of(o);
      ++restarts;
    } else if (auto* a = std::get_if<applied>(&e)) {
      objects[name_of(a->object)] = rv_of(a->object);
    } else if (auto* d = std::get_if<deleted>(&e)) {
      objects.erase(name_of(d->object));
    }
  }
};

// A small API server for one resource: objects, an event log, paged lists with continue
// tokens, watches from an rv, bookmarks, and compaction (410 for anything older).
struct fake_api {
  std::int64_t rv = 100;
  std::map<std::string, object_ptr> objects;
  struct record {
    std::int64_t rv;
    watch_event_type type;
    object_ptr object;
  };
  std::vector<record> log;
  std::int64_t compacted = 0;  // watches from an older rv, and older continue tokens, get 410
  bool gone_as_event = true;   // 410 on watch: as an ERROR event (true) or as the HTTP status
  struct snapshot {
    std::int64_t rv;
    std::vector<object_ptr> items;
    std::size_t offset;
  };
  std::map<std::string, snapshot> tokens;
  int next_token = 0;
  bool stream_open = false;
  std::size_t cursor = 0;
  std::int64_t stream_rv = 0;  // the last rv sent on the stream
  bool pending_gone = false;

  void upsert(const std::string& name) {
    ++rv;
    const bool existed = objects.count(name) > 0;
    objects[name] = obj(name, rv);
    log.push_back({rv, existed ? watch_event_type::modified : watch_event_type::added, objects[name]});
  }
  void erase(const std::string& name) {
    if (!objects.count(name)) return upsert(name);
    ++rv;
    object_ptr last = obj(name, rv);
    objects.erase(name);
    log.push_back({rv, watch_event_type::deleted, std::move(last)});
  }
  void unrelated_write() { ++rv; }  // another kind: only bookmarks reveal it
  void compact() { compacted = rv; }

  watcher_input respond(const watcher_action& a) {
    if (auto* l = std::get_if<start_list>(&a)) {
      stream_open = false;
      snapshot s;
      if (l->continue_token.empty()) {
        s.rv = rv;
        s.offset = 0;
        for (auto& [_, o] : objects) s.items.push_back(o);
      } else {
        auto it = tokens.find(l->continue_token);
        if (it == tokens.end()) return list_failed{http_error(400, "BadRequest")};
        if (it->second.rv < compacted) return list_failed{http_error(410, "Expired")};
        s = it->second;
      }
      list_page page;
      page.resource_version = std::to_string(s.rv);
      const std::size_t end = std::min(s.items.size(), s.offset + l->limit);
      for (std::size_t i = s.offset; i < end; ++i) page.items.push_back(s.items[i]);
      if (end < s.items.size()) {
        page.continue_token = "c" + std::to_string(next_token++);
        s.offset = end;
        tokens[page.continue_token] = s;
      }
      return page;
    }
    if (auto* w = std::get_if<start_watch>(&a)) {
      REQUIRE(w->allow_bookmarks);
      REQUIRE(w->timeout_seconds >= 300);
      REQUIRE(w->timeout_seconds < 600);
      const std::int64_t from = std::stoll(w->resource_version);
      if (from < compacted && !gone_as_event) return watch_failed{http_error(410, "Gone")};
      stream_open = true;
      pending_gone = from < compacted;
      stream_rv = from;
      cursor = 0;
      while (cursor < log.size() && log[cursor].rv <= from) ++cursor;
      return watch_opened{};
    }
    if (std::holds_alternative<backoff_wait>(a)) return backoff_elapsed{};
    REQUIRE(stream_open);  // carry_on: read the stream
    if (pending_gone) {
      pending_gone = false;
      stream_open = false;
      return error_event(410, "Expired");
    }
    if (cursor < log.size()) {
      const record& r = log[cursor++];
      stream_rv = r.rv;
      return watch_event{r.type, r.object};
    }
    if (stream_rv < rv) {
      stream_rv = rv;
      return bookmark(std::to_string(rv));
    }
    stream_open = false;
    return watch_closed{};
  }
};

enum class fault { transient, error_event, gone };

// A failure that fits the outstanding action; nullopt when none does (a backoff timer).
std::optional<watcher_input> failure_for(const watcher_action& a, fault f) {
  if (std::holds_alternative<start_list>(a)) return list_failed{http_error(500, "InternalError")};
  if (std::holds_alternative<start_watch>(a)) return watch_failed{http_error(503, "ServiceUnavailable")};
  if (std::holds_alternative<carry_on>(a)) {
    if (f == fault::error_event) return error_event(500, "InternalError");
    return watch_failed{error(make_error_code(boost::system::errc::timed_out), "no data before the idle deadline")};
  }
  return std::nullopt;
}

struct run_result {
  fake_store store;
  fake_api api;
  watcher_stats stats;
};

// Drives the machine against the fake server for `steps` responses while the server
// changes, injecting `f` at response `fail_at`, then lets it settle with no more writes.
run_result simulate(int fail_at, fault f, bool gone_as_event = true) {
  run_result out;
  fake_api& api = out.api;
  api.gone_as_event = gone_as_event;
  for (int i = 0; i < 7; ++i) api.upsert("obj-" + std::to_string(i));
  watcher_options opts;
  opts.page_size = 3;  // several pages per list
  watcher_machine m(opts);
  time_point now = t0;
  watcher_step st = m.start(now);
  std::int64_t last_watch_rv = 0;
  const int busy = 40;
  for (int i = 0; i < busy + 80; ++i) {
    out.store.apply(st.effect);
    if (i < busy) {
      if (i % 3 == 1) api.upsert("obj-" + std::to_string(i % 9));
      if (i % 7 == 2) api.erase("obj-" + std::to_string(i % 5));
      if (i % 5 == 0) api.unrelated_write();
    }
    if (auto* w = std::get_if<start_watch>(&st.action)) {
      const std::int64_t from = std::stoll(w->resource_version);
      // Never resume from an older point than one already seen, except after a relist.
      REQUIRE((from >= last_watch_rv || out.store.restarts > 1));
      last_watch_rv = from;
      REQUIRE(w->resource_version == m.resource_version());
    }
    watcher_input in = api.respond(st.action);
    if (i == fail_at) {
      if (f == fault::gone) {
        api.compact();
      }
      if (auto fail = failure_for(st.action, f)) {
        in = std::move(*fail);
        api.stream_open = false;
      }
    }
    now += std::holds_alternative<backoff_wait>(st.action) ? std::get<backoff_wait>(st.action).delay : 20s;
    st = m.handle(std::move(in), now);
  }
  out.store.apply(st.effect);
  out.stats = m.stats();
  return out;
}

std::map<std::string, std::string> server_view(const fake_api& api) {
  std::map<std::string, std::string> v;
  for (auto& [name, o] : api.objects) v[name] = rv_of(o);
  return v;
}

}  // namespace

TEST_CASE("watcher: happy path lists in pages, then watches from the list rv", "[watcher]") {
  watcher_machine m;
  CHECK(m.state() == watcher_state::empty);
  auto st = m.start(t0);
  auto* l = std::get_if<start_list>(&st.action);
  REQUIRE(l);
  CHECK(l->continue_token.empty());
  CHECK(l->limit == 500);
  CHECK(m.state() == watcher_state::listing);

  std::vector<object_ptr> page1{obj("a", 5), obj("b", 6), nullptr};
  st = m.handle(list_page{page1, "tok1", "10"}, t0);
  CHECK(std::holds_alternative<std::monostate>(st.effect));  // nothing until the list is complete
  l = std::get_if<start_list>(&st.action);
  REQUIRE(l);
  CHECK(l->continue_token == "tok1");
  CHECK_FALSE(m.synced());

  st = m.handle(list_page{{obj("c", 7)}, "", "10"}, t0);
  auto* r = std::get_if<restarted>(&st.effect);
  REQUIRE(r);
  CHECK(r->objects.size() == 3);  // the malformed item was dropped
  CHECK(r->resource_version == "10");
  auto* w = std::get_if<start_watch>(&st.action);
  REQUIRE(w);
  CHECK(w->resource_version == "10");
  CHECK(w->allow_bookmarks);
  CHECK(m.synced());
  CHECK(m.state() == watcher_state::watch_pending);

  st = m.handle(watch_opened{}, t0);
  CHECK(std::holds_alternative<carry_on>(st.action));
  CHECK(m.state() == watcher_state::watching);

  st = m.handle(watch_event{watch_event_type::added, obj("d", 11)}, t0 + 1s);
  REQUIRE(std::holds_alternative<applied>(st.effect));
  CHECK(std::holds_alternative<carry_on>(st.action));
  st = m.handle(watch_event{watch_event_type::modified, obj("a", 12)}, t0 + 2s);
  CHECK(std::holds_alternative<applied>(st.effect));
  st = m.handle(watch_event{watch_event_type::deleted, obj("b", 13)}, t0 + 3s);
  REQUIRE(std::holds_alternative<deleted>(st.effect));
  CHECK(name_of(std::get<deleted>(st.effect).object) == "b");
  st = m.handle(bookmark("20"), t0 + 4s);
  CHECK(std::holds_alternative<std::monostate>(st.effect));
  CHECK(m.resource_version() == "20");

  SECTION("a normal close resumes from the last rv (incl. bookmarks) without relisting") {
    st = m.handle(watch_closed{}, t0 + 5min);
    w = std::get_if<start_watch>(&st.action);
    REQUIRE(w);
    CHECK(w->resource_version == "20");
    CHECK(m.stats().lists == 1);
    CHECK(m.stats().relists == 0);
  }
  SECTION("410 as an ERROR event relists from scratch at once") {
    st = m.handle(error_event(410, "Expired"), t0 + 5s);
    l = std::get_if<start_list>(&st.action);
    REQUIRE(l);
    CHECK(l->continue_token.empty());
    CHECK(m.stats().relists == 1);
  }
  SECTION("an ERROR event with reason Gone but no code also relists") {
    st = m.handle(error_event(0, "Gone"), t0 + 5s);
    CHECK(std::holds_alternative<start_list>(st.action));
  }
  SECTION("any other ERROR event backs off, then resumes the watch from the rv") {
    st = m.handle(error_event(500, "InternalError"), t0 + 5s);
    auto* b = std::get_if<backoff_wait>(&st.action);
    REQUIRE(b);
    CHECK(b->delay >= 800ms);
    CHECK(b->delay <= 30s);
    st = m.handle(backoff_elapsed{}, t0 + 10s);
    w = std::get_if<start_watch>(&st.action);
    REQUIRE(w);
    CHECK(w->resource_version == "20");
    CHECK(m.stats().lists == 1);
  }
}

TEST_CASE("watcher: watch timeouts are jittered between 300 and 600 s", "[watcher]") {
  std::set<std::uint32_t> seen;
  for (std::uint64_t seed = 0; seed < 30; ++seed) {
    watcher_options o;
    o.seed = seed;
    watcher_machine m(o);
    (void)m.start(t0);
    auto st = m.handle(list_page{{}, "", "1"}, t0);
    auto* w = std::get_if<start_watch>(&st.action);
    REQUIRE(w);
    CHECK(w->timeout_seconds >= 300);
    CHECK(w->timeout_seconds < 600);
    seen.insert(w->timeout_seconds);
  }
  CHECK(seen.size() > 10);
}

TEST_CASE("watcher: an expired continue token restarts the list from scratch", "[watcher]") {
  watcher_machine m;
  (void)m.start(t0);
  auto st = m.handle(list_page{{obj("a", 1)}, "tok", "10"}, t0);
  REQUIRE(std::holds_alternative<start_list>(st.action));
  SECTION("410 mid-pagination: the pages so far are discarded") {
    st = m.handle(list_failed{http_error(410, "Expired")}, t0);
    auto* l = std::get_if<start_list>(&st.action);
    REQUIRE(l);
    CHECK(l->continue_token.empty());
    st = m.handle(list_page{{obj("b", 20)}, "", "20"}, t0);
    auto* r = std::get_if<restarted>(&st.effect);
    REQUIRE(r);
    REQUIRE(r->objects.size() == 1);
    CHECK(name_of(r->objects[0]) == "b");
  }
  SECTION("another error retries the same page after a backoff, keeping the pages") {
    st = m.handle(list_failed{http_error(503)}, t0);
    REQUIRE(std::holds_alternative<backoff_wait>(st.action));
    st = m.handle(backoff_elapsed{}, t0 + 1s);
    auto* l = std::get_if<start_list>(&st.action);
    REQUIRE(l);
    CHECK(l->continue_token == "tok");
    st = m.handle(list_page{{obj("b", 2)}, "", "10"}, t0 + 2s);
    auto* r = std::get_if<restarted>(&st.effect);
    REQUIRE(r);
    CHECK(r->objects.size() == 2);
  }
  SECTION("a rejected token (4xx) is not retried forever: the retry starts from scratch") {
    st = m.handle(list_failed{http_error(400, "BadRequest")}, t0);
    REQUIRE(std::holds_alternative<backoff_wait>(st.action));
    st = m.handle(backoff_elapsed{}, t0 + 1s);
    auto* l = std::get_if<start_list>(&st.action);
    REQUIRE(l);
    CHECK(l->continue_token.empty());
    st = m.handle(list_page{{obj("z", 30)}, "", "30"}, t0 + 2s);
    auto* r = std::get_if<restarted>(&st.effect);
    REQUIRE(r);
    CHECK(r->objects.size() == 1);
  }
}

TEST_CASE("watcher: repeated 410s back off instead of relisting in a loop", "[watcher]") {
  watcher_machine m;
  (void)m.start(t0);
  auto st = m.handle(list_page{{}, "", "10"}, t0);
  st = m.handle(watch_failed{http_error(410)}, t0);  // HTTP 410 when opening
  REQUIRE(std::holds_alternative<start_list>(st.action));
  st = m.handle(list_page{{}, "", "11"}, t0);
  st = m.handle(watch_opened{}, t0);
  st = m.handle(error_event(410, "Expired"), t0);
  REQUIRE(std::holds_alternative<backoff_wait>(st.action));  // second 410 without progress
  st = m.handle(backoff_elapsed{}, t0 + 1s);
  REQUIRE(std::holds_alternative<start_list>(st.action));
  st = m.handle(list_page{{}, "", "12"}, t0 + 1s);
  st = m.handle(watch_event{watch_event_type::added, obj("a", 13)}, t0 + 2s);  // progress
  st = m.handle(error_event(410, "Expired"), t0 + 3s);
  CHECK(std::holds_alternative<start_list>(st.action));  // first 410 after progress: at once
  CHECK(m.stats().relists == 3);
}

TEST_CASE("watcher: a watch that closes at once with no events counts as a failure", "[watcher]") {
  watcher_machine m;
  (void)m.start(t0);
  (void)m.handle(list_page{{}, "", "10"}, t0);
  (void)m.handle(watch_opened{}, t0);
  auto st = m.handle(watch_closed{}, t0 + 100ms);
  REQUIRE(std::holds_alternative<backoff_wait>(st.action));
  st = m.handle(backoff_elapsed{}, t0 + 2s);
  REQUIRE(std::holds_alternative<start_watch>(st.action));
  SECTION("closed before it even opened") {
    st = m.handle(watch_closed{}, t0 + 2s);
    CHECK(std::holds_alternative<backoff_wait>(st.action));
  }
  SECTION("a quick close after an event is a normal close") {
    (void)m.handle(watch_opened{}, t0 + 2s);
    (void)m.handle(watch_event{watch_event_type::added, obj("a", 11)}, t0 + 2s);
    st = m.handle(watch_closed{}, t0 + 2s);
    CHECK(std::holds_alternative<start_watch>(st.action));
  }
}

TEST_CASE("watcher: backoff grows across failures and resets after a healthy period", "[watcher]") {
  watcher_options o;
  o.backoff.jitter = queue::jitter_mode::none;
  watcher_machine m(o);
  (void)m.start(t0);
  time_point now = t0;
  std::vector<duration> delays;
  for (int i = 0; i < 8; ++i) {
    auto st = m.handle(list_failed{http_error(500)}, now);
    REQUIRE(std::holds_alternative<backoff_wait>(st.action));
    delays.push_back(std::get<backoff_wait>(st.action).delay);
    now += delays.back();
    st = m.handle(backoff_elapsed{}, now);
    REQUIRE(std::holds_alternative<start_list>(st.action));
  }
  CHECK(delays == std::vector<duration>{800ms, 1600ms, 3200ms, 6400ms, 12800ms, 25600ms, 30s, 30s});
  (void)m.handle(list_page{{}, "", "10"}, now);
  (void)m.handle(watch_opened{}, now);
  now += 2min;  // healthy for the reset period
  auto st = m.handle(watch_failed{http_error(0)}, now);
  REQUIRE(std::holds_alternative<backoff_wait>(st.action));
  CHECK(std::get<backoff_wait>(st.action).delay == 800ms);
}

TEST_CASE("watcher: Retry-After is honoured as a minimum wait", "[watcher]") {
  watcher_machine m;
  (void)m.start(t0);
  auto st = m.handle(list_failed{http_error(429, "TooManyRequests"), 45s}, t0);
  REQUIRE(std::holds_alternative<backoff_wait>(st.action));
  CHECK(std::get<backoff_wait>(st.action).delay == 45s);
  st = m.handle(backoff_elapsed{}, t0 + 45s);
  (void)m.handle(list_page{{}, "", "10"}, t0 + 45s);
  st = m.handle(watch_failed{http_error(503), 2s}, t0 + 46s);
  REQUIRE(std::holds_alternative<backoff_wait>(st.action));
  CHECK(std::get<backoff_wait>(st.action).delay >= 2s);
}

TEST_CASE("watcher: inputs out of place are ignored", "[watcher]") {
  watcher_machine m;
  auto st = m.handle(watch_opened{}, t0);  // before start
  CHECK(std::holds_alternative<carry_on>(st.action));
  (void)m.start(t0);
  st = m.start(t0);  // twice
  CHECK(std::holds_alternative<carry_on>(st.action));
  st = m.handle(watch_event{watch_event_type::added, obj("x", 1)}, t0);  // while listing
  CHECK(std::holds_alternative<std::monostate>(st.effect));
  st = m.handle(backoff_elapsed{}, t0);
  CHECK(std::holds_alternative<carry_on>(st.action));
  CHECK(m.stats().ignored == 4);
  CHECK(m.state() == watcher_state::listing);
  SECTION("a final page without an rv is a failure, not a watch from 'now'") {
    st = m.handle(list_page{{obj("a", 1)}, "", ""}, t0);
    CHECK(std::holds_alternative<backoff_wait>(st.action));
    CHECK_FALSE(m.synced());
  }
}

TEST_CASE("watcher: parse_watch_event_type", "[watcher]") {
  CHECK(parse_watch_event_type("ADDED") == watch_event_type::added);
  CHECK(parse_watch_event_type("MODIFIED") == watch_event_type::modified);
  CHECK(parse_watch_event_type("DELETED") == watch_event_type::deleted);
  CHECK(parse_watch_event_type("BOOKMARK") == watch_event_type::bookmark);
  CHECK(parse_watch_event_type("ERROR") == watch_event_type::error);
  CHECK_FALSE(parse_watch_event_type("added"));
  CHECK_FALSE(parse_watch_event_type(""));
}

TEST_CASE("watcher: converges against a changing server without failures", "[watcher]") {
  auto r = simulate(-1, fault::transient);
  CHECK(r.store.objects == server_view(r.api));
  CHECK(r.stats.lists == 1);
  CHECK(r.stats.relists == 0);
  CHECK(r.stats.failures == 0);
  CHECK(r.stats.watch_starts > 3);  // normal closes resumed the watch
}

TEST_CASE("watcher: a transient failure at every step never relists and converges", "[watcher]") {
  const fault f = GENERATE(fault::transient, fault::error_event);
  for (int k = 0; k < 120; ++k) {
    INFO("failure at response " << k << " kind " << static_cast<int>(f));
    auto r = simulate(k, f);
    REQUIRE(r.store.objects == server_view(r.api));
    REQUIRE(r.stats.lists == 1);
    REQUIRE(r.stats.relists == 0);
    REQUIRE(r.stats.failures <= 2);  // the injected one (+ a very short watch at most)
    REQUIRE(r.stats.ignored == 0);
  }
}

TEST_CASE("watcher: compaction (410) at every step relists and converges", "[watcher]") {
  const bool as_event = GENERATE(true, false);
  int relisted = 0;
  for (int k = 0; k < 120; ++k) {
    INFO("compaction + failure at response " << k << (as_event ? " (ERROR event)" : " (HTTP 410)"));
    auto r = simulate(k, fault::gone, as_event);
    REQUIRE(r.store.objects == server_view(r.api));
    REQUIRE(r.stats.ignored == 0);
    REQUIRE(r.stats.relists <= 2);
    if (r.stats.relists > 0) ++relisted;
  }
  CHECK(relisted > 20);  // the injection really exercised the 410 paths
}
