// Smart change detection (PURE, SPEC 1.9): four SHA-256 hashes of what the code depends
// on, stored as annotations on the "<agent>-code" ConfigMap, compared with the agent's
// current inputs. The decision uses only the stored annotations, so a restarted operator
// reaches the same decision and makes no LLM call when nothing changed.
//
//   instructions changed (or no code yet)  -> synthesize (and distill a persona, if any)
//   persona changed                         -> distill the persona only; code kept
//   tools or models changed                 -> no LLM call: annotations rewritten
//                                              (the env carries the new tools/models)
//   nothing changed                         -> nothing
#pragma once

#include "langop/core/json.hpp"
#include "langop/synthesis/brief.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace langop::synthesis {

inline constexpr std::string_view instructions_hash_annotation = "langop.io/instructions-hash";
inline constexpr std::string_view tools_hash_annotation = "langop.io/tools-hash";
inline constexpr std::string_view models_hash_annotation = "langop.io/models-hash";
inline constexpr std::string_view persona_hash_annotation = "langop.io/persona-hash";
inline constexpr std::string_view synthesized_at_annotation = "langop.io/synthesized-at";
// status.synthesis of the code stored (JSON): the agent's status is derived from the
// ConfigMap, so it survives restarts and a stale cache can never erase it.
inline constexpr std::string_view synthesis_info_annotation = "langop.io/synthesis";
inline constexpr std::string_view code_key = "agent.rb";
inline constexpr std::string_view persona_key = "persona.txt";

struct input_hashes {
  std::string instructions;  // instructions, goal, mode, schedule and the agent's name
  std::string tools;         // tool names and their discovered functions
  std::string models;        // model names, ids and roles
  std::string persona;       // the flattened persona; "" without persona
  bool operator==(const input_hashes&) const = default;
};

[[nodiscard]] input_hashes hash_inputs(const agent_brief& b);

// What the code ConfigMap holds, read from its annotations and data keys.
struct stored_code {
  input_hashes hashes;
  bool has_code = false;
  bool has_persona = false;
  std::string synthesized_at;
  json::object info;  // status.synthesis; empty when the annotation is missing or garbled
};
// nullopt when `config_map` is null / not an object.
[[nodiscard]] std::optional<stored_code> read_stored(const json::value& config_map);

struct plan {
  bool synthesize = false;          // LLM call: new code
  bool distill_persona = false;     // LLM call: new persona.txt
  bool drop_persona = false;        // persona removed: persona.txt goes, no call
  bool rewrite_annotations = false;  // tools/models hash changed: no call
  [[nodiscard]] bool nothing() const noexcept {
    return !synthesize && !distill_persona && !drop_persona && !rewrite_annotations;
  }
  [[nodiscard]] bool calls_llm() const noexcept { return synthesize || distill_persona; }
};

[[nodiscard]] plan decide(const std::optional<stored_code>& stored, const input_hashes& now);

}  // namespace langop::synthesis
