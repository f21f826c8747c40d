// Built-in list semantics, transcribed from the patchMergeKey / patchStrategy /
// listType / listMapKeys markers of the Kubernetes Go types we serve.
#include "langop/localapi/list_semantics.hpp"

#include <string>
#include <unordered_map>

namespace langop::localapi {
namespace {

using kind = list_semantics::kind;

list_semantics map_by(std::vector<std::string> keys, bool smp_merge = true) {
  return list_semantics{kind::map, std::move(keys), smp_merge};
}
list_semantics merged_set() { return list_semantics{kind::set, {}, true}; }

class table_hints final : public schema_hints {
 public:
  const list_semantics* list_at(std::string_view path) const override {
    auto it = table_.find(std::string(path));
    return it == table_.end() ? nullptr : &it->second;
  }
  void add(std::string path, list_semantics s) { table_.insert_or_assign(std::move(path), std::move(s)); }

 private:
  std::unordered_map<std::string, list_semantics> table_;
};

void add_object_meta(table_hints& t, const std::string& prefix) {
  t.add(prefix + "finalizers", merged_set());
  t.add(prefix + "ownerReferences", map_by({"uid"}));
}

void add_container_lists(table_hints& t, const std::string& containers) {
  t.add(containers, map_by({"name"}));
  t.add(containers + "[].ports", map_by({"containerPort", "protocol"}));
  t.add(containers + "[].env", map_by({"name"}));
  t.add(containers + "[].volumeMounts", map_by({"mountPath"}));
  t.add(containers + "[].volumeDevices", map_by({"devicePath"}));
  t.add(containers + "[].resizePolicy", list_semantics{kind::atomic, {}, false});
}

// A PodTemplateSpec at `prefix` ("spec.template.")
void add_pod_template(table_hints& t, const std::string& prefix) {
  add_object_meta(t, prefix + "metadata.");
  const std::string spec = prefix + "spec.";
  add_container_lists(t, spec + "containers");
  add_container_lists(t, spec + "initContainers");
  add_container_lists(t, spec + "ephemeralContainers");
  t.add(spec + "volumes", map_by({"name"}));
  t.add(spec + "imagePullSecrets", map_by({"name"}));
  t.add(spec + "hostAliases", map_by({"ip"}));
  t.add(spec + "topologySpreadConstraints", map_by({"topologyKey", "whenUnsatisfiable"}));
  t.add(spec + "schedulingGates", map_by({"name"}));
  t.add(spec + "resourceClaims", map_by({"name"}));
}

void add_conditions(table_hints& t) { t.add("status.conditions", map_by({"type"})); }

table_hints make_metadata_hints() {
  table_hints t;
  add_object_meta(t, "metadata.");
  return t;
}

table_hints make_hints(std::string_view group, std::string_view k) {
  table_hints t = make_metadata_hints();
  if (group == "apps" && (k == "Deployment" || k == "ReplicaSet" || k == "StatefulSet" || k == "DaemonSet")) {
    add_pod_template(t, "spec.template.");
    add_conditions(t);
  } else if (group == "batch" && k == "Job") {
    add_pod_template(t, "spec.template.");
    add_conditions(t);
  } else if (group == "batch" && k == "CronJob") {
    add_pod_template(t, "spec.jobTemplate.spec.template.");
    add_object_meta(t, "spec.jobTemplate.metadata.");
    t.add("status.active", map_by({"uid"}, false));
  } else if (group.empty() && k == "Pod") {
    add_pod_template(t, "");
    // add_pod_template added "metadata." twice and "spec." paths: that is exactly a Pod.
    add_conditions(t);
  } else if (group.empty() && k == "Service") {
    t.add("spec.ports", map_by({"port", "protocol"}));
    add_conditions(t);
  } else if (group.empty() && (k == "Namespace" || k == "PersistentVolumeClaim")) {
    add_conditions(t);
  } else if (group.empty() && k == "ServiceAccount") {
    t.add("secrets", map_by({"name"}));
    t.add("imagePullSecrets", map_by({"name"}, false));
  } else if (group == "autoscaling" || group == "policy" || group == "apiextensions.k8s.io" ||
             group == "networking.k8s.io") {
    add_conditions(t);
  }
  return t;
}

}  // namespace

const schema_hints& metadata_hints() {
  static const table_hints hints = make_metadata_hints();
  return hints;
}

const schema_hints& builtin_hints(std::string_view group, std::string_view kind_name) {
  static std::unordered_map<std::string, table_hints> cache;
  std::string key = std::string(group) + "/" + std::string(kind_name);
  auto it = cache.find(key);
  if (it == cache.end()) it = cache.emplace(key, make_hints(group, kind_name)).first;
  return it->second;
}

}  // namespace langop::localapi
