// ConfigMap "<name>-config", the references the pod reads, and the config hash that rolls
// the pods when any of it changes.
#include "agent_detail.hpp"

#include "langop/resources/names.hpp"

#include <set>

namespace langop::resources {
namespace {

void put(json::object& o, std::string_view key, std::string_view v) {
  if (!v.empty()) o[key] = v;
}

// The names of a list of {name} references, in order.
json::array ref_names(const json::object& spec, std::string_view key) {
  json::array out;
  if (const auto* refs = detail::non_empty_array(spec, key))
    for (const auto& r : *refs)
      if (r.is_object())
        if (auto n = jsonu::get_string(r.get_object(), "name"); !n.empty()) out.emplace_back(n);
  return out;
}

bool requires_approval(const json::object& spec, std::string_view tool) {
  if (const auto* refs = detail::non_empty_array(spec, "toolRefs"))
    for (const auto& r : *refs)
      if (r.is_object() && jsonu::get_string(r.get_object(), "name") == tool) {
        const auto* a = r.get_object().if_contains("requireApproval");
        return a && a->is_bool() && a->get_bool();
      }
  return false;
}

json::object agent_json(const agent_inputs& in) {
  const json::object& spec = detail::agent_spec(in.agent);
  const std::string_view ns = detail::agent_namespace(in.agent);
  json::object o;
  put(o, "name", detail::agent_name(in.agent));
  put(o, "namespace", ns);
  put(o, "mode", agent_execution_mode(in.agent));
  if (agent_is_scheduled(in.agent)) put(o, "schedule", jsonu::get_string(spec, "schedule"));
  put(o, "instructions", jsonu::get_string(spec, "instructions"));
  put(o, "goal", jsonu::get_string(spec, "goal"));
  o["maxIterations"] = detail::agent_max_iterations(in.agent);
  o["timeout"] = detail::agent_timeout(in.agent);
  o["timeoutSeconds"] = detail::agent_timeout_seconds(in.agent);
  if (const auto* b = detail::non_empty_object(spec, "budget")) o["budget"] = *b;
  if (!in.models.empty()) {
    json::array models;
    for (const auto& m : in.models)
      models.push_back(json::object{{"name", m.name}, {"url", m.url}, {"model", m.model},
                                    {"role", m.role.empty() ? std::string("primary") : m.role}});
    o["models"] = std::move(models);
  }
  if (!in.tools.empty()) {
    json::array tools;
    for (const auto& t : in.tools) {
      json::object e{{"name", t.name}, {"mode", detail::mode_name(t.mode)}};
      put(e, "url", detail::url_of(t, ns));
      if (requires_approval(spec, t.name)) e["requireApproval"] = true;
      tools.push_back(std::move(e));
    }
    o["tools"] = std::move(tools);
  }
  if (auto subs = ref_names(spec, "subAgents"); !subs.empty()) o["subAgents"] = std::move(subs);
  if (auto chans = ref_names(spec, "humanContactChannels"); !chans.empty())
    o["humanContactChannels"] = std::move(chans);
  if (agent_workspace_enabled(in.agent))
    o["workspace"] = json::object{{"mountPath", detail::workspace_mount_path(in.agent)}};
  return o;
}

void collect_refs(const json::value& containers, std::set<std::string>& secrets, std::set<std::string>& config_maps) {
  if (!containers.is_array()) return;
  auto name_at = [](const json::value& v, std::initializer_list<std::string_view> path) {
    return std::string(jsonu::get_string(v, path));
  };
  for (const auto& c : containers.get_array()) {
    if (const auto* env = jsonu::find(c, {"env"}); env && env->is_array())
      for (const auto& e : env->get_array()) {
        if (auto s = name_at(e, {"valueFrom", "secretKeyRef", "name"}); !s.empty()) secrets.insert(s);
        if (auto m = name_at(e, {"valueFrom", "configMapKeyRef", "name"}); !m.empty()) config_maps.insert(m);
      }
    if (const auto* from = jsonu::find(c, {"envFrom"}); from && from->is_array())
      for (const auto& f : from->get_array()) {
        if (auto s = name_at(f, {"secretRef", "name"}); !s.empty()) secrets.insert(s);
        if (auto m = name_at(f, {"configMapRef", "name"}); !m.empty()) config_maps.insert(m);
      }
  }
}

json::object versions(const std::map<std::string, std::string>& m) {
  json::object o;
  for (const auto& [name, version] : m) o[name] = version;
  return o;
}

}  // namespace

json::object agent_config_map(const agent_inputs& in) {
  const std::string name(detail::agent_name(in.agent));
  json::object data;
  data["agent.json"] = jsonu::dump(agent_json(in));
  if (in.persona) data["persona.json"] = jsonu::dump(persona_json(*in.persona));
  json::object cm;
  cm["apiVersion"] = "v1";
  cm["kind"] = "ConfigMap";
  cm["metadata"] = child_metadata(owner_of(in.agent), agent_config_map_name(name), detail::agent_namespace(in.agent));
  cm["data"] = std::move(data);
  return cm;
}

pod_references agent_pod_references(const agent_inputs& in) { return agent_pod_references(in, agent_prebuild(in)); }

pod_references agent_pod_references(const agent_inputs& in, const agent_parts& parts) {
  std::set<std::string> secrets, config_maps;
  for (std::string_view list : {"containers", "initContainers"})
    if (const auto* cs = parts.pod_spec.if_contains(list)) collect_refs(*cs, secrets, config_maps);
  // langop's own ConfigMaps are hashed by content, not by version.
  const std::string name(detail::agent_name(in.agent));
  config_maps.erase(agent_config_map_name(name));
  config_maps.erase(agent_code_config_map_name(name));
  return {{secrets.begin(), secrets.end()}, {config_maps.begin(), config_maps.end()}};
}

agent_parts agent_prebuild(const agent_inputs& in) { return {detail::agent_pod_spec(in), agent_config_map(in)}; }

std::string agent_config_hash(const agent_inputs& in, const config_hash_extra& extra) {
  return agent_config_hash(agent_prebuild(in), extra);
}

std::string agent_config_hash(const agent_parts& parts, const config_hash_extra& extra) {
  json::object h;
  h["v"] = 1;  // bump when the hashed layout changes on purpose
  h["pod"] = parts.pod_spec;
  const auto* data = parts.config_map.if_contains("data");
  h["config"] = data ? *data : json::value();
  h["secrets"] = versions(extra.secret_versions);
  h["configMaps"] = versions(extra.config_map_versions);
  h["code"] = extra.code_hash;
  return content_hash(h);
}

}  // namespace langop::resources
