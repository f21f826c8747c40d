#include "langop/informer/watcher_machine.hpp"

#include <algorithm>
#include <utility>

namespace langop::informer {

namespace {

// 410 Gone comes as an HTTP status on the request, or as an ERROR event whose Status has
// code 410 and reason "Expired" (rv too old) or "Gone"; any of the three means "relist".
bool is_gone(int code, std::string_view reason) noexcept {
  return code == 410 || reason == "Expired" || reason == "Gone";
}

}  // namespace

std::optional<watch_event_type> parse_watch_event_type(std::string_view type) noexcept {
  if (type == "ADDED") return watch_event_type::added;
  if (type == "MODIFIED") return watch_event_type::modified;
  if (type == "DELETED") return watch_event_type::deleted;
  if (type == "BOOKMARK") return watch_event_type::bookmark;
  if (type == "ERROR") return watch_event_type::error;
  return std::nullopt;
}

watcher_machine::watcher_machine(watcher_options options)
    : options_(options), backoff_(options.backoff, options.seed), rng_(options.seed ^ 0x9e3779b97f4a7c15ULL) {}

watcher_step watcher_machine::start(time_point now) {
  if (state_ != watcher_state::empty) return ignored();
  return list_from_scratch(false, now);
}

watcher_step watcher_machine::handle(watcher_input input, time_point now) {
  return std::visit([&](auto&& in) { return on(std::move(in), now); }, std::move(input));
}

// ---- transitions --------------------------------------------------------------------

watcher_step watcher_machine::on(list_page&& page, time_point now) {
  if (state_ != watcher_state::listing) return ignored();
  pages_.reserve(pages_.size() + page.items.size());
  for (object_ptr& item : page.items) {
    // An item the driver could not decode cannot be keyed by the store: drop it rather
    // than failing the whole list over one malformed entry.
    if (item) pages_.push_back(std::move(item));
  }
  if (!page.continue_token.empty()) {
    continue_ = std::move(page.continue_token);
    return {std::monostate{}, list_action()};
  }
  if (page.resource_version.empty()) {
    // Without an rv the watch would start "now" and silently miss changes: relist.
    pages_.clear();
    continue_.clear();
    return fail(resume_with::list, now);
  }
  rv_ = std::move(page.resource_version);
  continue_.clear();
  ++stats_.lists;
  restarted done{std::move(pages_), rv_};
  pages_ = {};
  watcher_step step = watch_from_rv();
  step.effect = std::move(done);
  return step;
}

watcher_step watcher_machine::on(list_failed&& f, time_point now) {
  if (state_ != watcher_state::listing) return ignored();
  if (!continue_.empty()) {
    // An expired continue token: the snapshot is gone, the pages so far are useless.
    if (is_gone(f.err.http_status, f.err.reason)) return list_from_scratch(true, now);
    // The server rejects the token itself (4xx other than 429): retrying it would fail
    // forever, so the retry starts from scratch.
    const int code = f.err.http_status;
    if (code >= 400 && code < 500 && code != 429) {
      pages_.clear();
      continue_.clear();
    }
  }
  // Transient (5xx, 429, I/O): retry the same page after a backoff, keeping what we have.
  return fail(resume_with::list, now, f.retry_after);
}

watcher_step watcher_machine::on(watch_opened&&, time_point now) {
  if (state_ != watcher_state::watch_pending) return ignored();
  state_ = watcher_state::watching;
  watch_opened_at_ = now;
  return {};
}

watcher_step watcher_machine::on(watch_event&& ev, time_point now) {
  if (state_ == watcher_state::watch_pending) {
    // Some transports only tell us a stream is open by its first event.
    state_ = watcher_state::watching;
    watch_opened_at_ = now;
  }
  if (state_ != watcher_state::watching) return ignored();
  if (ev.type == watch_event_type::error) {
    if (is_gone(ev.error_code, ev.error_reason)) return list_from_scratch(true, now);
    return fail(resume_with::watch, now);
  }
  ++events_in_watch_;
  consecutive_gone_ = 0;
  std::string_view rv = ev.object ? ev.object->resource_version() : std::string_view(ev.resource_version);
  if (!rv.empty()) rv_.assign(rv.data(), rv.size());
  if (!ev.object && ev.type != watch_event_type::bookmark) return {};  // nothing to apply
  switch (ev.type) {
    case watch_event_type::added:
    case watch_event_type::modified:
      return {applied{std::move(ev.object)}, carry_on{}};
    case watch_event_type::deleted:
      return {deleted{std::move(ev.object)}, carry_on{}};
    case watch_event_type::bookmark:
    case watch_event_type::error:
      break;
  }
  return {};
}

watcher_step watcher_machine::on(watch_closed&&, time_point now) {
  if (state_ == watcher_state::watch_pending) return fail(resume_with::watch, now);
  if (state_ != watcher_state::watching) return ignored();
  if (events_in_watch_ == 0 && now - watch_opened_at_ < options_.min_watch_duration) {
    return fail(resume_with::watch, now);
  }
  // A normal close (timeoutSeconds): resume where we were, no relist, no backoff.
  return watch_from_rv();
}

watcher_step watcher_machine::on(watch_failed&& f, time_point now) {
  if (state_ != watcher_state::watch_pending && state_ != watcher_state::watching) return ignored();
  if (is_gone(f.err.http_status, f.err.reason)) return list_from_scratch(true, now);
  return fail(resume_with::watch, now, f.retry_after);
}

watcher_step watcher_machine::on(backoff_elapsed&&, time_point) {
  if (state_ != watcher_state::backing_off) return ignored();
  if (after_backoff_ == resume_with::watch) return watch_from_rv();
  state_ = watcher_state::listing;
  return {std::monostate{}, list_action()};
}

// ---- helpers ------------------------------------------------------------------------

watcher_step watcher_machine::list_from_scratch(bool gone, time_point now) {
  pages_.clear();
  continue_.clear();
  if (gone) {
    ++stats_.relists;
    if (++consecutive_gone_ > 1) return fail(resume_with::list, now);
  }
  state_ = watcher_state::listing;
  return {std::monostate{}, list_action()};
}

watcher_step watcher_machine::watch_from_rv() {
  state_ = watcher_state::watch_pending;
  events_in_watch_ = 0;
  ++stats_.watch_starts;
  const auto lo = std::chrono::duration_cast<duration>(options_.watch_timeout_min);
  const auto t = rng_.between(lo, 2 * lo - std::chrono::seconds(1));
  return {std::monostate{},
          start_watch{rv_, true, static_cast<std::uint32_t>(std::chrono::duration_cast<std::chrono::seconds>(t).count())}};
}

watcher_step watcher_machine::fail(resume_with next, time_point now, duration at_least) {
  ++stats_.failures;
  state_ = watcher_state::backing_off;
  after_backoff_ = next;
  return {std::monostate{}, backoff_wait{std::max(backoff_.next(now), at_least)}};
}

watcher_step watcher_machine::ignored() {
  ++stats_.ignored;
  return {};
}

start_list watcher_machine::list_action() const { return start_list{continue_, options_.page_size}; }

}  // namespace langop::informer
