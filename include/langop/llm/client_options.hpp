// Settings of an llm::client: retries, per-attempt timeout, metrics hook, TLS, proxy.
#pragma once

#include "langop/http/proxy.hpp"
#include "langop/http/resolver.hpp"
#include "langop/http/tls_options.hpp"
#include "langop/llm/call_record.hpp"
#include "langop/llm/retry_policy.hpp"

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>

namespace langop::llm {

// Not an aggregate (GCC 12 rule: option structs taken by coroutines).
struct client_options {
  client_options() = default;

  retry_policy retry;
  // Bounds each attempt inside the call's deadline, so one hung attempt leaves time for
  // a retry (LanguageModel spec.timeout). Zero: an attempt may use the whole deadline.
  std::chrono::milliseconds attempt_timeout{0};
  metrics_hook on_call;
  // Trust anchors etc. for https endpoints; the default (empty CA) is the system store.
  http::tls_options tls;
  // nullopt: HTTPS_PROXY / NO_PROXY from the environment when the client is made.
  std::optional<http::proxy_settings> proxy;
  // Concurrent calls on this endpoint's connections; more callers wait FIFO (inside
  // their deadline). The operator's synthesis/task concurrency caps sit above this.
  std::size_t max_requests_in_flight = 16;
  std::size_t max_response_body = 16u * 1024 * 1024;
  std::string user_agent = "langop/0.1";
  std::shared_ptr<http::resolver> dns;  // null: the system resolver
  std::uint64_t jitter_seed = 0;        // 0: seeded from std::random_device
};

}  // namespace langop::llm
