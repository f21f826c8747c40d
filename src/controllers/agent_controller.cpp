// LanguageAgent (SPEC 1.6, 1.10): resolves references, applies the children (config
// ConfigMap, Deployment or CronJob, workspace PVC, egress NetworkPolicy) and reports the
// workload's state. Synthesis (1.9) writes "<name>-code"; this controller only reads its
// hash into the pod's config hash, so new code rolls the pods.
#include "agent_resolve.hpp"
#include "agent_status.hpp"
#include "agent_synthesis.hpp"
#include "child_events.hpp"
#include "egress_dns.hpp"
#include "langop/cjson/serialize.hpp"
#include "langop/controllers/kinds.hpp"
#include "langop/resources/common.hpp"
#include "langop/resources/egress.hpp"
#include "langop/runtime/manager.hpp"
#include "reconcile_common.hpp"

namespace langop::controllers {

namespace net = boost::asio;

namespace {

// Everything the children step reads, read before its first co_await: the agent's spec
// (generation; its resourceVersion when the server sets no generation), the models, tools and
// personas resolved (their resourceVersions), the DNS answers, the code ConfigMap and the
// live children (resourceVersions, "-" when absent). The Deployment and the CronJob by what
// the step compares instead: spec (generation) and the labels, annotations and owners, so
// their status updates (rollouts, every Job run) do not count as changes. Then "s:" and the Secrets the pods read
// (append_secret_versions). Equal to the fingerprint of the last successful step (a snapshot
// taken before it ran), every child is as that step saw it after comparing or writing it:
// nothing to build, hash or compare. Any later change to an input or a child (by anyone)
// changes a resourceVersion and so the fingerprint.
std::string children_fingerprint(const shared& s, const informer::cached_object& agent, const agent_resolution& r,
                                 const egress_resolution& dns) {
  std::string fp;
  fp.reserve(256);
  fp.append(agent.uid()).append("/");
  if (agent.generation() > 0) fp.append("g").append(std::to_string(agent.generation()));
  else fp.append("rv").append(agent.resource_version());
  fp.append("|").append(r.versions).append("|dns:");
  for (const auto& [name, ips] : dns.addresses) {
    fp.append(name).append("=");
    for (const auto& ip : ips) fp.append(ip).append(",");
    fp.append(";");
  }
  const auto child = [&](std::string_view kind, const informer::informer& inf, const std::string& name) {
    auto live = inf.store().get(agent.ns(), name);
    fp.append(kind).append(":").append(live ? live->resource_version() : "-").append(";");
  };
  const auto workload = [&](std::string_view kind, const informer::informer& inf, const std::string& name) {
    auto live = inf.store().get(agent.ns(), name);
    if (!live || live->generation() <= 0) return child(kind, inf, name);
    fp.append(kind).append(":g").append(std::to_string(live->generation())).append(live->deleting() ? "D" : "");
    const auto meta = live->root().find("metadata");
    for (std::string_view field : {"labels", "annotations", "ownerReferences"}) cjson::serialize_to(meta.find(field), fp);
    fp.append(";");
  };
  const std::string_view name = agent.name();
  child("cm", *s.configmaps, resources::agent_config_map_name(name));
  child("code", *s.configmaps, resources::agent_code_config_map_name(name));
  child("pvc", *s.pvcs, resources::agent_workspace_pvc_name(name));
  workload("deploy", *s.deployments, resources::agent_deployment_name(name));
  workload("cron", *s.cronjobs, resources::agent_cronjob_name(name));
  child("np", *s.network_policies, std::string(name) + "-egress");
  fp.append("|s:");
  return fp;
}

void append_secret_versions(const shared& s, std::string_view ns, const std::vector<std::string>& names,
                            std::string& fp) {
  for (const auto& n : names) {
    auto sec = s.secrets->store().get(ns, n);
    fp.append(n).append("@").append(sec ? sec->resource_version() : "").append(";");
  }
}

resources::config_hash_extra hash_extra(const shared& s, const informer::cached_object& agent,
                                        const resources::agent_inputs& in, const resources::agent_parts& parts) {
  resources::config_hash_extra extra;
  for (const auto& name : resources::agent_pod_references(in, parts).secrets) {
    auto sec = s.secrets->store().get(agent.ns(), name);
    extra.secret_versions[name] = sec ? std::string(sec->resource_version()) : "";
  }
  if (auto code = s.configmaps->store().get(agent.ns(), resources::agent_code_config_map_name(agent.name())))
    extra.code_hash = resources::content_hash(cjson::to_json((*code)["data"]));
  return extra;
}

std::string join(const std::vector<std::string>& list) {
  std::string out;
  for (std::size_t i = 0; i < list.size(); ++i) out += (i ? "; " : "") + list[i];
  return out;
}

// Pending/Failed before any child is written: nothing runs until the references do.
net::awaitable<result<runtime::action>> report_unresolved(shared& s, const informer::cached_object& obj,
                                                          const agent_resolution& r) {
  const bool failed = !r.failed.empty();
  const std::string message = (failed ? "Invalid: " : "Waiting for references: ") + join(failed ? r.failed : r.pending);
  const std::string phase = failed ? "Failed" : "Pending";
  record_phase_change(s, obj, phase, message, failed);
  auto status = status_for(obj, phase, false, failed ? "InvalidSpec" : "ReferencesNotReady", message);
  auto w = co_await write_status(s.client, kinds::agent, obj, std::move(status));
  if (!w) co_return w.error();
  // Referenced objects reach this agent through watches and indexes: no timer needed.
  co_return runtime::action::done();
}

// Deprecated spellings and dropped env entries are the user's to fix: Warning events
// (aggregated, so repeated reconciles do not storm).
void warn_about_spec(shared& s, const informer::cached_object& obj, const resources::agent_inputs& in) {
  auto mode = obj["spec"].find("executionMode").as_string();
  if (resources::is_deprecated_execution_mode(mode))
    s.events.warning(target_of(obj), "DeprecatedField",
                     "executionMode \"" + std::string(mode) + "\" is deprecated; use \"" +
                         std::string(resources::normalize_execution_mode(mode)) + "\"");
  for (const auto& name : resources::shadowed_user_env(in))
    s.events.warning(target_of(obj), "EnvIgnored",
                     "spec.env " + name + " is set by langop (the agent env contract) and was ignored");
}

// Egress DNS names of the agent and of its sidecar tools (their traffic leaves from the
// agent's pods, so the agent's policy must allow it).
std::vector<std::string> egress_names(const agent_resolution& r) {
  auto names = resources::egress_dns_names(object_at(r.agent, "spec"));
  for (const auto& t : r.resolved_tools)
    if (t.mode == resources::tool_mode::sidecar && t.tool)
      for (auto& n : resources::egress_dns_names(object_at(*t.tool, "spec"))) names.push_back(std::move(n));
  return names;
}

json::object agent_network_policy(const agent_resolution& r, const egress_resolution& dns) {
  json::array extra;
  for (const auto& t : r.resolved_tools)
    if (t.mode == resources::tool_mode::sidecar && t.tool)
      for (auto& rule : resources::egress_rules(object_at(*t.tool, "spec"), dns.addresses))
        extra.push_back(std::move(rule));
  return resources::egress_network_policy(r.agent, r.peers, dns.addresses, extra);
}

net::awaitable<result<void>> apply_agent_children(shared& s, const informer::cached_object& obj,
                                                  const agent_resolution& r, const resources::agent_inputs& in, const egress_resolution& dns) {
  std::string fp = children_fingerprint(s, obj, r, dns);
  const std::string key(obj.key());
  if (auto it = s.agent_children_memo.find(key); it != s.agent_children_memo.end()) {
    std::string now = fp;
    append_secret_versions(s, obj.ns(), it->second.secrets, now);
    if (now == it->second.fingerprint) co_return result<void>{};
  }
  // The pod spec and the ConfigMap are built once: the hash, the workload and the child share them.
  auto parts = resources::agent_prebuild(in);
  auto extra = hash_extra(s, obj, in, parts);
  std::vector<std::string> secrets;
  for (const auto& [n, rv] : extra.secret_versions) {
    secrets.push_back(n);
    fp.append(n).append("@").append(rv).append(";");
  }
  const auto hash = resources::agent_config_hash(parts, extra);
  if (auto w = co_await apply_child(s, obj, kinds::configmaps, *s.configmaps, std::move(parts.config_map)); !w)
    co_return w.error();
  if (auto pvc = resources::agent_workspace_pvc(in)) {
    if (auto w = co_await apply_child(s, obj, kinds::pvcs, *s.pvcs, std::move(*pvc)); !w) co_return w.error();
  }
  // The PVC of a workspace turned off is kept: it holds the user's data.
  const bool scheduled = resources::agent_is_scheduled(r.agent);
  if (scheduled) {
    if (auto w = co_await remove_child(s, obj, kinds::deployments, *s.deployments, obj.ns(),
                                       resources::agent_deployment_name(obj.name()));
        !w)
      co_return w.error();
    if (auto w = co_await apply_child(s, obj, kinds::cronjobs, *s.cronjobs,
                                      resources::agent_cronjob(in, hash, std::move(parts.pod_spec)));
        !w)
      co_return w.error();
  } else {
    if (auto w = co_await remove_child(s, obj, kinds::cronjobs, *s.cronjobs, obj.ns(),
                                       resources::agent_cronjob_name(obj.name()));
        !w)
      co_return w.error();
    if (auto w = co_await apply_child(s, obj, kinds::deployments, *s.deployments,
                                      resources::agent_deployment(in, hash, std::move(parts.pod_spec)));
        !w)
      co_return w.error();
  }
  if (auto w = co_await apply_child(s, obj, kinds::network_policies, *s.network_policies,
                                    agent_network_policy(r, dns));
      !w)
    co_return w.error();
  s.agent_children_memo[key] = {std::move(fp), std::move(secrets)};
  co_return result<void>{};
}

reconcile_result reconcile_agent(std::shared_ptr<shared> sp, std::string key) {
  shared& s = *sp;
  auto [ns, name] = split_key(key);
  auto obj = s.agents->store().get(ns, name);
  if (!obj || obj->deleting()) {
    s.agent_children_memo.erase(key);
    co_return runtime::action::done();  // children go with ownerReferences
  }

  const agent_resolution r = resolve_agent(s, *obj);
  if (!r.pending.empty() || !r.failed.empty()) co_return co_await report_unresolved(s, *obj, r);
  const auto in = r.inputs();
  warn_about_spec(s, *obj, in);

  const auto dns = co_await s.dns->resolve(egress_names(r));
  if (auto w = co_await apply_agent_children(s, *obj, r, in, dns); !w) co_return w.error();
  // After the children: a pending or failed synthesis never holds the workload back.
  auto synth = co_await reconcile_synthesis(s, *obj, r);
  if (!synth) co_return synth.error();

  auto state = agent_workload_state(s, *obj);
  std::vector<condition> extra;
  if (auto egress = egress_condition(dns)) extra.push_back(std::move(*egress));
  if (synth->synthesized) extra.push_back(std::move(*synth->synthesized));
  if (synth->status) state.fields["synthesis"] = std::move(*synth->status);
  record_phase_change(s, *obj, state.phase, state.message, false);
  auto status = status_for(*obj, state.phase, state.ready, state.reason, state.message, std::move(extra),
                           std::move(state.fields));
  if (auto w = co_await write_status(s.client, kinds::agent, *obj, std::move(status)); !w) co_return w.error();
  std::optional<std::chrono::seconds> refresh;
  if (dns.refresh.count() > 0) refresh = dns.refresh;
  if (synth->retry_after && (!refresh || *synth->retry_after < *refresh)) refresh = synth->retry_after;
  if (refresh) co_return runtime::action::requeue_after(*refresh);
  co_return runtime::action::done();
}

// Secrets the agent's pods read (env valueFrom, envFrom), for rolling on a Secret change.
void index_agent_secret_refs(const informer::cached_object& o, informer::index_keys& out) {
  auto spec = o["spec"];
  for (auto e : spec.find("env").elements()) {
    auto n = e.at_path({"valueFrom", "secretKeyRef", "name"}).as_string();
    if (!n.empty()) out.add(make_key(o.ns(), n));
  }
  for (auto e : spec.find("envFrom").elements()) {
    auto n = e.at_path({"secretRef", "name"}).as_string();
    if (!n.empty()) out.add(make_key(o.ns(), n));
  }
}

// A Job created by an agent's CronJob -> the agent (through the CronJob's owner).
void map_job(const shared& s, const informer::cached_object& job, const std::function<void(std::string)>& emit) {
  for (auto ref : job.owner_references().elements()) {
    if (ref.find("kind").as_string() != "CronJob") continue;
    auto cj = s.cronjobs->store().get(job.ns(), ref.find("name").as_string());
    if (!cj) continue;
    for (auto owner : cj->owner_references().elements())
      if (owner.find("kind").as_string() == "LanguageAgent") emit(make_key(job.ns(), owner.find("name").as_string()));
  }
}

}  // namespace

void setup_agent(shared& s) {
  s.agents->store().add_index(std::string(index_agent_secrets), index_agent_secret_refs);
  auto& c = add_kind_controller(s, "languageagent", *s.agents, reconcile_agent);
  for (auto* inf : {s.configmaps, s.deployments, s.cronjobs, s.pvcs, s.network_policies})
    c.watch_owned(*inf, "LanguageAgent");
  watch_referrers(c, *s.models, *s.agents, index_agent_models);
  watch_referrers(c, *s.tools, *s.agents, index_agent_tools);
  watch_referrers(c, *s.personas, *s.agents, index_agent_persona);
  watch_referrers(c, *s.secrets, *s.agents, index_agent_secrets);
  c.watch(*s.jobs, [&s](const informer::change& ch, const std::function<void(std::string)>& emit) {
    emit_both(ch, [&](const informer::cached_object& j) { map_job(s, j, emit); });
  });
  // The synthesized code ConfigMap is owned by the agent too: watch_owned covers it.
  watch_clusters(s, c, *s.agents);
  setup_synthesis(s, c);
}

}  // namespace langop::controllers
