// The env contract between langop and agent images (SPEC 1.6): the only interface, so any
// language can implement an agent.
#include "agent_detail.hpp"

#include <algorithm>

namespace langop::resources {
namespace {

void add(json::array& env, std::string_view name, std::string_view value) {
  // An empty value is dropped by the API server; omitting the variable keeps our object
  // equal to what the server returns.
  if (value.empty()) return;
  env.push_back(json::object{{"name", name}, {"value", value}});
}

std::string mcp_servers(const agent_inputs& in) {
  const std::string_view ns = detail::agent_namespace(in.agent);
  json::array a;
  for (const auto& t : in.tools) {
    if (t.mode == tool_mode::builtin) continue;  // run in-process by task loops, not MCP
    a.push_back(json::object{{"name", t.name}, {"url", detail::url_of(t, ns)}});
  }
  return jsonu::dump(a);
}

std::string model_endpoints(const agent_inputs& in) {
  json::array a;
  for (const auto& m : in.models)
    a.push_back(json::object{{"name", m.name}, {"url", m.url}, {"model", m.model},
                             {"role", m.role.empty() ? std::string("primary") : m.role}});
  return jsonu::dump(a);
}

// langop's variables, in contract order.
json::array langop_env(const agent_inputs& in) {
  const json::object& spec = detail::agent_spec(in.agent);
  json::array env;
  add(env, "AGENT_NAME", detail::agent_name(in.agent));
  add(env, "AGENT_NAMESPACE", detail::agent_namespace(in.agent));
  add(env, "AGENT_MODE", agent_execution_mode(in.agent));
  add(env, "INSTRUCTIONS", jsonu::get_string(spec, "instructions"));
  add(env, "AGENT_GOAL", jsonu::get_string(spec, "goal"));
  add(env, "MCP_SERVERS", mcp_servers(in));
  add(env, "MODEL_ENDPOINTS", model_endpoints(in));
  if (in.persona) {
    const auto& p = *in.persona;
    add(env, "PERSONA_NAME", p.name);
    add(env, "PERSONA_DESCRIPTION", p.description);
    add(env, "PERSONA_SYSTEM_PROMPT", persona_system_prompt(p));
    add(env, "PERSONA_TONE", p.tone);
    add(env, "PERSONA_LANGUAGE", p.language);
  }
  add(env, "AGENT_CODE_PATH", agent_code_path);
  add(env, "AGENT_MAX_ITERATIONS", std::to_string(detail::agent_max_iterations(in.agent)));
  add(env, "AGENT_TIMEOUT", detail::agent_timeout(in.agent));
  add(env, "AGENT_TIMEOUT_SECONDS", std::to_string(detail::agent_timeout_seconds(in.agent)));
  if (const auto* b = spec.if_contains("budget"); b && b->is_object()) {
    if (auto t = jsonu::get_int(*b, {"maxTokens"}); t && *t > 0) add(env, "AGENT_MAX_TOKENS", std::to_string(*t));
    add(env, "AGENT_MAX_COST_USD", jsonu::get_string(b->get_object(), "maxCostUSD"));
  }
  if (agent_workspace_enabled(in.agent)) add(env, "AGENT_WORKSPACE", detail::workspace_mount_path(in.agent));
  return env;
}

bool defines(const json::array& env, std::string_view name) {
  return std::any_of(env.begin(), env.end(), [&](const json::value& e) {
    return e.is_object() && jsonu::get_string(e.get_object(), "name") == name;
  });
}

const json::array* user_env(const agent_inputs& in) { return detail::non_empty_array(detail::agent_spec(in.agent), "env"); }

}  // namespace

json::array agent_env(const agent_inputs& in) {
  const json::array ours = langop_env(in);
  json::array env = ours;
  const json::array* user = user_env(in);
  if (!user) return env;
  for (const auto& e : *user) {
    if (!e.is_object()) continue;
    std::string_view name = jsonu::get_string(e.get_object(), "name");
    if (name.empty()) continue;
    if (defines(ours, name)) continue;
    json::object entry = e.get_object();
    // The server drops an empty value; keep the stored form.
    if (auto* v = entry.if_contains("value"); v && v->is_string() && v->get_string().empty()) entry.erase("value");
    env.push_back(std::move(entry));
  }
  return env;
}

std::vector<std::string> shadowed_user_env(const agent_inputs& in) {
  std::vector<std::string> out;
  const json::array* user = user_env(in);
  if (!user) return out;
  const json::array mine = langop_env(in);
  for (const auto& e : *user) {
    if (!e.is_object()) continue;
    std::string_view name = jsonu::get_string(e.get_object(), "name");
    if (!name.empty() && defines(mine, name)) out.emplace_back(name);
  }
  return out;
}

}  // namespace langop::resources
