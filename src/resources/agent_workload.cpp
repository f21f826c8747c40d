// The agent's pod and the workloads that run it: Deployment or CronJob, and the workspace PVC.
#include "agent_detail.hpp"

#include "langop/resources/names.hpp"
#include "langop/resources/tool_container.hpp"

#include <set>

namespace langop::resources {
namespace {

json::object agent_container(const agent_inputs& in, bool workspace) {
  const json::object& spec = detail::agent_spec(in.agent);
  json::object c;
  c["name"] = agent_container_name;
  std::string_view image = jsonu::get_string(spec, "image");
  c["image"] = image.empty() ? default_agent_image : image;
  c["env"] = agent_env(in);
  if (const auto* ef = detail::non_empty_array(spec, "envFrom")) c["envFrom"] = *ef;
  if (const auto* r = detail::non_empty_object(spec, "resources")) c["resources"] = *r;
  json::array mounts;
  mounts.push_back(json::object{{"name", agent_code_volume}, {"mountPath", agent_code_mount_path}, {"readOnly", true}});
  mounts.push_back(
      json::object{{"name", agent_config_volume}, {"mountPath", agent_config_mount_path}, {"readOnly", true}});
  if (workspace)
    mounts.push_back(json::object{{"name", agent_workspace_volume}, {"mountPath", detail::workspace_mount_path(in.agent)}});
  c["volumeMounts"] = std::move(mounts);
  return c;
}

// Container names are unique in a pod; a tool named "agent" (or two tools whose names map
// to one DNS label, "a.b" and "a-b") gets a deterministic "-tool[-n]" variant.
std::string unique_container_name(std::string base, std::set<std::string>& taken) {
  std::string name = base;
  for (int i = 1; taken.contains(name); ++i)
    name = bounded_name(base, i == 1 ? std::string("-tool") : "-tool-" + std::to_string(i), max_label_length);
  taken.insert(name);
  return name;
}

json::array sidecars(const agent_inputs& in, bool workspace, bool native) {
  std::vector<volume_mount> mounts;
  if (workspace) mounts.push_back({std::string(agent_workspace_volume), detail::workspace_mount_path(in.agent)});
  std::set<std::string> taken{std::string(agent_container_name)};
  json::array out;
  for (const auto& t : in.tools) {
    if (t.mode != tool_mode::sidecar || !t.tool) continue;  // agent_problems reports a missing object
    json::object c = tool_container(*t.tool, mounts);
    c["name"] = unique_container_name(std::string(jsonu::get_string(c, "name")), taken);
    if (native) c["restartPolicy"] = "Always";
    out.push_back(std::move(c));
  }
  return out;
}

json::array volumes(const agent_inputs& in, bool workspace) {
  const std::string name(detail::agent_name(in.agent));
  json::array v;
  v.push_back(json::object{{"name", agent_code_volume},
                           {"configMap", json::object{{"name", agent_code_config_map_name(name)}, {"optional", true}}}});
  v.push_back(
      json::object{{"name", agent_config_volume}, {"configMap", json::object{{"name", agent_config_map_name(name)}}}});
  if (workspace)
    v.push_back(json::object{{"name", agent_workspace_volume},
                             {"persistentVolumeClaim", json::object{{"claimName", agent_workspace_pvc_name(name)}}}});
  return v;
}

std::string workspace_access_mode(const json::object& agent) {
  const auto* v = jsonu::find(detail::agent_spec(agent), {"workspace", "accessMode"});
  std::string_view m = v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
  return std::string(m.empty() ? "ReadWriteOnce" : m);
}

}  // namespace

namespace detail {

json::object agent_pod_spec(const agent_inputs& in) {
  const json::object& spec = agent_spec(in.agent);
  const bool workspace = agent_workspace_enabled(in.agent);
  const bool scheduled = agent_is_scheduled(in.agent);
  json::object ps;
  json::array containers{agent_container(in, workspace)};
  json::array tools = sidecars(in, workspace, scheduled);
  if (scheduled) {
    if (!tools.empty()) ps["initContainers"] = std::move(tools);
  } else {
    for (auto& t : tools) containers.push_back(std::move(t));
  }
  ps["containers"] = std::move(containers);
  ps["volumes"] = volumes(in, workspace);
  // Each run is one Job: a failed agent process is retried in place, bounded by backoffLimit.
  if (scheduled) ps["restartPolicy"] = "OnFailure";
  if (auto sa = jsonu::get_string(spec, "serviceAccountName"); !sa.empty()) ps["serviceAccountName"] = sa;
  if (const auto* ips = non_empty_array(spec, "imagePullSecrets")) ps["imagePullSecrets"] = *ips;
  if (const auto* ns = non_empty_object(spec, "nodeSelector")) ps["nodeSelector"] = *ns;
  if (const auto* t = non_empty_array(spec, "tolerations")) ps["tolerations"] = *t;
  if (const auto* a = non_empty_object(spec, "affinity")) ps["affinity"] = *a;
  return ps;
}

}  // namespace detail

json::object agent_pod_template(const agent_inputs& in, std::string_view config_hash) {
  return agent_pod_template(in, config_hash, detail::agent_pod_spec(in));
}

json::object agent_pod_template(const agent_inputs& in, std::string_view config_hash, json::object pod_spec) {
  json::object meta;
  meta["labels"] = child_labels(owner_of(in.agent));
  if (!config_hash.empty()) meta["annotations"] = json::object{{config_hash_annotation, config_hash}};
  json::object t;
  t["metadata"] = std::move(meta);
  t["spec"] = std::move(pod_spec);
  return t;
}

json::object agent_deployment(const agent_inputs& in, std::string_view config_hash) {
  return agent_deployment(in, config_hash, detail::agent_pod_spec(in));
}

json::object agent_deployment(const agent_inputs& in, std::string_view config_hash, json::object pod_spec) {
  const owner o = owner_of(in.agent);
  std::int64_t replicas = detail::spec_int(in.agent, "replicas").value_or(1);
  if (replicas < 0) replicas = 0;
  if (detail::spec_bool(in.agent, "suspend").value_or(false)) replicas = 0;

  json::object s;
  s["replicas"] = replicas;
  s["selector"] = json::object{{"matchLabels", selector_labels(o)}};
  if (agent_workspace_enabled(in.agent)) {
    const std::string mode = workspace_access_mode(in.agent);
    if (mode == "ReadWriteOnce" || mode == "ReadWriteOncePod") s["strategy"] = json::object{{"type", "Recreate"}};
  }
  s["template"] = agent_pod_template(in, config_hash, std::move(pod_spec));

  json::object d = typed_object("apps/v1", "Deployment", child_metadata(o, agent_deployment_name(o.name), o.ns));
  d["spec"] = std::move(s);
  return d;
}

json::object agent_cronjob(const agent_inputs& in, std::string_view config_hash) {
  return agent_cronjob(in, config_hash, detail::agent_pod_spec(in));
}

json::object agent_cronjob(const agent_inputs& in, std::string_view config_hash, json::object pod_spec) {
  const owner o = owner_of(in.agent);

  json::object job;
  job["backoffLimit"] = agent_job_backoff_limit;
  if (auto secs = detail::agent_timeout_seconds(in.agent); secs > 0) job["activeDeadlineSeconds"] = secs;
  job["template"] = agent_pod_template(in, config_hash, std::move(pod_spec));

  json::object s;
  s["schedule"] = jsonu::get_string(detail::agent_spec(in.agent), "schedule");
  s["concurrencyPolicy"] = "Forbid";
  s["suspend"] = detail::spec_bool(in.agent, "suspend").value_or(false);
  // Labelled Jobs let the agent controller count its runs (status.executionCount).
  s["jobTemplate"] = json::object{{"metadata", json::object{{"labels", child_labels(o)}}}, {"spec", std::move(job)}};

  json::object c = typed_object("batch/v1", "CronJob", child_metadata(o, agent_cronjob_name(o.name), o.ns));
  c["spec"] = std::move(s);
  return c;
}

json::object agent_workload(const agent_inputs& in, std::string_view config_hash) {
  return agent_is_scheduled(in.agent) ? agent_cronjob(in, config_hash) : agent_deployment(in, config_hash);
}

std::optional<json::object> agent_workspace_pvc(const agent_inputs& in) {
  if (!agent_workspace_enabled(in.agent)) return std::nullopt;
  const owner o = owner_of(in.agent);
  const json::object& ws = detail::agent_spec(in.agent).at("workspace").get_object();

  // Quantities as written (string or integer): the server parses either.
  json::value size = json::string(default_workspace_size);
  for (std::string_view key : {"size", "storage"})
    if (const auto* v = ws.if_contains(key); v && (v->is_string() || v->is_number())) {
      size = *v;
      break;
    }

  json::object s;
  s["accessModes"] = json::array{json::value(workspace_access_mode(in.agent))};
  s["resources"] = json::object{{"requests", json::object{{"storage", std::move(size)}}}};
  if (const auto* sc = ws.if_contains("storageClassName"); sc && sc->is_string()) s["storageClassName"] = *sc;

  json::object pvc = typed_object("v1", "PersistentVolumeClaim", child_metadata(o, agent_workspace_pvc_name(o.name), o.ns));
  pvc["spec"] = std::move(s);
  return pvc;
}

}  // namespace langop::resources
