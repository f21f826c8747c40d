// Defaulting for built-in kinds: the SetDefaults_* functions of
// k8s.io/kubernetes/pkg/apis/{apps,batch,core,networking,autoscaling}/v1[/v2] and
// apiextensions v1, plus the strategy steps that shape every stored object (Namespace
// finalizer and phase, Job selector generation). A field the real server defaults must
// be defaulted here identically, or an operator's "no-op reconcile issues zero writes"
// tested here would not hold against a real cluster.
#include "langop/localapi/builtin_kinds.hpp"

#include "builtin_detail.hpp"

#include <algorithm>
#include <cctype>

namespace langop::localapi {
namespace {

using namespace detail;

// ---- apps ----

void default_rolling_update(json::object& strategy, json::value max_unavailable, json::value max_surge) {
  if (auto* ru = ensure_child(strategy, "rollingUpdate")) {
    set_if_absent(*ru, "maxUnavailable", std::move(max_unavailable));
    set_if_absent(*ru, "maxSurge", std::move(max_surge));
  }
}

void default_deployment(json::object& o) {
  auto* spec = ensure_child(o, "spec");
  if (!spec) return;
  set_if_absent(*spec, "replicas", 1);
  if (auto* strategy = ensure_child(*spec, "strategy")) {
    set_if_empty(*strategy, "type", "RollingUpdate");
    if (jsonu::get_string(*strategy, "type") == "RollingUpdate") default_rolling_update(*strategy, "25%", "25%");
  }
  set_if_absent(*spec, "revisionHistoryLimit", 10);
  set_if_absent(*spec, "progressDeadlineSeconds", 600);
  default_pod_template(*spec, "template");
}

void default_replicaset(json::object& o) {
  auto* spec = ensure_child(o, "spec");
  if (!spec) return;
  set_if_absent(*spec, "replicas", 1);
  default_pod_template(*spec, "template");
}

void default_statefulset(json::object& o) {
  auto* spec = ensure_child(o, "spec");
  if (!spec) return;
  set_if_empty(*spec, "podManagementPolicy", "OrderedReady");
  if (auto* us = ensure_child(*spec, "updateStrategy")) {
    set_if_empty(*us, "type", "RollingUpdate");
    if (jsonu::get_string(*us, "type") == "RollingUpdate") {
      if (auto* ru = ensure_child(*us, "rollingUpdate")) set_if_absent(*ru, "partition", 0);
    }
  }
  if (auto* policy = ensure_child(*spec, "persistentVolumeClaimRetentionPolicy")) {
    set_if_empty(*policy, "whenDeleted", "Retain");
    set_if_empty(*policy, "whenScaled", "Retain");
  }
  set_if_absent(*spec, "replicas", 1);
  set_if_absent(*spec, "revisionHistoryLimit", 10);
  each_object(*spec, "volumeClaimTemplates", [](json::object& pvc) {
    if (auto* m = ensure_child(pvc, "metadata"))
      if (m->find("creationTimestamp") == m->end()) (*m)["creationTimestamp"] = nullptr;
    if (auto* s = ensure_child(pvc, "spec")) default_pvc_spec(*s);
    if (auto* st = ensure_child(pvc, "status")) set_if_empty(*st, "phase", "Pending");
  });
  default_pod_template(*spec, "template");
}

void default_daemonset(json::object& o) {
  auto* spec = ensure_child(o, "spec");
  if (!spec) return;
  if (auto* us = ensure_child(*spec, "updateStrategy")) {
    set_if_empty(*us, "type", "RollingUpdate");
    if (jsonu::get_string(*us, "type") == "RollingUpdate") default_rolling_update(*us, 1, 0);
  }
  set_if_absent(*spec, "revisionHistoryLimit", 10);
  default_pod_template(*spec, "template");
}

// ---- batch ----

// The job strategy's generateSelector (PrepareForCreate): unless manualSelector is true,
// pods are selected by the controller UID, and the template carries the job-name and
// controller-uid labels. Needs metadata.uid, which the caller assigns before defaulting.
void generate_job_selector(json::object& o, json::object& spec) {
  auto* meta = child(o, "metadata");
  if (!meta) return;
  auto uid = jsonu::get_string(*meta, "uid");
  auto name = jsonu::get_string(*meta, "name");
  if (uid.empty()) return;
  auto manual = spec.find("manualSelector");
  if (manual != spec.end() && manual->value().is_bool() && manual->value().get_bool()) return;
  auto* tmpl = ensure_child(spec, "template");
  auto* tmeta = tmpl ? ensure_child(*tmpl, "metadata") : nullptr;
  auto* labels = tmeta ? ensure_child(*tmeta, "labels") : nullptr;
  if (labels) {
    for (const char* k : {"job-name", "batch.kubernetes.io/job-name"}) set_if_absent(*labels, k, json::string(name));
    for (const char* k : {"controller-uid", "batch.kubernetes.io/controller-uid"})
      set_if_absent(*labels, k, json::string(uid));
  }
  auto* selector = ensure_child(spec, "selector");
  auto* match = selector ? ensure_child(*selector, "matchLabels") : nullptr;
  if (match) set_if_absent(*match, "batch.kubernetes.io/controller-uid", json::string(uid));
}

void default_job(json::object& o) {
  // Create both parents first: inserting into `o` later would move `spec` (pointers into
  // a json::object's slots do not survive its growth).
  (void)ensure_child(o, "metadata");
  auto* spec = ensure_child(o, "spec");
  if (!spec) return;
  if (absent(*spec, "completions") && absent(*spec, "parallelism")) {
    (*spec)["completions"] = 1;
    (*spec)["parallelism"] = 1;
  }
  set_if_absent(*spec, "parallelism", 1);
  if (absent(*spec, "backoffLimit")) (*spec)["backoffLimit"] = absent(*spec, "backoffLimitPerIndex") ? 6 : 2147483647;
  // Job labels default to the template labels (as given by the user, before generation).
  if (const auto* tl = jsonu::find(*spec, {"template", "metadata", "labels"}); tl && tl->is_object()) {
    if (auto* meta = child(o, "metadata")) {
      const auto* ol = child(*meta, "labels");
      if (!ol || ol->empty()) (*meta)["labels"] = *tl;
    }
  }
  set_if_absent(*spec, "completionMode", "NonIndexed");
  set_if_absent(*spec, "suspend", false);
  if (auto* pfp = child(*spec, "podFailurePolicy")) {
    each_object(*pfp, "rules", [](json::object& rule) {
      each_object(rule, "onPodConditions", [](json::object& c) { set_if_empty(c, "status", "True"); });
    });
  }
  if (absent(*spec, "podReplacementPolicy"))
    (*spec)["podReplacementPolicy"] = absent(*spec, "podFailurePolicy") ? "TerminatingOrFailed" : "Failed";
  set_if_absent(*spec, "manualSelector", false);
  generate_job_selector(o, *spec);
  default_pod_template(*spec, "template");
}

void default_cronjob(json::object& o) {
  auto* spec = ensure_child(o, "spec");
  if (!spec) return;
  set_if_empty(*spec, "concurrencyPolicy", "Allow");
  set_if_absent(*spec, "suspend", false);
  set_if_absent(*spec, "successfulJobsHistoryLimit", 3);
  set_if_absent(*spec, "failedJobsHistoryLimit", 1);
  // JobTemplateSpec gets no Job defaults (SetDefaults_Job is for Job objects only), just
  // its pod template's and the encoded zero creationTimestamps.
  auto* jt = ensure_child(*spec, "jobTemplate");
  if (!jt) return;
  if (auto* m = ensure_child(*jt, "metadata"))
    if (m->find("creationTimestamp") == m->end()) (*m)["creationTimestamp"] = nullptr;
  if (auto* js = ensure_child(*jt, "spec")) default_pod_template(*js, "template");
}

// ---- core ----

bool has_non_empty(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end()) return false;
  if (const auto* a = it->value().if_array()) return !a->empty();
  if (const auto* m = it->value().if_object()) return !m->empty();
  return false;
}

void default_service(json::object& o) {
  auto* spec = ensure_child(o, "spec");
  if (!spec) return;
  set_if_empty(*spec, "sessionAffinity", "None");
  auto affinity = jsonu::get_string(*spec, "sessionAffinity");
  if (affinity == "None") {
    spec->erase("sessionAffinityConfig");
  } else if (affinity == "ClientIP") {
    const auto* t = jsonu::find(*spec, {"sessionAffinityConfig", "clientIP", "timeoutSeconds"});
    if (!t || t->is_null())
      (*spec)["sessionAffinityConfig"] = json::object{{"clientIP", json::object{{"timeoutSeconds", 10800}}}};
  }
  set_if_empty(*spec, "type", "ClusterIP");
  std::string type(jsonu::get_string(*spec, "type"));
  each_object(*spec, "ports", [](json::object& p) {
    set_if_empty(p, "protocol", "TCP");
    auto tp = p.find("targetPort");
    bool unset = tp == p.end() || tp->value().is_null() ||
                 (tp->value().is_string() && tp->value().get_string().empty()) || zero_int(p, "targetPort");
    if (unset && p.find("port") != p.end()) {
      json::value port = p["port"];
      p["targetPort"] = std::move(port);
    }
  });
  bool externally_accessible =
      type == "LoadBalancer" || type == "NodePort" || (type == "ClusterIP" && has_non_empty(*spec, "externalIPs"));
  if (externally_accessible) set_if_empty(*spec, "externalTrafficPolicy", "Cluster");
  if (absent(*spec, "internalTrafficPolicy") && (type == "ClusterIP" || type == "NodePort" || type == "LoadBalancer"))
    (*spec)["internalTrafficPolicy"] = "Cluster";
  if (type == "LoadBalancer") set_if_absent(*spec, "allocateLoadBalancerNodePorts", true);
  // IP families come from the service IP allocator, on a single-stack IPv4 cluster: the
  // family follows a user-chosen clusterIP; headless services without a selector ask
  // for every cluster family (RequireDualStack).
  if (type != "ExternalName") {
    std::string cluster_ip(jsonu::get_string(*spec, "clusterIP"));
    bool headless = cluster_ip == "None";
    if (absent(*spec, "ipFamilyPolicy"))
      (*spec)["ipFamilyPolicy"] = headless && !has_non_empty(*spec, "selector") ? "RequireDualStack" : "SingleStack";
    if (absent(*spec, "ipFamilies") ||
        (spec->at("ipFamilies").is_array() && spec->at("ipFamilies").get_array().empty()))
      (*spec)["ipFamilies"] = json::array{cluster_ip.find(':') != std::string::npos ? "IPv6" : "IPv4"};
  }
}

std::string base64(std::string_view in) {
  static const char* alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
  std::string out;
  out.reserve((in.size() + 2) / 3 * 4);
  std::size_t i = 0;
  for (; i + 2 < in.size(); i += 3) {
    unsigned n = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8) |
                 static_cast<unsigned char>(in[i + 2]);
    for (int shift : {18, 12, 6, 0}) out += alphabet[(n >> shift) & 63];
  }
  if (i + 1 == in.size()) {
    unsigned n = static_cast<unsigned char>(in[i]) << 16;
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += "==";
  } else if (i + 2 == in.size()) {
    unsigned n = (static_cast<unsigned char>(in[i]) << 16) | (static_cast<unsigned char>(in[i + 1]) << 8);
    out += alphabet[(n >> 18) & 63];
    out += alphabet[(n >> 12) & 63];
    out += alphabet[(n >> 6) & 63];
    out += '=';
  }
  return out;
}

void default_secret(json::object& o) {
  set_if_empty(o, "type", "Opaque");
  // v1 conversion: stringData is write-only. Its entries overwrite `data` (base64) and it
  // is never stored or returned. A non-string entry is left for validation to reject.
  auto it = o.find("stringData");
  if (it == o.end()) return;
  if (it->value().is_null()) {
    o.erase("stringData");
    return;
  }
  const auto* sd = it->value().if_object();
  if (!sd ||
      !std::all_of(sd->begin(), sd->end(), [](const json::key_value_pair& kv) { return kv.value().is_string(); }))
    return;
  if (auto d = o.find("data"); d != o.end() && !d->value().is_null() && !d->value().is_object()) return;
  json::object entries = *sd;
  o.erase("stringData");
  auto* data = ensure_child(o, "data");
  if (!data) return;
  for (const auto& kv : entries) (*data)[kv.key()] = base64(kv.value().get_string());
}

void default_namespace(json::object& o) {
  auto* meta = ensure_child(o, "metadata");
  if (meta) {
    auto name = jsonu::get_string(*meta, "name");
    if (!name.empty()) {
      std::string n(name);
      if (auto* labels = ensure_child(*meta, "labels")) (*labels)["kubernetes.io/metadata.name"] = n;
    }
  }
  // PrepareForCreate requires the "kubernetes" finalizer; the namespace controller removes
  // it while terminating, so a namespace being deleted is left alone.
  bool deleting = meta && !absent(*meta, "deletionTimestamp");
  if (auto* spec = ensure_child(o, "spec"); spec && !deleting) {
    auto it = spec->find("finalizers");
    if (it == spec->end() || it->value().is_null()) {
      (*spec)["finalizers"] = json::array{"kubernetes"};
    } else if (auto* f = it->value().if_array()) {
      if (std::find(f->begin(), f->end(), json::value("kubernetes")) == f->end()) f->emplace_back("kubernetes");
    }
  }
  if (auto* status = ensure_child(o, "status")) set_if_empty(*status, "phase", "Active");
}

void default_limit_range(json::object& o) {
  auto* spec = child(o, "spec");
  if (!spec) return;
  each_object(*spec, "limits", [](json::object& item) {
    for (const char* list : {"max", "min", "default", "defaultRequest", "maxLimitRequestRatio"})
      canonicalize_resource_list(item, list);
    if (jsonu::get_string(item, "type") != "Container") return;
    // Copy max -> default -> defaultRequest, and min -> defaultRequest, for missing keys.
    auto fill = [&item](std::string_view from, std::string_view to) {
      const auto* found = child(item, from);
      if (!found || found->empty()) return;
      json::object src = *found;  // copy: creating `to` may move the slot `found` points into
      auto* dst = ensure_child(item, to);
      if (!dst) return;
      for (const auto& kv : src)
        if (dst->find(kv.key()) == dst->end()) (*dst)[kv.key()] = kv.value();
    };
    fill("max", "default");
    fill("default", "defaultRequest");
    fill("min", "defaultRequest");
  });
}

void default_resource_quota(json::object& o) {
  if (auto* spec = child(o, "spec")) canonicalize_resource_list(*spec, "hard");
  if (auto* status = child(o, "status")) {
    canonicalize_resource_list(*status, "hard");
    canonicalize_resource_list(*status, "used");
  }
}

void default_endpoints(json::object& o) {
  each_object(o, "subsets", [](json::object& ss) {
    each_object(ss, "ports", [](json::object& p) { set_if_empty(p, "protocol", "TCP"); });
  });
}

// ---- networking / autoscaling / apiextensions ----

void default_network_policy(json::object& o) {
  auto* spec = ensure_child(o, "spec");
  if (!spec) return;
  auto port_protocols = [](json::object& rule) {
    each_object(rule, "ports", [](json::object& p) { set_if_absent(p, "protocol", "TCP"); });
  };
  each_object(*spec, "ingress", port_protocols);
  each_object(*spec, "egress", port_protocols);
  auto it = spec->find("policyTypes");
  bool none = it == spec->end() || it->value().is_null() || (it->value().is_array() && it->value().get_array().empty());
  if (none) {
    json::array types{"Ingress"};
    if (has_non_empty(*spec, "egress")) types.emplace_back("Egress");
    (*spec)["policyTypes"] = std::move(types);
  }
}

json::object hpa_policy(std::string_view type, int value, int period) {
  return json::object{{"type", type}, {"value", value}, {"periodSeconds", period}};
}

void default_hpa(json::object& o) {
  auto* spec = ensure_child(o, "spec");
  if (!spec) return;
  set_if_absent(*spec, "minReplicas", 1);
  if (jsonu::get_string(o, "apiVersion") == "autoscaling/v1") return;  // v1 defaults only minReplicas
  if (!has_non_empty(*spec, "metrics") && (absent(*spec, "metrics") || spec->at("metrics").is_array())) {
    (*spec)["metrics"] = json::array{json::object{
        {"type", "Resource"},
        {"resource", json::object{{"name", "cpu"},
                                  {"target", json::object{{"type", "Utilization"}, {"averageUtilization", 80}}}}}}};
  }
  each_object(*spec, "metrics", [](json::object& m) {
    for (const char* source : {"resource", "containerResource", "pods", "object", "external"}) {
      auto* s = child(m, source);
      auto* target = s ? child(*s, "target") : nullptr;
      if (!target) continue;
      for (const char* q : {"value", "averageValue"})
        if (auto it = target->find(q); it != target->end()) canonicalize_quantity(it->value());
    }
  });
  // A given behavior gets every nil rule field filled (GenerateHPAScale{Up,Down}Rules).
  auto* behavior = child(*spec, "behavior");
  if (!behavior) return;
  if (auto* up = ensure_child(*behavior, "scaleUp")) {
    set_if_absent(*up, "stabilizationWindowSeconds", 0);
    set_if_absent(*up, "selectPolicy", "Max");
    set_if_absent(*up, "policies", json::array{hpa_policy("Pods", 4, 15), hpa_policy("Percent", 100, 15)});
  }
  if (auto* down = ensure_child(*behavior, "scaleDown")) {
    // No stabilizationWindowSeconds: the controller's --horizontal-pod-autoscaler-downscale-stabilization applies.
    set_if_absent(*down, "selectPolicy", "Max");
    set_if_absent(*down, "policies", json::array{hpa_policy("Percent", 100, 15)});
  }
}

void default_crd(json::object& o) {
  auto* spec = child(o, "spec");
  if (!spec) return;
  if (auto* names = child(*spec, "names")) {
    std::string kind(jsonu::get_string(*names, "kind"));
    if (empty_string(*names, "singular")) {
      std::string lower = kind;
      std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
      (*names)["singular"] = lower;
    }
    if (empty_string(*names, "listKind") && !kind.empty()) (*names)["listKind"] = kind + "List";
  }
  set_if_absent(*spec, "conversion", json::object{{"strategy", "None"}});
  auto* conversion = child(*spec, "conversion");
  auto* webhook = conversion ? child(*conversion, "webhook") : nullptr;
  auto* client_config = webhook ? child(*webhook, "clientConfig") : nullptr;
  if (auto* service = client_config ? child(*client_config, "service") : nullptr) set_if_absent(*service, "port", 443);
}

}  // namespace

void apply_builtin_defaults(std::string_view group, std::string_view kind, json::object& object) {
  if (group.empty()) {
    if (kind == "Service")
      default_service(object);
    else if (kind == "Secret")
      default_secret(object);
    else if (kind == "Namespace")
      default_namespace(object);
    else if (kind == "PersistentVolumeClaim") {
      if (auto* spec = ensure_child(object, "spec")) default_pvc_spec(*spec);
      if (auto* status = ensure_child(object, "status")) {
        set_if_empty(*status, "phase", "Pending");
        canonicalize_resource_list(*status, "capacity");
      }
    } else if (kind == "Pod")
      default_pod(object);
    else if (kind == "PodTemplate")
      default_pod_template(object, "template");
    else if (kind == "ReplicationController") {
      if (auto* spec = ensure_child(object, "spec")) {
        set_if_absent(*spec, "replicas", 1);
        if (child(*spec, "template")) default_pod_template(*spec, "template");
      }
    } else if (kind == "LimitRange")
      default_limit_range(object);
    else if (kind == "ResourceQuota")
      default_resource_quota(object);
    else if (kind == "Endpoints")
      default_endpoints(object);
  } else if (group == "apps") {
    if (kind == "Deployment")
      default_deployment(object);
    else if (kind == "ReplicaSet")
      default_replicaset(object);
    else if (kind == "StatefulSet")
      default_statefulset(object);
    else if (kind == "DaemonSet")
      default_daemonset(object);
  } else if (group == "batch") {
    if (kind == "Job")
      default_job(object);
    else if (kind == "CronJob")
      default_cronjob(object);
  } else if (group == "networking.k8s.io") {
    if (kind == "NetworkPolicy") default_network_policy(object);
  } else if (group == "autoscaling") {
    if (kind == "HorizontalPodAutoscaler") default_hpa(object);
  } else if (group == "apiextensions.k8s.io") {
    if (kind == "CustomResourceDefinition") default_crd(object);
  }
}

}  // namespace langop::localapi
