// The built-in resources langop-localapi serves, as kube-apiserver's discovery lists them.
#include "langop/localapi/resource_type.hpp"

namespace langop::localapi {
namespace {

const std::vector<std::string> k_all_verbs{"create", "delete", "deletecollection", "get",
                                          "list",   "patch",  "update",           "watch"};
const std::vector<std::string> k_namespace_verbs{"create", "delete", "get", "list", "patch", "update", "watch"};

resource_type make(std::string group, std::string version, std::string resource, std::string singular,
                   std::string kind, bool namespaced, std::vector<std::string> short_names = {},
                   bool status = false, std::vector<std::string> categories = {}) {
  resource_type t;
  t.group = std::move(group);
  t.version = std::move(version);
  t.resource = std::move(resource);
  t.singular = std::move(singular);
  t.kind = std::move(kind);
  t.namespaced = namespaced;
  t.short_names = std::move(short_names);
  t.status_subresource = status;
  t.categories = std::move(categories);
  t.verbs = k_all_verbs;
  t.storage = t.group + "/" + t.resource;
  t.hints = &builtin_hints(t.group, t.kind);
  return t;
}

}  // namespace

std::vector<resource_type> builtin_resource_types() {
  std::vector<resource_type> out;
  auto ns = make("", "v1", "namespaces", "namespace", "Namespace", false, {"ns"}, true);
  ns.verbs = k_namespace_verbs;
  out.push_back(std::move(ns));
  out.push_back(make("", "v1", "configmaps", "configmap", "ConfigMap", true, {"cm"}));
  out.push_back(make("", "v1", "secrets", "secret", "Secret", true));
  out.push_back(make("", "v1", "services", "service", "Service", true, {"svc"}, true, {"all"}));
  out.push_back(make("", "v1", "serviceaccounts", "serviceaccount", "ServiceAccount", true, {"sa"}));
  out.push_back(make("", "v1", "events", "event", "Event", true, {"ev"}));
  out.push_back(make("", "v1", "persistentvolumeclaims", "persistentvolumeclaim", "PersistentVolumeClaim", true,
                     {"pvc"}, true));
  out.push_back(make("", "v1", "resourcequotas", "resourcequota", "ResourceQuota", true, {"quota"}, true));
  out.push_back(make("", "v1", "limitranges", "limitrange", "LimitRange", true, {"limits"}));
  out.push_back(make("", "v1", "pods", "pod", "Pod", true, {"po"}, true, {"all"}));
  auto deploy = make("apps", "v1", "deployments", "deployment", "Deployment", true, {"deploy"}, true, {"all"});
  deploy.scale_subresource = true;
  out.push_back(std::move(deploy));
  out.push_back(make("batch", "v1", "cronjobs", "cronjob", "CronJob", true, {"cj"}, true, {"all"}));
  out.push_back(make("batch", "v1", "jobs", "job", "Job", true, {}, true, {"all"}));
  out.push_back(make("networking.k8s.io", "v1", "networkpolicies", "networkpolicy", "NetworkPolicy", true,
                     {"netpol"}));
  out.push_back(make("networking.k8s.io", "v1", "ingresses", "ingress", "Ingress", true, {"ing"}, true));
  out.push_back(make("autoscaling", "v2", "horizontalpodautoscalers", "horizontalpodautoscaler",
                     "HorizontalPodAutoscaler", true, {"hpa"}, true, {"all"}));
  out.push_back(make("policy", "v1", "poddisruptionbudgets", "poddisruptionbudget", "PodDisruptionBudget", true,
                     {"pdb"}, true));
  out.push_back(make("coordination.k8s.io", "v1", "leases", "lease", "Lease", true));
  auto crd = make("apiextensions.k8s.io", "v1", "customresourcedefinitions", "customresourcedefinition",
                  "CustomResourceDefinition", false, {"crd", "crds"}, true, {"api-extensions"});
  out.push_back(std::move(crd));
  // events.k8s.io/v1 Events are the core Events seen through another schema; they
  // share storage with /api/v1 events and are converted on the way in and out.
  auto ev = make("events.k8s.io", "v1", "events", "event", "Event", true, {"ev"});
  ev.storage = "/events";
  out.push_back(std::move(ev));
  return out;
}

}  // namespace langop::localapi
