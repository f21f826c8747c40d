#include "langop/llm/call_metrics.hpp"

#include "langop/obs/registry.hpp"

namespace langop::llm {

metrics_hook call_metrics(obs::registry& metrics) {
  auto& calls = metrics.counter("langop_llm_calls_total", "LLM calls (after retries) by provider, model, operation and outcome",
                                {"provider", "model", "operation", "outcome"});
  auto& tokens = metrics.counter("langop_llm_tokens_total", "LLM tokens used by provider, model and type (prompt, completion)",
                                 {"provider", "model", "type"});
  auto& attempts = metrics.counter("langop_llm_attempts_total", "HTTP attempts of LLM calls (retries included)",
                                   {"provider"});
  auto& latency = metrics.histogram("langop_llm_call_duration_seconds",
                                    "LLM call latency, retries and Retry-After waits included", {"provider", "operation"},
                                    obs::exponential_buckets(0.05, 2, 14));
  return [&calls, &tokens, &attempts, &latency](const call_record& r) {
    calls.with({{"provider", r.provider}, {"model", r.model}, {"operation", r.operation}, {"outcome", r.outcome}}).inc();
    if (r.usage.prompt_tokens > 0)
      tokens.with({{"provider", r.provider}, {"model", r.model}, {"type", "prompt"}})
          .inc(static_cast<double>(r.usage.prompt_tokens));
    if (r.usage.completion_tokens > 0)
      tokens.with({{"provider", r.provider}, {"model", r.model}, {"type", "completion"}})
          .inc(static_cast<double>(r.usage.completion_tokens));
    attempts.with({{"provider", r.provider}}).inc(static_cast<double>(r.attempts));
    latency.with({{"provider", r.provider}, {"operation", r.operation}}).observe(r.latency);
  };
}

}  // namespace langop::llm
