// Resolving a LanguageAgent's references from the caches (SPEC 1.6): models, tools,
// persona and cluster. A missing or not-ready reference makes the agent Pending (the
// message names it); a reference that can never work (persona cycle, cluster that does
// not manage the namespace) makes it Failed.
#pragma once

#include "langop/resources/agent.hpp"
#include "langop/resources/egress.hpp"
#include "shared.hpp"

#include <deque>
#include <optional>
#include <string>
#include <vector>

namespace langop::controllers {

struct agent_resolution {
  json::object agent;              // the agent as served
  std::deque<json::object> tools;  // copies the resolved tools point into (stable addresses)
  std::vector<resources::resolved_model> models;
  std::vector<resources::resolved_tool> resolved_tools;
  std::optional<resources::flattened_persona> persona;
  std::vector<resources::egress_peer> peers;  // pods the agent may reach
  std::vector<std::string> pending;  // "model \"x\" not found", ...
  std::vector<std::string> failed;   // problems the user must fix
  // "kind:name@resourceVersion;" of every model, tool and persona read: with the agent's
  // generation, what the children are built from (agent_children_fingerprint).
  std::string versions;

  [[nodiscard]] resources::agent_inputs inputs() const;
};

[[nodiscard]] agent_resolution resolve_agent(const shared& s, const informer::cached_object& agent);

}  // namespace langop::controllers
