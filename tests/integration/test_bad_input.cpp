// Bad input for every kind (SPEC 1.1, 3): what the schema can reject is rejected by the API
// server with the CRD's message; what only the controllers can see (missing or circular
// references, clashing clusters, children the API server refuses, deprecated aliases) is
// reported in status and an event, without a crash or a hot loop, while every other
// object keeps reconciling.
#include "support/controller_fixture.hpp"
#include "support/kubectl.hpp"

#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace langop;
using namespace langop::test;
using namespace std::chrono_literals;

namespace {

std::string message_of(local_cluster& c, const std::string& plural, const std::string& ns, const std::string& name) {
  return std::string(jsonu::get_string(get_langop(c, plural, ns, name), {"status", "message"}));
}

// kubectl must refuse `yaml` with a message containing `why`.
void rejected(local_cluster& c, const std::string& yaml, const std::string& why) {
  auto r = kubectl(c, {"apply", "-f", "-"}, yaml);
  INFO("stdout: " << r.out << "\nstderr: " << r.err);
  CHECK(r.exit_code != 0);
  CHECK(contains(r.err, why));
}

std::string events(local_cluster& c, const std::string& ns) {
  return json::serialize(get(c, "/api/v1/namespaces/" + ns + "/events"));
}

// A persona of about 0.47 MB (system prompt and rules at their schema limits), with a parent.
std::string big_persona(const std::string& name, const std::string& parent) {
  json::array rules;
  // Distinct rules: inheritance appends them (identical ones might be merged).
  for (int i = 0; i < 100; ++i)
    rules.emplace_back(name + "-" + std::to_string(i) + std::string(4000, static_cast<char>('a' + i % 26)));
  json::object spec{{"systemPrompt", std::string(60000, 'p')}, {"rules", std::move(rules)}};
  if (!parent.empty()) spec["parentRef"] = json::object{{"name", parent}};
  json::object o{{"apiVersion", "langop.io/v1alpha1"},
                 {"kind", "LanguagePersona"},
                 {"metadata", json::object{{"name", name}, {"namespace", "bad"}}},
                 {"spec", std::move(spec)}};
  return json::serialize(o);
}

}  // namespace

TEST_CASE("bad input: the schema rejects conflicting aliases and impossible specs with the CRD's message",
          "[controllers][badinput]") {
  local_cluster c(simulated());
  install_crds(c);
  kubectl_ok(c, {"create", "namespace", "bad"});
  rejected(c, R"(
apiVersion: langop.io/v1alpha1
kind: LanguageModel
metadata: {name: both, namespace: bad}
spec: {provider: openai, model: gpt-4o, modelName: gpt-4o-mini}
)",
           "exactly one of model or modelName");
  rejected(c, R"(
apiVersion: langop.io/v1alpha1
kind: LanguageAgent
metadata: {name: both, namespace: bad}
spec:
  instructions: hi
  workspace: {enabled: true, size: 1Gi, storage: 2Gi}
)",
           "set either size or its deprecated alias storage");
  rejected(c, R"(
apiVersion: langop.io/v1alpha1
kind: LanguageTool
metadata: {name: calc, namespace: bad}
spec: {type: builtin}
)",
           "builtin.name is required when type is builtin");
  rejected(c, R"(
apiVersion: langop.io/v1alpha1
kind: LanguageTool
metadata: {name: noimage, namespace: bad}
spec: {type: mcp}
)",
           "image is required when type is mcp");
  rejected(c, R"(
apiVersion: langop.io/v1alpha1
kind: LanguagePersona
metadata: {name: narcissus, namespace: bad}
spec: {systemPrompt: me, parentRef: {name: narcissus}}
)",
           "a persona cannot be its own parent");
  rejected(c, R"(
apiVersion: langop.io/v1alpha1
kind: LanguageClient
metadata: {name: open, namespace: bad}
spec: {agentRef: {name: a}, auth: {type: bearer, secretRef: {name: s}}}
)",
           "auth is enforced by the Ingress");
  // Instructions over the schema's 64 KiB.
  json::object agent{{"apiVersion", "langop.io/v1alpha1"},
                     {"kind", "LanguageAgent"},
                     {"metadata", json::object{{"name", "verbose"}, {"namespace", "bad"}}},
                     {"spec", json::object{{"instructions", std::string(70000, 'i')}}}};
  rejected(c, json::serialize(agent), "Too long");
}

TEST_CASE("bad input: semantic errors are reported in status and events, others keep reconciling",
          "[controllers][badinput]") {
  operator_fixture f;
  auto& c = f.cluster;
  auto& op = f.op;
  REQUIRE(op.side.start());
  kubectl_ok(c, {"create", "namespace", "bad"});
  kubectl_ok(c, {"apply", "-f", "-"}, R"(
apiVersion: langop.io/v1alpha1
kind: LanguageModel
metadata: {name: selfish, namespace: bad}
spec: {provider: ollama, model: llama3, endpoint: "http://ollama:11434", fallbacks: [selfish]}
---
apiVersion: langop.io/v1alpha1
kind: LanguageModel
metadata: {name: ping, namespace: bad}
spec: {provider: ollama, model: llama3, endpoint: "http://ollama:11434", fallbacks: [pong]}
---
apiVersion: langop.io/v1alpha1
kind: LanguageModel
metadata: {name: pong, namespace: bad}
spec: {provider: ollama, model: llama3, endpoint: "http://ollama:11434", fallbacks: [ping]}
---
apiVersion: langop.io/v1alpha1
kind: LanguageModel
metadata: {name: elsewhere, namespace: bad}
spec: {cluster: other, provider: ollama, model: llama3, endpoint: "http://ollama:11434"}
---
apiVersion: langop.io/v1alpha1
kind: LanguageCluster
metadata: {name: other}
spec: {namespace: other-ns}
---
apiVersion: langop.io/v1alpha1
kind: LanguageCluster
metadata: {name: other-twin}
spec: {namespace: other-ns}
---
apiVersion: langop.io/v1alpha1
kind: LanguageAgent
metadata: {name: orphan, namespace: bad}
spec:
  instructions: Work.
  modelRefs: [{name: missing-model}]
  toolRefs: [{name: missing-tool}]
---
apiVersion: langop.io/v1alpha1
kind: LanguageClient
metadata: {name: lonely, namespace: bad}
spec: {agentRef: {name: missing-agent}}
---
apiVersion: langop.io/v1alpha1
kind: LanguageTool
metadata: {name: calc, namespace: bad}
spec: {type: builtin, builtin: {name: calculator}}
---
apiVersion: langop.io/v1alpha1
kind: LanguageModel
metadata: {name: fine, namespace: bad}
spec: {provider: ollama, model: llama3, endpoint: "http://ollama:11434"}
---
apiVersion: langop.io/v1alpha1
kind: LanguageAgent
metadata: {name: legacy, namespace: bad}
spec:
  instructions: Keep going.
  executionMode: continuous
  modelRefs: [{name: fine}]
  workspace: {enabled: true, storage: 3Gi}
)");

  // Invalid: Error with what to fix.
  REQUIRE(op.side.run_until([&] { return phase(c, "languagemodels", "bad", "selfish") == "Error"; }, 20s));
  CHECK(contains(message_of(c, "languagemodels", "bad", "selfish"), "is the model itself"));
  REQUIRE(op.side.run_until([&] { return phase(c, "languagemodels", "bad", "ping") == "Error"; }, 20s));
  CHECK(contains(message_of(c, "languagemodels", "bad", "ping"), "fallback cycle"));
  REQUIRE(op.side.run_until([&] { return phase(c, "languageclusters", "", "other-twin") == "Error"; }, 20s));
  CHECK(contains(message_of(c, "languageclusters", "", "other-twin"), "already managed by LanguageCluster \"other\""));
  REQUIRE(op.side.run_until([&] { return phase(c, "languagemodels", "bad", "elsewhere") == "Error"; }, 20s));
  CHECK(contains(message_of(c, "languagemodels", "bad", "elsewhere"), "manages namespace \"other-ns\""));
  // Waiting for references that may still appear: Pending (Configuring for models), naming them.
  REQUIRE(op.side.run_until([&] { return phase(c, "languageagents", "bad", "orphan") == "Pending"; }, 20s));
  CHECK(contains(message_of(c, "languageagents", "bad", "orphan"), "missing-model"));
  REQUIRE(op.side.run_until([&] { return phase(c, "languageclients", "bad", "lonely") == "Pending"; }, 20s));
  CHECK(contains(message_of(c, "languageclients", "bad", "lonely"), "missing-agent"));
  // A builtin tool has no pods: it runs as soon as it is published.
  REQUIRE(op.side.run_until([&] { return phase(c, "languagetools", "bad", "calc") == "Running"; }, 20s));
  // Deprecated aliases work, with a Warning event; `storage` sizes the workspace.
  REQUIRE(op.side.run_until([&] { return phase(c, "languageagents", "bad", "legacy") == "Running"; }, 20s));
  CHECK(contains(events(c, "bad"), "DeprecatedField"));
  CHECK(jsonu::get_string(get(c, "/api/v1/namespaces/bad/persistentvolumeclaims/legacy-workspace"),
                          {"spec", "resources", "requests", "storage"}) == "3Gi");
  // Errors are events too.
  const auto ev = events(c, "bad");
  CHECK(contains(ev, "is the model itself"));
  CHECK(contains(ev, "fallback cycle"));

  // Nothing loops: once reported, the bad objects cause no writes.
  op.side.run_for(1500ms);
  const auto settled = writes(c);
  op.side.run_for(2000ms);
  CHECK(writes(c) == settled);

  // Fixing the spec clears the error.
  kubectl_ok(c, {"patch", "lmodel", "selfish", "-n", "bad", "--type=merge", "-p", R"({"spec":{"fallbacks":["fine"]}})"});
  CHECK(op.side.run_until([&] { return phase(c, "languagemodels", "bad", "selfish") == "Ready"; }, 20s));
}

TEST_CASE("bad input: an agent whose children the API server refuses (too large) fails clearly and recovers",
          "[controllers][badinput]") {
  operator_fixture f;
  auto& c = f.cluster;
  auto& op = f.op;
  REQUIRE(op.side.start());
  kubectl_ok(c, {"create", "namespace", "bad"});
  // Eight personas of ~0.47 MB in a chain: each is a fine object, but the flattened system
  // prompt (~3.2 MB) does not fit the agent's children (the API server's 3 MiB request limit).
  for (int i = 0; i < 8; ++i)
    kubectl_ok(c, {"create", "-f", "-"}, big_persona("p" + std::to_string(i), i == 0 ? "" : "p" + std::to_string(i - 1)));
  kubectl_ok(c, {"apply", "-f", "-"}, R"(
apiVersion: langop.io/v1alpha1
kind: LanguageModel
metadata: {name: fine, namespace: bad}
spec: {provider: ollama, model: llama3, endpoint: "http://ollama:11434"}
---
apiVersion: langop.io/v1alpha1
kind: LanguageAgent
metadata: {name: talkative, namespace: bad}
spec:
  instructions: Talk.
  modelRefs: [{name: fine}]
  personaRef: {name: p7}
---
apiVersion: langop.io/v1alpha1
kind: LanguageAgent
metadata: {name: neighbour, namespace: bad}
spec:
  instructions: Work quietly.
  modelRefs: [{name: fine}]
)");
  REQUIRE(op.side.run_until([&] { return phase(c, "languageagents", "bad", "neighbour") == "Running"; }, 30s));
  const bool failed = op.side.run_until([&] { return phase(c, "languageagents", "bad", "talkative") == "Failed"; }, 30s);
  INFO(message_of(c, "languageagents", "bad", "talkative"));
  REQUIRE(failed);
  const auto why = message_of(c, "languageagents", "bad", "talkative");
  CHECK(contains(why, "talkative-config was rejected by the API server"));
  CHECK(contains(why, "too large"));
  CHECK(why.size() < 2000);
  CHECK(contains(events(c, "bad"), "ChildRejected"));

  // No retry loop on a rejection that only a spec change can fix.
  op.side.run_for(1500ms);
  const auto settled = writes(c);
  op.side.run_for(2000ms);
  CHECK(writes(c) == settled);

  // A shorter persona chain: the agent runs.
  kubectl_ok(c, {"patch", "lagent", "talkative", "-n", "bad", "--type=merge", "-p",
                 R"({"spec":{"personaRef":{"name":"p1"}}})"});
  CHECK(op.side.run_until([&] { return phase(c, "languageagents", "bad", "talkative") == "Running"; }, 30s));
}
