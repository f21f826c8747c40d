// The demo's built-in model (langop-fake-llm): deterministic answers shaped like a real
// model's for the operator's prompts — synthesis gets a fenced Ruby DSL block for the
// agent named in the prompt, persona distillation a short system message, task loops a
// tool call and then a final answer — so the README demo runs with no provider account.
#pragma once

#include "fakes/llm_server.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace langop::test {

// Rules in the order the demo server installs them; the last always answers
// (demo_default_answer).
[[nodiscard]] std::vector<llm_rule> demo_rules();
[[nodiscard]] llm_answer demo_default_answer(const llm_request_view& v);

// The agent name a synthesis prompt asks for: "Agent name: x", "agent_name: x",
// "AGENT_NAME=x", "agent named x" / "agent called x", else the last agent '<x>' header
// in the user turn; nullopt when none is found.
[[nodiscard]] std::optional<std::string> agent_name_from_prompt(std::string_view prompt);

// `agent '<name>' do … end` in the seeds' DSL, with the instructions as the objective
// and the schedule when one is given; fenced as ```ruby.
[[nodiscard]] std::string demo_agent_code(std::string_view name, std::string_view instructions,
                                          std::string_view schedule);

}  // namespace langop::test
