// Server-side printers for workloads (Deployment, ReplicaSet, StatefulSet, Job, CronJob,
// Pod), networking (NetworkPolicy, Ingress) and disruption/autoscaling (PDB, HPA), as in
// k8s.io/kubernetes/pkg/printers/internalversion.
#include "table_detail.hpp"

#include <set>

namespace langop::localapi::detail {
namespace {

using cols = std::vector<table_column>;

json::value str_cell(std::string s) { return json::string(s); }
std::string name_of(const json::object& o) { return str_at(o, {"metadata", "name"}); }
std::string age_of_object(const json::object& o, sys_time now) {
  return age_since(o, {"metadata", "creationTimestamp"}, now);
}
std::string fraction(std::int64_t a, std::int64_t b) { return std::to_string(a) + "/" + std::to_string(b); }

const json::object* pod_spec_at(const json::object& o, std::initializer_list<std::string_view> template_path) {
  const auto* t = obj_at(o, template_path);
  return t ? obj_at(*t, {"spec"}) : nullptr;
}

table_column containers_column() {
  return column("Containers", "string", "Names of each container in the template.", 1);
}
table_column images_column() {
  return column("Images", "string", "Images referenced by each container in the template.", 1);
}
table_column selector_column(std::string description) {
  return column("Selector", "string", std::move(description), 1);
}

void add_containers(json::array& row, const json::object* pod_spec) {
  std::string names, images;
  container_cells(pod_spec, names, images);
  row.emplace_back(json::string(names));
  row.emplace_back(json::string(images));
}

// ---- Deployment / ReplicaSet / StatefulSet ----

cols deployment_columns() {
  return {name_column(),
          column("Ready", "string", "Number of the pod with ready state"),
          column("Up-to-date", "string",
                 "Total number of non-terminated pods targeted by this deployment that have "
                 "the desired template spec."),
          column("Available", "string",
                 "Total number of available pods (ready for at least minReadySeconds) "
                 "targeted by this deployment."),
          age_column(),
          containers_column(),
          images_column(),
          selector_column("Label selector for pods. Existing ReplicaSets whose pods are selected by this will be the "
                          "ones affected by this deployment.")};
}
json::array deployment_cells(const json::object& o, sys_time now) {
  json::array row{str_cell(name_of(o)),
                  str_cell(fraction(int_or(o, {"status", "readyReplicas"}), int_or(o, {"spec", "replicas"}))),
                  int_or(o, {"status", "updatedReplicas"}), int_or(o, {"status", "availableReplicas"}),
                  str_cell(age_of_object(o, now))};
  add_containers(row, pod_spec_at(o, {"spec", "template"}));
  row.emplace_back(json::string(selector_string(at(o, {"spec", "selector"})).value_or("<invalid>")));
  return row;
}

cols replicaset_columns() {
  return {name_column(),
          column("Desired", "integer", "Replicas is the number of desired replicas."),
          column("Current", "integer", "Replicas is the most recently observed number of replicas."),
          column("Ready", "integer", "The number of ready replicas for this replica set."),
          age_column(),
          containers_column(),
          images_column(),
          selector_column("Selector is a label query over pods that should match the replica count.")};
}
json::array replicaset_cells(const json::object& o, sys_time now) {
  json::array row{str_cell(name_of(o)), int_or(o, {"spec", "replicas"}), int_or(o, {"status", "replicas"}),
                  int_or(o, {"status", "readyReplicas"}), str_cell(age_of_object(o, now))};
  add_containers(row, pod_spec_at(o, {"spec", "template"}));
  row.emplace_back(json::string(format_label_selector(at(o, {"spec", "selector"}))));
  return row;
}

cols statefulset_columns() {
  return {name_column(), column("Ready", "string", "Number of the pod with ready state"), age_column(),
          containers_column(), images_column()};
}
json::array statefulset_cells(const json::object& o, sys_time now) {
  json::array row{str_cell(name_of(o)),
                  str_cell(fraction(int_or(o, {"status", "readyReplicas"}), int_or(o, {"spec", "replicas"}))),
                  str_cell(age_of_object(o, now))};
  add_containers(row, pod_spec_at(o, {"spec", "template"}));
  return row;
}

// ---- Job / CronJob ----

// printers.go hasJobCondition: the first condition of that type decides.
bool has_condition(const json::object& o, std::string_view type) {
  if (const auto* conds = arr_at(o, {"status", "conditions"})) {
    for (const auto& c : *conds) {
      const auto* co = c.if_object();
      if (co && jsonu::get_string(*co, "type") == type) return jsonu::get_string(*co, "status") == "True";
    }
  }
  return false;
}

cols job_columns() {
  return {name_column(),
          column("Status", "string", "Status of the job."),
          column("Completions", "string", "The number of pods which reached phase Succeeded."),
          column("Duration", "string", "Time required to complete the job."),
          age_column(),
          containers_column(),
          images_column(),
          selector_column("A label query over pods that should match the pod count.")};
}
json::array job_cells(const json::object& o, sys_time now) {
  std::int64_t succeeded = int_or(o, {"status", "succeeded"});
  std::string completions;
  if (auto c = int_at(o, {"spec", "completions"})) {
    completions = fraction(succeeded, *c);
  } else {
    auto p = int_or(o, {"spec", "parallelism"});
    completions = p > 1 ? fraction(succeeded, 1) + " of " + std::to_string(p) : fraction(succeeded, 1);
  }
  std::string duration;
  const auto* start = at(o, {"status", "startTime"});
  auto start_t = start && start->is_string() ? parse_rfc3339(start->get_string()) : std::nullopt;
  if (start_t) {
    const auto* done = at(o, {"status", "completionTime"});
    auto done_t = done && done->is_string() ? parse_rfc3339(done->get_string()) : std::nullopt;
    duration = human_duration(std::chrono::duration_cast<std::chrono::seconds>(done_t.value_or(now) - *start_t));
  }
  std::string status = "Running";
  if (has_condition(o, "Complete"))
    status = "Complete";
  else if (has_condition(o, "Failed"))
    status = "Failed";
  else if (at(o, {"metadata", "deletionTimestamp"}))
    status = "Terminating";
  else if (has_condition(o, "Suspended"))
    status = "Suspended";
  else if (has_condition(o, "FailureTarget"))
    status = "FailureTarget";
  json::array row{str_cell(name_of(o)), str_cell(status), str_cell(completions), str_cell(duration),
                  str_cell(age_of_object(o, now))};
  add_containers(row, pod_spec_at(o, {"spec", "template"}));
  row.emplace_back(json::string(format_label_selector(at(o, {"spec", "selector"}))));
  return row;
}

cols cronjob_columns() {
  return {name_column(),
          column("Schedule", "string", "The schedule in Cron format, see https://en.wikipedia.org/wiki/Cron."),
          column("Timezone", "string", "The time zone name for the given schedule."),
          column("Suspend", "boolean",
                 "This flag tells the controller to suspend subsequent executions, it does not "
                 "apply to already started executions."),
          column("Active", "integer", "A list of pointers to currently running jobs."),
          column("Last Schedule", "string", "Information when was the last time the job was successfully scheduled."),
          age_column(),
          containers_column(),
          images_column(),
          selector_column("A label query over pods that should match the pod count.")};
}
json::array cronjob_cells(const json::object& o, sys_time now) {
  std::string last = "<none>";
  if (const auto* ls = at(o, {"status", "lastScheduleTime"}); ls && !ls->is_null()) last = age_of(ls, now);
  std::string suspend = "<unset>";
  if (auto s = bool_at(o, {"spec", "suspend"})) suspend = *s ? "True" : "False";
  json::array row{str_cell(name_of(o)),
                  str_cell(str_at(o, {"spec", "schedule"})),
                  str_cell(opt_str_at(o, {"spec", "timeZone"}).value_or("<none>")),
                  str_cell(suspend),
                  static_cast<std::int64_t>(size_at(o, {"status", "active"})),
                  str_cell(last),
                  str_cell(age_of_object(o, now))};
  const auto* job_spec = obj_at(o, {"spec", "jobTemplate", "spec"});
  add_containers(row, job_spec ? pod_spec_at(*job_spec, {"template"}) : nullptr);
  row.emplace_back(json::string(format_label_selector(job_spec ? at(*job_spec, {"selector"}) : nullptr)));
  return row;
}

// ---- Pod (summary: the phase/reason logic without init-container detail) ----

cols pod_columns() {
  return {name_column(),
          column("Ready", "string", "The aggregate readiness state of this pod for accepting traffic."),
          column("Status", "string", "The aggregate status of the containers in this pod."),
          column("Restarts", "string",
                 "The number of times the containers in this pod have been restarted and when "
                 "the last container in this pod has restarted."),
          age_column(),
          column("IP", "string", "podIP address allocated to the pod.", 1),
          column("Node", "string", "NodeName indicates in which node this pod is scheduled.", 1),
          column("Nominated Node", "string",
                 "nominatedNodeName is set only when this pod preempts other pods on the "
                 "node.",
                 1),
          column("Readiness Gates", "string",
                 "If specified, all readiness gates will be evaluated for pod "
                 "readiness.",
                 1)};
}
json::array pod_cells(const json::object& o, sys_time now) {
  std::string phase = str_at(o, {"status", "phase"});
  std::string reason = phase;
  if (auto r = str_at(o, {"status", "reason"}); !r.empty()) reason = r;
  std::int64_t total = static_cast<std::int64_t>(size_at(o, {"spec", "containers"})), ready = 0, restarts = 0;
  std::optional<sys_time> last_restart;
  if (const auto* statuses = arr_at(o, {"status", "containerStatuses"})) {
    for (auto it = statuses->rbegin(); it != statuses->rend(); ++it) {
      const auto* c = it->if_object();
      if (!c) continue;
      restarts += int_or(*c, {"restartCount"});
      if (const auto* fin = at(*c, {"lastState", "terminated", "finishedAt"}); fin && fin->is_string())
        if (auto t = parse_rfc3339(fin->get_string()); t && (!last_restart || *t > *last_restart)) last_restart = t;
      if (auto w = str_at(*c, {"state", "waiting", "reason"}); !w.empty()) {
        reason = w;
      } else if (obj_at(*c, {"state", "terminated"})) {
        auto tr = str_at(*c, {"state", "terminated", "reason"});
        if (!tr.empty())
          reason = tr;
        else if (auto sig = int_or(*c, {"state", "terminated", "signal"}); sig != 0)
          reason = "Signal:" + std::to_string(sig);
        else
          reason = "ExitCode:" + std::to_string(int_or(*c, {"state", "terminated", "exitCode"}));
      } else if (bool_at(*c, {"ready"}).value_or(false) && obj_at(*c, {"state", "running"})) {
        ++ready;
      }
    }
  }
  if (at(o, {"metadata", "deletionTimestamp"})) {
    if (str_at(o, {"status", "reason"}) == "NodeLost")
      reason = "Unknown";
    else if (phase != "Succeeded" && phase != "Failed")
      reason = "Terminating";
  }
  std::string restarts_text = std::to_string(restarts);
  if (restarts != 0 && last_restart)
    restarts_text +=
        " (" + human_duration(std::chrono::duration_cast<std::chrono::seconds>(now - *last_restart)) + " ago)";
  std::string ip = "<none>";
  if (const auto* ips = arr_at(o, {"status", "podIPs"}); ips && !ips->empty() && (*ips)[0].is_object())
    if (auto v = jsonu::get_string((*ips)[0].get_object(), "ip"); !v.empty()) ip = std::string(v);
  auto or_none = [](std::string s) { return s.empty() ? std::string("<none>") : s; };
  std::string gates = "<none>";
  if (const auto* rg = arr_at(o, {"spec", "readinessGates"}); rg && !rg->empty()) {
    std::int64_t true_count = 0;
    const auto* conds = arr_at(o, {"status", "conditions"});
    for (const auto& g : *rg) {
      const auto* go = g.if_object();
      if (!go || !conds) continue;
      for (const auto& c : *conds) {
        const auto* co = c.if_object();
        if (co && jsonu::get_string(*co, "type") == jsonu::get_string(*go, "conditionType")) {
          if (jsonu::get_string(*co, "status") == "True") ++true_count;
          break;
        }
      }
    }
    gates = fraction(true_count, static_cast<std::int64_t>(rg->size()));
  }
  return {str_cell(name_of(o)),
          str_cell(fraction(ready, total)),
          str_cell(reason),
          str_cell(restarts_text),
          str_cell(age_of_object(o, now)),
          str_cell(ip),
          str_cell(or_none(str_at(o, {"spec", "nodeName"}))),
          str_cell(or_none(str_at(o, {"status", "nominatedNodeName"}))),
          str_cell(gates)};
}

// ---- NetworkPolicy / Ingress ----

cols networkpolicy_columns() {
  return {name_column(),
          column("Pod-Selector", "string", "Selects the pods to which this NetworkPolicy object applies."),
          age_column()};
}
json::array networkpolicy_cells(const json::object& o, sys_time now) {
  // printNetworkPolicy passes &spec.podSelector: a missing selector formats as empty.
  const auto* sel = at(o, {"spec", "podSelector"});
  static const json::value empty = json::object{};
  return {str_cell(name_of(o)), str_cell(format_label_selector(sel ? sel : &empty)), str_cell(age_of_object(o, now))};
}

cols ingress_columns() {
  return {name_column(),
          column("Class", "string",
                 "The name of the IngressClass resource that should be used for additional "
                 "configuration"),
          column("Hosts", "string", "Hosts that incoming requests are matched against before the ingress rule"),
          column("Address", "string", "Address is a list containing ingress points for the load-balancer"),
          column("Ports", "string", "Ports of TLS configurations that open"),
          age_column()};
}
json::array ingress_cells(const json::object& o, sys_time now) {
  std::vector<std::string> hosts;
  bool more = false;
  std::size_t rules_count = 0;
  if (const auto* rules = arr_at(o, {"spec", "rules"})) {
    rules_count = rules->size();
    for (const auto& r : *rules) {
      if (hosts.size() == 3) more = true;
      const auto* ro = r.if_object();
      auto host = ro ? jsonu::get_string(*ro, "host") : std::string_view{};
      if (!more && !host.empty()) hosts.emplace_back(host);
    }
  }
  std::string host_text;
  for (const auto& h : hosts) host_text += (host_text.empty() ? "" : ",") + h;
  if (hosts.empty())
    host_text = "*";
  else if (more)
    host_text += " + " + std::to_string(rules_count - 3) + " more...";
  std::set<std::string> addrs;
  if (const auto* ing = arr_at(o, {"status", "loadBalancer", "ingress"})) {
    for (const auto& e : *ing) {
      const auto* io = e.if_object();
      if (!io) continue;
      auto ip = jsonu::get_string(*io, "ip");
      auto host = jsonu::get_string(*io, "hostname");
      if (!ip.empty())
        addrs.insert(std::string(ip));
      else if (!host.empty())
        addrs.insert(std::string(host));
    }
  }
  std::string address;
  for (const auto& a : addrs) address += (address.empty() ? "" : ",") + a;
  return {str_cell(name_of(o)),
          str_cell(opt_str_at(o, {"spec", "ingressClassName"}).value_or("<none>")),
          str_cell(host_text),
          str_cell(address),
          str_cell(size_at(o, {"spec", "tls"}) ? "80, 443" : "80"),
          str_cell(age_of_object(o, now))};
}

// ---- PodDisruptionBudget / HorizontalPodAutoscaler ----

cols pdb_columns() {
  return {name_column(), column("Min Available", "string", "The minimum number of pods that must be available."),
          column("Max Unavailable", "string", "The maximum number of pods that may be unavailable."),
          column("Allowed Disruptions", "integer", "Calculated number of pods that may be disrupted at this time."),
          age_column()};
}
json::array pdb_cells(const json::object& o, sys_time now) {
  auto intstr_or_na = [&](std::string_view field) {
    const auto* v = at(o, {"spec", field});
    return v && !v->is_null() ? intstr_string(*v) : std::string("N/A");
  };
  return {str_cell(name_of(o)), str_cell(intstr_or_na("minAvailable")), str_cell(intstr_or_na("maxUnavailable")),
          int_or(o, {"status", "disruptionsAllowed"}), str_cell(age_of_object(o, now))};
}

std::string quantity_at(const json::object* o, std::initializer_list<std::string_view> path) {
  if (!o) return "<unknown>";
  const auto* v = at(*o, path);
  if (!v) return "<unknown>";
  if (v->is_string()) return std::string(v->get_string());
  return go_text(*v);
}

// printers.go formatHPAMetrics over autoscaling/v2 JSON.
std::string hpa_targets(const json::object& o) {
  const auto* specs = arr_at(o, {"spec", "metrics"});
  if (!specs || specs->empty()) return "<none>";
  const auto* statuses = arr_at(o, {"status", "currentMetrics"});
  auto status_part = [&](std::size_t i, std::string_view member) -> const json::object* {
    if (!statuses || i >= statuses->size() || !(*statuses)[i].is_object()) return nullptr;
    return obj_at((*statuses)[i].get_object(), {member});
  };
  std::vector<std::string> list;
  for (std::size_t i = 0; i < specs->size(); ++i) {
    const auto* s = (*specs)[i].if_object();
    std::string type = s ? str_at(*s, {"type"}) : "";
    if (type == "External" || type == "Object") {
      std::string_view member = type == "External" ? "external" : "object";
      const auto* target = obj_at(*s, {member, "target"});
      const auto* cur = status_part(i, member);
      if (target && at(*target, {"averageValue"})) {
        list.push_back(quantity_at(cur, {"current", "averageValue"}) + "/" + quantity_at(target, {"averageValue"}) +
                       " (avg)");
      } else {
        list.push_back(quantity_at(cur, {"current", "value"}) + "/" + quantity_at(target, {"value"}));
      }
    } else if (type == "Pods") {
      list.push_back(quantity_at(status_part(i, "pods"), {"current", "averageValue"}) + "/" +
                     quantity_at(obj_at(*s, {"pods", "target"}), {"averageValue"}));
    } else if (type == "Resource" || type == "ContainerResource") {
      std::string_view member = type == "Resource" ? "resource" : "containerResource";
      std::string name = str_at(*s, {member, "name"});
      const auto* target = obj_at(*s, {member, "target"});
      const auto* cur = status_part(i, member);
      if (target && at(*target, {"averageValue"})) {
        list.push_back(name + ": " + quantity_at(cur, {"current", "averageValue"}) + "/" +
                       quantity_at(target, {"averageValue"}));
      } else {
        std::string current = "<unknown>";
        if (cur) {
          if (auto u = int_at(*cur, {"current", "averageUtilization"})) current = std::to_string(*u) + "%";
        }
        std::string want = "<auto>";
        if (target) {
          if (auto u = int_at(*target, {"averageUtilization"})) want = std::to_string(*u) + "%";
        }
        list.push_back(name + ": " + current + "/" + want);
      }
    } else {
      list.emplace_back("<unknown type>");
    }
  }
  std::string out;
  for (std::size_t i = 0; i < list.size() && i < 2; ++i) out += (i ? ", " : "") + list[i];
  if (list.size() > 2) out += " + " + std::to_string(list.size() - 2) + " more...";
  return out;
}

cols hpa_columns() {
  return {name_column(),
          column("Reference", "string",
                 "reference to scaled resource; horizontal pod autoscaler will learn the "
                 "current resource consumption and will set the desired number of pods by "
                 "using its Scale subresource."),
          column("Targets", "string",
                 "metrics contains the specifications for which to use to calculate the desired "
                 "replica count."),
          column("MinPods", "string",
                 "minReplicas is the lower limit for the number of replicas to which the "
                 "autoscaler can scale down."),
          column("MaxPods", "string",
                 "maxReplicas is the upper limit for the number of replicas to which the "
                 "autoscaler can scale up."),
          column("Replicas", "string",
                 "currentReplicas is current number of replicas of pods managed by this "
                 "autoscaler, as last seen by the autoscaler."),
          age_column()};
}
json::array hpa_cells(const json::object& o, sys_time now) {
  std::string reference =
      str_at(o, {"spec", "scaleTargetRef", "kind"}) + "/" + str_at(o, {"spec", "scaleTargetRef", "name"});
  std::string min_pods = "<unset>";
  if (auto m = int_at(o, {"spec", "minReplicas"})) min_pods = std::to_string(*m);
  return {str_cell(name_of(o)),
          str_cell(reference),
          str_cell(hpa_targets(o)),
          str_cell(min_pods),
          int_or(o, {"spec", "maxReplicas"}),
          int_or(o, {"status", "currentReplicas"}),
          str_cell(age_of_object(o, now))};
}

}  // namespace

const builtin_printer* find_workload_printer(std::string_view group, std::string_view kind) {
  struct entry {
    std::string_view group, kind;
    builtin_printer printer;
  };
  static const entry table[] = {
      {"apps", "Deployment", {deployment_columns, deployment_cells}},
      {"apps", "ReplicaSet", {replicaset_columns, replicaset_cells}},
      {"apps", "StatefulSet", {statefulset_columns, statefulset_cells}},
      {"batch", "Job", {job_columns, job_cells}},
      {"batch", "CronJob", {cronjob_columns, cronjob_cells}},
      {"", "Pod", {pod_columns, pod_cells}},
      {"networking.k8s.io", "NetworkPolicy", {networkpolicy_columns, networkpolicy_cells}},
      {"networking.k8s.io", "Ingress", {ingress_columns, ingress_cells}},
      {"policy", "PodDisruptionBudget", {pdb_columns, pdb_cells}},
      {"autoscaling", "HorizontalPodAutoscaler", {hpa_columns, hpa_cells}},
  };
  for (const auto& e : table)
    if (e.group == group && e.kind == kind) return &e.printer;
  return nullptr;
}

}  // namespace langop::localapi::detail
