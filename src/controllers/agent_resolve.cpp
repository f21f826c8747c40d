#include "agent_resolve.hpp"

#include "langop/resources/common.hpp"
#include "reconcile_common.hpp"

namespace langop::controllers {

namespace {

std::string quoted(std::string_view kind, std::string_view name) {
  return std::string(kind) + " \"" + std::string(name) + "\"";
}

bool model_ready(const informer::cached_object& m) { return m["status"].find("phase").as_string() == "Ready"; }

// Service tools run pods and must be Running; sidecar and builtin tools are ready once
// the tool controller accepted them (their pods are the agent's own).
bool tool_ready(const informer::cached_object& t) {
  auto phase = t["status"].find("phase").as_string();
  return phase == "Running" || phase == "Updating";
}

void resolve_models(const shared& s, const informer::cached_object& agent, agent_resolution& r) {
  for (auto ref : agent["spec"].find("modelRefs").elements()) {
    auto name = ref.find("name").as_string();
    auto m = s.models->store().get(agent.ns(), name);
    r.versions.append("m:").append(name).append("@").append(m ? m->resource_version() : "-").append(";");
    if (!m) {
      r.pending.push_back(quoted("model", name) + " not found");
      continue;
    }
    if (!model_ready(*m)) {
      r.pending.push_back(quoted("model", name) + " not ready");
      continue;
    }
    auto model = to_object(*m);
    r.models.push_back(resources::resolve_model(model, ref.find("role").as_string("primary")));
    resources::egress_peer peer;
    peer.pod_selector = resources::selector_labels(resources::owner_of(model));
    peer.port = m->root().at_path({"spec", "proxy", "port"}).as_int64(8000);
    r.peers.push_back(std::move(peer));
  }
}

void resolve_tools(const shared& s, const informer::cached_object& agent, agent_resolution& r) {
  for (auto ref : agent["spec"].find("toolRefs").elements()) {
    auto name = ref.find("name").as_string();
    auto t = s.tools->store().get(agent.ns(), name);
    r.versions.append("t:").append(name).append("@").append(t ? t->resource_version() : "-").append(";");
    if (!t) {
      r.pending.push_back(quoted("tool", name) + " not found");
      continue;
    }
    if (!tool_ready(*t)) {
      r.pending.push_back(quoted("tool", name) + " not ready");
      continue;
    }
    r.tools.push_back(to_object(*t));
    auto tool = resources::resolve_tool(r.tools.back());
    if (tool.mode == resources::tool_mode::service) {
      resources::egress_peer peer;
      peer.pod_selector = resources::selector_labels(resources::owner_of(r.tools.back()));
      peer.port = tool.port;
      r.peers.push_back(std::move(peer));
    }
    r.resolved_tools.push_back(std::move(tool));
  }
}

void resolve_persona(const shared& s, const informer::cached_object& agent, agent_resolution& r) {
  auto name = agent["spec"].find("personaRef").find("name").as_string();
  if (name.empty()) return;
  r.versions.append("p:");
  auto chain = persona_chain_of(s, agent.ns(), name, &r.versions);
  if (chain.failure == resources::persona_failure::missing) r.pending.push_back(chain.message);
  else if (!chain.ok()) r.failed.push_back(chain.message);
  else r.persona = resources::flatten_persona(chain.personas);
}

}  // namespace

resources::agent_inputs agent_resolution::inputs() const {
  resources::agent_inputs in{agent, models, resolved_tools, persona};
  return in;
}

agent_resolution resolve_agent(const shared& s, const informer::cached_object& agent) {
  agent_resolution r;
  r.agent = to_object(agent);
  bool cluster_pending = false;
  if (auto why = cluster_mismatch(s, agent, cluster_pending))
    (cluster_pending ? r.pending : r.failed).push_back(*why);
  resolve_models(s, agent, r);
  resolve_tools(s, agent, r);
  resolve_persona(s, agent, r);
  if (r.pending.empty() && r.failed.empty())
    for (auto& p : resources::agent_problems(r.inputs())) r.failed.push_back(std::move(p));
  return r;
}

}  // namespace langop::controllers
