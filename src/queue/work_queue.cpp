#include "langop/queue/work_queue.hpp"

#include <cassert>
#include <stdexcept>
#include <utility>

namespace langop::queue {

work_queue::work_queue(work_queue_options options) : options_(std::move(options)), rng_(options_.seed) {}

work_queue::~work_queue() = default;

// ---- key slots ----------------------------------------------------------------------

std::uint32_t work_queue::find(std::string_view key) const noexcept {
  auto it = index_.find(key);
  return it == index_.end() ? npos : it->second;
}

std::uint32_t work_queue::find_or_create(std::string_view key) {
  if (auto it = index_.find(key); it != index_.end()) return it->second;
  std::uint32_t i;
  if (!free_.empty()) {
    i = free_.back();
    free_.pop_back();
  } else {
    if (slot_count_ == npos) throw std::length_error("work_queue: too many keys");
    if ((slot_count_ & (chunk_size - 1)) == 0) chunks_.push_back(std::make_unique<slot[]>(chunk_size));
    i = slot_count_++;
  }
  slot& s = at(i);
  // assign() reuses the capacity a freed slot kept, so churn of keys does not allocate.
  s.key.assign(key.data(), key.size());
  index_.emplace(std::string_view(s.key), i);
  return i;
}

void work_queue::release_if_idle(std::uint32_t i) {
  slot& s = at(i);
  if (s.processing || s.list != no_list || s.heap_pos != npos || s.backoff.failures != 0) return;
  index_.erase(std::string_view(s.key));
  s.backoff = {};
  s.dirty = false;
  free_.push_back(i);
}

// ---- ready lists --------------------------------------------------------------------

void work_queue::push_ready(std::uint32_t i, priority p) {
  slot& s = at(i);
  const auto li = static_cast<std::uint8_t>(p);
  fifo& l = lists_[li];
  s.list = li;
  s.next = npos;
  s.prev = l.tail;
  if (l.tail != npos) {
    at(l.tail).next = i;
  } else {
    l.head = i;
  }
  l.tail = i;
  ++l.size;
}

void work_queue::unlink(std::uint32_t i) noexcept {
  slot& s = at(i);
  fifo& l = lists_[s.list];
  if (s.prev != npos) {
    at(s.prev).next = s.next;
  } else {
    l.head = s.next;
  }
  if (s.next != npos) {
    at(s.next).prev = s.prev;
  } else {
    l.tail = s.prev;
  }
  s.prev = s.next = npos;
  s.list = no_list;
  --l.size;
}

// ---- 4-ary min-heap of deadlines ----------------------------------------------------
// Four children per node halve the depth of a binary heap and keep siblings in one
// cache line; back-pointers (slot::heap_pos) make "move earlier" and "remove" O(log n).

void work_queue::heap_place(std::size_t pos, heap_entry e) noexcept {
  heap_[pos] = e;
  at(e.slot).heap_pos = static_cast<std::uint32_t>(pos);
}

void work_queue::heap_sift_up(std::size_t pos) noexcept {
  const heap_entry e = heap_[pos];
  while (pos > 0) {
    const std::size_t parent = (pos - 1) / 4;
    if (!(e.deadline < heap_[parent].deadline)) break;
    heap_place(pos, heap_[parent]);
    pos = parent;
  }
  heap_place(pos, e);
}

void work_queue::heap_sift_down(std::size_t pos) noexcept {
  const heap_entry e = heap_[pos];
  const std::size_t n = heap_.size();
  for (;;) {
    const std::size_t first = pos * 4 + 1;
    if (first >= n) break;
    std::size_t best = first;
    const std::size_t last = first + 4 < n ? first + 4 : n;
    for (std::size_t c = first + 1; c < last; ++c) {
      if (heap_[c].deadline < heap_[best].deadline) best = c;
    }
    if (!(heap_[best].deadline < e.deadline)) break;
    heap_place(pos, heap_[best]);
    pos = best;
  }
  heap_place(pos, e);
}

void work_queue::heap_set(std::uint32_t i, time_point deadline) {
  slot& s = at(i);
  if (s.heap_pos == npos) {
    heap_.push_back({deadline, i});
    s.heap_pos = static_cast<std::uint32_t>(heap_.size() - 1);
    heap_sift_up(heap_.size() - 1);
  } else if (deadline < heap_[s.heap_pos].deadline) {
    heap_[s.heap_pos].deadline = deadline;
    heap_sift_up(s.heap_pos);
  }
}

void work_queue::heap_erase(std::uint32_t i) noexcept {
  slot& s = at(i);
  const std::size_t pos = s.heap_pos;
  s.heap_pos = npos;
  const heap_entry last = heap_.back();
  heap_.pop_back();
  if (pos == heap_.size()) return;  // it was the last entry
  heap_place(pos, last);
  if (pos > 0 && last.deadline < heap_[(pos - 1) / 4].deadline) {
    heap_sift_up(pos);
  } else {
    heap_sift_down(pos);
  }
}

// ---- operations ---------------------------------------------------------------------

bool work_queue::add(std::string_view key, time_point now, priority p) {
  if (closed_) return false;
  const std::uint32_t i = find_or_create(key);
  slot& s = at(i);
  if (s.processing) {
    if (s.dirty) {
      if (p > s.dirty_priority) s.dirty_priority = p;
      ++counters_.deduplicated;
      return false;
    }
    // A due-later deadline is superseded: the key runs again as soon as it is done.
    if (s.heap_pos != npos) heap_erase(i);
    s.dirty = true;
    s.dirty_priority = p;
    s.ready_since = now;
    ++counters_.adds;
    return true;
  }
  if (s.list != no_list) {
    if (p == priority::normal && s.list == static_cast<std::uint8_t>(priority::low)) {
      unlink(i);
      push_ready(i, priority::normal);  // keeps ready_since: latency counts from the first add
    }
    ++counters_.deduplicated;
    return false;
  }
  if (s.heap_pos != npos) heap_erase(i);
  s.ready_since = now;
  push_ready(i, p);
  ++counters_.adds;
  return true;
}

bool work_queue::add_after(std::string_view key, duration delay, time_point now) {
  if (delay <= duration::zero()) return add(key, now);
  if (closed_) return false;
  const std::uint32_t i = find_or_create(key);
  slot& s = at(i);
  // Ready now (or as soon as processing ends) is always earlier than any delay.
  if (s.list != no_list || (s.processing && s.dirty)) {
    ++counters_.deduplicated;
    return false;
  }
  const time_point deadline = now + delay;
  if (s.heap_pos != npos && !(deadline < heap_[s.heap_pos].deadline)) {
    ++counters_.deduplicated;
    return false;
  }
  heap_set(i, deadline);
  return true;
}

duration work_queue::add_rate_limited(std::string_view key, time_point now) {
  if (closed_) return duration::zero();
  const std::uint32_t i = find_or_create(key);
  const duration d = next_delay(options_.backoff, at(i).backoff, rng_);
  ++counters_.retries;
  add_after(key, d, now);
  return d;
}

void work_queue::forget(std::string_view key) {
  const std::uint32_t i = find(key);
  if (i == npos) return;
  at(i).backoff = {};
  release_if_idle(i);
}

bool work_queue::done(std::string_view key, time_point now) {
  const std::uint32_t i = find(key);
  if (i == npos) return false;
  slot& s = at(i);
  if (!s.processing) return false;
  s.processing = false;
  --processing_;
  ++counters_.completed;
  if (hooks_.work_duration) hooks_.work_duration(now - s.processing_since);
  if (s.dirty) {
    s.dirty = false;
    push_ready(i, s.dirty_priority);
  } else {
    release_if_idle(i);
  }
  return true;
}

poll_result work_queue::next(time_point now) {
  if (closed_) return {poll_status::closed, {}, {}};
  // Due deadlines become ready (or dirty when the key is being processed).
  while (!heap_.empty() && !(now < heap_.front().deadline)) {
    const heap_entry top = heap_.front();
    heap_erase(top.slot);
    slot& s = at(top.slot);
    s.ready_since = top.deadline;
    if (s.processing) {
      s.dirty = true;
      s.dirty_priority = priority::normal;
    } else {
      push_ready(top.slot, priority::normal);
    }
    ++counters_.adds;
  }
  // Aging: the low FIFO is ordered by ready_since, so only its head needs checking.
  fifo& low = lists_[0];
  while (low.head != npos && now - at(low.head).ready_since >= options_.low_priority_aging) {
    const std::uint32_t i = low.head;
    unlink(i);
    push_ready(i, priority::normal);
    ++counters_.promoted;
  }
  std::uint32_t i = lists_[1].head;
  if (i == npos) i = low.head;
  if (i == npos) {
    if (heap_.empty()) return {poll_status::idle, {}, {}};
    return {poll_status::waiting, {}, heap_.front().deadline};
  }
  unlink(i);
  slot& s = at(i);
  s.processing = true;
  s.processing_since = now;
  ++processing_;
  ++counters_.dispatched;
  if (hooks_.queue_latency) hooks_.queue_latency(now - s.ready_since);
  return {poll_status::ready, std::string_view(s.key), {}};
}

// ---- observers ----------------------------------------------------------------------

std::optional<time_point> work_queue::next_deadline() const noexcept {
  if (heap_.empty()) return std::nullopt;
  return heap_.front().deadline;
}

std::uint32_t work_queue::failures(std::string_view key) const noexcept {
  const std::uint32_t i = find(key);
  return i == npos ? 0 : at(i).backoff.failures;
}

bool work_queue::is_processing(std::string_view key) const noexcept {
  const std::uint32_t i = find(key);
  return i != npos && at(i).processing;
}

bool work_queue::is_pending(std::string_view key) const noexcept {
  const std::uint32_t i = find(key);
  if (i == npos) return false;
  const slot& s = at(i);
  return s.list != no_list || s.heap_pos != npos || s.dirty;
}

}  // namespace langop::queue
