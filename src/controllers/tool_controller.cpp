// LanguageTool (SPEC 1.4): service-mode MCP servers get a Deployment, Service, optional
// HPA/PDB; sidecar and builtin tools only their ConfigMap (agents run sidecars, task
// loops run builtins). Every tool gets its egress NetworkPolicy.
#include "egress_dns.hpp"
#include "langop/cjson/serialize.hpp"
#include "langop/controllers/kinds.hpp"
#include "langop/resources/egress.hpp"
#include "langop/resources/tool.hpp"
#include "reconcile_common.hpp"
#include "tool_discovery.hpp"

namespace langop::controllers {

namespace net = boost::asio;

namespace {

// Service-mode children that a switch to sidecar/builtin, or a removed spec section,
// leaves behind.
net::awaitable<result<void>> prune_service_children(shared& s, const informer::cached_object& obj,
                                                    const json::object& tool, bool service) {
  const std::string name(obj.name());
  auto hpa = service ? resources::tool_hpa(tool) : std::nullopt;
  auto pdb = service ? resources::tool_pdb(tool) : std::nullopt;
  if (!hpa)
    if (auto w = co_await remove_child(s, obj, kinds::hpas, *s.hpas, obj.ns(), name); !w) co_return w.error();
  if (!pdb)
    if (auto w = co_await remove_child(s, obj, kinds::pdbs, *s.pdbs, obj.ns(), name); !w) co_return w.error();
  if (!service) {
    if (auto w = co_await remove_child(s, obj, kinds::deployments, *s.deployments, obj.ns(), name); !w)
      co_return w.error();
    if (auto w = co_await remove_child(s, obj, kinds::services, *s.services, obj.ns(), name); !w)
      co_return w.error();
  }
  co_return result<void>{};
}

// MCP discovery (SPEC 1.4) runs when the pods are ready, for every new spec and after
// every unready spell (the server may have changed with its pods), beside the reconcile
// (background_checks.hpp says why). The condition: the last outcome, else the live one.
std::optional<condition> discovery(shared& s, const informer::cached_object& obj, const json::object& tool, bool ready,
                                   const std::string& key) {
  auto& checks = *s.tool_discovery;
  const auto url = resources::expand_tool_url(s.opts.mcp_discovery_url_template, tool);
  const auto fingerprint = url + " generation " + std::to_string(obj.generation());
  if (!ready)
    checks.invalidate(key);
  else if (checks.due(key, fingerprint))
    checks.start(key, fingerprint, discover_tools_check(s.ex, url, s.opts.mcp_discovery_timeout));
  if (auto* last = checks.last(key)) return tools_discovered_condition(*last);
  return live_condition(obj, "ToolsDiscovered");
}

reconcile_result reconcile_tool(std::shared_ptr<shared> sp, std::string key) {
  shared& s = *sp;
  auto [ns, name] = split_key(key);
  auto obj = s.tools->store().get(ns, name);
  if (!obj || obj->deleting()) {
    s.tool_discovery->forget(key);
    co_return runtime::action::done();
  }

  const auto tool = to_object(*obj);
  const auto mode = resources::tool_mode_of(tool);
  const bool service = mode == resources::tool_mode::service;
  if (mode != resources::tool_mode::builtin && jsonu::get_string(object_at(tool, "spec"), "image").empty())
    co_return co_await report_problem(s, kinds::tool, *obj, false, "spec.image is required for MCP tools", "Failed");

  const auto dns = co_await s.dns->resolve(resources::egress_dns_names(object_at(tool, "spec")));
  auto children = resources::tool_children(tool);
  children.push_back(resources::egress_network_policy(tool, {}, dns.addresses));
  if (auto w = co_await apply_children(s, *obj, std::move(children)); !w) co_return w.error();
  if (auto w = co_await prune_service_children(s, *obj, tool, service); !w) co_return w.error();

  json::object fields;
  // The CRD's deploymentMode is service or sidecar: a builtin tool has none.
  if (mode != resources::tool_mode::builtin) fields["deploymentMode"] = service ? "service" : "sidecar";
  auto endpoint = resources::tool_endpoint_url(tool);
  if (!endpoint.empty()) fields["endpoint"] = endpoint;
  std::string phase = "Running", reason = "Accepted", message;
  bool ready = true;
  if (service) {
    auto d = s.deployments->store().get(ns, name);
    const std::int64_t want = obj->root().at_path({"spec", "replicas"}).as_int64(1);
    const std::int64_t have = d ? (*d)["status"].find("readyReplicas").as_int64() : 0;
    fields["readyReplicas"] = have;
    ready = have >= want;
    // Not ready after having run: a rollout (Updating); never ran yet: Pending.
    const auto live_phase = (*obj)["status"].find("phase").as_string();
    if (!ready) phase = live_phase == "Running" || live_phase == "Updating" ? "Updating" : "Pending";
    reason = ready ? "Available" : "PodsStarting";
    message = std::to_string(have) + "/" + std::to_string(want) + " replicas ready";
  } else {
    message = mode == resources::tool_mode::sidecar ? "Runs as a sidecar of the agents that reference it"
                                                    : "Builtin tool, executed in-process by task loops";
  }
  std::vector<condition> extra;
  if (auto egress = egress_condition(dns)) extra.push_back(std::move(*egress));
  // Tools discovered earlier (status.tools) are kept until a discovery succeeds again.
  std::optional<json::value> tools;
  if (auto live = (*obj)["status"].find("tools"); live.exists()) tools = cjson::to_json(live);
  if (service && !s.opts.mcp_discovery_url_template.empty()) {
    if (auto found = discovery(s, *obj, tool, ready, key)) extra.push_back(std::move(*found));
  } else {
    s.tool_discovery->forget(key);
    if (!service) tools.reset();  // sidecar/builtin: nobody lists them
  }
  if (auto* last = s.tool_discovery->last(key); last && last->ok) tools = last->data;
  record_phase_change(s, *obj, phase, {}, false);
  auto status = status_for(*obj, phase, ready, reason, message, std::move(extra), std::move(fields));
  if (tools) status["tools"] = std::move(*tools);
  if (auto w = co_await write_status(s.client, kinds::tool, *obj, std::move(status)); !w) co_return w.error();
  // The earlier of the egress refresh and a discovery retry.
  co_return runtime::action::requeue_after(sooner(dns.refresh, s.tool_discovery->due_in(key)));
}

}  // namespace

void setup_tool(shared& s) {
  auto& c = add_kind_controller(s, "languagetool", *s.tools, reconcile_tool);
  s.tool_discovery = make_checks(s, c, *s.tools, "ToolsDiscovered", "ToolDiscoveryFailed");
  for (auto* inf : {s.configmaps, s.deployments, s.services, s.hpas, s.pdbs, s.network_policies})
    c.watch_owned(*inf, "LanguageTool");
}

}  // namespace langop::controllers
