// The env contract between langop and agent images (SPEC 1.6), and the spec readers it uses.
#include "agent_test_support.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <string>
#include <vector>

using namespace langop;
using namespace langop::resources;
using namespace langop::resources::test;

namespace {

std::vector<std::string> names_of(const json::array& env) {
  std::vector<std::string> out;
  for (const auto& e : env) out.emplace_back(jsonu::get_string(e.get_object(), "name"));
  return out;
}

flattened_persona sample_persona() {
  flattened_persona p;
  p.name = "helpful";
  p.description = "A helpful assistant";
  p.system_prompt = "You help.";
  p.rules = {"Be kind"};
  p.tone = "friendly";
  p.language = "en";
  return p;
}

}  // namespace

TEST_CASE("agent env: full contract in order with JSON values", "[resources]") {
  const json::object agent = agent_with_spec(R"({
    "executionMode": "interactive", "instructions": "Do things", "goal": "Win",
    "maxIterations": 7, "timeout": "1m30s",
    "budget": {"maxTokens": 1000, "maxCostUSD": "2.50"},
    "workspace": {"enabled": true, "mountPath": "/data"},
    "env": [{"name": "EXTRA", "value": "1"}]})");
  const json::object svc = tool_object("search", R"({"port": 9000, "path": "/rpc"})");
  const json::object side = tool_object("files", R"({"deploymentMode": "sidecar", "image": "f:1"})");
  const json::object builtin = tool_object("calc", R"({"type": "builtin"})");
  agent_inputs in{agent, {}, {}, sample_persona()};
  in.models.push_back({"gpt", "http://gpt.ns.svc.cluster.local:8000", "gpt-4", ""});
  in.models.push_back({"small", "http://small.ns.svc.cluster.local:8000", "mini", "fallback"});
  in.tools = {resolve_tool(svc), resolve_tool(side), resolve_tool(builtin)};

  const json::array env = agent_env(in);
  CHECK(names_of(env) ==
        std::vector<std::string>{"AGENT_NAME", "AGENT_NAMESPACE", "AGENT_MODE", "INSTRUCTIONS", "AGENT_GOAL",
                                 "MCP_SERVERS", "MODEL_ENDPOINTS", "PERSONA_NAME", "PERSONA_DESCRIPTION",
                                 "PERSONA_SYSTEM_PROMPT", "PERSONA_TONE", "PERSONA_LANGUAGE", "AGENT_CODE_PATH",
                                 "AGENT_MAX_ITERATIONS", "AGENT_TIMEOUT", "AGENT_TIMEOUT_SECONDS", "AGENT_MAX_TOKENS",
                                 "AGENT_MAX_COST_USD", "AGENT_WORKSPACE", "EXTRA"});
  CHECK(env_value(env, "AGENT_NAME") == "a");
  CHECK(env_value(env, "AGENT_NAMESPACE") == "ns");
  CHECK(env_value(env, "AGENT_MODE") == "interactive");
  // Builtin tools run inside task loops, not over MCP.
  CHECK(env_value(env, "MCP_SERVERS") ==
        R"([{"name":"search","url":"http://search.ns.svc.cluster.local:9000/rpc"},)"
        R"({"name":"files","url":"http://localhost:8080/mcp"}])");
  // An unset role is the primary model.
  CHECK(env_value(env, "MODEL_ENDPOINTS") ==
        R"([{"name":"gpt","url":"http://gpt.ns.svc.cluster.local:8000","model":"gpt-4","role":"primary"},)"
        R"({"name":"small","url":"http://small.ns.svc.cluster.local:8000","model":"mini","role":"fallback"}])");
  CHECK(env_value(env, "PERSONA_SYSTEM_PROMPT") == "You help.\n\nRules:\n- Be kind");
  CHECK(env_value(env, "AGENT_CODE_PATH") == "/etc/agent/code/agent.rb");
  CHECK(env_value(env, "AGENT_MAX_ITERATIONS") == "7");
  CHECK(env_value(env, "AGENT_TIMEOUT") == "1m30s");
  CHECK(env_value(env, "AGENT_TIMEOUT_SECONDS") == "90");
  CHECK(env_value(env, "AGENT_MAX_TOKENS") == "1000");
  CHECK(env_value(env, "AGENT_MAX_COST_USD") == "2.50");
  CHECK(env_value(env, "AGENT_WORKSPACE") == "/data");
  CHECK(env_value(env, "EXTRA") == "1");
}

TEST_CASE("agent env: empty values are omitted and the JSON lists are always set", "[resources]") {
  const json::object agent = agent_with_spec(R"({"instructions": "", "workspace": {"enabled": false}})");
  const agent_inputs in{agent, {}, {}, std::nullopt};
  const json::array env = agent_env(in);
  CHECK(names_of(env) == std::vector<std::string>{"AGENT_NAME", "AGENT_NAMESPACE", "AGENT_MODE", "MCP_SERVERS",
                                                  "MODEL_ENDPOINTS", "AGENT_CODE_PATH", "AGENT_MAX_ITERATIONS",
                                                  "AGENT_TIMEOUT", "AGENT_TIMEOUT_SECONDS"});
  CHECK(env_value(env, "AGENT_MODE") == "autonomous");
  CHECK(env_value(env, "MCP_SERVERS") == "[]");
  CHECK(env_value(env, "MODEL_ENDPOINTS") == "[]");
  CHECK(env_value(env, "AGENT_MAX_ITERATIONS") == "50");
  CHECK(env_value(env, "AGENT_TIMEOUT") == "10m");
  CHECK(env_value(env, "AGENT_TIMEOUT_SECONDS") == "600");
  for (const auto& e : env) CHECK(e.get_object().contains("value"));
}

TEST_CASE("agent env: user env cannot shadow the contract but may set what langop leaves unset", "[resources]") {
  const json::object agent = agent_with_spec(R"({"env": [
    {"name": "AGENT_NAME", "value": "evil"},
    {"name": "AGENT_GOAL", "value": "mine"},
    {"name": "EMPTY", "value": ""},
    {"name": "TOKEN", "valueFrom": {"secretKeyRef": {"name": "s", "key": "k"}}}]})");
  const agent_inputs in{agent, {}, {}, std::nullopt};
  const json::array env = agent_env(in);
  CHECK(env_value(env, "AGENT_NAME") == "a");
  CHECK(env_value(env, "AGENT_GOAL") == "mine");
  // The server drops an empty value: the entry is kept by name only.
  REQUIRE(env_entry(env, "EMPTY"));
  CHECK_FALSE(env_entry(env, "EMPTY")->contains("value"));
  REQUIRE(env_entry(env, "TOKEN"));
  CHECK(env_entry(env, "TOKEN")->contains("valueFrom"));
  const auto names = names_of(env);
  CHECK(std::count(names.begin(), names.end(), "AGENT_NAME") == 1);
  CHECK(shadowed_user_env(in) == std::vector<std::string>{"AGENT_NAME"});
}

TEST_CASE("agent env: persona variables only with a persona", "[resources]") {
  const json::object agent = agent_with_spec("{}");
  agent_inputs in{agent, {}, {}, std::nullopt};
  CHECK_FALSE(env_entry(agent_env(in), "PERSONA_NAME"));
  in.persona = sample_persona();
  const json::array env = agent_env(in);
  CHECK(env_value(env, "PERSONA_NAME") == "helpful");
  CHECK(env_value(env, "PERSONA_DESCRIPTION") == "A helpful assistant");
  CHECK(env_value(env, "PERSONA_TONE") == "friendly");
  CHECK(env_value(env, "PERSONA_LANGUAGE") == "en");
}

TEST_CASE("agent modes: deprecated aliases normalize and are reported", "[resources]") {
  CHECK(normalize_execution_mode("continuous") == "autonomous");
  CHECK(normalize_execution_mode("reactive") == "interactive");
  CHECK(normalize_execution_mode("") == "autonomous");
  CHECK(normalize_execution_mode("scheduled") == "scheduled");
  CHECK(normalize_execution_mode("event-driven") == "event-driven");
  CHECK(is_deprecated_execution_mode("continuous"));
  CHECK(is_deprecated_execution_mode("reactive"));
  CHECK_FALSE(is_deprecated_execution_mode("autonomous"));

  const json::object reactive = agent_with_spec(R"({"executionMode": "reactive"})");
  CHECK(agent_execution_mode(reactive) == "interactive");
  CHECK(env_value(agent_env({reactive, {}, {}, std::nullopt}), "AGENT_MODE") == "interactive");
  CHECK_FALSE(agent_is_scheduled(reactive));
  CHECK(agent_is_scheduled(agent_with_spec(R"({"executionMode": "scheduled", "schedule": "* * * * *"})")));
}

TEST_CASE("agent spec: Go durations in whole seconds rounded up", "[resources]") {
  CHECK(go_duration_seconds("10m") == 600);
  CHECK(go_duration_seconds("1h30m") == 5400);
  CHECK(go_duration_seconds("1.5h") == 5400);
  CHECK(go_duration_seconds("90s") == 90);
  CHECK(go_duration_seconds("0.1m") == 6);  // exact: no floating-point round-up to 7
  CHECK(go_duration_seconds("1500ms") == 2);
  CHECK(go_duration_seconds("1ns") == 1);
  CHECK(go_duration_seconds("2000000\u00b5s") == 2);  // micro sign, as Go writes it
  CHECK(go_duration_seconds("1h0m0.5s") == 3601);
  CHECK(go_duration_seconds("0") == 0);
  CHECK(go_duration_seconds("99999999999h") == 2147483647);
  CHECK_FALSE(go_duration_seconds(""));
  CHECK_FALSE(go_duration_seconds("10"));
  CHECK_FALSE(go_duration_seconds("h"));
  CHECK_FALSE(go_duration_seconds(".s"));
  CHECK_FALSE(go_duration_seconds("5d"));
  // A malformed timeout falls back to the default rather than breaking the pod.
  const json::object agent = agent_with_spec(R"({"timeout": "soon"})");
  CHECK(env_value(agent_env({agent, {}, {}, std::nullopt}), "AGENT_TIMEOUT") == "10m");
}

TEST_CASE("agent spec: tool URLs and resolved references", "[resources]") {
  CHECK(tool_url("t", "ns", tool_mode::service, 8080, "/mcp") == "http://t.ns.svc.cluster.local:8080/mcp");
  CHECK(tool_url("t", "ns", tool_mode::sidecar, 9000, "/x") == "http://localhost:9000/x");
  CHECK(tool_url("t", "ns", tool_mode::builtin, 8080, "/mcp").empty());

  const json::object model = obj(R"({"metadata": {"name": "gpt-4", "namespace": "demo"},
                                    "spec": {"modelName": "gpt-4-turbo"}})");
  const resolved_model m = resolve_model(model, "");
  CHECK(m.url == "http://gpt-4.demo.svc.cluster.local:8000");
  CHECK(m.model == "gpt-4-turbo");  // modelName is the deprecated alias of model
  CHECK(m.role == "primary");

  const json::object tool = tool_object("web", R"({"deploymentMode": "sidecar", "port": 3000})");
  const resolved_tool t = resolve_tool(tool);
  CHECK(t.mode == tool_mode::sidecar);
  CHECK(t.url == "http://localhost:3000/mcp");
  CHECK(t.tool == &tool);
}
