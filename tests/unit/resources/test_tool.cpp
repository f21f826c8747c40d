#include "yaml_fixture.hpp"
#include "langop/resources/tool.hpp"

#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

using namespace langop;
using namespace langop::resources;
using langop::test::from_yaml;

namespace {

json::object service_tool() {
  return from_yaml(R"(
apiVersion: langop.io/v1alpha1
kind: LanguageTool
metadata: {name: web-search, namespace: team-a, uid: t-1}
spec:
  type: mcp
  image: example.com/web-tool:1
  deploymentMode: service
  port: 9090
  path: /rpc
  env: [{name: SEARCH_ENGINE, value: duckduckgo}]
  autoscaling: {minReplicas: 2, maxReplicas: 6, targetCPUUtilization: 70}
  podDisruptionBudget: {maxUnavailable: "25%"}
)");
}

std::vector<std::string> kinds(const std::vector<json::object>& children) {
  std::vector<std::string> out;
  for (const auto& c : children) out.emplace_back(c.at("kind").as_string());
  return out;
}

}  // namespace

TEST_CASE("service tool children golden fields", "[resources]") {
  const auto tool = service_tool();
  CHECK(tool_mode_of(tool) == tool_mode::service);
  const auto children = tool_children(tool);
  CHECK(kinds(children) ==
        std::vector<std::string>{"ConfigMap", "Deployment", "Service", "HorizontalPodAutoscaler", "PodDisruptionBudget"});

  const auto& d = children[1];
  CHECK(d.at("metadata").at("name") == "web-search");
  CHECK(d.at("metadata").at("ownerReferences").at(0).at("uid") == "t-1");
  CHECK_FALSE(d.at("spec").as_object().contains("replicas"));  // the HPA owns it
  CHECK(d.at("spec").at("selector").at("matchLabels") == json::object{{"langop.io/tool", "web-search"}});
  const auto& c = d.at("spec").at("template").at("spec").at("containers").at(0);
  CHECK(c.at("image") == "example.com/web-tool:1");
  CHECK(c.at("ports").at(0).at("containerPort") == 9090);
  CHECK(d.at("spec").at("template").at("metadata").at("labels").at("langop.io/tool") == "web-search");

  const auto& s = children[2];
  CHECK(s.at("spec").at("ports").at(0) ==
        json::object{{"name", "mcp"}, {"port", 9090}, {"targetPort", "mcp"}, {"protocol", "TCP"}});
  CHECK(s.at("spec").at("selector") == json::object{{"langop.io/tool", "web-search"}});

  const auto& h = children[3];
  CHECK(h.at("apiVersion") == "autoscaling/v2");
  CHECK(h.at("spec").at("scaleTargetRef") ==
        json::object{{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"name", "web-search"}});
  CHECK(h.at("spec").at("minReplicas") == 2);
  CHECK(h.at("spec").at("maxReplicas") == 6);
  CHECK(h.at("spec").at("metrics").at(0).at("resource").at("target").at("averageUtilization") == 70);

  const auto& p = children[4];
  CHECK(p.at("apiVersion") == "policy/v1");
  CHECK(p.at("spec").at("maxUnavailable") == "25%");
  CHECK_FALSE(p.at("spec").as_object().contains("minAvailable"));
  CHECK(p.at("spec").at("selector").at("matchLabels") == json::object{{"langop.io/tool", "web-search"}});

  CHECK(tool_endpoint_url(tool) == "http://web-search.team-a.svc.cluster.local:9090/rpc");
  const auto& cm = children[0];
  CHECK(cm.at("metadata").at("name") == "web-search-tool");
  auto desc = jsonu::parse(std::string_view(cm.at("data").at("tool.json").as_string()));
  REQUIRE(desc);
  CHECK(desc->at("endpoint") == "http://web-search.team-a.svc.cluster.local:9090/rpc");
  CHECK(desc->at("deploymentMode") == "service");
  CHECK_FALSE(desc->as_object().contains("env"));
}

TEST_CASE("tool defaults: replicas, port, path, no HPA or PDB", "[resources]") {
  const auto tool = from_yaml("kind: LanguageTool\nmetadata: {name: t, namespace: ns}\nspec: {image: i}");
  const auto children = tool_children(tool);
  CHECK(kinds(children) == std::vector<std::string>{"ConfigMap", "Deployment", "Service"});
  CHECK(children[1].at("spec").at("replicas") == 1);
  CHECK(children[2].at("spec").at("ports").at(0).at("port") == 8080);
  CHECK(tool_endpoint_url(tool) == "http://t.ns.svc.cluster.local:8080/mcp");
  CHECK_FALSE(tool_hpa(tool));
  CHECK_FALSE(tool_pdb(tool));

  const auto scaled = from_yaml("metadata: {name: t}\nspec: {replicas: 3, autoscaling: {minReplicas: 9, maxReplicas: 4}}");
  CHECK(tool_hpa(scaled)->at("spec").at("minReplicas") == 4);  // never above max
  CHECK(tool_hpa(scaled)->at("spec").at("metrics").at(0).at("resource").at("target").at("averageUtilization") == 80);
  CHECK(tool_pdb(from_yaml("spec: {podDisruptionBudget: {minAvailable: 1}}"))->at("spec").at("minAvailable") == 1);
  CHECK_FALSE(tool_pdb(from_yaml("spec: {podDisruptionBudget: {}}")));
  CHECK_FALSE(tool_hpa(from_yaml("spec: {autoscaling: {minReplicas: 1}}")));
}

TEST_CASE("tool URL templates (MCP discovery): every placeholder, repeated, unknown ones kept", "[resources]") {
  const auto tool = from_yaml("metadata: {name: web, namespace: team}\nspec: {image: i, port: 9090, path: /rpc}");
  CHECK(expand_tool_url(tool_service_url_template, tool) == "http://web.team.svc.cluster.local:9090/rpc");
  CHECK(expand_tool_url("http://127.0.0.1:{port}{path}", tool) == "http://127.0.0.1:9090/rpc");
  CHECK(expand_tool_url("http://gw/{namespace}/{name}/{name}{path}?x={other}", tool) ==
        "http://gw/team/web/web/rpc?x={other}");
  CHECK(expand_tool_url("", tool).empty());
  // Defaults: port 8080, path /mcp.
  CHECK(expand_tool_url("{port}{path}", from_yaml("metadata: {name: t}\nspec: {image: i}")) == "8080/mcp");
}

TEST_CASE("sidecar and builtin tools get only a ConfigMap", "[resources]") {
  const auto sidecar = from_yaml(
      "kind: LanguageTool\nmetadata: {name: files, namespace: ns}\nspec: {image: i, deploymentMode: sidecar, port: 8081}");
  CHECK(tool_mode_of(sidecar) == tool_mode::sidecar);
  CHECK(kinds(tool_children(sidecar)) == std::vector<std::string>{"ConfigMap"});
  CHECK(tool_endpoint_url(sidecar) == "http://localhost:8081/mcp");

  const auto builtin = from_yaml(
      "kind: LanguageTool\nmetadata: {name: calc, namespace: ns}\nspec: {type: builtin, builtin: {name: calculator}}");
  CHECK(tool_mode_of(builtin) == tool_mode::builtin);
  const auto children = tool_children(builtin);
  CHECK(kinds(children) == std::vector<std::string>{"ConfigMap"});
  CHECK(tool_endpoint_url(builtin).empty());
  auto desc = jsonu::parse(std::string_view(children[0].at("data").at("tool.json").as_string()));
  REQUIRE(desc);
  CHECK(desc->at("builtin") == "calculator");
  CHECK(desc->at("type") == "builtin");
}

TEST_CASE("tool output is deterministic and survives odd input", "[resources]") {
  const auto a = tool_children(service_tool());
  const auto b = tool_children(service_tool());
  REQUIRE(a.size() == b.size());
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(json::serialize(a[i]) == json::serialize(b[i]));

  const json::object empty;
  CHECK_NOTHROW(tool_children(empty));
  const auto odd = from_yaml(
      "metadata: {name: x}\nspec: {type: 1, port: -5, replicas: x, autoscaling: {maxReplicas: 0}, podDisruptionBudget: 3}");
  std::vector<json::object> children;
  CHECK_NOTHROW(children = tool_children(odd));
  CHECK(kinds(children) == std::vector<std::string>{"ConfigMap", "Deployment", "Service"});
}
