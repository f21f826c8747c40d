// Pod template validation: the parts of k8s.io/kubernetes/pkg/apis/core/validation
// ValidatePodTemplateSpec/ValidatePodSpec an operator's generated pods exercise —
// volumes, containers (names, images, ports, env, mounts, probes, resources, pull
// policy), restart/DNS policy, node selector, tolerations, service account.
#include "builtin_validation_detail.hpp"
#include "k8s_format.hpp"

#include <map>
#include <set>

namespace langop::localapi::detail {
namespace {

void validate_handler(checker& c, const json::object& h, const std::string& path, bool allow_sleep) {
  int handlers = 0;
  for (std::string_view kind : {"exec", "httpGet", "tcpSocket", "grpc", "sleep"}) {
    auto it = h.find(kind);
    if (it == h.end() || it->value().is_null()) continue;
    std::string hp = child_path(path, kind);
    if (kind == "sleep" && !allow_sleep) continue;
    if (handlers++ > 0) {
      c.forbidden(hp, "may not specify more than 1 handler type");
      continue;
    }
    const auto* a = c.obj_field(h, kind, hp);
    if (!a) continue;
    if (kind == "exec") {
      const auto* cmd = c.arr_field(*a, "command", child_path(hp, "command"));
      if (!cmd || cmd->empty()) c.required(child_path(hp, "command"));
    } else if (kind == "httpGet") {
      if (c.str_field(*a, "path", child_path(hp, "path")).value_or("").empty()) c.required(child_path(hp, "path"));
      if (const auto* port = jsonu::find(*a, {"port"}))
        validate_port_num_or_name(c, *port, child_path(hp, "port"));
      else
        validate_port_num(c, 0, child_path(hp, "port"));
      auto scheme = c.str_field(*a, "scheme", child_path(hp, "scheme")).value_or("");
      if (scheme != "HTTP" && scheme != "HTTPS")
        c.not_supported(child_path(hp, "scheme"), render(scheme), {"HTTP", "HTTPS"});
    } else if (kind == "tcpSocket") {
      if (const auto* port = jsonu::find(*a, {"port"}))
        validate_port_num_or_name(c, *port, child_path(hp, "port"));
      else
        validate_port_num(c, 0, child_path(hp, "port"));
    } else if (kind == "grpc") {
      validate_port_num(c, c.int_field(*a, "port", child_path(hp, "port")).value_or(0), child_path(hp, "port"));
    } else if (kind == "sleep") {
      c.nonnegative(*a, "seconds", child_path(hp, "seconds"));
    }
  }
  if (handlers == 0) c.required(path, "must specify a handler type");
}

void validate_probe(checker& c, const json::object& ctr, std::string_view key, const std::string& cpath) {
  std::string path = child_path(cpath, key);
  const auto* p = c.obj_field(ctr, key, path);
  if (!p) return;
  validate_handler(c, *p, path, false);
  for (std::string_view f :
       {"initialDelaySeconds", "timeoutSeconds", "periodSeconds", "successThreshold", "failureThreshold"})
    c.nonnegative(*p, f, child_path(path, f));
  if (auto g = c.int_field(*p, "terminationGracePeriodSeconds", child_path(path, "terminationGracePeriodSeconds"));
      g && *g <= 0)
    c.invalid(child_path(path, "terminationGracePeriodSeconds"), render(*g), "must be greater than 0");
  if (key != "readinessProbe") {  // liveness and startup probes must succeed once
    const auto* st = jsonu::find(*p, {"successThreshold"});
    if (auto n = st ? jsonu::get_int(*st, {}) : std::nullopt; n && *n != 1)
      c.invalid(child_path(path, "successThreshold"), render(*n), "must be 1");
  }
}

void validate_env(checker& c, const json::object& ctr, const std::string& cpath) {
  std::string base = child_path(cpath, "env");
  const auto* env = c.arr_field(ctr, "env", base);
  if (!env) return;
  static const std::set<std::string_view> field_paths = {
      "metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName",
      "status.hostIP", "status.hostIPs",     "status.podIP", "status.podIPs"};
  for (std::size_t i = 0; i < env->size(); ++i) {
    std::string ep = index_path(base, i);
    const auto* e = (*env)[i].if_object();
    if (!e) {
      c.type_invalid(ep, (*env)[i], "object");
      continue;
    }
    auto name = c.str_field(*e, "name", child_path(ep, "name")).value_or("");
    if (name.empty())
      c.required(child_path(ep, "name"));
    else
      c.invalid_each(child_path(ep, "name"), render(name), env_var_name_errors(name));
    std::string vp = child_path(ep, "valueFrom");
    const auto* vf = c.obj_field(*e, "valueFrom", vp);
    if (!vf) continue;
    int sources = 0;
    if (const auto* f = c.obj_field(*vf, "fieldRef", child_path(vp, "fieldRef"))) {
      ++sources;
      std::string fp = child_path(vp, "fieldRef");
      auto api = c.str_field(*f, "apiVersion", child_path(fp, "apiVersion")).value_or("");
      auto path = c.str_field(*f, "fieldPath", child_path(fp, "fieldPath")).value_or("");
      if (api.empty()) {
        c.required(child_path(fp, "apiVersion"));
      } else if (path.empty()) {
        c.required(child_path(fp, "fieldPath"));
      } else if (!field_paths.count(path) && path.rfind("metadata.labels['", 0) != 0 &&
                 path.rfind("metadata.annotations['", 0) != 0) {
        c.not_supported(
            child_path(fp, "fieldPath"), render(path),
            {"metadata.name", "metadata.namespace", "metadata.uid", "spec.nodeName", "spec.serviceAccountName",
             "status.hostIP", "status.hostIPs", "status.podIP", "status.podIPs"});
      }
    }
    if (c.obj_field(*vf, "resourceFieldRef", child_path(vp, "resourceFieldRef"))) ++sources;
    for (std::string_view ref : {"configMapKeyRef", "secretKeyRef"}) {
      const auto* r = c.obj_field(*vf, ref, child_path(vp, ref));
      if (!r) continue;
      ++sources;
      std::string rp = child_path(vp, ref);
      auto rname = c.str_field(*r, "name", child_path(rp, "name")).value_or("");
      // The referenced object's name is checked even when empty (an empty name is invalid).
      c.invalid_each(child_path(rp, "name"), render(rname), dns1123_subdomain_errors(rname));
      auto key = c.str_field(*r, "key", child_path(rp, "key")).value_or("");
      if (key.empty())
        c.required(child_path(rp, "key"));
      else
        c.invalid_each(child_path(rp, "key"), render(key), config_map_key_errors(key));
    }
    bool has_value = !c.str_field(*e, "value", child_path(ep, "value")).value_or("").empty();
    if (sources == 0)
      c.invalid(vp, render(""),
                "must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`");
    else if (has_value)
      c.invalid(vp, render(""), "may not be specified when `value` is not empty");
    else if (sources > 1)
      c.invalid(vp, render(""), "may not have more than one field specified at a time");
  }
}

bool standard_container_resource(std::string_view name) {
  return name == "cpu" || name == "memory" || name == "ephemeral-storage" || name.rfind("hugepages-", 0) == 0;
}

void validate_resources(checker& c, const json::object& ctr, const std::string& cpath) {
  std::string rp = child_path(cpath, "resources");
  const auto* res = c.obj_field(ctr, "resources", rp);
  if (!res) return;
  std::map<std::string, std::pair<long double, std::string>> limits;
  for (std::string_view part : {"limits", "requests"}) {
    std::string pp = child_path(rp, part);
    const auto* m = c.obj_field(*res, part, pp);
    if (!m) continue;
    for (const auto& kv : *m) {
      std::string name(kv.key());
      std::string fp = key_path(pp, name);
      if (name.find('/') == std::string::npos ? !standard_container_resource(name)
                                              : !qualified_name_errors(name).empty()) {
        c.invalid(fp, render(name), "must be a standard resource for containers");
        continue;
      }
      auto q = quantity_field(c, kv.value(), fp);
      if (!q) continue;
      std::string text = kv.value().is_string() ? std::string(kv.value().get_string()) : render(kv.value());
      if (*q < 0) c.invalid(fp, render(text), "must be greater than or equal to 0");
      bool overcommit = standard_container_resource(name) && name.rfind("hugepages-", 0) != 0;
      if (part == "limits") {
        limits[name] = {*q, text};
      } else if (auto it = limits.find(name); it != limits.end()) {
        if (!overcommit && *q != it->second.first)
          c.invalid(pp, render(text), "must be equal to " + name + " limit of " + it->second.second);
        else if (*q > it->second.first)
          c.invalid(pp, render(text), "must be less than or equal to " + name + " limit of " + it->second.second);
      } else if (!overcommit) {
        c.required(child_path(rp, "limits"), "Limit must be set for non overcommitable resources");
      }
    }
  }
}

void validate_container(checker& c, const json::object& ctr, const std::string& cp,
                        const std::set<std::string>& volumes, bool regular) {
  auto name = c.str_field(ctr, "name", child_path(cp, "name")).value_or("");
  if (name.empty())
    c.required(child_path(cp, "name"));
  else
    c.invalid_each(child_path(cp, "name"), render(name), dns1123_label_errors(name));
  if (c.str_field(ctr, "image", child_path(cp, "image")).value_or("").empty()) c.required(child_path(cp, "image"));
  auto tmp = c.str_field(ctr, "terminationMessagePolicy", child_path(cp, "terminationMessagePolicy")).value_or("");
  if (tmp.empty())
    c.required(child_path(cp, "terminationMessagePolicy"));
  else if (tmp != "File" && tmp != "FallbackToLogsOnError")
    c.not_supported(child_path(cp, "terminationMessagePolicy"), render(tmp), {"File", "FallbackToLogsOnError"});

  if (const auto* ports = c.arr_field(ctr, "ports", child_path(cp, "ports"))) {
    std::set<std::string> port_names;
    for (std::size_t i = 0; i < ports->size(); ++i) {
      std::string pp = index_path(child_path(cp, "ports"), i);
      const auto* p = (*ports)[i].if_object();
      if (!p) {
        c.type_invalid(pp, (*ports)[i], "object");
        continue;
      }
      auto pname = c.str_field(*p, "name", child_path(pp, "name")).value_or("");
      if (!pname.empty()) {
        auto errs = port_name_errors(pname);
        if (!errs.empty())
          c.invalid_each(child_path(pp, "name"), render(pname), errs);
        else if (!port_names.insert(pname).second)
          c.duplicate(child_path(pp, "name"), render(pname));
      }
      auto cport = c.int_field(*p, "containerPort", child_path(pp, "containerPort")).value_or(0);
      if (cport == 0)
        c.required(child_path(pp, "containerPort"));
      else
        validate_port_num(c, cport, child_path(pp, "containerPort"));
      if (auto hp = c.int_field(*p, "hostPort", child_path(pp, "hostPort")); hp && *hp != 0)
        validate_port_num(c, *hp, child_path(pp, "hostPort"));
      auto proto = c.str_field(*p, "protocol", child_path(pp, "protocol")).value_or("");
      if (proto.empty())
        c.required(child_path(pp, "protocol"));
      else if (proto != "TCP" && proto != "UDP" && proto != "SCTP")
        c.not_supported(child_path(pp, "protocol"), render(proto), {"SCTP", "TCP", "UDP"});
    }
  }
  validate_env(c, ctr, cp);
  if (const auto* mounts = c.arr_field(ctr, "volumeMounts", child_path(cp, "volumeMounts"))) {
    std::set<std::string> paths;
    for (std::size_t i = 0; i < mounts->size(); ++i) {
      std::string mp = index_path(child_path(cp, "volumeMounts"), i);
      const auto* m = (*mounts)[i].if_object();
      if (!m) {
        c.type_invalid(mp, (*mounts)[i], "object");
        continue;
      }
      auto mname = c.str_field(*m, "name", child_path(mp, "name")).value_or("");
      if (mname.empty()) c.required(child_path(mp, "name"));
      if (!volumes.count(mname)) c.not_found(child_path(mp, "name"), render(mname));
      auto mpath = c.str_field(*m, "mountPath", child_path(mp, "mountPath")).value_or("");
      if (mpath.empty()) c.required(child_path(mp, "mountPath"));
      if (!paths.insert(mpath).second) c.invalid(child_path(mp, "mountPath"), render(mpath), "must be unique");
      if (auto sub = c.str_field(*m, "subPath", child_path(mp, "subPath")); sub && !sub->empty())
        validate_item_path(c, *sub, child_path(mp, "subPath"));
    }
  }
  auto pull = c.str_field(ctr, "imagePullPolicy", child_path(cp, "imagePullPolicy")).value_or("");
  if (pull.empty())
    c.required(child_path(cp, "imagePullPolicy"));
  else if (pull != "Always" && pull != "IfNotPresent" && pull != "Never")
    c.not_supported(child_path(cp, "imagePullPolicy"), render(pull), {"Always", "IfNotPresent", "Never"});
  validate_resources(c, ctr, cp);
  // Init containers are sidecars (probes and hooks allowed) only with restartPolicy Always.
  auto ctr_restart = c.str_field(ctr, "restartPolicy", child_path(cp, "restartPolicy"));
  if (!regular) {
    if (ctr_restart && *ctr_restart != "Always")
      c.not_supported(child_path(cp, "restartPolicy"), render(*ctr_restart), {"Always"});
    if (!ctr_restart) {
      for (std::string_view f : {"lifecycle", "livenessProbe", "readinessProbe", "startupProbe"})
        if (ctr.contains(f) && !ctr.at(f).is_null())
          c.forbidden(child_path(cp, f), "may not be set for init containers without restartPolicy=Always");
      return;
    }
  }
  {
    if (const auto* lc = c.obj_field(ctr, "lifecycle", child_path(cp, "lifecycle"))) {
      for (std::string_view hook : {"postStart", "preStop"})
        if (const auto* h = c.obj_field(*lc, hook, child_path(child_path(cp, "lifecycle"), hook)))
          validate_handler(c, *h, child_path(child_path(cp, "lifecycle"), hook), true);
    }
    validate_probe(c, ctr, "livenessProbe", cp);
    validate_probe(c, ctr, "readinessProbe", cp);
    validate_probe(c, ctr, "startupProbe", cp);
    if (regular && ctr_restart) c.forbidden(child_path(cp, "restartPolicy"), "may not be set for non-init containers");
  }
}

void validate_containers(checker& c, const json::object& spec, const std::string& path,
                         const std::set<std::string>& volumes) {
  std::set<std::string> names;
  for (std::string_view list : {"containers", "initContainers"}) {
    std::string lp = child_path(path, list);
    const auto* cs = c.arr_field(spec, list, lp);
    if (list == "containers" && (!cs || cs->empty())) {
      c.required(lp);
      continue;
    }
    if (!cs) continue;
    for (std::size_t i = 0; i < cs->size(); ++i) {
      std::string cp = index_path(lp, i);
      const auto* ctr = (*cs)[i].if_object();
      if (!ctr) {
        c.type_invalid(cp, (*cs)[i], "object");
        continue;
      }
      validate_container(c, *ctr, cp, volumes, list == "containers");
      auto name = jsonu::get_string(*ctr, "name");
      if (!names.insert(std::string(name)).second) c.duplicate(child_path(cp, "name"), render(name));
    }
  }
}

void validate_tolerations(checker& c, const json::object& spec, const std::string& path) {
  std::string tp = child_path(path, "tolerations");
  const auto* ts = c.arr_field(spec, "tolerations", tp);
  if (!ts) return;
  for (std::size_t i = 0; i < ts->size(); ++i) {
    std::string ip = index_path(tp, i);
    const auto* t = (*ts)[i].if_object();
    if (!t) {
      c.type_invalid(ip, (*ts)[i], "object");
      continue;
    }
    auto key = c.str_field(*t, "key", child_path(ip, "key")).value_or("");
    auto op = c.str_field(*t, "operator", child_path(ip, "operator")).value_or("");
    auto value = c.str_field(*t, "value", child_path(ip, "value")).value_or("");
    auto effect = c.str_field(*t, "effect", child_path(ip, "effect")).value_or("");
    if (!key.empty()) c.invalid_each(child_path(ip, "key"), render(key), qualified_name_errors(key));
    if (key.empty() && op != "Exists")
      c.invalid(child_path(ip, "operator"), render(op),
                "operator must be Exists when `key` is empty, which means \"match all values and all keys\"");
    if (c.int_field(*t, "tolerationSeconds", child_path(ip, "tolerationSeconds")) && effect != "NoExecute")
      c.invalid(child_path(ip, "effect"), render(effect), "effect must be 'NoExecute' when `tolerationSeconds` is set");
    if (op == "Equal" || op.empty()) {
      auto errs = label_value_errors(value);
      if (!errs.empty()) {
        std::string joined;
        for (const auto& e : errs) joined += (joined.empty() ? "" : ";") + e;
        c.invalid(child_path(ip, "operator"), render(value), joined);
      }
    } else if (op == "Exists") {
      if (!value.empty())
        c.invalid(child_path(ip, "operator"), render((*ts)[i]), "value must be empty when `operator` is 'Exists'");
    } else {
      c.not_supported(child_path(ip, "operator"), render(op), {"Equal", "Exists"});
    }
    if (!effect.empty() && effect != "NoSchedule" && effect != "PreferNoSchedule" && effect != "NoExecute")
      c.not_supported(child_path(ip, "effect"), render(effect), {"NoSchedule", "PreferNoSchedule", "NoExecute"});
  }
}

}  // namespace

void validate_pod_spec(checker& c, const json::object& spec, const std::string& path) {
  auto volumes = validate_volumes(c, spec, path);
  validate_containers(c, spec, path, volumes);
  auto restart = c.str_field(spec, "restartPolicy", child_path(path, "restartPolicy")).value_or("");
  if (restart.empty())
    c.required(child_path(path, "restartPolicy"));
  else if (restart != "Always" && restart != "OnFailure" && restart != "Never")
    c.not_supported(child_path(path, "restartPolicy"), render(restart), {"Always", "OnFailure", "Never"});
  auto dns = c.str_field(spec, "dnsPolicy", child_path(path, "dnsPolicy")).value_or("");
  if (dns.empty())
    c.required(child_path(path, "dnsPolicy"));
  else if (dns != "ClusterFirstWithHostNet" && dns != "ClusterFirst" && dns != "Default" && dns != "None")
    c.not_supported(child_path(path, "dnsPolicy"), render(dns),
                    {"ClusterFirst", "ClusterFirstWithHostNet", "Default", "None"});
  else if (dns == "None" && !c.obj_field(spec, "dnsConfig", child_path(path, "dnsConfig")))
    c.required(child_path(path, "dnsConfig"), "must provide `dnsConfig` when `dnsPolicy` is None");
  validate_labels(c, c.string_map(spec, "nodeSelector", child_path(path, "nodeSelector")),
                  child_path(path, "nodeSelector"));
  if (auto sa = c.str_field(spec, "serviceAccountName", child_path(path, "serviceAccountName")); sa && !sa->empty())
    c.invalid_each(child_path(path, "serviceAccountName"), render(*sa), dns1123_subdomain_errors(*sa));
  if (auto ads = c.int_field(spec, "activeDeadlineSeconds", child_path(path, "activeDeadlineSeconds"));
      ads && (*ads < 1 || *ads > 2147483647))
    c.invalid(child_path(path, "activeDeadlineSeconds"), render(*ads), "must be between 1 and 2147483647, inclusive");
  for (std::string_view dns_name : {"hostname", "subdomain"})
    if (auto v = c.str_field(spec, dns_name, child_path(path, dns_name)); v && !v->empty())
      c.invalid_each(child_path(path, dns_name), render(*v), dns1123_label_errors(*v));
  validate_tolerations(c, spec, path);
  if (auto pc = c.str_field(spec, "priorityClassName", child_path(path, "priorityClassName")); pc && !pc->empty())
    c.invalid_each(child_path(path, "priorityClassName"), render(*pc), dns1123_subdomain_errors(*pc));
}

void validate_pod_template(checker& c, const json::object& spec, std::string_view key, const std::string& path) {
  const auto* t = c.obj_field(spec, key, path);
  if (!t) {
    c.required(path);
    return;
  }
  std::string mp = child_path(path, "metadata");
  if (const auto* meta = c.obj_field(*t, "metadata", mp)) {
    validate_labels(c, c.string_map(*meta, "labels", child_path(mp, "labels")), child_path(mp, "labels"));
    validate_annotations(c, c.string_map(*meta, "annotations", child_path(mp, "annotations")),
                         child_path(mp, "annotations"));
  }
  std::string sp = child_path(path, "spec");
  const auto* ps = c.obj_field(*t, "spec", sp);
  static const json::object empty;
  validate_pod_spec(c, ps ? *ps : empty, sp);
  if (ps && ps->contains("ephemeralContainers") && !ps->at("ephemeralContainers").is_null())
    c.forbidden(child_path(sp, "ephemeralContainers"), "ephemeral containers not allowed in pod template");
}

}  // namespace langop::localapi::detail
