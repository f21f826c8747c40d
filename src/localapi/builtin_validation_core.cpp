// Core (group "") kinds: Service, ConfigMap, Secret, Namespace, PersistentVolumeClaim,
// ResourceQuota, LimitRange, Pod — after k8s.io/kubernetes/pkg/apis/core/validation,
// including their update rules.
#include "builtin_validation_detail.hpp"
#include "go_format.hpp"
#include "k8s_format.hpp"

#include <algorithm>
#include <map>
#include <set>

namespace langop::localapi::detail {
namespace {

constexpr std::size_t max_secret_size = 1024 * 1024;

const json::object* spec_of(checker& c, const json::object& o) { return c.obj_field(o, "spec", "spec"); }
const json::object* old_spec_of(const json::object* old) {
  if (!old) return nullptr;
  const auto* v = jsonu::find(*old, {"spec"});
  return v ? v->if_object() : nullptr;
}
const json::value* get(const json::object* o, std::string_view key) {
  if (!o) return nullptr;
  auto it = o->find(key);
  return it == o->end() ? nullptr : &it->value();
}

// Decoded length of base64 text; nullopt with the position of the first bad byte.
std::optional<std::size_t> base64_decoded_size(std::string_view s, std::size_t& bad_at) {
  auto ok = [](char ch) {
    return (ch >= 'A' && ch <= 'Z') || (ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9') || ch == '+' || ch == '/';
  };
  std::size_t pad = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '=') {
      if (i + 2 < s.size() || (i + 2 == s.size() && s[i + 1] != '=')) {
        bad_at = i;
        return std::nullopt;
      }
      ++pad;
    } else if (!ok(s[i]) || pad > 0) {
      bad_at = i;
      return std::nullopt;
    }
  }
  if (s.size() % 4 != 0) {
    bad_at = s.size() / 4 * 4;
    return std::nullopt;
  }
  return s.size() / 4 * 3 - pad;
}

// ---- Service ----

std::string go_service_port_key(std::string_view protocol, std::int64_t port) {
  return "core.ServicePort{Name:\"\", Protocol:" + go_quote(protocol) +
         ", AppProtocol:(*string)(nil), Port:" + std::to_string(port) +
         ", TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}";
}

void validate_service(checker& c, const json::object& o, const json::object* old) {
  auto name = str_in(o, {"metadata", "name"});
  if (!name.empty() && dns1123_subdomain_errors(name).empty())  // the generic name check reports the rest
    c.invalid_each("metadata.name", render(name), dns1035_label_errors(name));
  static const json::object empty;
  const auto* sp = spec_of(c, o);
  const auto& spec = sp ? *sp : empty;
  auto type = c.str_field(spec, "type", "spec.type").value_or("");
  auto cluster_ip = c.str_field(spec, "clusterIP", "spec.clusterIP").value_or("");
  bool headless = cluster_ip == "None";
  const auto* ports = c.arr_field(spec, "ports", "spec.ports");
  if ((!ports || ports->empty()) && !headless && type != "ExternalName") c.required("spec.ports");
  if (type == "ExternalName") {
    const auto* ips = get(&spec, "clusterIPs");
    if ((ips && ips->is_array() && !ips->get_array().empty()) || (!cluster_ip.empty()))
      c.forbidden("spec.clusterIPs", "may not be set for ExternalName services");
    auto ext = c.str_field(spec, "externalName", "spec.externalName").value_or("");
    std::string clean = ext;
    if (!clean.empty() && clean.back() == '.') clean.pop_back();
    c.invalid_each("spec.externalName", render(ext), dns1123_subdomain_errors(clean));
  } else if (!cluster_ip.empty() && !headless && !is_ip_address(cluster_ip)) {
    c.invalid("spec.clusterIPs[0]", render(cluster_ip),
              "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
  }
  std::set<std::string> port_names;
  std::set<std::pair<std::string, std::int64_t>> keys;
  if (ports) {
    for (std::size_t i = 0; i < ports->size(); ++i) {
      std::string pp = index_path("spec.ports", i);
      const auto* p = (*ports)[i].if_object();
      if (!p) {
        c.type_invalid(pp, (*ports)[i], "object");
        continue;
      }
      auto pname = c.str_field(*p, "name", child_path(pp, "name")).value_or("");
      if (ports->size() > 1 && pname.empty()) {
        c.required(child_path(pp, "name"));
      } else if (!pname.empty()) {
        c.invalid_each(child_path(pp, "name"), render(pname), dns1123_label_errors(pname));
        if (!port_names.insert(pname).second) c.duplicate(child_path(pp, "name"), render(pname));
      }
      auto port = c.int_field(*p, "port", child_path(pp, "port")).value_or(0);
      validate_port_num(c, port, child_path(pp, "port"));
      auto proto = c.str_field(*p, "protocol", child_path(pp, "protocol")).value_or("");
      if (proto.empty())
        c.required(child_path(pp, "protocol"));
      else if (proto != "TCP" && proto != "UDP" && proto != "SCTP")
        c.not_supported(child_path(pp, "protocol"), render(proto), {"SCTP", "TCP", "UDP"});
      static const json::value zero = 0;
      const auto* tp = get(p, "targetPort");
      validate_port_num_or_name(c, tp && !tp->is_null() ? *tp : zero, child_path(pp, "targetPort"));
      if (auto ap = c.str_field(*p, "appProtocol", child_path(pp, "appProtocol")))
        c.invalid_each(child_path(pp, "appProtocol"), render(*ap), qualified_name_errors(*ap));
      if (type == "ClusterIP" && c.int_field(*p, "nodePort", child_path(pp, "nodePort")).value_or(0) != 0)
        c.forbidden(child_path(pp, "nodePort"), "may not be used when `type` is 'ClusterIP'");
      if (!keys.insert({proto, port}).second) c.duplicate(pp, go_service_port_key(proto, port));
    }
  }
  validate_labels(c, c.string_map(spec, "selector", "spec.selector"), "spec.selector");
  auto affinity = c.str_field(spec, "sessionAffinity", "spec.sessionAffinity").value_or("");
  if (affinity.empty())
    c.required("spec.sessionAffinity");
  else if (affinity != "ClientIP" && affinity != "None")
    c.not_supported("spec.sessionAffinity", render(affinity), {"ClientIP", "None"});
  if (type.empty())
    c.required("spec.type");
  else if (type != "ClusterIP" && type != "ExternalName" && type != "LoadBalancer" && type != "NodePort")
    c.not_supported("spec.type", render(type), {"ClusterIP", "ExternalName", "LoadBalancer", "NodePort"});
  if (const auto* ext_ips = c.arr_field(spec, "externalIPs", "spec.externalIPs")) {
    for (std::size_t i = 0; i < ext_ips->size(); ++i) {
      const auto& ip = (*ext_ips)[i];
      if (!ip.is_string() || !is_ip_address(ip.get_string()))
        c.invalid(index_path("spec.externalIPs", i), render(ip),
                  "must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)");
    }
  }
  if (!old) return;
  // ClusterIPs may not change once allocated (the allocator copies them forward when omitted).
  const auto* os = old_spec_of(old);
  if (!os || jsonu::get_string(*os, "type") == "ExternalName" || type == "ExternalName") return;
  auto old_ip = jsonu::get_string(*os, "clusterIP");
  if (old_ip.empty() || old_ip == "None" || cluster_ip.empty()) return;
  if (cluster_ip != old_ip) {
    const auto* ips = get(&spec, "clusterIPs");
    c.invalid("spec.clusterIPs[0]",
              ips && ips->is_array() ? go_string_slice(ips) : "[]string{" + go_quote(cluster_ip) + "}",
              "may not change once set");
  }
}

// ---- ConfigMap / Secret ----

void validate_config_map(checker& c, const json::object& o, const json::object* old) {
  std::size_t total = 0;
  const auto* data = c.string_map(o, "data", "data");
  const auto* binary = c.string_map(o, "binaryData", "binaryData");
  if (data) {
    for (const auto& kv : *data) {
      std::string k(kv.key());
      c.invalid_each(key_path("data", k), render(k), config_map_key_errors(k));
      if (binary && binary->contains(k))
        c.invalid(key_path("data", k), render(k), "duplicate of key present in binaryData");
      total += kv.value().get_string().size();
    }
  }
  if (binary) {
    for (const auto& kv : *binary) {
      std::string k(kv.key());
      c.invalid_each(key_path("binaryData", k), render(k), config_map_key_errors(k));
      std::size_t bad = 0;
      auto n = base64_decoded_size(kv.value().get_string(), bad);
      if (!n)
        c.invalid(key_path("binaryData", k), "\"<binary data>\"",
                  "illegal base64 data at input byte " + std::to_string(bad));
      total += n.value_or(0);
    }
  }
  if (total > max_secret_size) c.too_long("", max_secret_size);
  if (!old) return;
  const auto* was = jsonu::find(*old, {"immutable"});
  if (!was || !was->is_bool() || !was->get_bool()) return;
  const auto* now = get(&o, "immutable");
  if (!now || !now->is_bool() || !now->get_bool())
    c.forbidden("immutable", "field is immutable when `immutable` is set");
  for (std::string_view f : {"data", "binaryData"})
    if (!semantically_equal(get(&o, f), get(old, f)))
      c.forbidden(std::string(f), "field is immutable when `immutable` is set");
}

void validate_secret(checker& c, const json::object& o, const json::object* old) {
  std::size_t total = 0;
  const auto* data = c.string_map(o, "data", "data");
  if (data) {
    for (const auto& kv : *data) {
      std::string k(kv.key());
      c.invalid_each(key_path("data", k), render(k), config_map_key_errors(k));
      std::size_t bad = 0;
      auto n = base64_decoded_size(kv.value().get_string(), bad);
      // Never echo secret material into a message.
      if (!n)
        c.invalid(key_path("data", k), "\"<secret contents redacted>\"",
                  "illegal base64 data at input byte " + std::to_string(bad));
      total += n.value_or(0);
    }
  }
  if (const auto* sd = c.obj_field(o, "stringData", "stringData"))
    for (const auto& kv : *sd)
      if (!kv.value().is_string())
        c.invalid(key_path("stringData", kv.key()), "\"<secret contents redacted>\"", "must be a string");
  if (total > max_secret_size) c.too_long("data", max_secret_size);
  auto type = c.str_field(o, "type", "type").value_or("");
  auto has = [&](std::string_view k) { return data && data->contains(k); };
  if (type == "kubernetes.io/service-account-token") {
    if (str_in(o, {"metadata", "annotations", "kubernetes.io/service-account.name"}).empty())
      c.required("metadata.annotations[kubernetes.io/service-account.name]");
  } else if (type == "kubernetes.io/dockercfg") {
    if (!has(".dockercfg")) c.required("data[.dockercfg]");
  } else if (type == "kubernetes.io/dockerconfigjson") {
    if (!has(".dockerconfigjson")) c.required("data[.dockerconfigjson]");
  } else if (type == "kubernetes.io/basic-auth") {
    if (!has("username") && !has("password")) {
      c.required("data[username]");
      c.required("data[password]");
    }
  } else if (type == "kubernetes.io/ssh-auth") {
    if (!has("ssh-privatekey") || data->at("ssh-privatekey").get_string().empty()) c.required("data[ssh-privatekey]");
  } else if (type == "kubernetes.io/tls") {
    if (!has("tls.crt")) c.required("data[tls.crt]");
    if (!has("tls.key")) c.required("data[tls.key]");
  }
  if (!old) return;
  auto old_type = jsonu::get_string(*old, "type");
  if (type != old_type) c.invalid("type", render(type), "field is immutable");
  const auto* was = jsonu::find(*old, {"immutable"});
  if (!was || !was->is_bool() || !was->get_bool()) return;
  const auto* now = get(&o, "immutable");
  if (!now || !now->is_bool() || !now->get_bool())
    c.forbidden("immutable", "field is immutable when `immutable` is set");
  if (!semantically_equal(get(&o, "data"), get(old, "data")))
    c.forbidden("data", "field is immutable when `immutable` is set");
}

// ---- Namespace / PVC / quota / limits ----

void validate_namespace(checker& c, const json::object& o) {
  auto name = str_in(o, {"metadata", "name"});
  if (!name.empty() && dns1123_subdomain_errors(name).empty())
    c.invalid_each("metadata.name", render(name), dns1123_label_errors(name));
  const auto* spec = spec_of(c, o);
  const auto* fins = spec ? c.arr_field(*spec, "finalizers", "spec.finalizers") : nullptr;
  if (!fins) return;
  for (const auto& f : *fins) {
    if (!f.is_string()) {
      c.type_invalid("spec.finalizers", f, "string");
      continue;
    }
    std::string_view v = f.get_string();
    auto errs = qualified_name_errors(v);
    c.invalid_each("spec.finalizers", render(v), errs);
    if (errs.empty() && v.find('/') == std::string_view::npos && v != "kubernetes")
      c.invalid("spec.finalizers", render(v), "name is neither a standard finalizer name nor is it fully qualified");
  }
}

void validate_pvc_spec(checker& c, const json::object& spec, const std::string& sp) {
  const auto* modes = c.arr_field(spec, "accessModes", child_path(sp, "accessModes"));
  if (!modes || modes->empty()) c.required(child_path(sp, "accessModes"), "at least 1 access mode is required");
  bool rwop = false, other = false;
  if (modes) {
    for (const auto& m : *modes) {
      std::string_view mode = m.is_string() ? std::string_view(m.get_string()) : std::string_view{};
      if (mode != "ReadOnlyMany" && mode != "ReadWriteMany" && mode != "ReadWriteOnce" && mode != "ReadWriteOncePod")
        c.not_supported(child_path(sp, "accessModes"), render(m),
                        {"ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"});
      (mode == "ReadWriteOncePod" ? rwop : other) = true;
    }
  }
  if (rwop && other) c.forbidden(child_path(sp, "accessModes"), "may not use ReadWriteOncePod with other access modes");
  if (const auto* sel = c.obj_field(spec, "selector", child_path(sp, "selector")))
    validate_label_selector(c, *sel, child_path(sp, "selector"));
  const auto* storage = jsonu::find(spec, {"resources", "requests", "storage"});
  std::string storage_path = key_path(child_path(sp, "resources"), "storage");
  if (!storage || storage->is_null()) {
    c.required(storage_path);
  } else if (auto q = quantity_field(c, *storage, storage_path); q && *q <= 0) {
    c.invalid(storage_path, render(*storage), "must be greater than zero");
  }
  if (auto sc = c.str_field(spec, "storageClassName", child_path(sp, "storageClassName")); sc && !sc->empty())
    c.invalid_each(child_path(sp, "storageClassName"), render(*sc), dns1123_subdomain_errors(*sc));
  if (auto vm = c.str_field(spec, "volumeMode", child_path(sp, "volumeMode"));
      vm && *vm != "Block" && *vm != "Filesystem")
    c.not_supported(child_path(sp, "volumeMode"), render(*vm), {"Block", "Filesystem"});
}

void validate_pvc(checker& c, const json::object& o, const json::object* old) {
  static const json::object empty;
  const auto* sp = spec_of(c, o);
  validate_pvc_spec(c, sp ? *sp : empty, "spec");
  const auto* os = old_spec_of(old);
  if (!old || !sp || !os) return;
  // Only a bound claim may change resources.requests; volumeName may be set once and a
  // missing storageClassName may be filled in.
  json::object now = *sp, before = *os;
  bool bound = str_in(o, {"status", "phase"}) == "Bound";
  if (bound) {
    for (auto* s : {&now, &before})
      if (auto* r = s->if_contains("resources"); r && r->is_object()) r->get_object().erase("requests");
  }
  if (jsonu::get_string(before, "volumeName").empty()) now.erase("volumeName"), before.erase("volumeName");
  if (!before.contains("storageClassName") || before.at("storageClassName").is_null())
    now.erase("storageClassName"), before.erase("storageClassName");
  json::value a = now, b = before;
  if (!semantically_equal(&a, &b))
    c.forbidden("spec", "spec is immutable after creation except resources.requests for bound claims");
  const auto* new_size = jsonu::find(*sp, {"resources", "requests", "storage"});
  const auto* old_size = jsonu::find(*os, {"resources", "requests", "storage"});
  if (new_size && old_size && new_size->is_string() && old_size->is_string()) {
    auto n = parse_quantity(new_size->get_string()), b2 = parse_quantity(old_size->get_string());
    if (n && b2 && *n < *b2)
      c.forbidden("spec.resources.requests.storage", "field can not be less than previous value");
  }
}

void validate_resource_quota(checker& c, const json::object& o) {
  const auto* spec = spec_of(c, o);
  if (!spec) return;
  for (std::string_view part : {"hard"}) {
    std::string pp = child_path("spec", part);
    const auto* m = c.obj_field(*spec, part, pp);
    if (!m) continue;
    for (const auto& kv : *m) {
      std::string fp = key_path(pp, kv.key());
      c.invalid_each(fp, render(std::string_view(kv.key())), qualified_name_errors(kv.key()));
      if (auto q = quantity_field(c, kv.value(), fp); q && *q < 0)
        c.invalid(fp, render(kv.value()), "must be greater than or equal to 0");
    }
  }
}

void validate_limit_range(checker& c, const json::object& o) {
  const auto* spec = spec_of(c, o);
  const auto* limits = spec ? c.arr_field(*spec, "limits", "spec.limits") : nullptr;
  if (!limits) return;
  for (std::size_t i = 0; i < limits->size(); ++i) {
    std::string ip = index_path("spec.limits", i);
    const auto* item = (*limits)[i].if_object();
    if (!item) continue;
    auto type = c.str_field(*item, "type", child_path(ip, "type")).value_or("");
    if (type != "Pod" && type != "Container" && type != "PersistentVolumeClaim")
      c.not_supported(child_path(ip, "type"), render(type), {"Container", "PersistentVolumeClaim", "Pod"});
    std::map<std::string, std::map<std::string, std::pair<long double, std::string>>> q;  // part -> resource -> value
    std::set<std::string> resources;
    for (std::string_view part : {"max", "min", "default", "defaultRequest"}) {
      const auto* m = c.obj_field(*item, part, child_path(ip, part));
      if (!m) continue;
      for (const auto& kv : *m) {
        std::string fp = key_path(child_path(ip, part), kv.key());
        if (auto v = quantity_field(c, kv.value(), fp)) {
          std::string text = kv.value().is_string() ? std::string(kv.value().get_string()) : render(kv.value());
          q[std::string(part)][std::string(kv.key())] = {*v, text};
          resources.insert(std::string(kv.key()));
        }
      }
    }
    auto find = [&](const char* part, const std::string& r) -> const std::pair<long double, std::string>* {
      auto p = q.find(part);
      if (p == q.end()) return nullptr;
      auto it = p->second.find(r);
      return it == p->second.end() ? nullptr : &it->second;
    };
    for (const auto& r : resources) {
      const auto *mn = find("min", r), *mx = find("max", r), *df = find("default", r), *dr = find("defaultRequest", r);
      auto at = [&](const char* part) { return key_path(child_path(ip, part), r); };
      if (mn && mx && mn->first > mx->first)
        c.invalid(at("min"), render(mn->second),
                  "min value " + mn->second + " is greater than max value " + mx->second);
      if (dr && mn && mn->first > dr->first)
        c.invalid(at("defaultRequest"), render(dr->second),
                  "min value " + mn->second + " is greater than default request value " + dr->second);
      if (dr && mx && dr->first > mx->first)
        c.invalid(at("defaultRequest"), render(dr->second),
                  "default request value " + dr->second + " is greater than max value " + mx->second);
      if (dr && df && dr->first > df->first)
        c.invalid(at("defaultRequest"), render(dr->second),
                  "default request value " + dr->second + " is greater than default limit value " + df->second);
      if (df && mn && mn->first > df->first)
        c.invalid(at("default"), render(mn->second),
                  "min value " + mn->second + " is greater than default value " + df->second);
      if (df && mx && df->first > mx->first)
        c.invalid(at("default"), render(df->second),
                  "default value " + df->second + " is greater than max value " + mx->second);
    }
  }
}

}  // namespace

void validate_core(checker& c, std::string_view kind, const json::object& o, const json::object* old) {
  if (kind == "Service")
    validate_service(c, o, old);
  else if (kind == "ConfigMap")
    validate_config_map(c, o, old);
  else if (kind == "Secret")
    validate_secret(c, o, old);
  else if (kind == "Namespace")
    validate_namespace(c, o);
  else if (kind == "PersistentVolumeClaim")
    validate_pvc(c, o, old);
  else if (kind == "ResourceQuota")
    validate_resource_quota(c, o);
  else if (kind == "LimitRange")
    validate_limit_range(c, o);
  else if (kind == "Pod") {
    static const json::object empty;
    const auto* spec = c.obj_field(o, "spec", "spec");
    validate_pod_spec(c, spec ? *spec : empty, "spec");
  } else if (kind == "PodTemplate") {
    validate_pod_template(c, o, "template", "template");
  }
}

}  // namespace langop::localapi::detail
