// The agent's pod, Deployment, CronJob and workspace PVC (SPEC 1.6).
#include "agent_test_support.hpp"

#include "langop/resources/names.hpp"

#include <catch2/catch.hpp>

using namespace langop;
using namespace langop::resources;
using namespace langop::resources::test;

namespace {

const json::object& pod_spec_of_deployment(const json::object& d) {
  return jsonu::find(d, {"spec", "template", "spec"})->get_object();
}

const json::array& array_at(const json::object& o, std::string_view key) { return o.at(key).get_array(); }

}  // namespace

// The seed manifests of langop-status-2025-10-31.md (agent, sidecar tool, model), as the
// API server serves them (schema defaults applied): the whole Deployment, field for field.
TEST_CASE("agent deployment: golden for the seed example agent", "[resources]") {
  const json::object agent = obj(R"({"apiVersion": "langop.io/v1alpha1", "kind": "LanguageAgent",
    "metadata": {"name": "my-agent", "namespace": "demo", "uid": "u-1", "generation": 3},
    "spec": {"cluster": "demo", "image": "git.theryans.io/langop/agent:latest", "executionMode": "continuous",
      "toolRefs": [{"name": "web-tool"}], "modelRefs": [{"name": "gpt-4"}],
      "instructions": "You are a helpful assistant.",
      "workspace": {"enabled": true, "size": "10Gi", "mountPath": "/workspace"},
      "replicas": 1, "suspend": false, "maxIterations": 50, "timeout": "10m"}})");
  const json::object tool = obj(R"({"apiVersion": "langop.io/v1alpha1", "kind": "LanguageTool",
    "metadata": {"name": "web-tool", "namespace": "demo"},
    "spec": {"cluster": "demo", "type": "mcp", "image": "git.theryans.io/langop/web-tool:latest",
      "deploymentMode": "sidecar", "port": 8080}})");
  const json::object model = obj(R"({"apiVersion": "langop.io/v1alpha1", "kind": "LanguageModel",
    "metadata": {"name": "gpt-4", "namespace": "demo"},
    "spec": {"cluster": "demo", "provider": "openai", "modelName": "gpt-4", "apiKeySecretRef": {"name": "openai-key"}}})");
  const agent_inputs in{agent, {resolve_model(model, "")}, {resolve_tool(tool)}, std::nullopt};
  REQUIRE(agent_problems(in).empty());

  const json::object expected = obj(R"({"apiVersion": "apps/v1", "kind": "Deployment",
    "metadata": {"name": "my-agent", "namespace": "demo",
      "labels": {"app.kubernetes.io/managed-by": "langop", "app.kubernetes.io/name": "languageagent",
                 "app.kubernetes.io/instance": "my-agent", "langop.io/agent": "my-agent"},
      "ownerReferences": [{"apiVersion": "langop.io/v1alpha1", "kind": "LanguageAgent", "name": "my-agent",
                           "uid": "u-1", "controller": true, "blockOwnerDeletion": true}]},
    "spec": {"replicas": 1,
      "selector": {"matchLabels": {"langop.io/agent": "my-agent"}},
      "strategy": {"type": "Recreate"},
      "template": {
        "metadata": {
          "labels": {"app.kubernetes.io/managed-by": "langop", "app.kubernetes.io/name": "languageagent",
                     "app.kubernetes.io/instance": "my-agent", "langop.io/agent": "my-agent"},
          "annotations": {"langop.io/config-hash": "0123abcd"}},
        "spec": {
          "containers": [
            {"name": "agent", "image": "git.theryans.io/langop/agent:latest",
             "env": [
               {"name": "AGENT_NAME", "value": "my-agent"},
               {"name": "AGENT_NAMESPACE", "value": "demo"},
               {"name": "AGENT_MODE", "value": "autonomous"},
               {"name": "INSTRUCTIONS", "value": "You are a helpful assistant."},
               {"name": "MCP_SERVERS", "value": "[{\"name\":\"web-tool\",\"url\":\"http://localhost:8080/mcp\"}]"},
               {"name": "MODEL_ENDPOINTS", "value": "[{\"name\":\"gpt-4\",\"url\":\"http://gpt-4.demo.svc.cluster.local:8000\",\"model\":\"gpt-4\",\"role\":\"primary\"}]"},
               {"name": "AGENT_CODE_PATH", "value": "/etc/agent/code/agent.rb"},
               {"name": "AGENT_MAX_ITERATIONS", "value": "50"},
               {"name": "AGENT_TIMEOUT", "value": "10m"},
               {"name": "AGENT_TIMEOUT_SECONDS", "value": "600"},
               {"name": "AGENT_WORKSPACE", "value": "/workspace"}],
             "volumeMounts": [
               {"name": "agent-code", "mountPath": "/etc/agent/code", "readOnly": true},
               {"name": "agent-config", "mountPath": "/etc/agent/config", "readOnly": true},
               {"name": "workspace", "mountPath": "/workspace"}]},
            {"name": "web-tool", "image": "git.theryans.io/langop/web-tool:latest",
             "ports": [{"name": "mcp", "containerPort": 8080, "protocol": "TCP"}],
             "env": [{"name": "PORT", "value": "8080"}, {"name": "MCP_PATH", "value": "/mcp"}],
             "readinessProbe": {"tcpSocket": {"port": 8080}, "initialDelaySeconds": 2, "periodSeconds": 10},
             "livenessProbe": {"tcpSocket": {"port": 8080}, "initialDelaySeconds": 10, "periodSeconds": 20},
             "volumeMounts": [{"name": "workspace", "mountPath": "/workspace"}]}],
          "volumes": [
            {"name": "agent-code", "configMap": {"name": "my-agent-code", "optional": true}},
            {"name": "agent-config", "configMap": {"name": "my-agent-config"}},
            {"name": "workspace", "persistentVolumeClaim": {"claimName": "my-agent-workspace"}}]}}}})");

  const json::object actual = agent_workload(in, "0123abcd");
  INFO(jsonu::dump(actual));
  CHECK(actual == expected);
}

TEST_CASE("agent workload: deprecated modes and event-driven run as a Deployment", "[resources]") {
  for (const char* mode : {"continuous", "reactive", "autonomous", "interactive", "event-driven"}) {
    const json::object agent = agent_with_spec(std::string(R"({"executionMode": ")") + mode + "\"}");
    const json::object w = agent_workload({agent, {}, {}, std::nullopt}, "h");
    CHECK(jsonu::get_string(w, "kind") == "Deployment");
    // No workspace: the server's rolling update applies, and no restartPolicy is forced.
    CHECK_FALSE(w.at("spec").get_object().contains("strategy"));
    CHECK_FALSE(pod_spec_of_deployment(w).contains("restartPolicy"));
  }
}

TEST_CASE("agent workload: scheduled mode is a CronJob that forbids overlapping runs", "[resources]") {
  const json::object agent = agent_with_spec(R"({"executionMode": "scheduled", "schedule": "*/5 * * * *",
    "timeout": "90s", "workspace": {"enabled": true}})");
  const json::object tool = tool_object("fs", R"({"image": "fs:1", "deploymentMode": "sidecar", "port": 9000})");
  const agent_inputs in{agent, {}, {resolve_tool(tool)}, std::nullopt};
  const json::object c = agent_workload(in, "h");
  CHECK(jsonu::get_string(c, "apiVersion") == "batch/v1");
  CHECK(jsonu::get_string(c, "kind") == "CronJob");
  const json::value& spec = c.at("spec");
  CHECK(jsonu::get_string(spec, {"schedule"}) == "*/5 * * * *");
  CHECK(jsonu::get_string(spec, {"concurrencyPolicy"}) == "Forbid");
  CHECK(jsonu::get_bool(spec, {"suspend"}) == false);
  CHECK(jsonu::get_string(spec, {"jobTemplate", "metadata", "labels", "langop.io/agent"}) == "a");
  CHECK(jsonu::get_int(spec, {"jobTemplate", "spec", "backoffLimit"}) == 2);
  CHECK(jsonu::get_int(spec, {"jobTemplate", "spec", "activeDeadlineSeconds"}) == 90);
  CHECK(jsonu::get_string(spec, {"jobTemplate", "spec", "template", "metadata", "annotations",
                                 "langop.io/config-hash"}) == "h");

  const json::object& pod = jsonu::find(spec, {"jobTemplate", "spec", "template", "spec"})->get_object();
  CHECK(jsonu::get_string(pod, "restartPolicy") == "OnFailure");
  // A plain sidecar never exits and the Job would never complete: native sidecars instead.
  REQUIRE(array_at(pod, "containers").size() == 1);
  const json::array& init = array_at(pod, "initContainers");
  REQUIRE(init.size() == 1);
  CHECK(jsonu::get_string(init[0], {"name"}) == "fs");
  CHECK(jsonu::get_string(init[0], {"restartPolicy"}) == "Always");
  CHECK(jsonu::dump(init[0].at("volumeMounts")) == R"([{"name":"workspace","mountPath":"/workspace"}])");
}

TEST_CASE("agent workload: suspend scales to zero or suspends the CronJob", "[resources]") {
  const json::object d_agent = agent_with_spec(R"({"replicas": 3, "suspend": true})");
  CHECK(jsonu::get_int(agent_deployment({d_agent, {}, {}, std::nullopt}, "h").at("spec"), {"replicas"}) == 0);
  const json::object running = agent_with_spec(R"({"replicas": 3})");
  CHECK(jsonu::get_int(agent_deployment({running, {}, {}, std::nullopt}, "h").at("spec"), {"replicas"}) == 3);

  const json::object c_agent =
      agent_with_spec(R"({"executionMode": "scheduled", "schedule": "@hourly", "suspend": true})");
  CHECK(jsonu::get_bool(agent_cronjob({c_agent, {}, {}, std::nullopt}, "h").at("spec"), {"suspend"}) == true);
}

TEST_CASE("agent workload: sidecar tools get the workspace and unique container names", "[resources]") {
  const json::object agent = agent_with_spec(R"({"workspace": {"mountPath": "/ws", "accessMode": "ReadWriteMany"}})");
  const json::object t1 = tool_object("agent", R"({"image": "x:1", "deploymentMode": "sidecar", "port": 7001})");
  const json::object t2 = tool_object("svc", R"({"image": "y:1", "port": 7002})");
  const json::object t3 = tool_object("fs", R"({"image": "z:1", "deploymentMode": "sidecar", "port": 7003})");
  const agent_inputs in{agent, {}, {resolve_tool(t1), resolve_tool(t2), resolve_tool(t3)}, std::nullopt};
  REQUIRE(agent_problems(in).empty());
  const json::object d = agent_deployment(in, "h");
  const json::array& cs = array_at(pod_spec_of_deployment(d), "containers");
  REQUIRE(cs.size() == 3);  // the service tool runs in its own Deployment
  CHECK(jsonu::get_string(cs[0], {"name"}) == "agent");
  CHECK(jsonu::get_string(cs[1], {"name"}) == "agent-tool");
  CHECK(jsonu::get_string(cs[2], {"name"}) == "fs");
  for (const auto& c : cs)
    CHECK(jsonu::dump(c.at("volumeMounts").get_array().back()) == R"({"name":"workspace","mountPath":"/ws"})");
  // ReadWriteMany can be attached by old and new pod at once: keep the rolling update.
  CHECK_FALSE(d.at("spec").get_object().contains("strategy"));
}

TEST_CASE("agent workload: declared pod fields are applied and empty ones omitted", "[resources]") {
  const json::object agent = agent_with_spec(R"({
    "image": "me/agent:2", "serviceAccountName": "sa",
    "resources": {"limits": {"memory": "1Gi"}},
    "envFrom": [{"secretRef": {"name": "keys"}}],
    "nodeSelector": {"disk": "ssd"}, "tolerations": [{"key": "gpu", "operator": "Exists"}],
    "affinity": {"nodeAffinity": {}}, "imagePullSecrets": [{"name": "reg"}]})");
  const json::object pod = pod_spec_of_deployment(agent_deployment({agent, {}, {}, std::nullopt}, "h"));
  CHECK(jsonu::get_string(pod, "serviceAccountName") == "sa");
  CHECK(jsonu::dump(pod.at("nodeSelector")) == R"({"disk":"ssd"})");
  CHECK(jsonu::dump(pod.at("tolerations")) == R"([{"key":"gpu","operator":"Exists"}])");
  CHECK(jsonu::dump(pod.at("affinity")) == R"({"nodeAffinity":{}})");
  CHECK(jsonu::dump(pod.at("imagePullSecrets")) == R"([{"name":"reg"}])");
  const json::object& c = array_at(pod, "containers")[0].get_object();
  CHECK(jsonu::get_string(c, "image") == "me/agent:2");
  CHECK(jsonu::dump(c.at("resources")) == R"({"limits":{"memory":"1Gi"}})");
  CHECK(jsonu::dump(c.at("envFrom")) == R"([{"secretRef":{"name":"keys"}}])");

  const json::object bare = agent_with_spec(R"({"serviceAccountName": "", "resources": {}, "envFrom": [],
    "nodeSelector": {}, "tolerations": [], "affinity": {}, "imagePullSecrets": []})");
  const json::object bare_pod = pod_spec_of_deployment(agent_deployment({bare, {}, {}, std::nullopt}, ""));
  for (const char* key : {"serviceAccountName", "nodeSelector", "tolerations", "affinity", "imagePullSecrets"})
    CHECK_FALSE(bare_pod.contains(key));
  const json::object& bare_c = array_at(bare_pod, "containers")[0].get_object();
  CHECK(jsonu::get_string(bare_c, "image") == default_agent_image);
  CHECK_FALSE(bare_c.contains("resources"));
  CHECK_FALSE(bare_c.contains("envFrom"));
  CHECK(array_at(bare_pod, "volumes").size() == 2);  // code and config, no workspace
  // No hash yet: no annotations object at all (the server would drop an empty one).
  const json::object d = agent_deployment({bare, {}, {}, std::nullopt}, "");
  CHECK_FALSE(jsonu::find(d, {"spec", "template", "metadata"})->get_object().contains("annotations"));
}

TEST_CASE("agent workspace PVC: size, the storage alias and defaults", "[resources]") {
  auto pvc_spec = [](std::string_view spec) -> json::value {
    const json::object agent = agent_with_spec(spec);
    auto pvc = agent_workspace_pvc({agent, {}, {}, std::nullopt});
    REQUIRE(pvc);
    CHECK(jsonu::get_string(*pvc, "kind") == "PersistentVolumeClaim");
    CHECK(jsonu::get_string(json::value(*pvc), {"metadata", "name"}) == "a-workspace");
    return pvc->at("spec");
  };
  CHECK(jsonu::dump(pvc_spec(R"({"workspace": {"enabled": true, "storage": "5Gi"}})")) ==
        R"({"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"5Gi"}}})");
  CHECK(jsonu::dump(pvc_spec(R"({"workspace": {"size": "20Gi"}})")) ==
        R"({"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"20Gi"}}})");
  CHECK(jsonu::dump(pvc_spec(R"({"workspace": {"size": 1000000, "accessMode": "ReadWriteMany",
                                 "storageClassName": "fast"}})")) ==
        R"({"accessModes":["ReadWriteMany"],"resources":{"requests":{"storage":1000000}},"storageClassName":"fast"})");
  // "" is kept: it disables dynamic provisioning.
  CHECK(jsonu::dump(pvc_spec(R"({"workspace": {"storageClassName": ""}})")) ==
        R"({"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"10Gi"}},"storageClassName":""})");

  CHECK_FALSE(agent_workspace_pvc({agent_with_spec("{}"), {}, {}, std::nullopt}));
  const json::object disabled = agent_with_spec(R"({"workspace": {"enabled": false, "size": "1Gi"}})");
  CHECK_FALSE(agent_workspace_pvc({disabled, {}, {}, std::nullopt}));
  CHECK(array_at(pod_spec_of_deployment(agent_deployment({disabled, {}, {}, std::nullopt}, "h")), "volumes").size() ==
        2);
}

TEST_CASE("agent problems: what the schema cannot catch", "[resources]") {
  const json::object agent = agent_with_spec(R"({"workspace": {"mountPath": "/etc/agent/config/"}})");
  const json::object t1 = tool_object("one", R"({"image": "x", "deploymentMode": "sidecar"})");
  const json::object t2 = tool_object("two", R"({"image": "y", "deploymentMode": "sidecar"})");
  resolved_tool orphan{"ghost", tool_mode::sidecar, "", 9999, "/mcp", nullptr};
  const agent_inputs in{agent, {}, {resolve_tool(t1), resolve_tool(t2), orphan}, std::nullopt};
  const auto problems = agent_problems(in);
  REQUIRE(problems.size() == 3);
  CHECK_THAT(problems[0], Catch::Contains("share port 8080") && Catch::Contains("\"two\""));
  CHECK_THAT(problems[1], Catch::Contains("\"ghost\""));
  CHECK_THAT(problems[2], Catch::Contains("/etc/agent/config"));
  // Inside a read-only ConfigMap mount is as bad as on top of it; a sibling path is fine.
  const json::object inside = agent_with_spec(R"({"workspace": {"mountPath": "/etc/agent/code/ws"}})");
  CHECK(agent_problems({inside, {}, {}, std::nullopt}).size() == 1);
  const json::object sibling = agent_with_spec(R"({"workspace": {"mountPath": "/etc/agent/codebase"}})");
  CHECK(agent_problems({sibling, {}, {}, std::nullopt}).empty());
  // Still buildable without throwing: the orphan is skipped.
  CHECK(array_at(pod_spec_of_deployment(agent_deployment(in, "h")), "containers").size() == 3);
}

TEST_CASE("agent names: long agent names fit every limit deterministically", "[resources]") {
  const std::string long_name(200, 'x');
  const json::object agent = agent_with_spec(R"({"executionMode": "scheduled", "schedule": "@daily"})", long_name);
  const json::object c = agent_cronjob({agent, {}, {}, std::nullopt}, "h");
  const std::string name(jsonu::get_string(json::value(c), {"metadata", "name"}));
  CHECK(name.size() <= max_cronjob_name_length);
  CHECK(name == agent_cronjob_name(long_name));
  for (const auto& kv : jsonu::find(c, {"metadata", "labels"})->get_object())
    CHECK(kv.value().get_string().size() <= max_label_length);
  // The ownerReference names the owner as it is.
  CHECK(c.at("metadata").at("ownerReferences").at(0).at("name").get_string() == long_name);

  CHECK(bounded_name(std::string(60, 'a'), "-config", 63).size() == 63);
  CHECK(bounded_name(std::string(60, 'a'), "-config", 63).ends_with("-config"));
  CHECK(bounded_name("short", "-config", 63) == "short-config");
  CHECK(bounded_name(std::string(60, 'a'), "-config", 63) != bounded_name(std::string(60, 'a') + "b", "-config", 63));
  CHECK(label_value(std::string(62, 'a') + "-b").size() <= 63);
  CHECK(agent_config_map_name("x") == "x-config");
  CHECK(agent_code_config_map_name("x") == "x-code");
  CHECK(agent_workspace_pvc_name("x") == "x-workspace");
}
