// One entry per kind: adds the indexes its mappings need, its controller and its watches.
#pragma once

#include "shared.hpp"

namespace langop::controllers {

void setup_cluster(shared& s);
void setup_persona(shared& s);
void setup_model(shared& s);
void setup_tool(shared& s);
void setup_agent(shared& s);
void setup_client(shared& s);

// Index names shared between kinds.
inline constexpr std::string_view index_agent_models = "agent-models";      // "ns/model"
inline constexpr std::string_view index_agent_tools = "agent-tools";        // "ns/tool"
inline constexpr std::string_view index_agent_persona = "agent-persona";    // "ns/persona"
inline constexpr std::string_view index_agent_secrets = "agent-secrets";    // "ns/secret"
inline constexpr std::string_view index_persona_parent = "persona-parent";  // "ns/persona"
inline constexpr std::string_view index_model_secret = "model-secret";      // "ns/secret"
inline constexpr std::string_view index_model_fallbacks = "model-fallbacks";  // "ns/model"
inline constexpr std::string_view index_client_agent = "client-agent";      // "ns/agent"
inline constexpr std::string_view index_client_secret = "client-secret";    // "ns/secret"
inline constexpr std::string_view index_cluster_namespace = "cluster-namespace";  // "namespace"

// Object keys of every change's previous and current versions (a reference removed by an
// update must still reach the object it no longer references).
void emit_both(const informer::change& c, const std::function<void(const informer::cached_object&)>& fn);

}  // namespace langop::controllers
