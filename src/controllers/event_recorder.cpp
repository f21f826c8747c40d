#include "langop/controllers/event_recorder.hpp"

#include "langop/controllers/kinds.hpp"
#include "langop/core/time.hpp"
#include "langop/informer/cached_object.hpp"
#include "langop/kube/client.hpp"
#include "langop/resources/common.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <deque>
#include <unordered_map>

namespace langop::controllers {
namespace net = boost::asio;

namespace {

constexpr std::size_t k_max_tracked = 20000;  // bounded memory: the oldest keys are dropped beyond it

json::object involved(const event_target& t) {
  json::object o;
  o["apiVersion"] = t.api_version;
  o["kind"] = t.kind;
  o["name"] = t.name;
  if (!t.ns.empty()) o["namespace"] = t.ns;
  o["uid"] = t.uid;
  return o;
}

}  // namespace

event_target target_of(const informer::cached_object& obj) {
  return {std::string(obj["apiVersion"].as_string()), std::string(obj["kind"].as_string()), std::string(obj.ns()),
          std::string(obj.name()), std::string(obj.uid())};
}

struct event_recorder::state : std::enable_shared_from_this<state> {
  state(net::any_io_executor e, kube::client& c, std::string i, log::logger l, std::chrono::seconds w)
      : ex(e), client(c), instance(std::move(i)), log(std::move(l)), window(w) {}

  struct tracked {
    std::string event_name;
    std::string ns;
    std::int64_t count = 1;
    std::chrono::steady_clock::time_point first_seen;
    std::chrono::steady_clock::time_point last_written;
    std::int64_t written_count = 1;
    std::uint64_t sequence = 0;  // which insertion of this key `order` refers to
  };

  net::any_io_executor ex;
  kube::client& client;
  std::string instance;
  log::logger log;
  std::chrono::seconds window;
  std::unordered_map<std::string, tracked> seen;
  // Keys in insertion order with their sequence: eviction pops the oldest in O(1). A key
  // re-inserted after its window leaves a stale entry here, recognised by its sequence.
  std::deque<std::pair<std::string, std::uint64_t>> order;
  std::uint64_t emitted = 0, aggregated = 0;

  static net::awaitable<void> create(std::shared_ptr<state> self, std::string ns, std::string reason,
                                     json::value event) {
    auto r = co_await self->client.create(kinds::events, ns, event);
    if (!r) self->log.debug("event not recorded", {{"reason", reason}, {"error", r.error().message}});
  }

  static net::awaitable<void> bump(std::shared_ptr<state> self, std::string ns, std::string name, json::value patch) {
    auto r = co_await self->client.patch(kinds::events, ns, name, kube::patch_type::merge, patch);
    if (!r) self->log.debug("event count not updated", {{"event", name}, {"error", r.error().message}});
  }

  // Remembers a new Event's key; beyond the bound the oldest keys are forgotten (their
  // repeats then start new Events) — a scan for expired keys on every insert was O(n) per
  // Event once the bound was reached, which made a cold start of thousands of agents quadratic.
  void remember(std::string key, tracked tr) {
    tr.sequence = ++sequence;
    order.emplace_back(key, tr.sequence);
    seen.insert_or_assign(std::move(key), tr);
    while (seen.size() > k_max_tracked && !order.empty()) {
      auto& [oldest, seq] = order.front();
      if (auto it = seen.find(oldest); it != seen.end() && it->second.sequence == seq) seen.erase(it);
      order.pop_front();
    }
    // Stale entries (keys re-inserted later) are dropped when they reach the front, so
    // `order` stays within twice the bound.
    if (order.size() > 2 * k_max_tracked) {
      std::erase_if(order, [&](const auto& e) {
        auto it = seen.find(e.first);
        return it == seen.end() || it->second.sequence != e.second;
      });
    }
  }
  std::uint64_t sequence = 0;
};

event_recorder::event_recorder(net::any_io_executor ex, kube::client& client, std::string instance,
                               log::logger logger, std::chrono::seconds window)
    : st_(std::make_shared<state>(ex, client, std::move(instance), std::move(logger), window)) {}

event_recorder::~event_recorder() = default;

void event_recorder::normal(const event_target& t, std::string_view reason, std::string message) {
  record(t, false, reason, std::move(message));
}

void event_recorder::warning(const event_target& t, std::string_view reason, std::string message) {
  record(t, true, reason, std::move(message));
}

std::uint64_t event_recorder::emitted() const noexcept { return st_->emitted; }
std::uint64_t event_recorder::aggregated() const noexcept { return st_->aggregated; }

void event_recorder::record(const event_target& t, bool warning, std::string_view reason, std::string message) {
  if (t.name.empty()) return;
  auto& st = *st_;
  const auto now = std::chrono::steady_clock::now();
  const std::string now_text = format_rfc3339(std::chrono::system_clock::now());
  std::string key = t.uid + "|" + (warning ? "W|" : "N|") + std::string(reason) + "|" + message;
  auto it = st.seen.find(key);
  if (it != st.seen.end() && now - it->second.first_seen < st.window) {
    auto& tr = it->second;
    ++tr.count;
    ++st.aggregated;
    // Fold repeats into the existing Event, writing its count at most once a minute.
    if (now - tr.last_written >= std::chrono::minutes(1) && tr.count != tr.written_count) {
      tr.last_written = now;
      tr.written_count = tr.count;
      json::value patch = json::object{{"count", tr.count}, {"lastTimestamp", now_text}};
      net::co_spawn(st.ex, state::bump(st_, tr.ns, tr.event_name, std::move(patch)), net::detached);
    }
    return;
  }
  // Event names are the object's name plus a unique suffix, like client-go's recorder.
  const std::string ns = t.ns.empty() ? "default" : t.ns;
  std::string name = t.name + "." + resources::sha256_hex(key + now_text + std::to_string(st.emitted)).substr(0, 16);
  state::tracked tr;
  tr.event_name = name;
  tr.ns = ns;
  tr.first_seen = now;
  tr.last_written = now;
  st.remember(std::move(key), tr);
  ++st.emitted;

  json::object ev;
  ev["apiVersion"] = "v1";
  ev["kind"] = "Event";
  ev["metadata"] = json::object{{"name", name}, {"namespace", ns}};
  ev["involvedObject"] = involved(t);
  ev["reason"] = reason;
  ev["message"] = std::move(message);
  ev["type"] = warning ? "Warning" : "Normal";
  ev["source"] = json::object{{"component", "langop"}};
  ev["reportingComponent"] = "langop";
  ev["reportingInstance"] = st.instance;
  ev["firstTimestamp"] = now_text;
  ev["lastTimestamp"] = now_text;
  ev["count"] = 1;
  net::co_spawn(st.ex, state::create(st_, ns, std::string(reason), json::value(std::move(ev))), net::detached);
}

}  // namespace langop::controllers
