#include "langop/resources/tool_container.hpp"

#include "langop/resources/common.hpp"

namespace langop::resources {
namespace {

const json::value* spec_field(const json::object& tool, std::string_view field) {
  return jsonu::find(tool, {"spec", field});
}

json::object tcp_probe(std::int64_t port, int initial_delay, int period) {
  json::object p;
  p["tcpSocket"] = json::object{{"port", port}};
  p["initialDelaySeconds"] = initial_delay;
  p["periodSeconds"] = period;
  return p;
}

bool env_defines(const json::array& env, std::string_view name) {
  for (const auto& e : env)
    if (e.is_object() && jsonu::get_string(e.get_object(), "name") == name) return true;
  return false;
}

}  // namespace

std::string dns_label(std::string_view name) {
  std::string out;
  for (char c : name) {
    char l = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    out += (l == '.' || l == '_') ? '-' : l;
  }
  if (out.size() > 63) out = out.substr(0, 54) + "-" + sha256_hex(name).substr(0, 8);
  while (!out.empty() && out.back() == '-') out.pop_back();
  return out.empty() ? "tool" : out;
}

json::object tool_container(const json::object& tool, const std::vector<volume_mount>& mounts) {
  const json::value tv = tool;
  const std::string name(jsonu::get_string(tv, {"metadata", "name"}));
  const std::int64_t port = jsonu::get_int(tv, {"spec", "port"}).value_or(8080);
  const std::string path(jsonu::get_string(tv, {"spec", "path"}, "/mcp"));

  json::object c;
  c["name"] = dns_label(name);
  c["image"] = jsonu::get_string(tv, {"spec", "image"});
  if (const auto* args = spec_field(tool, "args"); args && args->is_array() && !args->get_array().empty())
    c["args"] = *args;
  c["ports"] = json::array{json::object{{"name", "mcp"}, {"containerPort", port}, {"protocol", "TCP"}}};

  json::array env;
  const json::array* user_env = nullptr;
  if (const auto* e = spec_field(tool, "env"); e && e->is_array()) user_env = &e->get_array();
  // The port and path the server must listen on, unless the tool says otherwise.
  if (!user_env || !env_defines(*user_env, "PORT"))
    env.push_back(json::object{{"name", "PORT"}, {"value", std::to_string(port)}});
  if (!user_env || !env_defines(*user_env, "MCP_PATH")) env.push_back(json::object{{"name", "MCP_PATH"}, {"value", path}});
  if (user_env)
    for (const auto& e : *user_env) env.push_back(e);
  c["env"] = std::move(env);
  if (const auto* ef = spec_field(tool, "envFrom"); ef && ef->is_array() && !ef->get_array().empty())
    c["envFrom"] = *ef;
  if (const auto* r = spec_field(tool, "resources"); r && r->is_object() && !r->get_object().empty())
    c["resources"] = *r;

  const auto* readiness = jsonu::find(tv, {"spec", "probes", "readiness"});
  const auto* liveness = jsonu::find(tv, {"spec", "probes", "liveness"});
  c["readinessProbe"] = readiness && readiness->is_object() ? *readiness : json::value(tcp_probe(port, 2, 10));
  c["livenessProbe"] = liveness && liveness->is_object() ? *liveness : json::value(tcp_probe(port, 10, 20));

  if (!mounts.empty()) {
    json::array vm;
    for (const auto& m : mounts) vm.push_back(json::object{{"name", m.volume}, {"mountPath", m.mount_path}});
    c["volumeMounts"] = std::move(vm);
  }
  return c;
}

}  // namespace langop::resources
