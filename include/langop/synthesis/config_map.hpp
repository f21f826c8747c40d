// The "<agent>-code" ConfigMap (PURE, SPEC 1.6/1.9): agent.rb, persona.txt when a persona
// was distilled, and the change-detection annotations. Owned by the agent.
#pragma once

#include "langop/core/json.hpp"
#include "langop/synthesis/change.hpp"

#include <optional>
#include <string>

namespace langop::synthesis {

struct code_contents {
  std::string code;
  std::optional<std::string> persona;  // persona.txt
  input_hashes hashes;
  std::string synthesized_at;  // RFC 3339, when the code was written
  json::object info;           // status.synthesis of this code
};

[[nodiscard]] json::object code_config_map(const json::object& agent, const code_contents& c);

}  // namespace langop::synthesis
