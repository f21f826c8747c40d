// The controller work queue core (PURE): de-duplicated string keys, delays, per-key
// backoff and two priorities, driven by an explicit `now` (no clock, no Asio).
//
// Semantics follow controller-runtime/client-go's workqueue:
// - a key is pending at most once; adding a pending key is a no-op;
// - a key is never handed out twice at once: adding a key while it is being processed
//   marks it dirty, and done() queues it again;
// - add_after keeps one deadline per key and the earliest wins; a plain add of a delayed
//   key makes it ready now and drops the deadline;
// - add_rate_limited grows a per-key exponential backoff (with jitter) until forget();
//   there is no global token bucket, so a burst of failures never piles up delay for
//   unrelated keys;
// - initial-list items may be queued with priority::low; new events (normal) are served
//   first, and a low item that waited `low_priority_aging` joins the normal FIFO, so
//   nothing starves.
// Designed for >= 1M add->dispatch per second: keys live in stable slots (chunked, never
// moved) indexed by a flat hash map of string_views, ready lists are intrusive, delays are a
// 4-ary heap with back-pointers; the steady state allocates nothing per operation.
#pragma once

#include "langop/queue/backoff.hpp"

#include <boost/unordered/unordered_flat_map.hpp>

#include <cstddef>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace langop::queue {

enum class priority : std::uint8_t { low = 0, normal = 1 };

struct work_queue_options {
  backoff_params backoff = work_queue_backoff();
  // How long a low-priority item may wait before it competes with normal items.
  duration low_priority_aging = std::chrono::seconds(5);
  std::uint64_t seed = 0x7175657565ULL;  // jitter source
};

// Monotonic counters an obs layer can read (and difference) at any time.
struct work_queue_counters {
  std::uint64_t adds = 0;          // keys that became pending (ready, delayed-made-ready or dirty)
  std::uint64_t deduplicated = 0;  // adds absorbed by an already pending key
  std::uint64_t retries = 0;       // add_rate_limited calls
  std::uint64_t dispatched = 0;    // keys handed out by next()
  std::uint64_t completed = 0;     // done() calls that ended processing
  std::uint64_t promoted = 0;      // low-priority items aged into the normal FIFO
};

// Per-item samples for histograms; unset hooks cost one branch.
struct work_queue_hooks {
  std::function<void(duration)> queue_latency;  // added (or due) -> handed out
  std::function<void(duration)> work_duration;  // handed out -> done
};

enum class poll_status : std::uint8_t {
  ready,    // `key` is now processing; call done(key) when finished
  waiting,  // nothing ready; the earliest delayed key is due at `wake_at`
  idle,     // nothing ready and nothing delayed
  closed,   // shutdown() was called
};

struct poll_result {
  poll_status status = poll_status::idle;
  // Valid until done(key) is called for it (the slot is pinned while processing).
  std::string_view key;
  time_point wake_at{};
};

class work_queue final {
 public:
  explicit work_queue(work_queue_options options = {});
  ~work_queue();
  work_queue(const work_queue&) = delete;
  work_queue& operator=(const work_queue&) = delete;

  // Makes `key` ready now. False when it was already pending (or the queue is shut down);
  // a low pending key is still upgraded by a normal add.
  bool add(std::string_view key, time_point now, priority p = priority::normal);
  // Makes `key` due at now + delay unless it is already ready/dirty or due earlier.
  // True when a deadline was set or moved earlier. delay <= 0 is add().
  bool add_after(std::string_view key, duration delay, time_point now);
  // Counts a failure of `key` and schedules it after its backoff; returns that delay.
  duration add_rate_limited(std::string_view key, time_point now);
  // Clears the failure count of `key` (after a successful reconcile).
  void forget(std::string_view key);
  // Ends processing of `key`; re-queues it when it was added meanwhile. False when the key
  // was not being processed.
  bool done(std::string_view key, time_point now);

  // Moves due delayed keys to ready, ages low-priority ones, and hands out the next key.
  [[nodiscard]] poll_result next(time_point now);

  // Stops intake and dispatch; done() keeps working so in-flight work can finish.
  void shutdown() noexcept { closed_ = true; }

  [[nodiscard]] bool is_shut_down() const noexcept { return closed_; }
  [[nodiscard]] std::size_t depth() const noexcept { return lists_[0].size + lists_[1].size; }
  [[nodiscard]] std::size_t low_depth() const noexcept { return lists_[0].size; }
  [[nodiscard]] std::size_t delayed() const noexcept { return heap_.size(); }
  [[nodiscard]] std::size_t processing() const noexcept { return processing_; }
  // Keys with any state (pending, delayed, processing or remembered failures).
  [[nodiscard]] std::size_t size() const noexcept { return index_.size(); }
  [[nodiscard]] std::optional<time_point> next_deadline() const noexcept;
  [[nodiscard]] std::uint32_t failures(std::string_view key) const noexcept;
  [[nodiscard]] bool is_processing(std::string_view key) const noexcept;
  [[nodiscard]] bool is_pending(std::string_view key) const noexcept;  // ready, dirty or delayed
  [[nodiscard]] const work_queue_counters& counters() const noexcept { return counters_; }
  void set_hooks(work_queue_hooks hooks) { hooks_ = std::move(hooks); }

 private:
  static constexpr std::uint32_t npos = UINT32_MAX;
  static constexpr std::uint8_t no_list = 2;
  static constexpr std::uint32_t chunk_bits = 10;
  static constexpr std::uint32_t chunk_size = 1U << chunk_bits;

  struct slot {
    std::string key;
    time_point ready_since{};       // add time (or due time): queue latency and aging
    time_point processing_since{};  // work duration
    backoff_state backoff{};
    std::uint32_t prev = npos;      // intrusive ready list
    std::uint32_t next = npos;
    std::uint32_t heap_pos = npos;  // position in heap_, npos when not delayed
    std::uint8_t list = no_list;    // 0 low, 1 normal, no_list when not ready
    bool processing = false;
    bool dirty = false;             // added while processing: re-queue on done()
    priority dirty_priority = priority::low;
  };
  struct fifo {
    std::uint32_t head = npos;
    std::uint32_t tail = npos;
    std::size_t size = 0;
  };
  struct heap_entry {
    time_point deadline;
    std::uint32_t slot;
  };
  struct sv_hash {
    std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
  };

  [[nodiscard]] slot& at(std::uint32_t i) noexcept { return chunks_[i >> chunk_bits][i & (chunk_size - 1)]; }
  [[nodiscard]] const slot& at(std::uint32_t i) const noexcept {
    return chunks_[i >> chunk_bits][i & (chunk_size - 1)];
  }
  [[nodiscard]] std::uint32_t find(std::string_view key) const noexcept;
  std::uint32_t find_or_create(std::string_view key);
  void release_if_idle(std::uint32_t i);

  void push_ready(std::uint32_t i, priority p);
  void unlink(std::uint32_t i) noexcept;

  void heap_set(std::uint32_t i, time_point deadline);  // insert or move earlier
  void heap_erase(std::uint32_t i) noexcept;
  void heap_sift_up(std::size_t pos) noexcept;
  void heap_sift_down(std::size_t pos) noexcept;
  void heap_place(std::size_t pos, heap_entry e) noexcept;

  work_queue_options options_;
  random_source rng_;
  boost::unordered_flat_map<std::string_view, std::uint32_t, sv_hash> index_;  // views into slot keys
  std::vector<std::unique_ptr<slot[]>> chunks_;
  std::uint32_t slot_count_ = 0;
  std::vector<std::uint32_t> free_;
  fifo lists_[2];
  std::vector<heap_entry> heap_;
  std::size_t processing_ = 0;
  bool closed_ = false;
  work_queue_counters counters_;
  work_queue_hooks hooks_;
};

}  // namespace langop::queue
