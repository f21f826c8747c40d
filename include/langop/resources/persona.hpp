// LanguagePersona inheritance (PURE, SPEC 1.5): resolving a persona's parentRef chain and
// flattening it into the one persona an agent sees (env PERSONA_*, ConfigMap persona.json).
//
// Inheritance: walking from the root ancestor down to the persona itself, a scalar set
// (non-empty) in a descendant overrides its ancestors' value; lists (rules, examples,
// constraints.forbiddenTopics, constraints.requiredDisclaimers) are appended parent-first,
// keeping the first occurrence of exact duplicates.
#pragma once

#include "langop/core/json.hpp"

#include <cstddef>
#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace langop::resources {

// Longest parentRef chain accepted (the persona itself counts as 1). Deeper chains are an
// Error: they are almost certainly a mistake, and the cap bounds the work per reconcile.
inline constexpr std::size_t max_persona_depth = 16;

struct persona_example {
  std::string input;
  std::string output;
  friend bool operator==(const persona_example&, const persona_example&) = default;
};

struct persona_constraints {
  std::optional<std::int64_t> max_response_length;
  std::vector<std::string> forbidden_topics;
  std::vector<std::string> required_disclaimers;
};

struct flattened_persona {
  std::string name;  // the persona the agent references (the child), not an ancestor
  std::string display_name;
  std::string description;
  std::string system_prompt;
  std::string tone;
  std::string language;
  std::vector<std::string> rules;
  std::vector<persona_example> examples;
  persona_constraints constraints;
  std::string hash;  // SHA-256 (hex) of persona_json(*this); the persona's status.resolvedHash
};

// Why a chain could not be resolved. The controller maps these to phases: `missing` is a
// reference that may still appear (the agent's personaRef: Pending, SPEC 1.6; a persona's
// parentRef: Error per the CRD, re-checked when personas change); `cycle` and `too_deep`
// are Errors the user must fix.
enum class persona_failure { none, missing, cycle, too_deep };

struct persona_chain {
  std::vector<json::object> personas;  // the persona first, then its parent, grandparent, ...
  persona_failure failure = persona_failure::none;
  std::string missing_name;  // which persona was not found (failure == missing)
  // One sentence for status.message/events, e.g. `persona cycle: a -> b -> a`,
  // `parent persona "base" of "support" not found`, `persona "x" not found`.
  std::string message;
  [[nodiscard]] bool ok() const noexcept { return failure == persona_failure::none; }
};

// Looks a persona up by name in the namespace being resolved; nullptr when it does not
// exist. Called at most max_persona_depth + 1 times.
using persona_lookup = std::function<const json::object*(std::string_view name)>;

// Follows spec.parentRef.name from `name` with cycle detection and the depth cap. The
// returned objects are copies (the cache may change after the call).
[[nodiscard]] persona_chain resolve_persona_chain(std::string_view name, const persona_lookup& lookup);

// Flattens a chain as returned by resolve_persona_chain (child first). Fields of the wrong
// JSON type are ignored rather than failing: the CRD schema already rejects them. An empty
// chain yields an empty persona (with its hash).
[[nodiscard]] flattened_persona flatten_persona(const std::vector<json::object>& chain_child_first);

// The canonical JSON of a flattened persona, in LanguagePersona spec shape plus the name:
// {name, displayName, description, systemPrompt, tone, language, rules[], examples[{input,
// output}], constraints{maxResponseLength, forbiddenTopics[], requiredDisclaimers[]}}, keys
// in that order, empty values omitted, no hash. Written as persona.json in "<agent>-config".
[[nodiscard]] json::object persona_json(const flattened_persona& p);

// PERSONA_SYSTEM_PROMPT: the persona as one system message. Format (sections omitted when
// empty, no trailing newline; continuation lines of multi-line items indented by 2):
//
//   <systemPrompt, trailing whitespace removed>
//
//   Rules:
//   - <rule>
//   ...
//
//   Constraints:
//   - Keep every answer under <maxResponseLength> characters.
//   - Do not discuss: <topic>
//   - Include this disclaimer when relevant: <disclaimer>
//
// Tone, language and examples have their own variables / persona.json and are not repeated.
[[nodiscard]] std::string persona_system_prompt(const flattened_persona& p);

}  // namespace langop::resources
