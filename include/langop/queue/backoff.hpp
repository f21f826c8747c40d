// Exponential backoff with jitter (PURE): the delay math shared by the work queue
// (per-key retries) and the watcher (one stream of list/watch failures).
#pragma once

#include <chrono>
#include <cstdint>

namespace langop::queue {

using clock = std::chrono::steady_clock;
using time_point = clock::time_point;
using duration = clock::duration;

// How a raw exponential delay d = min(cap, base * 2^n) is spread out, so that many
// keys (or many operators) that failed together do not retry together.
enum class jitter_mode : std::uint8_t {
  none,          // exactly d: only for tests and callers that add their own jitter
  full,          // uniform in [base, d]: AWS "full jitter", floored at base so it is never 0
  equal,         // uniform in [d/2, d]: keeps at least half of the growth
  decorrelated,  // min(cap, uniform in [base, 3 * previous])  (AWS "decorrelated jitter")
};

struct backoff_params {
  duration base;
  duration cap;
  jitter_mode jitter = jitter_mode::full;
  // A failure streak is forgotten when no failure happened for this long (0 = never):
  // a stream that was healthy for a while starts again from `base`. Must exceed `cap`,
  // or a continuously failing stream would reset itself while waiting.
  duration reset_after{};
};

// Work queue retries: 5 ms doubling to 5 min, full jitter; reset by forget() on success.
[[nodiscard]] backoff_params work_queue_backoff() noexcept;
// Watch/list failures: 0.8 s to 30 s, decorrelated jitter, reset after 2 min without failure.
[[nodiscard]] backoff_params watcher_backoff() noexcept;

// A small deterministic generator (splitmix64). Seeded explicitly so that every
// jittered sequence is reproducible in tests; not for anything security related.
class random_source final {
 public:
  explicit random_source(std::uint64_t seed = 0x6c616e676f70ULL) noexcept : state_(seed) {}

  [[nodiscard]] std::uint64_t next() noexcept;
  // Uniform in [0, 1).
  [[nodiscard]] double unit() noexcept { return static_cast<double>(next() >> 11) * 0x1.0p-53; }
  // Uniform in [lo, hi] (lo when hi <= lo).
  [[nodiscard]] duration between(duration lo, duration hi) noexcept;

 private:
  std::uint64_t state_;
};

// The failure memory of one key or stream: how many consecutive failures and the last
// delay handed out (decorrelated jitter grows from it).
struct backoff_state {
  std::uint32_t failures = 0;
  duration last{};
};

// min(cap, base * 2^n) without overflow.
[[nodiscard]] duration exponential_delay(duration base, duration cap, std::uint32_t n) noexcept;

// Records one more failure in `state` and returns the delay before the next attempt.
// Always within [min(base, cap), cap] (the `equal` mode may go down to base/2).
[[nodiscard]] duration next_delay(const backoff_params& params, backoff_state& state,
                                  random_source& rng) noexcept;

// One failure stream (a watcher): next_delay() plus the time-based reset of
// `reset_after`, judged with the explicit `now` of each failure.
class backoff final {
 public:
  explicit backoff(backoff_params params, std::uint64_t seed = 0x6c616e676f70ULL) noexcept
      : params_(params), rng_(seed) {}

  // A failure happened at `now`: the delay to wait before retrying.
  [[nodiscard]] duration next(time_point now) noexcept;
  // Success that proves health (e.g. a caller's own criterion): start again from base.
  void reset() noexcept { state_ = {}; }

  [[nodiscard]] std::uint32_t failures() const noexcept { return state_.failures; }
  [[nodiscard]] const backoff_params& params() const noexcept { return params_; }

 private:
  backoff_params params_;
  random_source rng_;
  backoff_state state_;
  time_point last_failure_{};
};

}  // namespace langop::queue
