#include "langop/resources/tool.hpp"

#include "langop/resources/common.hpp"
#include "langop/resources/tool_container.hpp"

#include <algorithm>

namespace langop::resources {
namespace {

const json::value* spec_at(const json::object& o, std::initializer_list<std::string_view> path) {
  const json::value* spec = o.if_contains("spec");
  return spec ? jsonu::find(*spec, path) : nullptr;
}
std::string spec_string(const json::object& o, std::initializer_list<std::string_view> path, std::string_view fallback) {
  const json::value* v = spec_at(o, path);
  if (v && v->is_string() && !v->get_string().empty()) return std::string(v->get_string());
  return std::string(fallback);
}
std::optional<std::int64_t> spec_int(const json::object& o, std::initializer_list<std::string_view> path) {
  const json::value* v = spec_at(o, path);
  if (v && v->is_int64()) return v->get_int64();
  return std::nullopt;
}

std::int64_t tool_port(const json::object& tool) {
  auto p = spec_int(tool, {"port"});
  return p && *p >= 1 && *p <= 65535 ? *p : 8080;
}

bool has_object(const json::object& tool, std::string_view field) {
  const auto* v = spec_at(tool, {field});
  return v && v->is_object();
}

// An int-or-string value (PDB fields): integers ≥ 0 and non-empty strings.
std::optional<json::value> int_or_string(const json::value* v) {
  if (!v) return std::nullopt;
  if (v->is_int64() && v->get_int64() >= 0) return *v;
  if (v->is_string() && !v->get_string().empty()) return *v;
  return std::nullopt;
}

}  // namespace

tool_mode tool_mode_of(const json::object& tool) {
  if (spec_string(tool, {"type"}, "mcp") == "builtin") return tool_mode::builtin;
  return spec_string(tool, {"deploymentMode"}, "service") == "sidecar" ? tool_mode::sidecar : tool_mode::service;
}

std::string expand_tool_url(std::string_view url_template, const json::object& tool) {
  const owner o = owner_of(tool);
  const std::pair<std::string_view, std::string> vars[] = {{"{name}", o.name},
                                                           {"{namespace}", o.ns},
                                                           {"{port}", std::to_string(tool_port(tool))},
                                                           {"{path}", spec_string(tool, {"path"}, "/mcp")}};
  std::string out;
  for (std::size_t i = 0; i < url_template.size();) {
    bool replaced = false;
    for (const auto& [var, value] : vars) {
      if (url_template.substr(i, var.size()) == var) {
        out += value;
        i += var.size();
        replaced = true;
        break;
      }
    }
    if (!replaced) out += url_template[i++];
  }
  return out;
}

std::string tool_endpoint_url(const json::object& tool) {
  switch (tool_mode_of(tool)) {
    case tool_mode::service: return expand_tool_url(tool_service_url_template, tool);
    case tool_mode::sidecar: return expand_tool_url("http://localhost:{port}{path}", tool);
    case tool_mode::builtin: break;
  }
  return {};
}

json::object tool_config_map(const json::object& tool) {
  const owner o = owner_of(tool);
  const tool_mode mode = tool_mode_of(tool);
  json::object desc;
  desc["name"] = o.name;
  desc["type"] = mode == tool_mode::builtin ? "builtin" : "mcp";
  if (mode == tool_mode::builtin) {
    desc["builtin"] = spec_string(tool, {"builtin", "name"}, "");
  } else {
    desc["deploymentMode"] = mode == tool_mode::sidecar ? "sidecar" : "service";
    desc["port"] = tool_port(tool);
    desc["path"] = spec_string(tool, {"path"}, "/mcp");
    desc["endpoint"] = tool_endpoint_url(tool);
  }
  json::object cm = typed_object("v1", "ConfigMap", child_metadata(o, o.name + "-tool", o.ns));
  cm["data"] = json::object{{"tool.json", jsonu::dump(desc)}};
  return cm;
}

json::object tool_deployment(const json::object& tool) {
  const owner o = owner_of(tool);
  json::object tmeta;
  tmeta["labels"] = child_labels(o);
  json::object spec;
  if (!tool_hpa(tool)) {
    auto r = spec_int(tool, {"replicas"});
    spec["replicas"] = r && *r >= 0 ? *r : 1;
  }
  spec["selector"] = json::object{{"matchLabels", selector_labels(o)}};
  spec["template"] = json::object{{"metadata", std::move(tmeta)},
                                  {"spec", json::object{{"containers", json::array{tool_container(tool)}}}}};
  json::object d = typed_object("apps/v1", "Deployment", child_metadata(o, o.name, o.ns));
  d["spec"] = std::move(spec);
  return d;
}

json::object tool_service(const json::object& tool) {
  const owner o = owner_of(tool);
  const std::int64_t port = tool_port(tool);
  json::object spec;
  spec["selector"] = selector_labels(o);
  spec["ports"] = json::array{json::object{{"name", "mcp"}, {"port", port}, {"targetPort", "mcp"}, {"protocol", "TCP"}}};
  json::object s = typed_object("v1", "Service", child_metadata(o, o.name, o.ns));
  s["spec"] = std::move(spec);
  return s;
}

std::optional<json::object> tool_hpa(const json::object& tool) {
  if (!has_object(tool, "autoscaling")) return std::nullopt;
  auto max = spec_int(tool, {"autoscaling", "maxReplicas"});
  if (!max || *max < 1) return std::nullopt;
  auto min = spec_int(tool, {"autoscaling", "minReplicas"}).value_or(1);
  min = std::clamp<std::int64_t>(min, 1, *max);
  auto target = spec_int(tool, {"autoscaling", "targetCPUUtilization"}).value_or(80);
  if (target < 1) target = 80;

  const owner o = owner_of(tool);
  json::object metric;
  metric["type"] = "Resource";
  metric["resource"] = json::object{
      {"name", "cpu"}, {"target", json::object{{"type", "Utilization"}, {"averageUtilization", target}}}};
  json::object spec;
  spec["scaleTargetRef"] = json::object{{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"name", o.name}};
  spec["minReplicas"] = min;
  spec["maxReplicas"] = *max;
  spec["metrics"] = json::array{std::move(metric)};
  json::object h = typed_object("autoscaling/v2", "HorizontalPodAutoscaler", child_metadata(o, o.name, o.ns));
  h["spec"] = std::move(spec);
  return h;
}

std::optional<json::object> tool_pdb(const json::object& tool) {
  if (!has_object(tool, "podDisruptionBudget")) return std::nullopt;
  const owner o = owner_of(tool);
  json::object spec;
  if (auto v = int_or_string(spec_at(tool, {"podDisruptionBudget", "minAvailable"})))
    spec["minAvailable"] = std::move(*v);
  else if (auto u = int_or_string(spec_at(tool, {"podDisruptionBudget", "maxUnavailable"})))
    spec["maxUnavailable"] = std::move(*u);
  else
    return std::nullopt;
  spec["selector"] = json::object{{"matchLabels", selector_labels(o)}};
  json::object p = typed_object("policy/v1", "PodDisruptionBudget", child_metadata(o, o.name, o.ns));
  p["spec"] = std::move(spec);
  return p;
}

std::vector<json::object> tool_children(const json::object& tool) {
  std::vector<json::object> out;
  out.push_back(tool_config_map(tool));
  if (tool_mode_of(tool) != tool_mode::service) return out;
  out.push_back(tool_deployment(tool));
  out.push_back(tool_service(tool));
  if (auto h = tool_hpa(tool)) out.push_back(std::move(*h));
  if (auto p = tool_pdb(tool)) out.push_back(std::move(*p));
  return out;
}

}  // namespace langop::resources
