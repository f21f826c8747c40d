// ConfigMap "<name>-config", the references the pod reads, and the config hash (SPEC 1.6).
#include "agent_test_support.hpp"

#include <catch2/catch.hpp>

using namespace langop;
using namespace langop::resources;
using namespace langop::resources::test;

namespace {

json::object data_json(const json::object& cm, std::string_view key) {
  return obj(cm.at("data").at(key).get_string());
}

}  // namespace

TEST_CASE("agent config map: agent.json with empty values omitted", "[resources]") {
  const json::object agent = agent_with_spec(R"({
    "executionMode": "scheduled", "schedule": "@hourly", "instructions": "Report", "goal": "",
    "maxIterations": 5, "timeout": "2m", "budget": {"maxTokens": 10},
    "toolRefs": [{"name": "search", "requireApproval": true}, {"name": "calc"}],
    "subAgents": [{"name": "helper"}], "humanContactChannels": [],
    "workspace": {"enabled": true}})");
  const json::object search = tool_object("search", "{}");
  const json::object calc = tool_object("calc", R"({"type": "builtin"})");
  const agent_inputs in{agent,
                        {{"m", "http://m.ns.svc.cluster.local:8000", "gpt", "reasoning"}},
                        {resolve_tool(search), resolve_tool(calc)},
                        std::nullopt};
  const json::object cm = agent_config_map(in);
  CHECK(jsonu::get_string(cm, "kind") == "ConfigMap");
  CHECK(jsonu::get_string(json::value(cm), {"metadata", "name"}) == "a-config");
  CHECK(jsonu::get_string(json::value(cm), {"metadata", "labels", "langop.io/agent"}) == "a");
  CHECK_FALSE(cm.at("data").get_object().contains("persona.json"));
  // Key order is part of the contract: the ConfigMap data must be byte-stable.
  CHECK(cm.at("data").at("agent.json").get_string() ==
        R"({"name":"a","namespace":"ns","mode":"scheduled","schedule":"@hourly","instructions":"Report",)"
        R"("maxIterations":5,"timeout":"2m","timeoutSeconds":120,"budget":{"maxTokens":10},)"
        R"("models":[{"name":"m","url":"http://m.ns.svc.cluster.local:8000","model":"gpt","role":"reasoning"}],)"
        R"("tools":[{"name":"search","mode":"service","url":"http://search.ns.svc.cluster.local:8080/mcp",)"
        R"("requireApproval":true},{"name":"calc","mode":"builtin"}],)"
        R"("subAgents":["helper"],"workspace":{"mountPath":"/workspace"}})");
}

TEST_CASE("agent config map: schedule only when scheduled, persona.json with a persona", "[resources]") {
  const json::object agent = agent_with_spec(R"({"executionMode": "reactive", "schedule": "@hourly"})");
  flattened_persona p;
  p.name = "p";
  p.system_prompt = "Be brief.";
  const json::object cm = agent_config_map({agent, {}, {}, p});
  const json::object a = data_json(cm, "agent.json");
  CHECK(jsonu::get_string(a, "mode") == "interactive");
  CHECK_FALSE(a.contains("schedule"));
  CHECK_FALSE(a.contains("models"));
  CHECK_FALSE(a.contains("tools"));
  CHECK_FALSE(a.contains("workspace"));
  CHECK(cm.at("data").at("persona.json").get_string() == R"({"name":"p","systemPrompt":"Be brief."})");
}

TEST_CASE("agent pod references: secrets and config maps from env and envFrom", "[resources]") {
  const json::object agent = agent_with_spec(R"({
    "env": [{"name": "K", "valueFrom": {"secretKeyRef": {"name": "zeta", "key": "k"}}},
            {"name": "C", "valueFrom": {"configMapKeyRef": {"name": "settings", "key": "c"}}},
            {"name": "OWN", "valueFrom": {"configMapKeyRef": {"name": "a-config", "key": "x"}}}],
    "envFrom": [{"secretRef": {"name": "alpha"}}, {"configMapRef": {"name": "a-code"}}],
    "imagePullSecrets": [{"name": "registry"}]})");
  const json::object tool = tool_object("t", R"({"image": "t:1", "deploymentMode": "sidecar",
    "envFrom": [{"secretRef": {"name": "tool-secret"}}, {"secretRef": {"name": "alpha"}}]})");
  const pod_references refs = agent_pod_references({agent, {}, {resolve_tool(tool)}, std::nullopt});
  // Sorted, deduplicated; langop's own ConfigMaps and pull secrets are not version-tracked.
  CHECK(refs.secrets == std::vector<std::string>{"alpha", "tool-secret", "zeta"});
  CHECK(refs.config_maps == std::vector<std::string>{"settings"});
}

TEST_CASE("agent config hash: stable, and changes with anything the pod reads", "[resources]") {
  const json::object agent = agent_with_spec(R"({"instructions": "x",
    "env": [{"name": "K", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}]})");
  const agent_inputs in{agent, {}, {}, std::nullopt};
  config_hash_extra extra;
  extra.secret_versions = {{"s", "100"}};
  extra.code_hash = "code-1";
  const std::string h = agent_config_hash(in, extra);
  CHECK(h.size() == 64);
  CHECK(agent_config_hash(in, extra) == h);
  // A copy of the same inputs hashes the same (no pointer or order dependence).
  const json::object agent_copy = agent;
  config_hash_extra extra_copy = extra;
  CHECK(agent_config_hash({agent_copy, {}, {}, std::nullopt}, extra_copy) == h);

  SECTION("secret resourceVersion") {
    extra.secret_versions["s"] = "101";
    CHECK(agent_config_hash(in, extra) != h);
  }
  SECTION("config map resourceVersion") {
    extra.config_map_versions["settings"] = "7";
    CHECK(agent_config_hash(in, extra) != h);
  }
  SECTION("code hash") {
    extra.code_hash = "code-2";
    CHECK(agent_config_hash(in, extra) != h);
  }
  SECTION("spec fields of the pod") {
    const json::object other = agent_with_spec(R"({"instructions": "y",
      "env": [{"name": "K", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}]})");
    CHECK(agent_config_hash({other, {}, {}, std::nullopt}, extra) != h);
  }
  SECTION("a resolved model") {
    const agent_inputs with_model{agent, {{"m", "http://m.ns.svc.cluster.local:8000", "gpt", ""}}, {}, std::nullopt};
    CHECK(agent_config_hash(with_model, extra) != h);
  }
  SECTION("the persona") {
    flattened_persona p;
    p.name = "p";
    CHECK(agent_config_hash({agent, {}, {}, p}, extra) != h);
  }
  SECTION("a sidecar tool's image") {
    const json::object t1 = tool_object("t", R"({"image": "t:1", "deploymentMode": "sidecar"})");
    const json::object t2 = tool_object("t", R"({"image": "t:2", "deploymentMode": "sidecar"})");
    const std::string h1 = agent_config_hash({agent, {}, {resolve_tool(t1)}, std::nullopt}, extra);
    CHECK(h1 != h);
    CHECK(agent_config_hash({agent, {}, {resolve_tool(t2)}, std::nullopt}, extra) != h1);
  }
  SECTION("not the replica count or suspend: scaling must not roll the pods") {
    const json::object scaled = agent_with_spec(R"({"instructions": "x", "replicas": 4, "suspend": true,
      "env": [{"name": "K", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}]})");
    CHECK(agent_config_hash({scaled, {}, {}, std::nullopt}, extra) == h);
  }
}
