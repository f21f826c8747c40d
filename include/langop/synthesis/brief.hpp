// What the synthesizer knows about one agent (PURE data): the agent's own words
// (instructions, goal, mode, schedule), the tools and models it may use and its persona.
// The controller fills it from the resolved agent; the prompt, the validation and the
// change-detection hashes are all computed from it, so they can never disagree.
#pragma once

#include "langop/core/json.hpp"

#include <string>
#include <vector>

namespace langop::synthesis {

// One function a tool server offers (LanguageTool status.tools, discovered over MCP).
struct tool_function {
  std::string name;
  std::string description;
  json::value input_schema;  // null when unknown
};

struct tool_brief {
  std::string name;         // the LanguageTool (what use_tool names)
  std::string description;  // spec.description when present
  std::vector<tool_function> functions;  // empty until discovery reported them
};

struct model_brief {
  std::string name;   // the LanguageModel
  std::string model;  // provider model id
  std::string role;   // primary, fallback, ...
};

struct agent_brief {
  std::string name;
  std::string ns;
  std::string instructions;
  std::string goal;
  std::string mode;      // normalized execution mode
  std::string schedule;  // cron, scheduled mode only
  std::vector<tool_brief> tools;
  std::vector<model_brief> models;
  std::string persona_name;    // empty: no persona
  std::string persona_prompt;  // the flattened persona's system prompt (rules, constraints)
  std::string persona_hash;    // flattened persona hash; empty without persona
};

// Tool names code may pass to use_tool: each LanguageTool and each discovered function.
[[nodiscard]] std::vector<std::string> known_tool_names(const agent_brief& b);

}  // namespace langop::synthesis
