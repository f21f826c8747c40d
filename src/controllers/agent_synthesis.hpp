// The synthesis step of the LanguageAgent reconcile (SPEC 1.9): decides from the
// "<agent>-code" ConfigMap's hash annotations whether the LLM must be asked, polls the
// synthesis service (never waits for it), writes the ConfigMap when the answer is there,
// and says what the agent's status shows: the Synthesized condition and status.synthesis.
// With synthesis disabled (no model) or no instructions it does nothing at all.
#pragma once

#include "agent_resolve.hpp"

#include <chrono>
#include <optional>

namespace langop::controllers {

struct synthesis_report {
  std::optional<condition> synthesized;   // nullopt: synthesis does not apply to this agent
  std::optional<json::value> status;      // status.synthesis (carried over when unchanged)
  std::optional<std::chrono::seconds> retry_after;  // a failed synthesis is tried again then
};

[[nodiscard]] boost::asio::awaitable<result<synthesis_report>> reconcile_synthesis(shared& s,
                                                                                   const informer::cached_object& obj,
                                                                                   const agent_resolution& r);

// Creates the synthesis service when a model is configured (logs and stays disabled when
// the settings are unusable) and wakes the agent controller when a job lands.
void setup_synthesis(shared& s, runtime::controller& agents);

}  // namespace langop::controllers
