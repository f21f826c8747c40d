// When and how long to wait before sending an LLM call again (PURE): bounded attempts,
// exponential backoff with jitter on 5xx / timeouts / network errors, and the server's
// Retry-After on 429/503 up to a cap. The client also never sleeps past the deadline.
#pragma once

#include "langop/llm/errc.hpp"

#include <chrono>
#include <optional>

namespace langop::llm {

// Defaults are the LanguageModel's retryPolicy defaults (maxAttempts 3, initialBackoff
// 1s, maxBackoff 30s). Not an aggregate (GCC 12 rule).
struct retry_policy {
  retry_policy() = default;

  int max_attempts = 3;  // including the first; 1 disables retries
  std::chrono::milliseconds initial_backoff{1000};
  std::chrono::milliseconds max_backoff{30000};
  // A Retry-After longer than this is not waited for: the call fails fast with
  // rate_limited, and the caller's own (per-key) backoff takes over.
  std::chrono::milliseconds max_retry_after{60000};
  // Fraction of the exponential delay drawn at random, so synchronized callers spread.
  double jitter = 0.5;
};

// The wait before the next attempt after attempt number `attempts_made` (1-based) failed
// with `code`, or nullopt when the call must stop: not retryable, attempts exhausted,
// or Retry-After over the cap. `retry_after` is the server's header (429/503);
// `unit_random` is uniform in [0, 1) and scales the jitter.
[[nodiscard]] std::optional<std::chrono::milliseconds> retry_delay(const retry_policy& p, int attempts_made, errc code,
                                                                   std::optional<std::chrono::seconds> retry_after,
                                                                   double unit_random) noexcept;

}  // namespace langop::llm
