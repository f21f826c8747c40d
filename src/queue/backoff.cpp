#include "langop/queue/backoff.hpp"

#include <algorithm>

namespace langop::queue {

using namespace std::chrono_literals;

backoff_params work_queue_backoff() noexcept {
  return {.base = 5ms, .cap = 5min, .jitter = jitter_mode::full, .reset_after = {}};
}

backoff_params watcher_backoff() noexcept {
  return {.base = 800ms, .cap = 30s, .jitter = jitter_mode::decorrelated, .reset_after = 2min};
}

std::uint64_t random_source::next() noexcept {
  // splitmix64 (Steele, Lea, Flood): full period, good enough avalanche for jitter.
  std::uint64_t z = (state_ += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

duration random_source::between(duration lo, duration hi) noexcept {
  if (hi <= lo) return lo;
  // Spans are at most minutes in nanoseconds (< 2^53), so the double is exact enough.
  const auto span = static_cast<double>((hi - lo).count());
  auto offset = static_cast<duration::rep>(unit() * (span + 1.0));
  return lo + std::min(duration{offset}, hi - lo);
}

duration exponential_delay(duration base, duration cap, std::uint32_t n) noexcept {
  if (base <= duration::zero() || cap <= duration::zero()) return std::max(duration::zero(), std::min(base, cap));
  if (base >= cap) return cap;
  // base << n would overflow or exceed cap: compare against cap >> n instead.
  if (n >= 62 || base.count() > (cap.count() >> n)) return cap;
  return std::min(cap, duration{base.count() << n});
}

duration next_delay(const backoff_params& p, backoff_state& state, random_source& rng) noexcept {
  const duration floor = std::min(p.base, p.cap);
  const duration d = exponential_delay(p.base, p.cap, state.failures);
  duration out = d;
  switch (p.jitter) {
    case jitter_mode::none:
      break;
    case jitter_mode::full:
      out = rng.between(floor, d);
      break;
    case jitter_mode::equal:
      out = rng.between(d / 2, d);
      break;
    case jitter_mode::decorrelated: {
      const duration prev = state.last > duration::zero() ? state.last : floor;
      // 3 * prev cannot overflow: prev <= cap, and caps are minutes.
      out = std::min(p.cap, rng.between(floor, std::max(floor, 3 * prev)));
      break;
    }
  }
  if (state.failures != UINT32_MAX) ++state.failures;
  state.last = out;
  return out;
}

duration backoff::next(time_point now) noexcept {
  if (params_.reset_after > duration::zero() && state_.failures > 0 && now - last_failure_ >= params_.reset_after) {
    state_ = {};
  }
  last_failure_ = now;
  return next_delay(params_, state_, rng_);
}

}  // namespace langop::queue
