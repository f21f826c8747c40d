#include "yaml_fixture.hpp"
#include "langop/resources/client.hpp"

#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

using namespace langop;
using namespace langop::resources;
using langop::test::from_yaml;

namespace {

json::object client() {
  return from_yaml(R"(
apiVersion: langop.io/v1alpha1
kind: LanguageClient
metadata: {name: researcher-ui, namespace: team-a, uid: cl-1}
spec:
  agentRef: {name: researcher}
  type: web
  port: 3000
  ingress:
    host: researcher.example.com
    className: nginx
    tlsSecretName: researcher-tls
    annotations:
      cert-manager.io/cluster-issuer: letsencrypt
      nginx.ingress.kubernetes.io/auth-type: none
  auth:
    type: basic
    secretRef: {name: researcher-ui-users}
)");
}

}  // namespace

TEST_CASE("client service selects the agent pods", "[resources]") {
  const auto s = client_service(client());
  CHECK(s.at("kind") == "Service");
  CHECK(s.at("metadata").at("name") == "researcher-ui");
  CHECK(s.at("metadata").at("labels").at("langop.io/client") == "researcher-ui");
  CHECK(s.at("metadata").at("ownerReferences").at(0).at("kind") == "LanguageClient");
  CHECK(s.at("spec").at("selector") == json::object{{"langop.io/agent", "researcher"}});
  CHECK(s.at("spec").at("ports").at(0).at("port") == 3000);
  CHECK(s.at("spec").at("ports").at(0).at("targetPort") == 3000);

  const auto dflt = client_service(from_yaml("metadata: {name: c, namespace: n}\nspec: {agentRef: {name: a}}"));
  CHECK(dflt.at("spec").at("ports").at(0).at("port") == 8080);
}

TEST_CASE("client ingress with TLS and nginx basic auth", "[resources]") {
  const auto i = client_ingress(client());
  REQUIRE(i);
  CHECK(i->at("apiVersion") == "networking.k8s.io/v1");
  CHECK(i->at("metadata").at("name") == "researcher-ui");
  const auto& ann = i->at("metadata").at("annotations");
  CHECK(ann.at("cert-manager.io/cluster-issuer") == "letsencrypt");
  CHECK(ann.at("nginx.ingress.kubernetes.io/auth-type") == "basic");  // langop's auth wins
  CHECK(ann.at("nginx.ingress.kubernetes.io/auth-secret") == "researcher-ui-users");
  CHECK(ann.at("nginx.ingress.kubernetes.io/auth-realm").as_string().size() > 0);
  const auto& spec = i->at("spec");
  CHECK(spec.at("ingressClassName") == "nginx");
  CHECK(spec.at("tls") == json::array{json::object{{"hosts", json::array{"researcher.example.com"}},
                                                   {"secretName", "researcher-tls"}}});
  const auto& rule = spec.at("rules").at(0);
  CHECK(rule.at("host") == "researcher.example.com");
  const auto& path = rule.at("http").at("paths").at(0);
  CHECK(path.at("pathType") == "Prefix");
  CHECK(path.at("backend").at("service") ==
        json::object{{"name", "researcher-ui"}, {"port", json::object{{"number", 3000}}}});
  CHECK(client_url(client()) == "https://researcher.example.com");
  CHECK_FALSE(client_auth_problem(client()));
}

TEST_CASE("client without ingress or auth omits them", "[resources]") {
  const auto c = from_yaml("kind: LanguageClient\nmetadata: {name: c, namespace: n}\nspec: {agentRef: {name: a}}");
  CHECK_FALSE(client_ingress(c));
  CHECK(client_children(c).size() == 1);
  CHECK(client_url(c) == "http://c.n.svc.cluster.local:8080");
  CHECK_FALSE(client_auth_problem(c));

  const auto plain = from_yaml(
      "kind: LanguageClient\nmetadata: {name: c, namespace: n}\nspec: {agentRef: {name: a}, ingress: {host: h.example}}");
  const auto i = client_ingress(plain);
  REQUIRE(i);
  CHECK_FALSE(i->at("metadata").as_object().contains("annotations"));
  CHECK_FALSE(i->at("spec").as_object().contains("tls"));
  CHECK_FALSE(i->at("spec").as_object().contains("ingressClassName"));
  CHECK(client_url(plain) == "http://h.example");

  const auto hostless = from_yaml("metadata: {name: c, namespace: n}\nspec: {ingress: {}}");
  CHECK_FALSE(client_ingress(hostless)->at("spec").at("rules").at(0).as_object().contains("host"));
}

TEST_CASE("client auth the ingress cannot enforce is reported", "[resources]") {
  auto bearer = client();
  bearer["spec"].as_object()["auth"].as_object()["type"] = "bearer";
  CHECK(client_auth_problem(bearer));
  CHECK_FALSE(client_ingress(bearer)->at("metadata").at("annotations").as_object().contains(
      "nginx.ingress.kubernetes.io/auth-secret"));
  auto traefik = client();
  traefik["spec"].as_object()["ingress"].as_object()["className"] = "traefik";
  CHECK(client_auth_problem(traefik));
  auto no_ingress = client();
  no_ingress["spec"].as_object().erase("ingress");
  CHECK(client_auth_problem(no_ingress));
}

TEST_CASE("client output is deterministic and survives odd input", "[resources]") {
  const auto a = client_children(client());
  const auto b = client_children(client());
  REQUIRE(a.size() == 2);
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(json::serialize(a[i]) == json::serialize(b[i]));
  const json::object empty;
  CHECK_NOTHROW(client_children(empty));
  const auto odd = from_yaml("metadata: {name: o}\nspec: {port: 0, ingress: {annotations: {a: 1}, host: 3}, auth: 4}");
  CHECK_NOTHROW(client_children(odd));
  CHECK_NOTHROW(client_url(odd));
}
