#include "yaml_fixture.hpp"
#include "langop/resources/common.hpp"
#include "langop/resources/egress.hpp"

#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

using namespace langop;
using namespace langop::resources;
using langop::test::from_yaml;

namespace {

json::object agent() {
  return from_yaml(R"(
apiVersion: langop.io/v1alpha1
kind: LanguageAgent
metadata: {name: researcher, namespace: team-a, uid: a-1}
spec:
  egress:
  - description: search
    to: {dns: [duckduckgo.com, "*.Example.com", html.duckduckgo.com.]}
    ports: [{port: 443}]
  - to: {cidr: 10.0.0.0/8}
    ports: [{port: 53, protocol: UDP}, {port: 5432}]
  - to: {dns: [unresolved.example.org]}
  - to: {cidr: 203.0.113.0/24}
)");
}

resolved_addresses addresses() {
  return {{"duckduckgo.com", {"52.1.1.2", "2600:1f18::1", "52.1.1.1"}},
          {"html.duckduckgo.com", {"52.1.1.1", "52.1.1.9"}},
          {"example.com", {"93.184.216.34"}},
          {"unresolved.example.org", {}}};
}

json::array ips(const json::value& rule) {
  json::array out;
  for (const auto& p : rule.at("to").as_array()) out.push_back(p.at("ipBlock").at("cidr"));
  return out;
}

}  // namespace

TEST_CASE("egress dns names are normalized, deduplicated and sorted", "[resources]") {
  const auto spec = agent().at("spec").as_object();
  CHECK(egress_dns_names(spec) ==
        std::vector<std::string>{"duckduckgo.com", "example.com", "html.duckduckgo.com", "unresolved.example.org"});
  CHECK(egress_dns_names(json::object{}).empty());
  CHECK(egress_dns_names(from_yaml("egress: [{to: {dns: ['*.com', 'a..b', 7]}}, 3]")).empty());
}

TEST_CASE("egress network policy golden fields", "[resources]") {
  const auto np = egress_network_policy(agent(), {}, addresses());
  CHECK(np.at("apiVersion") == "networking.k8s.io/v1");
  CHECK(np.at("metadata").at("name") == "researcher-egress");
  CHECK(np.at("metadata").at("namespace") == "team-a");
  CHECK(np.at("metadata").at("ownerReferences").at(0).at("kind") == "LanguageAgent");
  CHECK(np.at("spec").at("podSelector").at("matchLabels") == json::object{{"langop.io/agent", "researcher"}});
  CHECK(np.at("spec").at("policyTypes") == json::array{"Egress"});

  const auto& rules = np.at("spec").at("egress").as_array();
  REQUIRE(rules.size() == 4);  // DNS, dns rule, cidr rule, cidr rule; the unresolved rule is gone
  CHECK(rules[0] == json::value(dns_egress_rule()));
  const auto& dns_to = rules[0].at("to").at(0);
  CHECK(dns_to.at("namespaceSelector").at("matchLabels") == json::object{{"kubernetes.io/metadata.name", "kube-system"}});
  CHECK(dns_to.at("podSelector").at("matchLabels") == json::object{{"k8s-app", "kube-dns"}});
  CHECK(rules[0].at("ports") == json::array{json::object{{"port", 53}, {"protocol", "UDP"}},
                                             json::object{{"port", 53}, {"protocol", "TCP"}}});

  // Addresses of every name of the rule, sorted and deduplicated; the wildcard gave its apex.
  CHECK(ips(rules[1]) == json::array{"2600:1f18::1/128", "52.1.1.1/32", "52.1.1.2/32", "52.1.1.9/32",
                                     "93.184.216.34/32"});
  CHECK(rules[1].at("ports") == json::array{json::object{{"port", 443}, {"protocol", "TCP"}}});
  CHECK(ips(rules[2]) == json::array{"10.0.0.0/8"});
  CHECK(rules[2].at("ports") == json::array{json::object{{"port", 53}, {"protocol", "UDP"}},
                                             json::object{{"port", 5432}, {"protocol", "TCP"}}});
  CHECK(ips(rules[3]) == json::array{"203.0.113.0/24"});
  CHECK_FALSE(rules[3].as_object().contains("ports"));  // no ports listed: every port
}

TEST_CASE("egress rules without resolved addresses allow nothing", "[resources]") {
  const auto np = egress_network_policy(agent(), {}, {});
  const auto& rules = np.at("spec").at("egress").as_array();
  REQUIRE(rules.size() == 3);  // DNS + the two cidr rules
  for (const auto& r : rules) CHECK_FALSE(r.at("to").as_array().empty());
  // A rule whose ports are all unusable is dropped rather than widened to every port.
  const auto bad = from_yaml("egress: [{to: {cidr: 1.2.3.4/32}, ports: [{port: 0}, {port: x}]}]");
  CHECK(egress_rules(bad, {}).empty());
}

TEST_CASE("egress peers are sorted, deduplicated and port-scoped", "[resources]") {
  owner tool{"LanguageTool", "web-search", "team-a", "t"};
  owner model{"LanguageModel", "gpt-4o", "team-a", "m"};
  const std::vector<egress_peer> peers{{selector_labels(tool), 8080}, {selector_labels(model), 8000},
                                       {selector_labels(tool), 8080}, {json::object{}, 1}};
  std::vector<egress_peer> reversed(peers.rbegin(), peers.rend());
  const auto a = egress_network_policy(agent(), peers, addresses());
  const auto b = egress_network_policy(agent(), reversed, addresses());
  CHECK(json::serialize(a) == json::serialize(b));
  const auto& rules = a.at("spec").at("egress").as_array();
  REQUIRE(rules.size() == 6);
  CHECK(rules[1].at("to").at(0).at("podSelector").at("matchLabels") == json::object{{"langop.io/model", "gpt-4o"}});
  CHECK(rules[1].at("ports").at(0).at("port") == 8000);
  CHECK(rules[2].at("to").at(0).at("podSelector").at("matchLabels") == json::object{{"langop.io/tool", "web-search"}});
  CHECK(rules[2].at("ports").at(0) == json::object{{"port", 8080}, {"protocol", "TCP"}});
}

TEST_CASE("egress policy is deterministic and takes extra rules", "[resources]") {
  auto addrs = addresses();
  const auto a = egress_network_policy(agent(), {}, addrs);
  const auto b = egress_network_policy(agent(), {}, addrs);
  CHECK(json::serialize(a) == json::serialize(b));

  const auto sidecar_spec = from_yaml("egress: [{to: {cidr: 198.51.100.7/32}, ports: [{port: 25}]}]");
  const auto c = egress_network_policy(agent(), {}, addrs, egress_rules(sidecar_spec, addrs));
  CHECK(c.at("spec").at("egress").as_array().size() == 5);
  CHECK(ips(c.at("spec").at("egress").as_array().back()) == json::array{"198.51.100.7/32"});
}

TEST_CASE("egress builders survive odd input", "[resources]") {
  const json::object empty;
  const auto odd = from_yaml("metadata: {name: x}\nspec: {egress: [1, {to: 3}, {to: {dns: 5}}, {to: {cidr: ''}}]}");
  CHECK_NOTHROW(egress_network_policy(empty, {}, {}));
  const auto np = egress_network_policy(odd, {}, {{"x", {"", "1.2.3.0/24"}}});
  CHECK(np.at("spec").at("egress").as_array().size() == 1);
}
