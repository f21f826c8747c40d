// The synthesis and persona-distillation prompts (PURE, SPEC 1.9). The system turn fixes
// the target (the seeds' Ruby DSL, with examples); the user turn carries the agent's
// brief. A retry after invalid code appends the rejected answer and the validation error,
// so the model sees what to fix.
#pragma once

#include "langop/llm/conversation.hpp"
#include "langop/synthesis/brief.hpp"

#include <string>
#include <string_view>

namespace langop::synthesis {

// The first request of a synthesis.
[[nodiscard]] llm::chat_request code_request(const agent_brief& b);

// `req` extended for another attempt: the model's previous answer and why it was
// rejected ("validation failed: ...; answer again with the whole corrected file").
void add_retry_turn(llm::chat_request& req, std::string previous_answer, std::string_view validation_error);

// Persona distillation: a short call that condenses the persona into one system message
// for the agent (stored as persona.txt). Requires b.persona_name to be set.
[[nodiscard]] llm::chat_request persona_request(const agent_brief& b);

}  // namespace langop::synthesis
