// Pod spec defaulting: k8s.io/kubernetes/pkg/apis/core/v1 SetDefaults_PodSpec, _Container,
// _Probe, _HTTPGetAction, _Volume and friends, plus the fields Go's JSON encoding always
// emits for these structs (container `resources: {}`, template
// `metadata.creationTimestamp: null`, resourceFieldRef `divisor: "0"`), so objects read
// back byte-for-byte like kube-apiserver v1.32 returns them.
#include "builtin_detail.hpp"
#include "k8s_format.hpp"

#include <algorithm>
#include <charconv>

namespace langop::localapi::detail {

bool image_pulls_always(std::string_view image) {
  // parsers.ParseImageName: an unparsable reference yields no tag (IfNotPresent); a
  // reference without tag and digest means "latest".
  if (image.empty()) return false;
  std::string_view name = image, tag, digest;
  if (auto at = name.find('@'); at != std::string_view::npos) {
    digest = name.substr(at + 1);
    name = name.substr(0, at);
    if (digest.find(':') == std::string_view::npos) return false;
  }
  auto slash = name.rfind('/');
  auto colon = name.rfind(':');
  if (colon != std::string_view::npos && (slash == std::string_view::npos || colon > slash)) {
    tag = name.substr(colon + 1);
    name = name.substr(0, colon);
    if (tag.empty() || tag.size() > 128) return false;
  }
  if (name.empty()) return false;
  // The first component is a registry when it has '.' or ':', is localhost, or has upper case.
  auto first_slash = name.find('/');
  std::string_view path = name;
  if (first_slash != std::string_view::npos) {
    auto domain = name.substr(0, first_slash);
    bool is_domain = domain.find_first_of(".:") != std::string_view::npos || domain == "localhost" ||
                     std::any_of(domain.begin(), domain.end(), [](char c) { return c >= 'A' && c <= 'Z'; });
    if (is_domain) path = name.substr(first_slash + 1);
  }
  if (path.empty()) return false;
  for (char c : path) {
    bool ok = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '.' || c == '_' || c == '-' || c == '/';
    if (!ok) return false;  // e.g. upper case: "repository name must be lowercase"
  }
  if (tag.empty() && digest.empty()) return true;
  return tag == "latest";
}

void canonicalize_quantity(json::value& v, bool round_to_milli) {
  std::string text;
  if (v.is_string())
    text = std::string(v.get_string());
  else if (v.is_int64() || v.is_uint64())
    text = jsonu::dump(v);
  else if (v.is_double()) {
    // The shortest plain rendering ("0.25", not Boost's "2.5E-1"), so the format is the
    // decimal one a user's JSON number would have had.
    char buf[64];
    auto [p, ec] = std::to_chars(buf, buf + sizeof buf, v.get_double());
    if (ec != std::errc()) return;
    text.assign(buf, p);
  } else {
    return;
  }
  if (auto c = canonical_quantity(text, round_to_milli)) v = json::string(*c);
}

void canonicalize_resource_list(json::object& holder, std::string_view key) {
  if (auto* list = child(holder, key))
    for (auto& kv : *list) canonicalize_quantity(kv.value(), true);
}

namespace {

void default_http_get(json::object& holder) {
  if (auto* h = child(holder, "httpGet")) {
    set_if_empty(*h, "path", "/");
    set_if_empty(*h, "scheme", "HTTP");
  }
}

void default_probe(json::object& c, std::string_view key) {
  auto* p = child(c, key);
  if (!p) return;
  // SetDefaults_Probe tests `== 0`, so an explicit 0 is replaced too.
  if (zero_int(*p, "timeoutSeconds")) (*p)["timeoutSeconds"] = 1;
  if (zero_int(*p, "periodSeconds")) (*p)["periodSeconds"] = 10;
  if (zero_int(*p, "successThreshold")) (*p)["successThreshold"] = 1;
  if (zero_int(*p, "failureThreshold")) (*p)["failureThreshold"] = 3;
  default_http_get(*p);
  if (auto* g = child(*p, "grpc")) set_if_absent(*g, "service", "");  // +default=""
}

void default_field_ref(json::object& holder) {
  if (auto* f = child(holder, "fieldRef")) set_if_empty(*f, "apiVersion", "v1");
  if (auto* r = child(holder, "resourceFieldRef")) {
    set_if_absent(*r, "divisor", "0");
    if (auto it = r->find("divisor"); it != r->end()) canonicalize_quantity(it->value());
  }
}

void default_container(json::object& c) {
  if (empty_string(c, "imagePullPolicy")) {
    auto it = c.find("image");
    std::string_view image =
        it != c.end() && it->value().is_string() ? std::string_view(it->value().get_string()) : std::string_view{};
    bool always = image_pulls_always(image);  // before inserting: `image` views into `c`
    c["imagePullPolicy"] = always ? "Always" : "IfNotPresent";
  }
  set_if_empty(c, "terminationMessagePath", "/dev/termination-log");
  set_if_empty(c, "terminationMessagePolicy", "File");
  each_object(c, "ports", [](json::object& p) { set_if_empty(p, "protocol", "TCP"); });
  each_object(c, "env", [](json::object& e) {
    if (auto* vf = child(e, "valueFrom")) default_field_ref(*vf);
  });
  default_probe(c, "livenessProbe");
  default_probe(c, "readinessProbe");
  default_probe(c, "startupProbe");
  if (auto* lc = child(c, "lifecycle")) {
    if (auto* h = child(*lc, "postStart")) default_http_get(*h);
    if (auto* h = child(*lc, "preStop")) default_http_get(*h);
  }
  // Container.Resources is a struct: Go always encodes it, empty or not.
  set_if_absent(c, "resources", json::object());
  if (auto* res = child(c, "resources")) {
    canonicalize_resource_list(*res, "limits");
    canonicalize_resource_list(*res, "requests");
  }
}

void default_items(json::object& source) {
  each_object(source, "items", [](json::object& item) { default_field_ref(item); });
}

void default_volume(json::object& v) {
  bool has_source = std::any_of(
      v.begin(), v.end(), [](const json::key_value_pair& kv) { return kv.key() != "name" && !kv.value().is_null(); });
  if (!has_source) v["emptyDir"] = json::object();
  if (auto* s = child(v, "emptyDir"))
    if (auto it = s->find("sizeLimit"); it != s->end()) canonicalize_quantity(it->value());
  if (auto* s = child(v, "hostPath")) set_if_absent(*s, "type", "");
  if (auto* s = child(v, "secret")) set_if_absent(*s, "defaultMode", 420);
  if (auto* s = child(v, "configMap")) set_if_absent(*s, "defaultMode", 420);
  if (auto* s = child(v, "downwardAPI")) {
    set_if_absent(*s, "defaultMode", 420);
    default_items(*s);
  }
  if (auto* s = child(v, "projected")) {
    set_if_absent(*s, "defaultMode", 420);
    each_object(*s, "sources", [](json::object& src) {
      if (auto* d = child(src, "downwardAPI")) default_items(*d);
      if (auto* t = child(src, "serviceAccountToken")) set_if_absent(*t, "expirationSeconds", 3600);
    });
  }
  if (auto* s = child(v, "iscsi")) set_if_empty(*s, "iscsiInterface", "default");
  if (auto* s = child(v, "rbd")) {
    set_if_empty(*s, "pool", "rbd");
    set_if_empty(*s, "user", "admin");
    set_if_empty(*s, "keyring", "/etc/ceph/keyring");
  }
  if (auto* s = child(v, "azureDisk")) {
    set_if_absent(*s, "cachingMode", "ReadWrite");
    set_if_absent(*s, "kind", "Shared");
    set_if_absent(*s, "fsType", "ext4");
    set_if_absent(*s, "readOnly", false);
  }
  if (auto* s = child(v, "scaleIO")) {
    set_if_empty(*s, "storageMode", "ThinProvisioned");
    set_if_empty(*s, "fsType", "xfs");
  }
  if (auto* e = child(v, "ephemeral")) {
    if (auto* t = child(*e, "volumeClaimTemplate")) {
      if (auto* spec = child(*t, "spec")) default_pvc_spec(*spec);
    }
  }
}

}  // namespace

void default_pvc_spec(json::object& spec) {
  set_if_absent(spec, "volumeMode", "Filesystem");
  if (auto* res = child(spec, "resources")) {
    canonicalize_resource_list(*res, "limits");
    canonicalize_resource_list(*res, "requests");
  }
}

void default_pod_spec(json::object& spec) {
  // v1 conversion: serviceAccount is the deprecated alias of serviceAccountName; the server
  // reads either and always writes both.
  if (empty_string(spec, "serviceAccountName") && !empty_string(spec, "serviceAccount"))
    spec["serviceAccountName"] = json::value(spec["serviceAccount"]);
  if (auto it = spec.find("serviceAccountName");
      it != spec.end() && it->value().is_string() && !it->value().get_string().empty()) {
    json::string sa = it->value().get_string();
    spec["serviceAccount"] = std::move(sa);
  }
  set_if_empty(spec, "dnsPolicy", "ClusterFirst");
  set_if_empty(spec, "restartPolicy", "Always");
  set_if_absent(spec, "securityContext", json::object());
  set_if_absent(spec, "terminationGracePeriodSeconds", 30);
  set_if_empty(spec, "schedulerName", "default-scheduler");
  each_object(spec, "volumes", default_volume);
  each_object(spec, "initContainers", default_container);
  each_object(spec, "containers", default_container);
  each_object(spec, "ephemeralContainers", default_container);
  canonicalize_resource_list(spec, "overhead");
  if (auto* res = child(spec, "resources")) {  // pod-level resources
    canonicalize_resource_list(*res, "limits");
    canonicalize_resource_list(*res, "requests");
  }
}

void default_pod_template(json::object& parent, std::string_view key) {
  auto* t = ensure_child(parent, key);
  if (!t) return;
  // ObjectMeta.CreationTimestamp is a struct that Go encodes as null when zero.
  if (auto* m = ensure_child(*t, "metadata")) {
    if (m->find("creationTimestamp") == m->end()) (*m)["creationTimestamp"] = nullptr;
  }
  if (auto* spec = ensure_child(*t, "spec")) default_pod_spec(*spec);
}

void default_pod(json::object& pod) {
  auto* spec = ensure_child(pod, "spec");
  if (!spec) return;
  // SetDefaults_Pod (not templates): requests default to limits, service links on,
  // host-network ports mirror container ports.
  auto requests_from_limits = [](json::object& c) {
    auto* res = child(c, "resources");
    const auto* found = res ? child(*res, "limits") : nullptr;
    if (!found || found->empty()) return;  // an empty map is never encoded
    // Creating "requests" may grow `res` and move the "limits" slot: look it up again.
    auto* requests = ensure_child(*res, "requests");
    const auto* limits = child(*res, "limits");
    if (!requests || !limits) return;
    for (const auto& kv : *limits)
      if (requests->find(kv.key()) == requests->end()) (*requests)[kv.key()] = kv.value();
  };
  each_object(*spec, "containers", requests_from_limits);
  each_object(*spec, "initContainers", requests_from_limits);
  set_if_absent(*spec, "enableServiceLinks", true);
  auto host_network = spec->find("hostNetwork");
  if (host_network != spec->end() && host_network->value().is_bool() && host_network->value().get_bool()) {
    auto mirror = [](json::object& c) {
      each_object(c, "ports", [](json::object& p) {
        auto cp = p.find("containerPort");
        if (cp == p.end() || !zero_int(p, "hostPort")) return;
        json::value port = cp->value();  // copy first: inserting "hostPort" may reallocate
        p["hostPort"] = std::move(port);
      });
    };
    each_object(*spec, "containers", mirror);
    each_object(*spec, "initContainers", mirror);
  }
  default_pod_spec(*spec);
}

}  // namespace langop::localapi::detail
