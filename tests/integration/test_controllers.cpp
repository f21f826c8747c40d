// The controllers end to end: langop-localapi (in process, workloads simulated), the
// CRDs and the demo samples applied with kubectl, the operator's controllers on the test
// thread and a scripted DNS server for egress names. Checks convergence, the children and
// their wiring, zero writes once converged and across a restart, references that appear
// late, and bad input reported in status.
#include "support/controller_fixture.hpp"
#include "support/kubectl.hpp"

#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

using namespace langop;
using namespace langop::test;
using namespace std::chrono_literals;

namespace {

struct expected_phase {
  std::string plural, ns, name, phase;
};
const std::vector<expected_phase> k_demo_ready = {
    {"languageclusters", "", "demo", "Ready"},          {"languagemodels", "demo", "gpt-4o", "Ready"},
    {"languagetools", "demo", "web-search", "Running"}, {"languagetools", "demo", "workspace-files", "Running"},
    {"languagepersonas", "demo", "analyst", "Ready"},   {"languageagents", "demo", "researcher", "Running"},
    {"languageagents", "demo", "news-digest", "Running"}};

bool demo_ready(local_cluster& c) {
  for (const auto& e : k_demo_ready)
    if (phase(c, e.plural, e.ns, e.name) != e.phase) return false;
  return true;
}

void show_phases(local_cluster& c) {
  for (const auto& e : k_demo_ready) {
    auto o = get_langop(c, e.plural, e.ns, e.name);
    WARN(e.plural << "/" << e.name << ": " << jsonu::get_string(o, {"status", "phase"}) << " - "
                  << jsonu::get_string(o, {"status", "message"}));
  }
}

}  // namespace

TEST_CASE("controllers: the demo converges with wired children, then writes nothing, also after a restart",
          "[controllers]") {
  local_cluster c(simulated());
  install_crds(c);
  std::uint64_t converged_writes = 0;
  {
    running_operator op(c);
    REQUIRE(op.side.start());
    kubectl_ok(c, {"apply", "-f", source_path("samples/demo/00-cluster.yaml")});
    REQUIRE(op.side.run_until([&] { return phase(c, "languageclusters", "", "demo") == "Ready"; }, 20s));
    CHECK(jsonu::get_string(get(c, "/api/v1/namespaces/demo"), {"metadata", "labels", "langop.io/cluster"}) == "demo");

    kubectl_ok(c, {"apply", "-k", source_path("samples/demo")});
    const bool converged = op.side.run_until([&] { return demo_ready(c); }, 60s);
    if (!converged) show_phases(c);
    REQUIRE(converged);

    const auto dep = json::serialize(get(c, "/apis/apps/v1/namespaces/demo/deployments/researcher"));
    CHECK(contains(dep, "\"ownerReferences\""));
    CHECK(contains(dep, "MODEL_ENDPOINTS"));
    CHECK(contains(dep, "http://gpt-4o.demo.svc.cluster.local:8000"));
    CHECK(contains(dep, "langop.io/config-hash"));
    CHECK(contains(dep, "git.theryans.io/langop/doc-tool:latest"));  // the sidecar tool
    CHECK(jsonu::get_string(get(c, "/apis/batch/v1/namespaces/demo/cronjobs/news-digest"), {"spec", "schedule"}) ==
          "0 7 * * 1-5");
    CHECK(jsonu::get_string(get(c, "/api/v1/namespaces/demo/persistentvolumeclaims/researcher-workspace"),
                            {"spec", "resources", "requests", "storage"}) == "10Gi");
    const auto np = json::serialize(get(c, "/apis/networking.k8s.io/v1/namespaces/demo/networkpolicies/researcher-egress"));
    CHECK(contains(np, "192.0.2.10/32"));
    CHECK(contains(np, "2001:db8::20/128"));
    CHECK(contains(np, "10.20.0.0/16"));
    CHECK(contains(json::serialize(get(c, "/api/v1/namespaces/demo/configmaps/gpt-4o-model")), "os.environ/"));
    CHECK(contains(json::serialize(get(c, "/apis/apps/v1/namespaces/demo/deployments/gpt-4o-proxy")), "secretKeyRef"));
    CHECK(jsonu::get_int(get_langop(c, "languageagents", "demo", "researcher"), {"status", "readyReplicas"})
              .value_or(0) == 1);
    CHECK(contains(json::serialize(get(c, "/api/v1/namespaces/demo/events")), "Created"));

    // Converged: nothing changes, so nothing is written.
    op.side.run_for(1500ms);
    converged_writes = writes(c);
    op.side.run_for(2000ms);
    CHECK(writes(c) == converged_writes);
  }
  // A new operator (empty caches, new event recorder) finds everything in place.
  converged_writes = writes(c);
  {
    running_operator op(c);
    REQUIRE(op.side.start());
    op.side.run_for(3000ms);
    CHECK(writes(c) == converged_writes);
    CHECK(demo_ready(c));
  }
}

TEST_CASE("controllers: missing references wait, appear later, and bad input is reported", "[controllers]") {
  operator_fixture f;
  auto& c = f.cluster;
  auto& op = f.op;
  REQUIRE(op.side.start());
  kubectl_ok(c, {"create", "namespace", "team"});
  kubectl_ok(c, {"apply", "-f", "-"}, R"(
apiVersion: langop.io/v1alpha1
kind: LanguageAgent
metadata: {name: waiting, namespace: team}
spec:
  instructions: Say hello.
  modelRefs: [{name: late-model}]
  personaRef: {name: helper}
---
apiVersion: langop.io/v1alpha1
kind: LanguagePersona
metadata: {name: helper, namespace: team}
spec: {systemPrompt: Be brief.}
---
apiVersion: langop.io/v1alpha1
kind: LanguagePersona
metadata: {name: a, namespace: team}
spec: {systemPrompt: A, parentRef: {name: b}}
---
apiVersion: langop.io/v1alpha1
kind: LanguagePersona
metadata: {name: b, namespace: team}
spec: {systemPrompt: B, parentRef: {name: a}}
)");
  REQUIRE(op.side.run_until([&] { return phase(c, "languageagents", "team", "waiting") == "Pending"; }, 20s));
  CHECK(contains(std::string(jsonu::get_string(get_langop(c, "languageagents", "team", "waiting"),
                                               {"status", "message"})),
                 "late-model"));
  // "a" may first be reconciled before "b" is cached (parent not found: also an Error);
  // the cycle is reported once both are.
  auto persona_message = [&] {
    return std::string(jsonu::get_string(get_langop(c, "languagepersonas", "team", "a"), {"status", "message"}));
  };
  REQUIRE(op.side.run_until([&] { return contains(persona_message(), "cycle"); }, 20s));
  CHECK(phase(c, "languagepersonas", "team", "a") == "Error");

  // The model and its Secret appear: the agent runs, without any timer-driven retry.
  kubectl_ok(c, {"apply", "-f", "-"}, R"(
apiVersion: v1
kind: Secret
metadata: {name: key, namespace: team}
stringData: {api-key: sk-test-not-a-real-key}
---
apiVersion: langop.io/v1alpha1
kind: LanguageModel
metadata: {name: late-model, namespace: team}
spec: {provider: openai, model: gpt-4o-mini, apiKeySecretRef: {name: key}}
)");
  REQUIRE(op.side.run_until([&] { return phase(c, "languageagents", "team", "waiting") == "Running"; }, 30s));

  // A persona change reaches the agent through the persona index: new config hash, pods roll.
  auto config_hash = [&] {
    return std::string(jsonu::get_string(get(c, "/apis/apps/v1/namespaces/team/deployments/waiting"),
                                         {"spec", "template", "metadata", "annotations", "langop.io/config-hash"}));
  };
  const std::string before = config_hash();
  REQUIRE_FALSE(before.empty());
  kubectl_ok(c, {"patch", "lpersona", "helper", "-n", "team", "--type=merge", "-p",
                 R"({"spec":{"systemPrompt":"Be very brief."}})"});
  CHECK(op.side.run_until([&] { return config_hash() != before; }, 20s));
  CHECK(contains(json::serialize(get(c, "/apis/apps/v1/namespaces/team/deployments/waiting")), "Be very brief."));

  // The key never leaves the Secret.
  for (const auto& path : {"/api/v1/namespaces/team/configmaps", "/apis/apps/v1/namespaces/team/deployments",
                           "/api/v1/namespaces/team/events", "/apis/langop.io/v1alpha1/namespaces/team/languagemodels"})
    CHECK_FALSE(contains(json::serialize(get(c, path)), "sk-test-not-a-real-key"));
}

TEST_CASE("controllers: the seed example applies unchanged and runs once its Secret exists", "[controllers]") {
  operator_fixture f;
  auto& c = f.cluster;
  auto& op = f.op;
  REQUIRE(op.side.start());
  // As a user would: the first apply creates the LanguageCluster, whose namespace the rest
  // needs; once it is Ready the same file applies completely.
  (void)kubectl(c, {"apply", "-f", source_path("samples/seed-example-that-works.yaml")});
  REQUIRE(op.side.run_until([&] { return phase(c, "languageclusters", "", "demo") == "Ready"; }, 20s));
  kubectl_ok(c, {"apply", "-f", source_path("samples/seed-example-that-works.yaml")});
  const bool model_pending =
      op.side.run_until([&] { return phase(c, "languagemodels", "demo", "gpt-4") == "Configuring"; }, 20s);
  INFO(json::serialize(get_langop(c, "languagemodels", "demo", "gpt-4")));
  REQUIRE(model_pending);
  CHECK(contains(std::string(jsonu::get_string(get_langop(c, "languagemodels", "demo", "gpt-4"), {"status", "message"})),
                 "openai-key"));
  CHECK(phase(c, "languageagents", "demo", "my-agent") == "Pending");

  kubectl_ok(c, {"create", "secret", "generic", "openai-key", "-n", "demo", "--from-literal=api-key=sk-seed-test"});
  REQUIRE(op.side.run_until([&] { return phase(c, "languageagents", "demo", "my-agent") == "Running"; }, 30s));
  const auto events = json::serialize(get(c, "/api/v1/namespaces/demo/events"));
  CHECK(contains(events, "DeprecatedField"));  // executionMode: continuous
  const auto dep = json::serialize(get(c, "/apis/apps/v1/namespaces/demo/deployments/my-agent"));
  CHECK(contains(dep, "git.theryans.io/langop/web-tool:latest"));  // the sidecar
  CHECK(contains(dep, "\"AGENT_MODE\",\"value\":\"autonomous\""));
  CHECK_FALSE(contains(dep, "sk-seed-test"));
}

TEST_CASE("controllers: egress DNS follows TTLs, rewrites on change and keeps the last good set on failure",
          "[controllers]") {
  operator_fixture f(std::chrono::seconds(1));
  auto& c = f.cluster;
  auto& op = f.op;
  op.dns.set("mcp.example.test", {{"192.0.2.1", 1}});
  REQUIRE(op.side.start());
  kubectl_ok(c, {"create", "namespace", "net"});
  kubectl_ok(c, {"apply", "-f", "-"}, R"(
apiVersion: langop.io/v1alpha1
kind: LanguageTool
metadata: {name: fetcher, namespace: net}
spec:
  image: example.test/fetcher:1
  egress:
  - description: upstream
    to: {dns: [mcp.example.test]}
    ports: [{port: 443}]
)");
  const std::string np_path = "/apis/networking.k8s.io/v1/namespaces/net/networkpolicies/fetcher-egress";
  auto policy = [&] { return json::serialize(get(c, np_path)); };
  REQUIRE(op.side.run_until([&] { return contains(policy(), "192.0.2.1/32"); }, 20s));

  // The record changes: after its TTL the policy follows.
  op.dns.set("mcp.example.test", {{"192.0.2.2", 1}});
  REQUIRE(op.side.run_until([&] { return contains(policy(), "192.0.2.2/32"); }, 20s));
  CHECK_FALSE(contains(policy(), "192.0.2.1/32"));

  // The server fails: the last good address stays, the condition says which name failed.
  op.dns.fail("mcp.example.test", dns_rcode::servfail);
  auto egress_condition = [&] {
    const auto tool = get_langop(c, "languagetools", "net", "fetcher");
    const auto* conds = jsonu::find(tool, {"status", "conditions"});
    if (!conds || !conds->is_array()) return std::string();
    for (const auto& cond : conds->as_array())
      if (jsonu::get_string(cond, {"type"}) == "EgressResolved") return std::string(jsonu::get_string(cond, {"status"}));
    return std::string();
  };
  REQUIRE(op.side.run_until([&] { return egress_condition() == "False"; }, 20s));
  CHECK(contains(policy(), "192.0.2.2/32"));
}

TEST_CASE("controllers: suspend, a switch to scheduled mode, and deletion with garbage collection",
          "[controllers]") {
  operator_fixture f;
  auto& c = f.cluster;
  auto& op = f.op;
  REQUIRE(op.side.start());
  kubectl_ok(c, {"create", "namespace", "ops"});
  kubectl_ok(c, {"apply", "-f", "-"}, R"(
apiVersion: langop.io/v1alpha1
kind: LanguageModel
metadata: {name: local, namespace: ops}
spec: {provider: ollama, model: llama3, endpoint: "http://ollama.ops.svc:11434"}
---
apiVersion: langop.io/v1alpha1
kind: LanguageAgent
metadata: {name: worker, namespace: ops}
spec:
  instructions: Tidy the queue.
  modelRefs: [{name: local}]
)");
  REQUIRE(op.side.run_until([&] { return phase(c, "languageagents", "ops", "worker") == "Running"; }, 30s));
  const std::string deployment = "/apis/apps/v1/namespaces/ops/deployments/worker";

  kubectl_ok(c, {"patch", "lagent", "worker", "-n", "ops", "--type=merge", "-p", R"({"spec":{"suspend":true}})"});
  REQUIRE(op.side.run_until([&] { return phase(c, "languageagents", "ops", "worker") == "Suspended"; }, 20s));
  CHECK(jsonu::get_int(get(c, deployment), {"spec", "replicas"}).value_or(-1) == 0);

  kubectl_ok(c, {"patch", "lagent", "worker", "-n", "ops", "--type=merge", "-p",
                 R"({"spec":{"suspend":false,"executionMode":"scheduled","schedule":"*/5 * * * *"}})"});
  const std::string cronjob = "/apis/batch/v1/namespaces/ops/cronjobs/worker";
  REQUIRE(op.side.run_until(
      [&] { return jsonu::get_string(get(c, cronjob), {"spec", "schedule"}) == "*/5 * * * *"; }, 20s));
  REQUIRE(op.side.run_until([&] { return jsonu::get_string(get(c, deployment), {"kind"}) == "Status"; }, 20s));
  CHECK(op.side.run_until([&] { return phase(c, "languageagents", "ops", "worker") == "Running"; }, 20s));

  // Deleting the agent takes its children with it (ownerReferences), the model stays.
  kubectl_ok(c, {"delete", "lagent", "worker", "-n", "ops", "--wait=false"});
  CHECK(op.side.run_until(
      [&] {
        return jsonu::get_string(get(c, cronjob), {"kind"}) == "Status" &&
               jsonu::get_string(get(c, "/api/v1/namespaces/ops/configmaps/worker-config"), {"kind"}) == "Status";
      },
      20s));
  CHECK(phase(c, "languagemodels", "ops", "local") == "Ready");
}

TEST_CASE("controllers: enabling a ReadWriteOnce workspace switches the running Deployment to Recreate",
          "[controllers][recreate]") {
  operator_fixture f;
  auto& c = f.cluster;
  auto& op = f.op;
  REQUIRE(op.side.start());
  kubectl_ok(c, {"create", "namespace", "ws"});
  kubectl_ok(c, {"apply", "-f", "-"}, R"(
apiVersion: langop.io/v1alpha1
kind: LanguageModel
metadata: {name: local, namespace: ws}
spec: {provider: ollama, model: llama3, endpoint: "http://ollama.ws.svc:11434"}
---
apiVersion: langop.io/v1alpha1
kind: LanguageAgent
metadata: {name: writer, namespace: ws}
spec:
  instructions: Write notes.
  modelRefs: [{name: local}]
)");
  REQUIRE(op.side.run_until([&] { return phase(c, "languageagents", "ws", "writer") == "Running"; }, 30s));
  const std::string deployment = "/apis/apps/v1/namespaces/ws/deployments/writer";
  // The API server defaulted RollingUpdate with its rollingUpdate parameters.
  CHECK(jsonu::find(get(c, deployment), {"spec", "strategy", "rollingUpdate"}) != nullptr);

  // A ReadWriteOnce volume cannot be attached to two pods during a rolling update:
  // Recreate, and rollingUpdate (which the API server forbids with it) must go.
  kubectl_ok(c, {"patch", "lagent", "writer", "-n", "ws", "--type=merge", "-p",
                 R"({"spec":{"workspace":{"enabled":true,"size":"1Gi"}}})"});
  const bool switched = op.side.run_until(
      [&] { return jsonu::get_string(get(c, deployment), {"spec", "strategy", "type"}) == "Recreate"; }, 20s);
  INFO(jsonu::get_string(get_langop(c, "languageagents", "ws", "writer"), {"status", "message"}));
  REQUIRE(switched);
  CHECK(jsonu::find(get(c, deployment), {"spec", "strategy", "rollingUpdate"}) == nullptr);
  CHECK(op.side.run_until([&] { return phase(c, "languageagents", "ws", "writer") == "Running"; }, 20s));

  // And back: RollingUpdate again once the workspace is off.
  kubectl_ok(c, {"patch", "lagent", "writer", "-n", "ws", "--type=merge", "-p",
                 R"({"spec":{"workspace":{"enabled":false}}})"});
  CHECK(op.side.run_until(
      [&] { return jsonu::get_string(get(c, deployment), {"spec", "strategy", "type"}) == "RollingUpdate"; }, 20s));
  CHECK(op.side.run_until([&] { return phase(c, "languageagents", "ws", "writer") == "Running"; }, 20s));
}
