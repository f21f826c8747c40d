// LLM call metrics for /metrics (SPEC 2): a metrics_hook that counts calls by outcome
// (errors are the outcomes other than "ok"), tokens, attempts and latency per provider
// and model. The families are registered once per registry; every client may share them.
#pragma once

#include "langop/llm/call_record.hpp"

namespace langop::obs {
class registry;
}

namespace langop::llm {

// The registry must outlive every client holding the hook.
[[nodiscard]] metrics_hook call_metrics(obs::registry& metrics);

}  // namespace langop::llm
