// What one LLM call reports to the operator's metrics (PURE data): the client calls a
// hook once per call (after retries), so /metrics can count LLM calls, tokens, latency
// and errors by provider and model. Carries no request content and no key.
#pragma once

#include "langop/llm/conversation.hpp"

#include <chrono>
#include <functional>
#include <optional>
#include <string>

namespace langop::llm {

struct call_record {
  std::string provider;   // "openai", "anthropic", ... (CRD spelling)
  std::string model;
  std::string operation;  // "chat" | "list_models"
  std::string outcome;    // "ok", or the llm::errc name ("rate_limited", "timeout", ...)
  int http_status = 0;    // of the last attempt; 0 when no response arrived
  int attempts = 0;
  std::chrono::milliseconds latency{0};  // the whole call, retries and waits included
  token_usage usage;                     // zero unless the chat succeeded
  std::optional<std::chrono::seconds> retry_after;  // the last Retry-After the server sent
};

// Called on the loop thread; must not throw and must not block.
using metrics_hook = std::function<void(const call_record&)>;

}  // namespace langop::llm
