// Reading a LanguageAgent spec and its resolved references: modes, durations, names, URLs,
// and the semantic problems the schema cannot catch.
#include "agent_detail.hpp"

#include "langop/resources/names.hpp"

#include <limits>
#include <set>
#include <utility>

namespace langop::resources {
namespace detail {

const json::object& agent_spec(const json::object& agent) {
  static const json::object empty;
  const auto* s = agent.if_contains("spec");
  return s && s->is_object() ? s->get_object() : empty;
}

std::optional<std::int64_t> spec_int(const json::object& agent, std::string_view key) {
  const auto* v = agent_spec(agent).if_contains(key);
  return v ? jsonu::get_int(*v, {}) : std::nullopt;
}

std::optional<bool> spec_bool(const json::object& agent, std::string_view key) {
  const auto* v = agent_spec(agent).if_contains(key);
  return v ? jsonu::get_bool(*v, {}) : std::nullopt;
}

std::string_view agent_name(const json::object& agent) {
  const auto* n = jsonu::find(agent, {"metadata", "name"});
  return n && n->is_string() ? std::string_view(n->get_string()) : std::string_view{};
}

std::string_view agent_namespace(const json::object& agent) {
  const auto* n = jsonu::find(agent, {"metadata", "namespace"});
  return n && n->is_string() ? std::string_view(n->get_string()) : std::string_view{};
}

const json::array* non_empty_array(const json::object& spec, std::string_view key) {
  const auto* v = spec.if_contains(key);
  return v && v->is_array() && !v->get_array().empty() ? &v->get_array() : nullptr;
}

const json::object* non_empty_object(const json::object& spec, std::string_view key) {
  const auto* v = spec.if_contains(key);
  return v && v->is_object() && !v->get_object().empty() ? &v->get_object() : nullptr;
}

std::string workspace_mount_path(const json::object& agent) {
  const auto* ws = agent_spec(agent).if_contains("workspace");
  std::string_view p = ws && ws->is_object() ? jsonu::get_string(ws->get_object(), "mountPath") : std::string_view{};
  return std::string(p.empty() ? "/workspace" : p);
}

std::string agent_timeout(const json::object& agent) {
  std::string_view t = jsonu::get_string(agent_spec(agent), "timeout");
  return std::string(t.empty() || !go_duration_seconds(t) ? "10m" : t);
}

std::int64_t agent_timeout_seconds(const json::object& agent) {
  return go_duration_seconds(agent_timeout(agent)).value_or(600);
}

std::int64_t agent_max_iterations(const json::object& agent) {
  auto n = spec_int(agent, "maxIterations");
  return n && *n > 0 ? *n : 50;
}

std::string url_of(const resolved_tool& t, std::string_view ns) {
  return t.url.empty() ? tool_url(t.name, ns, t.mode, t.port, t.path) : t.url;
}

std::string_view mode_name(tool_mode m) {
  switch (m) {
    case tool_mode::sidecar: return "sidecar";
    case tool_mode::builtin: return "builtin";
    case tool_mode::service: break;
  }
  return "service";
}

}  // namespace detail

std::string_view normalize_execution_mode(std::string_view mode) {
  if (mode.empty() || mode == "continuous") return "autonomous";
  if (mode == "reactive") return "interactive";
  return mode;
}

bool is_deprecated_execution_mode(std::string_view mode) { return mode == "continuous" || mode == "reactive"; }

std::string_view agent_execution_mode(const json::object& agent) {
  return normalize_execution_mode(jsonu::get_string(detail::agent_spec(agent), "executionMode"));
}

bool agent_is_scheduled(const json::object& agent) { return agent_execution_mode(agent) == "scheduled"; }

bool agent_workspace_enabled(const json::object& agent) {
  const auto* ws = detail::agent_spec(agent).if_contains("workspace");
  if (!ws || !ws->is_object()) return false;
  // The schema defaults enabled to true: giving a workspace means wanting one.
  const auto* en = ws->get_object().if_contains("enabled");
  return !en || !en->is_bool() || en->get_bool();
}

namespace {

struct duration_unit {
  std::string_view text;
  std::uint64_t ns;
};
// Go's units, longest match first ("ms" before "m").
constexpr duration_unit duration_units[] = {
    {"ns", 1},
    {"us", 1'000},
    {"\u00b5s", 1'000},  // micro sign
    {"\u03bcs", 1'000},  // Greek mu, also accepted by Go
    {"ms", 1'000'000},
    {"s", 1'000'000'000},
    {"m", 60'000'000'000},
    {"h", 3'600'000'000'000},
};

}  // namespace

std::optional<std::int64_t> go_duration_seconds(std::string_view d) {
  if (d == "0") return 0;
  if (d.empty()) return std::nullopt;
  // Integer nanoseconds as Go counts them: with floating point "0.1m" comes out a hair above
  // 6s and rounds up to 7. Saturated at the cap, which bounds what an int32 deadline holds.
  using u128 = unsigned __int128;
  constexpr u128 ns_per_s = 1'000'000'000;
  constexpr u128 cap_ns = static_cast<u128>(std::numeric_limits<std::int32_t>::max()) * ns_per_s;
  constexpr std::uint64_t max_scale = 1'000'000'000'000'000'000ULL;  // 18 fraction digits
  auto digit = [&](std::size_t i) { return i < d.size() && d[i] >= '0' && d[i] <= '9'; };
  u128 total = 0;
  std::size_t i = 0;
  while (i < d.size()) {
    bool digits = false;
    u128 whole = 0;
    for (; digit(i); ++i, digits = true)
      if (whole <= cap_ns) whole = whole * 10 + static_cast<unsigned>(d[i] - '0');
    u128 frac = 0;
    std::uint64_t scale = 1;
    if (i < d.size() && d[i] == '.') {
      for (++i; digit(i); ++i, digits = true)
        if (scale < max_scale) frac = frac * 10 + static_cast<unsigned>(d[i] - '0'), scale *= 10;
    }
    if (!digits) return std::nullopt;  // "h", ".s": Go rejects a unit without a number
    const std::string_view rest = d.substr(i);
    u128 unit = 0;
    for (const auto& u : duration_units)
      if (rest.starts_with(u.text)) {
        unit = u.ns;
        i += u.text.size();
        break;
      }
    if (unit == 0) return std::nullopt;
    total += whole > cap_ns ? cap_ns : whole * unit;
    total += (frac * unit + scale - 1) / scale;  // a fraction of a nanosecond still counts
    if (total > cap_ns) total = cap_ns;
  }
  // Whole seconds, rounded up: a 1.5s budget must not become 1s.
  return static_cast<std::int64_t>((total + ns_per_s - 1) / ns_per_s);
}

std::string tool_url(std::string_view tool, std::string_view ns, tool_mode mode, std::int64_t port,
                     std::string_view path) {
  if (mode == tool_mode::builtin) return {};
  std::string url = "http://";
  if (mode == tool_mode::sidecar) {
    url += "localhost";
  } else {
    url += tool;
    url += '.';
    url += ns;
    url += ".svc.cluster.local";
  }
  url += ':' + std::to_string(port);
  url += path;
  return url;
}

namespace {
// jsonu::get_string / get_int at a path of an object, without copying it into a value.
std::string_view string_at(const json::object& o, std::initializer_list<std::string_view> path,
                           std::string_view fallback = {}) {
  const auto* v = jsonu::find(o, path);
  return v && v->is_string() ? std::string_view(v->get_string()) : fallback;
}
std::optional<std::int64_t> int_at(const json::object& o, std::initializer_list<std::string_view> path) {
  const auto* v = jsonu::find(o, path);
  return v ? jsonu::get_int(*v, {}) : std::nullopt;
}
}  // namespace

resolved_model resolve_model(const json::object& model, std::string_view role) {
  resolved_model m;
  m.name = string_at(model, {"metadata", "name"});
  const std::string ns(string_at(model, {"metadata", "namespace"}));
  const std::int64_t port = int_at(model, {"spec", "proxy", "port"}).value_or(8000);
  m.url = "http://" + m.name + "." + ns + ".svc.cluster.local:" + std::to_string(port);
  std::string_view id = string_at(model, {"spec", "model"});
  m.model = id.empty() ? string_at(model, {"spec", "modelName"}) : id;
  m.role = role.empty() ? "primary" : role;
  return m;
}

resolved_tool resolve_tool(const json::object& tool) {
  resolved_tool t;
  t.name = string_at(tool, {"metadata", "name"});
  if (string_at(tool, {"spec", "type"}) == "builtin") t.mode = tool_mode::builtin;
  else if (string_at(tool, {"spec", "deploymentMode"}) == "sidecar") t.mode = tool_mode::sidecar;
  t.port = int_at(tool, {"spec", "port"}).value_or(8080);
  t.path = string_at(tool, {"spec", "path"}, "/mcp");
  t.url = tool_url(t.name, string_at(tool, {"metadata", "namespace"}), t.mode, t.port, t.path);
  t.tool = &tool;
  return t;
}

std::vector<std::string> agent_problems(const agent_inputs& in) {
  std::vector<std::string> out;
  std::set<std::int64_t> sidecar_ports;
  for (const auto& t : in.tools) {
    if (t.mode != tool_mode::sidecar) continue;
    if (!t.tool) out.push_back("sidecar tool \"" + t.name + "\" has no LanguageTool object to build its container from");
    if (!sidecar_ports.insert(t.port).second)
      out.push_back("sidecar tools share port " + std::to_string(t.port) + " in one pod: give \"" + t.name +
                    "\" another port");
  }
  if (agent_workspace_enabled(in.agent)) {
    std::string mp = detail::workspace_mount_path(in.agent);
    while (mp.size() > 1 && mp.back() == '/') mp.pop_back();
    // Over one of langop's mounts it would hide it; inside one, the kubelet cannot create the
    // mount point in a read-only ConfigMap volume and the pod never starts.
    auto over_or_inside = [&](std::string_view own) {
      return mp == own || (mp.size() > own.size() && mp.starts_with(own) && mp[own.size()] == '/');
    };
    for (auto [own, what] : {std::pair{agent_code_mount_path, "code"}, std::pair{agent_config_mount_path, "config"}})
      if (over_or_inside(own))
        out.push_back("workspace.mountPath " + mp + " overlaps " + std::string(own) + ", where langop mounts the agent's " +
                      what + ": choose another path");
  }
  return out;
}

std::string agent_deployment_name(std::string_view agent) { return bounded_name(agent, "", max_object_name_length); }
std::string agent_cronjob_name(std::string_view agent) { return bounded_name(agent, "", max_cronjob_name_length); }
std::string agent_config_map_name(std::string_view agent) {
  return bounded_name(agent, "-config", max_object_name_length);
}
std::string agent_code_config_map_name(std::string_view agent) {
  return bounded_name(agent, "-code", max_object_name_length);
}
std::string agent_workspace_pvc_name(std::string_view agent) {
  return bounded_name(agent, "-workspace", max_object_name_length);
}

}  // namespace langop::resources
