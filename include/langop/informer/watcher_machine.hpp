// The list+watch protocol as a sans-I/O state machine (PURE), after kube-rs's watcher:
// inputs are what the API server said, outputs are the next I/O to perform and the effect
// on the informer's store. No HTTP, no clock, no Asio: the driver owns all of that.
//
//   empty ─start─▶ listing(continue, pages) ─last page─▶ watch_pending(rv) ─opened─▶ watching(rv)
//
//   listing, on error:   410 (expired continue token) → list from scratch at once
//                        other 4xx                    → back off, list from scratch
//                        5xx / 429 / I-O              → back off, retry the same page
//   watching, on:        normal close   → watch again from the last rv seen (event or
//                                         bookmark), no relist, no backoff
//                        410 (HTTP or ERROR event, Expired/Gone) → list from scratch
//                                         (at once; backs off if it repeats without progress)
//                        other error    → back off, watch again from the last rv
//
// Driver contract: call start() once, then feed exactly one input per I/O outcome and
// perform the returned action. `carry_on` means "keep doing what you are doing" (keep
// reading the open stream, keep waiting). Any other action abandons the current stream:
// the driver closes it and never reports further events from it. Inputs that make no sense
// in the current state are ignored (counted in stats().ignored) and answered with carry_on.
//
// Store contract (the store, not this machine, implements it): `restarted` carries the
// complete state at the list's resourceVersion and must be applied atomically; the store
// emits only real differences to its handlers (objects whose resourceVersion changed, new
// ones, and deletions for objects absent from the relist) so a relist after 410 does not
// re-trigger every reconcile. `applied`/`deleted` are single-object updates in rv order.
#pragma once

#include "langop/core/error.hpp"
#include "langop/core/json.hpp"
#include "langop/informer/cached_object.hpp"
#include "langop/queue/backoff.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

namespace langop::informer {

using clock = std::chrono::steady_clock;
using time_point = clock::time_point;
using duration = clock::duration;

struct watcher_options {
  std::uint32_t page_size = 500;  // list `limit`
  // Each watch asks the server to end it after a random time in [min, 2 * min), like
  // client-go, so that many watchers do not reconnect in lockstep.
  std::chrono::seconds watch_timeout_min{300};
  // Failures back off 0.8 s → 30 s with jitter; the streak is forgotten after 2 min
  // without a failure (a healthy period), so a long-lived watch starts again from 0.8 s.
  queue::backoff_params backoff = queue::watcher_backoff();
  // A watch that ends normally sooner than this without a single event is treated as a
  // failure (client-go's "very short watch"), so a server that closes at once is not
  // hammered in a tight loop.
  duration min_watch_duration = std::chrono::seconds(1);
  std::uint64_t seed = 0x7761746368ULL;
};

// ---- inputs -------------------------------------------------------------------------

struct list_page {
  std::vector<object_ptr> items;  // null entries (items that could not be decoded) are dropped
  std::string continue_token;    // metadata.continue; empty on the last page
  std::string resource_version;  // metadata.resourceVersion of the list
};
struct list_failed {
  error err;  // http_status 410 / reason Expired|Gone marks an expired continue token
  duration retry_after{};  // the server's Retry-After (429/503): the backoff is at least this
};
struct watch_opened {};
enum class watch_event_type : std::uint8_t { added, modified, deleted, bookmark, error };
struct watch_event {
  watch_event_type type;
  object_ptr object;             // ADDED / MODIFIED / DELETED; null otherwise
  std::string resource_version;  // BOOKMARK's resourceVersion (objects carry their own)
  int error_code = 0;            // ERROR: the Status code and reason
  std::string error_reason;
};
struct watch_closed {};  // the server ended the stream normally (its timeoutSeconds)
struct watch_failed {
  error err;  // HTTP error when opening, I/O error, or no data before the idle deadline
  duration retry_after{};  // the server's Retry-After (429/503): the backoff is at least this
};
struct backoff_elapsed {};

using watcher_input =
    std::variant<list_page, list_failed, watch_opened, watch_event, watch_closed, watch_failed, backoff_elapsed>;

// "ADDED" … "ERROR" → type; nullopt for anything else.
[[nodiscard]] std::optional<watch_event_type> parse_watch_event_type(std::string_view type) noexcept;

// ---- outputs ------------------------------------------------------------------------

struct carry_on {};
struct start_list {
  std::string continue_token;  // empty: a fresh, consistent list (resourceVersion unset)
  std::uint32_t limit = 0;
};
struct start_watch {
  std::string resource_version;
  bool allow_bookmarks = true;
  std::uint32_t timeout_seconds = 0;
};
struct backoff_wait {
  duration delay;  // then feed backoff_elapsed
};
using watcher_action = std::variant<carry_on, start_list, start_watch, backoff_wait>;

struct restarted {
  std::vector<object_ptr> objects;
  std::string resource_version;
};
struct applied {
  object_ptr object;
};
struct deleted {
  object_ptr object;
};
using store_effect = std::variant<std::monostate, restarted, applied, deleted>;

struct watcher_step {
  store_effect effect;
  watcher_action action;
};

enum class watcher_state : std::uint8_t {
  empty,          // before start()
  listing,        // a list page request is outstanding
  watch_pending,  // start_watch issued, stream not confirmed open yet
  watching,       // reading a watch stream
  backing_off,    // waiting for backoff_elapsed
};

struct watcher_stats {
  std::uint64_t lists = 0;         // complete lists delivered as `restarted`
  std::uint64_t relists = 0;       // lists forced by 410 Gone / expired continue tokens
  std::uint64_t watch_starts = 0;  // start_watch actions (first watch and resumptions)
  std::uint64_t failures = 0;      // inputs that led to a backoff
  std::uint64_t ignored = 0;       // inputs out of place for the state (driver bugs)
};

class watcher_machine final {
 public:
  explicit watcher_machine(watcher_options options = {});

  // Leaves `empty`: the first list request.
  [[nodiscard]] watcher_step start(time_point now);
  [[nodiscard]] watcher_step handle(watcher_input input, time_point now);

  [[nodiscard]] watcher_state state() const noexcept { return state_; }
  // The rv a watch resumes from: the list's, then the latest event or bookmark.
  [[nodiscard]] const std::string& resource_version() const noexcept { return rv_; }
  // True once one complete list was delivered (informer HasSynced); stays true across
  // relists because the store keeps serving the previous snapshot meanwhile.
  [[nodiscard]] bool synced() const noexcept { return stats_.lists > 0; }
  [[nodiscard]] const watcher_stats& stats() const noexcept { return stats_; }

 private:
  // What to do when the backoff ends.
  enum class resume_with : std::uint8_t { list, watch };

  watcher_step on(list_page&& page, time_point now);
  watcher_step on(list_failed&& f, time_point now);
  watcher_step on(watch_opened&&, time_point now);
  watcher_step on(watch_event&& ev, time_point now);
  watcher_step on(watch_closed&&, time_point now);
  watcher_step on(watch_failed&& f, time_point now);
  watcher_step on(backoff_elapsed&&, time_point now);

  watcher_step list_from_scratch(bool gone, time_point now);
  watcher_step watch_from_rv();
  watcher_step fail(resume_with next, time_point now, duration at_least = {});
  watcher_step ignored();
  [[nodiscard]] start_list list_action() const;

  watcher_options options_;
  queue::backoff backoff_;
  queue::random_source rng_;
  watcher_state state_ = watcher_state::empty;
  resume_with after_backoff_ = resume_with::list;
  std::string rv_;
  std::string continue_;
  std::vector<object_ptr> pages_;  // items of the list in progress
  time_point watch_opened_at_{};
  std::uint64_t events_in_watch_ = 0;
  // 410s since the last watch event: the first relists at once, a repeat backs off so a
  // server whose watch cache lags the list does not turn us into a relist loop.
  std::uint32_t consecutive_gone_ = 0;
  watcher_stats stats_;
};

}  // namespace langop::informer
