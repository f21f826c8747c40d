#include "background_checks.hpp"

#include "langop/queue/backoff.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <deque>
#include <map>
#include <set>
#include <variant>

namespace langop::controllers {

namespace net = boost::asio;
using namespace net::experimental::awaitable_operators;

namespace {

struct entry {
  std::optional<check_outcome> last;
  bool in_flight = false;
  bool stale = false;
  std::uint64_t run = 0;  // which start() an outcome belongs to (forget() makes old runs moot)
};

}  // namespace

struct background_checks::state {
  state(net::any_io_executor e, check_timing t, outcome_fn f, wake_fn w)
      : ex(e),
        timing(t),
        on_outcome(std::move(f)),
        wake(std::move(w)),
        stop_timer(e, net::steady_timer::time_point::max()) {}

  net::any_io_executor ex;
  check_timing timing;
  outcome_fn on_outcome;
  wake_fn wake;
  std::size_t running = 0;
  std::deque<std::string> waiting;  // keys refused a slot, oldest first (each once)
  std::set<std::string, std::less<>> waiting_keys;
  // Never expires; stop() cancels it, which ends every check's wait and so the check.
  net::steady_timer stop_timer;
  bool stopped = false;
  std::uint64_t runs = 0;
  std::map<std::string, entry, std::less<>> entries;

  static net::awaitable<void> run(std::shared_ptr<state> st, std::string key, std::uint64_t run_id,
                                  std::string fingerprint, check_fn fn) {
    auto r = co_await (fn() || st->stop_timer.async_wait(net::use_awaitable));
    --st->running;
    if (st->stopped || r.index() != 0) co_return;
    st->wake_next();
    auto it = st->entries.find(key);
    if (it == st->entries.end() || it->second.run != run_id) co_return;  // forgotten meanwhile
    auto& e = it->second;
    check_outcome o = std::move(std::get<0>(r));
    o.fingerprint = std::move(fingerprint);
    o.finished = std::chrono::steady_clock::now();
    o.failures = o.ok ? 0 : (e.last && !e.last->ok ? e.last->failures : 0) + 1;
    const bool changed = !e.last || e.last->ok != o.ok || e.last->message != o.message;
    e.in_flight = false;
    e.last = std::move(o);
    // A copy: the callback may start the next check (or forget the key), which touches `e`.
    const check_outcome copy = *e.last;
    if (st->on_outcome) st->on_outcome(key, copy, changed);
  }

  // A slot is free: the oldest waiting key that still wants one is re-enqueued.
  void wake_next() {
    while (!waiting.empty()) {
      auto key = std::move(waiting.front());
      waiting.pop_front();
      waiting_keys.erase(key);
      if (entries.count(key) && wake) {
        wake(key);
        return;
      }
    }
  }

  // retry_base after the first failure, doubled per further failure, capped at retry_max.
  static std::chrono::nanoseconds backoff_of(const check_timing& t, std::uint32_t failures) {
    return queue::exponential_delay(t.retry_base, t.retry_max, failures > 0 ? failures - 1 : 0);
  }
};

background_checks::background_checks(net::any_io_executor ex, check_timing timing, outcome_fn on_outcome,
                                     wake_fn wake)
    : st_(std::make_shared<state>(ex, timing, std::move(on_outcome), std::move(wake))) {}

background_checks::~background_checks() { stop(); }

std::chrono::nanoseconds background_checks::backoff(std::uint32_t failures) const {
  return state::backoff_of(st_->timing, failures);
}

std::chrono::nanoseconds background_checks::due_in(const std::string& key, std::chrono::nanoseconds refresh) const {
  auto it = st_->entries.find(key);
  if (it == st_->entries.end() || it->second.in_flight || !it->second.last) return {};
  const auto& last = *it->second.last;
  std::chrono::nanoseconds wait = !last.ok && last.transient ? backoff(last.failures) : refresh;
  if (wait.count() <= 0) return {};
  // At least a millisecond: 0 means "nothing scheduled".
  return std::max<std::chrono::nanoseconds>(last.finished + wait - std::chrono::steady_clock::now(),
                                            std::chrono::milliseconds(1));
}

bool background_checks::due(const std::string& key, const std::string& fingerprint,
                            std::chrono::nanoseconds refresh) const {
  auto it = st_->entries.find(key);
  if (it == st_->entries.end()) return true;
  const auto& e = it->second;
  if (e.in_flight) return false;
  if (e.stale || !e.last || e.last->fingerprint != fingerprint) return true;
  const auto now = std::chrono::steady_clock::now();
  if (!e.last->ok && e.last->transient) return now >= e.last->finished + backoff(e.last->failures);
  // A success, or a failure only a change can fix (e.g. a refused key; the fingerprint
  // covers the Secret): checked again every `refresh` (a key may be revoked or restored).
  return refresh.count() > 0 && now >= e.last->finished + refresh;
}

void background_checks::start(const std::string& key, std::string fingerprint, check_fn fn) {
  if (st_->stopped) return;
  auto& e = st_->entries[key];
  if (e.in_flight) return;
  if (st_->running >= std::max<std::size_t>(st_->timing.max_in_flight, 1)) {
    if (st_->waiting_keys.insert(key).second) st_->waiting.push_back(key);
    return;
  }
  ++st_->running;
  e.in_flight = true;
  e.stale = false;
  e.run = ++st_->runs;
  net::co_spawn(st_->ex, state::run(st_, key, e.run, std::move(fingerprint), std::move(fn)), net::detached);
}

void background_checks::invalidate(const std::string& key) {
  if (auto it = st_->entries.find(key); it != st_->entries.end()) it->second.stale = true;
}

const check_outcome* background_checks::last(const std::string& key) const {
  auto it = st_->entries.find(key);
  return it == st_->entries.end() || !it->second.last ? nullptr : &*it->second.last;
}

bool background_checks::in_flight(const std::string& key) const {
  auto it = st_->entries.find(key);
  return it != st_->entries.end() && it->second.in_flight;
}

void background_checks::forget(const std::string& key) {
  if (auto it = st_->entries.find(key); it != st_->entries.end()) st_->entries.erase(it);
}

void background_checks::stop() {
  if (st_->stopped) return;
  st_->stopped = true;
  st_->on_outcome = nullptr;
  st_->wake = nullptr;
  st_->waiting.clear();
  st_->waiting_keys.clear();
  st_->stop_timer.cancel();
}

}  // namespace langop::controllers
