#include "langop/resources/client.hpp"

#include "langop/resources/common.hpp"

namespace langop::resources {
namespace {

const json::value* spec_at(const json::object& o, std::initializer_list<std::string_view> path) {
  const json::value* spec = o.if_contains("spec");
  return spec ? jsonu::find(*spec, path) : nullptr;
}
std::string spec_string(const json::object& o, std::initializer_list<std::string_view> path) {
  const json::value* v = spec_at(o, path);
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

std::int64_t client_port(const json::object& client) {
  const auto* p = spec_at(client, {"port"});
  if (p && p->is_int64() && p->get_int64() >= 1 && p->get_int64() <= 65535) return p->get_int64();
  return 8080;
}

const json::object* ingress_spec(const json::object& client) {
  const auto* i = spec_at(client, {"ingress"});
  return i && i->is_object() ? &i->get_object() : nullptr;
}

std::string auth_type(const json::object& client) {
  std::string t = spec_string(client, {"auth", "type"});
  return t.empty() ? "none" : t;
}

}  // namespace

json::object client_service(const json::object& client) {
  const owner o = owner_of(client);
  // The agent's pods carry the agent's selector labels (langop.io/agent: <name>).
  owner agent;
  agent.kind = "LanguageAgent";
  agent.name = spec_string(client, {"agentRef", "name"});
  agent.ns = o.ns;
  const std::int64_t port = client_port(client);

  json::object spec;
  spec["selector"] = selector_labels(agent);
  spec["ports"] = json::array{json::object{{"name", "http"}, {"port", port}, {"targetPort", port}, {"protocol", "TCP"}}};
  json::object s = typed_object("v1", "Service", child_metadata(o, o.name, o.ns));
  s["spec"] = std::move(spec);
  return s;
}

std::optional<json::object> client_ingress(const json::object& client) {
  const json::object* ing = ingress_spec(client);
  if (!ing) return std::nullopt;
  const owner o = owner_of(client);
  const std::string host(jsonu::get_string(*ing, "host"));
  const std::string class_name(jsonu::get_string(*ing, "className"));
  const std::string tls_secret(jsonu::get_string(*ing, "tlsSecretName"));

  json::object annotations;
  if (const auto* a = ing->if_contains("annotations"); a && a->is_object())
    for (const auto& kv : a->get_object())
      if (kv.value().is_string()) annotations[kv.key()] = kv.value();
  if (auth_type(client) == "basic") {
    const std::string secret = spec_string(client, {"auth", "secretRef", "name"});
    if (!secret.empty()) {
      // ingress-nginx reads the htpasswd file from key `auth` of the named Secret.
      annotations["nginx.ingress.kubernetes.io/auth-type"] = "basic";
      annotations["nginx.ingress.kubernetes.io/auth-secret"] = secret;
      annotations["nginx.ingress.kubernetes.io/auth-realm"] = "Authentication Required - " + o.name;
    }
  }

  json::object backend{{"service", json::object{{"name", o.name}, {"port", json::object{{"number", client_port(client)}}}}}};
  json::object path{{"path", "/"}, {"pathType", "Prefix"}, {"backend", std::move(backend)}};
  json::object rule;
  if (!host.empty()) rule["host"] = host;
  rule["http"] = json::object{{"paths", json::array{std::move(path)}}};

  json::object spec;
  if (!class_name.empty()) spec["ingressClassName"] = class_name;
  if (!tls_secret.empty()) {
    json::object tls;
    if (!host.empty()) tls["hosts"] = json::array{host};
    tls["secretName"] = tls_secret;
    spec["tls"] = json::array{std::move(tls)};
  }
  spec["rules"] = json::array{std::move(rule)};

  json::object i = typed_object("networking.k8s.io/v1", "Ingress", child_metadata(o, o.name, o.ns, {}, annotations));
  i["spec"] = std::move(spec);
  return i;
}

std::optional<std::string> client_auth_problem(const json::object& client) {
  const std::string type = auth_type(client);
  if (type == "none") return std::nullopt;
  if (!ingress_spec(client)) return "auth type " + type + " is enforced by the Ingress: set spec.ingress";
  if (spec_string(client, {"auth", "secretRef", "name"}).empty())
    return "auth type " + type + " needs spec.auth.secretRef.name";
  if (type == "bearer")
    return "bearer auth cannot be enforced through Ingress annotations; use basic auth with ingress-nginx";
  if (type != "basic") return "unknown auth type " + type;
  const auto class_name = jsonu::get_string(*ingress_spec(client), "className");
  if (!class_name.empty() && class_name != "nginx")
    return "basic auth is wired through ingress-nginx annotations, but ingress class " + std::string(class_name) +
           " is not nginx";
  return std::nullopt;
}

std::string client_url(const json::object& client) {
  const owner o = owner_of(client);
  if (const json::object* ing = ingress_spec(client)) {
    const auto host = jsonu::get_string(*ing, "host");
    if (!host.empty()) {
      const bool tls = !jsonu::get_string(*ing, "tlsSecretName").empty();
      return std::string(tls ? "https://" : "http://") + std::string(host);
    }
  }
  return "http://" + o.name + "." + o.ns + ".svc.cluster.local:" + std::to_string(client_port(client));
}

std::vector<json::object> client_children(const json::object& client) {
  std::vector<json::object> out;
  out.push_back(client_service(client));
  if (auto i = client_ingress(client)) out.push_back(std::move(*i));
  return out;
}

}  // namespace langop::resources
