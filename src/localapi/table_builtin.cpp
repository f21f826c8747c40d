// Server-side printers for built-in kinds: the columns and cells of
// k8s.io/kubernetes/pkg/printers/internalversion, reading the versioned JSON we store.
// Cells are generated as for `-o wide` (the server always does; kubectl hides priority>0).
#include "table_detail.hpp"

#include <algorithm>
#include <cctype>
#include <map>
#include <set>

namespace langop::localapi::detail {
namespace {

using cols = std::vector<table_column>;

json::value str_cell(std::string s) { return json::string(s); }

// ---- Namespace / ConfigMap / Secret / ServiceAccount ----

cols namespace_columns() {
  return {name_column(), column("Status", "string", "The status of the namespace"), age_column()};
}
json::array namespace_cells(const json::object& o, sys_time now) {
  return {str_cell(str_at(o, {"metadata", "name"})), str_cell(str_at(o, {"status", "phase"})),
          str_cell(age_since(o, {"metadata", "creationTimestamp"}, now))};
}

cols configmap_columns() {
  return {name_column(),
          column("Data", "string",
                 "Data contains the configuration data. Each key must consist of alphanumeric characters, '-', '_' "
                 "or '.'."),
          age_column()};
}
json::array configmap_cells(const json::object& o, sys_time now) {
  auto n = static_cast<std::int64_t>(size_at(o, {"data"}) + size_at(o, {"binaryData"}));
  return {str_cell(str_at(o, {"metadata", "name"})), n, str_cell(age_since(o, {"metadata", "creationTimestamp"}, now))};
}

cols secret_columns() {
  return {name_column(), column("Type", "string", "Used to facilitate programmatic handling of secret data."),
          column("Data", "string", "Data contains the secret data."), age_column()};
}
json::array secret_cells(const json::object& o, sys_time now) {
  return {str_cell(str_at(o, {"metadata", "name"})), str_cell(str_at(o, {"type"})),
          static_cast<std::int64_t>(size_at(o, {"data"})),
          str_cell(age_since(o, {"metadata", "creationTimestamp"}, now))};
}

cols serviceaccount_columns() {
  return {name_column(), column("Secrets", "string", "Secrets is a list of the secrets in the same namespace."),
          age_column()};
}
json::array serviceaccount_cells(const json::object& o, sys_time now) {
  return {str_cell(str_at(o, {"metadata", "name"})), static_cast<std::int64_t>(size_at(o, {"secrets"})),
          str_cell(age_since(o, {"metadata", "creationTimestamp"}, now))};
}

// ---- Service ----

std::string lb_ingress_text(const json::object& o, std::initializer_list<std::string_view> path) {
  std::set<std::string> result;  // sets.String: sorted, de-duplicated
  if (const auto* ing = arr_at(o, path)) {
    for (const auto& e : *ing) {
      const auto* io = e.if_object();
      if (!io) continue;
      auto ip = jsonu::get_string(*io, "ip");
      auto host = jsonu::get_string(*io, "hostname");
      if (!ip.empty())
        result.insert(std::string(ip));
      else if (!host.empty())
        result.insert(std::string(host));
    }
  }
  std::string out;
  for (const auto& s : result) out += (out.empty() ? "" : ",") + s;
  return out;
}

std::string joined_strings(const json::array* a) {
  std::string out;
  if (!a) return out;
  for (const auto& e : *a)
    if (e.is_string()) out += (out.empty() ? "" : ",") + std::string(e.get_string());
  return out;
}

cols service_columns() {
  return {name_column(),
          column("Type", "string", "type determines how the Service is exposed."),
          column("Cluster-IP", "string", "clusterIP is the IP address of the service."),
          column("External-IP", "string",
                 "externalIPs is a list of IP addresses for which nodes in the cluster will "
                 "also accept traffic for this service."),
          column("Port(s)", "string", "The list of ports that are exposed by this service."),
          age_column(),
          column("Selector", "string",
                 "Route service traffic to pods with label keys and values matching this "
                 "selector.",
                 1)};
}
json::array service_cells(const json::object& o, sys_time now) {
  std::string type = str_at(o, {"spec", "type"});
  std::string cluster_ip = "<none>";
  if (const auto* ips = arr_at(o, {"spec", "clusterIPs"}); ips && !ips->empty() && (*ips)[0].is_string())
    cluster_ip = std::string((*ips)[0].get_string());
  else if (auto ip = str_at(o, {"spec", "clusterIP"}); !ip.empty())
    cluster_ip = ip;
  std::string external_ips = joined_strings(arr_at(o, {"spec", "externalIPs"}));
  std::string external;
  if (type == "ClusterIP" || type == "NodePort") {
    external = external_ips.empty() ? "<none>" : external_ips;
  } else if (type == "LoadBalancer") {
    std::string lb = lb_ingress_text(o, {"status", "loadBalancer", "ingress"});
    if (!external_ips.empty())
      external = lb.empty() ? external_ips : lb + "," + external_ips;
    else
      external = lb.empty() ? "<pending>" : lb;
  } else if (type == "ExternalName") {
    external = str_at(o, {"spec", "externalName"});
  } else {
    external = "<unknown>";
  }
  std::string ports;
  if (const auto* ps = arr_at(o, {"spec", "ports"})) {
    for (const auto& pv : *ps) {
      const auto* p = pv.if_object();
      if (!p) continue;
      std::string piece = std::to_string(int_or(*p, {"port"}));
      if (auto np = int_or(*p, {"nodePort"}); np > 0) piece += ":" + std::to_string(np);
      piece += "/" + std::string(jsonu::get_string(*p, "protocol"));
      ports += (ports.empty() ? "" : ",") + piece;
    }
  }
  if (ports.empty()) ports = "<none>";
  return {str_cell(str_at(o, {"metadata", "name"})),
          str_cell(type),
          str_cell(cluster_ip),
          str_cell(external),
          str_cell(ports),
          str_cell(age_since(o, {"metadata", "creationTimestamp"}, now)),
          str_cell(format_labels(at(o, {"spec", "selector"})))};
}

// ---- PersistentVolumeClaim ----

std::string access_modes(const json::array* modes) {
  std::set<std::string> have;
  if (modes)
    for (const auto& m : *modes)
      if (m.is_string()) have.insert(std::string(m.get_string()));
  std::string out;
  for (auto [mode, abbrev] : {std::pair{"ReadWriteOnce", "RWO"}, std::pair{"ReadOnlyMany", "ROX"},
                              std::pair{"ReadWriteMany", "RWX"}, std::pair{"ReadWriteOncePod", "RWOP"}})
    if (have.count(mode)) out += (out.empty() ? "" : ",") + std::string(abbrev);
  return out;
}

cols pvc_columns() {
  return {name_column(),
          column("Status", "string", "phase represents the current phase of PersistentVolumeClaim."),
          column("Volume", "string",
                 "volumeName is the binding reference to the PersistentVolume backing this "
                 "claim."),
          column("Capacity", "string", "capacity represents the actual resources of the underlying volume."),
          column("Access Modes", "string",
                 "accessModes contains the actual access modes the volume backing the PVC "
                 "has."),
          column("StorageClass", "string", "StorageClass of the pvc"),
          column("VolumeAttributesClass", "string", "VolumeAttributesClass of the pvc"),
          age_column(),
          column("VolumeMode", "string", "volumeMode defines what type of volume is required by the claim.", 1)};
}
json::array pvc_cells(const json::object& o, sys_time now) {
  std::string phase = at(o, {"metadata", "deletionTimestamp"}) ? "Terminating" : str_at(o, {"status", "phase"});
  std::string volume = str_at(o, {"spec", "volumeName"});
  std::string capacity, modes;
  if (!volume.empty()) {
    modes = access_modes(arr_at(o, {"status", "accessModes"}));
    capacity = opt_str_at(o, {"status", "capacity", "storage"}).value_or("0");
  }
  std::string sc = opt_str_at(o, {"metadata", "annotations", "volume.beta.kubernetes.io/storage-class"})
                       .value_or(str_at(o, {"spec", "storageClassName"}));
  return {str_cell(str_at(o, {"metadata", "name"})),
          str_cell(phase),
          str_cell(volume),
          str_cell(capacity),
          str_cell(modes),
          str_cell(sc),
          str_cell(opt_str_at(o, {"spec", "volumeAttributesClassName"}).value_or("<unset>")),
          str_cell(age_since(o, {"metadata", "creationTimestamp"}, now)),
          str_cell(opt_str_at(o, {"spec", "volumeMode"}).value_or("<unset>"))};
}

// ---- ResourceQuota ----

cols resourcequota_columns() {
  return {name_column(),
          column("Request", "string",
                 "Request represents a minimum amount of cpu/memory that a container may "
                 "consume."),
          column("Limit", "string",
                 "Limits control the maximum amount of cpu/memory that a container may use "
                 "independent of contention on the node."),
          age_column()};
}
json::array resourcequota_cells(const json::object& o, sys_time now) {
  std::map<std::string, std::string> hard;
  if (const auto* h = obj_at(o, {"status", "hard"}))
    for (const auto& kv : *h)
      hard[std::string(kv.key())] = kv.value().is_string() ? std::string(kv.value().get_string()) : "0";
  const auto* used = obj_at(o, {"status", "used"});
  std::string request, limit;
  for (const auto& [name, quantity] : hard) {
    std::string u = "0";
    if (used) u = std::string(jsonu::get_string(*used, name, "0"));
    std::string piece = name + ": " + u + "/" + quantity;
    auto dot = name.find('.');
    std::string& w = dot != std::string::npos && name.substr(0, dot) == "limits" ? limit : request;
    w += (w.empty() ? "" : ", ") + piece;
  }
  return {str_cell(str_at(o, {"metadata", "name"})), str_cell(request), str_cell(limit),
          str_cell(age_since(o, {"metadata", "creationTimestamp"}, now))};
}

// ---- Event (core/v1 and events.k8s.io/v1 field names) ----

cols event_columns() {
  return {column("Last Seen", "string", "The time at which the most recent occurrence of this event was recorded."),
          column("Type", "string", "Type of this event (Normal, Warning), new types could be added in the future"),
          column("Reason", "string",
                 "This should be a short, machine understandable string that gives the reason "
                 "for the transition into the object's current status."),
          column("Object", "string", "The object that this event is about."),
          column("Subobject", "string",
                 "If referring to a piece of an object instead of an entire object, this "
                 "string should contain a valid JSON/Go field access statement.",
                 1),
          column("Source", "string", "The component reporting this event.", 1),
          column("Message", "string", "A human-readable description of the status of this operation."),
          column("First Seen", "string", "The time at which the event was first recorded.", 1),
          column("Count", "string", "The number of times this event has occurred.", 1),
          [] {
            auto c = name_column();
            c.priority = 1;
            return c;
          }()};
}
json::array event_cells_impl(const json::object& o, sys_time now, bool events_api) {
  auto f = [&](std::string_view core, std::string_view events) { return events_api ? events : core; };
  const auto* first_ts = at(o, {f("firstTimestamp", "deprecatedFirstTimestamp")});
  std::string first = first_ts && first_ts->is_string() && !first_ts->get_string().empty()
                          ? age_of(first_ts, now)
                          : age_of(at(o, {"eventTime"}), now);
  const auto* last_ts = at(o, {f("lastTimestamp", "deprecatedLastTimestamp")});
  std::string last = last_ts && last_ts->is_string() && !last_ts->get_string().empty() ? age_of(last_ts, now) : first;
  std::int64_t count = int_or(o, {f("count", "deprecatedCount")});
  if (obj_at(o, {"series"})) {
    last = age_of(at(o, {"series", "lastObservedTime"}), now);
    count = int_or(o, {"series", "count"});
  } else if (count == 0) {
    count = 1;  // singleton events carry no count in the events API
  }
  std::string_view ref = f("involvedObject", "regarding");
  std::string kind = str_at(o, {ref, "kind"});
  std::transform(kind.begin(), kind.end(), kind.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  std::string name = str_at(o, {ref, "name"});
  std::string target = name.empty() ? kind : kind + "/" + name;
  std::string component = str_at(o, {f("source", "deprecatedSource"), "component"});
  if (component.empty()) component = str_at(o, {f("reportingComponent", "reportingController")});
  std::string host = str_at(o, {f("source", "deprecatedSource"), "host"});
  if (host.empty()) host = str_at(o, {"reportingInstance"});
  std::string source = host.empty() ? component : component + ", " + host;
  std::string message = str_at(o, {f("message", "note")});
  auto not_space = [](unsigned char c) { return !std::isspace(c); };
  message.erase(message.begin(), std::find_if(message.begin(), message.end(), not_space));
  message.erase(std::find_if(message.rbegin(), message.rend(), not_space).base(), message.end());
  return {str_cell(last),
          str_cell(str_at(o, {"type"})),
          str_cell(str_at(o, {"reason"})),
          str_cell(target),
          str_cell(str_at(o, {ref, "fieldPath"})),
          str_cell(source),
          str_cell(message),
          str_cell(first),
          count,
          str_cell(str_at(o, {"metadata", "name"}))};
}
json::array event_cells(const json::object& o, sys_time now) { return event_cells_impl(o, now, false); }
json::array events_api_cells(const json::object& o, sys_time now) { return event_cells_impl(o, now, true); }

// ---- Lease ----

cols lease_columns() {
  return {name_column(),
          column("Holder", "string",
                 "holderIdentity contains the identity of the holder of a current "
                 "lease."),
          age_column()};
}
json::array lease_cells(const json::object& o, sys_time now) {
  return {str_cell(str_at(o, {"metadata", "name"})), str_cell(str_at(o, {"spec", "holderIdentity"})),
          str_cell(age_since(o, {"metadata", "creationTimestamp"}, now))};
}

}  // namespace

const builtin_printer* find_builtin_printer(std::string_view group, std::string_view kind) {
  struct entry {
    std::string_view group, kind;
    builtin_printer printer;
  };
  static const entry table[] = {
      {"", "Namespace", {namespace_columns, namespace_cells}},
      {"", "ConfigMap", {configmap_columns, configmap_cells}},
      {"", "Secret", {secret_columns, secret_cells}},
      {"", "ServiceAccount", {serviceaccount_columns, serviceaccount_cells}},
      {"", "Service", {service_columns, service_cells}},
      {"", "PersistentVolumeClaim", {pvc_columns, pvc_cells}},
      {"", "ResourceQuota", {resourcequota_columns, resourcequota_cells}},
      {"", "Event", {event_columns, event_cells}},
      {"events.k8s.io", "Event", {event_columns, events_api_cells}},
      {"coordination.k8s.io", "Lease", {lease_columns, lease_cells}},
  };
  for (const auto& e : table)
    if (e.group == group && e.kind == kind) return &e.printer;
  return find_workload_printer(group, kind);
}

bool is_builtin_group(std::string_view group) {
  if (group.empty() || group == "apps" || group == "batch" || group == "autoscaling" || group == "policy" ||
      group == "extensions")
    return true;
  constexpr std::string_view suffix = ".k8s.io";
  return group.size() > suffix.size() && group.substr(group.size() - suffix.size()) == suffix;
}

}  // namespace langop::localapi::detail
