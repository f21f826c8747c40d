#include "langop/llm/retry_policy.hpp"

#include <algorithm>
#include <cmath>

namespace langop::llm {

std::optional<std::chrono::milliseconds> retry_delay(const retry_policy& p, int attempts_made, errc code,
                                                     std::optional<std::chrono::seconds> retry_after,
                                                     double unit_random) noexcept {
  using std::chrono::milliseconds;
  if (!is_retryable(code) || attempts_made >= p.max_attempts) return std::nullopt;
  if (retry_after && (code == errc::rate_limited || code == errc::server_error)) {
    // The server said when: earlier is pointless, and far later is the caller's business.
    auto wait = std::chrono::duration_cast<milliseconds>(*retry_after);
    if (wait > p.max_retry_after) return std::nullopt;
    return wait;
  }
  // initial * 2^(n-1), capped; the shift is bounded so it cannot overflow.
  const int doublings = std::clamp(attempts_made - 1, 0, 30);
  auto base = p.initial_backoff.count() > 0 ? p.initial_backoff : milliseconds(0);
  milliseconds delay = base;
  for (int i = 0; i < doublings && delay < p.max_backoff; ++i) delay *= 2;
  delay = std::min(delay, p.max_backoff);
  const double jitter = std::clamp(p.jitter, 0.0, 1.0);
  const double u = std::clamp(unit_random, 0.0, 1.0);
  // Subtractive jitter keeps the cap a true upper bound.
  return milliseconds(std::llround(static_cast<double>(delay.count()) * (1.0 - jitter * u)));
}

}  // namespace langop::llm
