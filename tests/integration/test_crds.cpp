// The langop CustomResourceDefinitions (crds/) and samples (samples/) against langop-localapi,
// through kubectl: they install, every sample and the seed manifests apply unchanged, the
// schemas default, document (kubectl explain) and reject what they should with clear messages.
#include "support/kubectl.hpp"

#include "langop/core/json.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace langop;
using namespace langop::test;

namespace {

const std::vector<std::string> kPlurals = {"languageclusters", "languagemodels",   "languagetools",
                                           "languagepersonas", "languageagents",   "languageclients"};

std::string source_path(const std::string& relative) { return std::string(LANGOP_SOURCE_DIR) + "/" + relative; }

std::string joined(const std::vector<std::string>& args) {
  std::string s;
  for (const auto& a : args) s += a + " ";
  return s;
}

// Runs kubectl and requires success, showing its output on failure.
std::string ok(const local_cluster& c, const std::vector<std::string>& args, const std::string& in = {}) {
  auto r = kubectl(c, args, in);
  INFO("kubectl " << joined(args));
  INFO("stdin: " << in);
  INFO("stdout: " << r.out);
  INFO("stderr: " << r.err);
  REQUIRE_FALSE(r.timed_out);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

json::value ok_json(const local_cluster& c, const std::vector<std::string>& args) {
  auto text = ok(c, args);
  auto v = jsonu::parse(text);
  REQUIRE(v);
  return *v;
}

// Applies `manifest` and requires a rejection whose message contains every one of `expected`.
void rejected(const local_cluster& c, const std::string& manifest, const std::vector<std::string>& expected) {
  auto r = kubectl(c, {"apply", "-f", "-"}, manifest);
  INFO("manifest:\n" << manifest);
  INFO("stdout: " << r.out);
  INFO("stderr: " << r.err);
  REQUIRE_FALSE(r.timed_out);
  CHECK(r.exit_code != 0);
  for (const auto& e : expected) CHECK(r.err.find(e) != std::string::npos);
}

void install_crds(const local_cluster& c) {
  ok(c, {"apply", "-f", source_path("crds")});
  std::vector<std::string> wait = {"wait", "--for=condition=established", "--timeout=30s"};
  for (const auto& p : kPlurals) wait.push_back("crd/" + p + ".langop.io");
  ok(c, wait);
}

bool contains(const std::string& haystack, const std::string& needle) {
  return haystack.find(needle) != std::string::npos;
}

// `kubectl apply` output of a second apply: every langop object is "unchanged" (no schema default
// makes client-side apply send a patch again). Secrets written with stringData are always
// "configured" by kubectl's design, so they are not checked.
void unchanged_on_reapply(const std::string& out) {
  std::size_t start = 0;
  while (start < out.size()) {
    auto end = out.find('\n', start);
    if (end == std::string::npos) end = out.size();
    std::string line = out.substr(start, end - start);
    start = end + 1;
    if (!contains(line, ".langop.io/")) continue;
    INFO(line);
    CHECK(contains(line, " unchanged"));
  }
}

// Every property of a schema has a description (kubectl explain teaches the whole API);
// collects the paths that do not.
void undocumented(const json::value& schema, const std::string& path, std::vector<std::string>& out) {
  if (!schema.is_object()) return;
  const auto& o = schema.as_object();
  if (auto* props = o.if_contains("properties"); props && props->is_object()) {
    for (const auto& kv : props->as_object()) {
      std::string p = path + "." + std::string(kv.key());
      if (p == ".metadata") continue;  // served by the API server as ObjectMeta
      if (jsonu::get_string(kv.value(), {"description"}).empty()) out.push_back(p);
      undocumented(kv.value(), p, out);
    }
  }
  if (auto* items = o.if_contains("items")) undocumented(*items, path + "[]", out);
  if (auto* ap = o.if_contains("additionalProperties")) undocumented(*ap, path + "{}", out);
}

}  // namespace

TEST_CASE("crds: every CRD installs, becomes Established and is fully documented", "[crds]") {
  local_cluster c;
  install_crds(c);
  struct expectation {
    std::string plural, kind, short_name, scope;
  };
  const std::vector<expectation> expected = {
      {"languageclusters", "LanguageCluster", "lcluster", "Cluster"},
      {"languagemodels", "LanguageModel", "lmodel", "Namespaced"},
      {"languagetools", "LanguageTool", "ltool", "Namespaced"},
      {"languagepersonas", "LanguagePersona", "lpersona", "Namespaced"},
      {"languageagents", "LanguageAgent", "lagent", "Namespaced"},
      {"languageclients", "LanguageClient", "lclient", "Namespaced"},
  };
  for (const auto& e : expected) {
    INFO(e.plural);
    auto crd = ok_json(c, {"get", "crd", e.plural + ".langop.io", "-o", "json"});
    CHECK(jsonu::get_string(crd, {"spec", "group"}) == "langop.io");
    CHECK(jsonu::get_string(crd, {"spec", "scope"}) == e.scope);
    CHECK(jsonu::get_string(crd, {"spec", "names", "kind"}) == e.kind);
    CHECK(jsonu::get_string(crd, {"spec", "names", "listKind"}) == e.kind + "List");
    const auto& names = jsonu::find(crd, {"spec", "names"})->as_object();
    REQUIRE(names.contains("shortNames"));
    CHECK(names.at("shortNames").as_array() == json::array{json::string(e.short_name)});
    CHECK(names.at("categories").as_array() == json::array{"langop"});
    const auto& versions = jsonu::find(crd, {"spec", "versions"})->as_array();
    REQUIRE(versions.size() == 1);
    const auto& v = versions.at(0);
    CHECK(jsonu::get_string(v, {"name"}) == "v1alpha1");
    CHECK(jsonu::get_bool(v, {"served"}) == true);
    CHECK(jsonu::get_bool(v, {"storage"}) == true);
    CHECK(jsonu::find(v, {"subresources", "status"}) != nullptr);
    CHECK(jsonu::find(v, {"additionalPrinterColumns"})->as_array().size() >= 3);
    std::vector<std::string> missing;
    undocumented(*jsonu::find(v, {"schema", "openAPIV3Schema"}), "", missing);
    INFO("properties without a description: " << [&] {
      std::string s;
      for (const auto& m : missing) s += m + " ";
      return s;
    }());
    CHECK(missing.empty());
  }
  auto resources = ok(c, {"api-resources", "--api-group=langop.io"});
  for (const auto& e : expected) {
    CHECK(contains(resources, e.plural));
    CHECK(contains(resources, e.short_name));
  }
}

TEST_CASE("crds: every sample applies, is defaulted, and re-applies unchanged", "[crds]") {
  local_cluster c;
  install_crds(c);
  // The LanguageCluster controller creates these namespaces; without the operator, by hand.
  ok(c, {"create", "namespace", "team-a"});
  ok(c, {"create", "namespace", "demo"});
  for (const std::string file : {"languagecluster", "languagemodel", "languagetool", "languagepersona",
                                 "languageagent", "languageclient"}) {
    INFO(file);
    ok(c, {"apply", "-f", source_path("samples/" + file + ".yaml")});
    unchanged_on_reapply(ok(c, {"apply", "-f", source_path("samples/" + file + ".yaml")}));
  }
  ok(c, {"apply", "-k", source_path("samples/demo")});
  unchanged_on_reapply(ok(c, {"apply", "-k", source_path("samples/demo")}));

  // Schema defaults (SPEC 1.3-1.7).
  auto model = ok_json(c, {"-n", "demo", "get", "lmodel", "gpt-4o", "-o", "json"});
  CHECK(jsonu::get_string(model, {"spec", "timeout"}) == "60s");
  CHECK(jsonu::get_string(model, {"spec", "apiKeySecretRef", "key"}) == "api-key");
  CHECK(jsonu::get_int(model, {"spec", "retryPolicy", "maxAttempts"}) == 3);
  CHECK(jsonu::get_string(model, {"spec", "retryPolicy", "initialBackoff"}) == "1s");
  CHECK(jsonu::get_string(model, {"spec", "retryPolicy", "maxBackoff"}) == "30s");
  CHECK(jsonu::get_int(model, {"spec", "proxy", "port"}) == 8000);
  CHECK(jsonu::get_int(model, {"spec", "proxy", "replicas"}) == 1);
  CHECK(contains(std::string(jsonu::get_string(model, {"spec", "proxy", "image"})), "litellm"));
  const auto& port = jsonu::find(model, {"spec", "egress"})->as_array().at(0).as_object().at("ports").as_array().at(0);
  CHECK(jsonu::find(port, {"protocol"}) == nullptr);  // no defaults inside list items: re-apply shows no diff

  auto tool = ok_json(c, {"-n", "demo", "get", "ltool", "workspace-files", "-o", "json"});
  CHECK(jsonu::get_string(tool, {"spec", "path"}) == "/mcp");
  CHECK(jsonu::get_int(tool, {"spec", "port"}) == 8081);
  CHECK(jsonu::find(tool, {"spec", "replicas"}) == nullptr);  // no default: exclusive with autoscaling

  auto agent = ok_json(c, {"-n", "demo", "get", "lagent", "researcher", "-o", "json"});
  CHECK(jsonu::get_int(agent, {"spec", "replicas"}) == 1);
  CHECK(jsonu::get_int(agent, {"spec", "maxIterations"}) == 40);
  CHECK(jsonu::get_string(agent, {"spec", "timeout"}) == "10m");
  CHECK(jsonu::get_bool(agent, {"spec", "suspend"}) == false);
  auto scheduled = ok_json(c, {"-n", "demo", "get", "lagent", "news-digest", "-o", "json"});
  CHECK(jsonu::get_string(scheduled, {"spec", "executionMode"}) == "scheduled");
  CHECK(jsonu::get_int(scheduled, {"spec", "maxIterations"}) == 50);
  CHECK(jsonu::find(jsonu::find(scheduled, {"spec", "modelRefs"})->as_array().at(0), {"role"}) == nullptr);
  CHECK(contains(std::string(jsonu::get_string(scheduled, {"spec", "image"})), "agent"));
  CHECK(jsonu::find(jsonu::find(agent, {"spec", "toolRefs"})->as_array().at(0), {"requireApproval"}) == nullptr);
  CHECK(jsonu::get_bool(agent, {"spec", "workspace", "enabled"}) == true);

  auto client = ok_json(c, {"-n", "demo", "get", "lclient", "assistant-ui", "-o", "json"});
  CHECK(jsonu::get_string(client, {"spec", "auth", "type"}) == "basic");
  CHECK(jsonu::get_string(client, {"spec", "sessions", "ttl"}) == "12h");
}

TEST_CASE("crds: the seed's Example That Works and architecture examples apply verbatim", "[crds]") {
  local_cluster c;
  install_crds(c);
  ok(c, {"create", "namespace", "demo"});
  auto out = ok(c, {"apply", "-f", source_path("samples/seed-example-that-works.yaml")});
  CHECK(contains(out, "languagecluster.langop.io/demo created"));
  CHECK(contains(out, "languagetool.langop.io/web-tool created"));
  CHECK(contains(out, "languagemodel.langop.io/gpt-4 created"));
  CHECK(contains(out, "languageagent.langop.io/my-agent created"));

  // Aliases are kept as written; nothing the controller must resolve is defaulted over them.
  auto model = ok_json(c, {"-n", "demo", "get", "lmodel", "gpt-4", "-o", "json"});
  CHECK(jsonu::get_string(model, {"spec", "modelName"}) == "gpt-4");
  CHECK(jsonu::find(model, {"spec", "model"}) == nullptr);
  CHECK(jsonu::get_string(model, {"spec", "cluster"}) == "demo");
  CHECK(jsonu::get_string(model, {"spec", "apiKeySecretRef", "key"}) == "api-key");
  auto tool = ok_json(c, {"-n", "demo", "get", "ltool", "web-tool", "-o", "json"});
  CHECK(jsonu::get_string(tool, {"spec", "type"}) == "mcp");
  CHECK(jsonu::get_string(tool, {"spec", "deploymentMode"}) == "sidecar");
  auto agent = ok_json(c, {"-n", "demo", "get", "lagent", "my-agent", "-o", "json"});
  CHECK(jsonu::get_string(agent, {"spec", "executionMode"}) == "continuous");
  CHECK(jsonu::get_string(agent, {"spec", "workspace", "size"}) == "10Gi");
  CHECK(jsonu::get_string(agent, {"spec", "workspace", "accessMode"}) == "ReadWriteOnce");

  out = ok(c, {"apply", "-f", fixture_path("crds/seed-architecture-examples.yaml")});
  CHECK(contains(out, "languagepersona.langop.io/helpful-assistant created"));
  auto monitor = ok_json(c, {"get", "lagent", "monitor-agent", "-o", "json"});
  CHECK(jsonu::get_string(monitor, {"spec", "workspace", "storage"}) == "10Gi");
  CHECK(jsonu::find(monitor, {"spec", "workspace", "size"}) == nullptr);  // alias: no conflicting default
  CHECK(jsonu::get_bool(monitor, {"spec", "workspace", "enabled"}) == true);
  CHECK(jsonu::get_string(monitor, {"spec", "executionMode"}) == "autonomous");
  auto cluster = ok_json(c, {"get", "lcluster", "production", "-o", "json"});
  CHECK(jsonu::get_string(cluster, {"spec", "resourceQuotas", "requests.memory"}) == "20Gi");
}

TEST_CASE("crds: kubectl explain teaches the API", "[crds]") {
  local_cluster c;
  install_crds(c);
  auto size = ok(c, {"explain", "languageagents.spec.workspace.size"});
  CHECK(contains(size, "storage alias"));
  CHECK(contains(size, "10Gi"));
  auto mode = ok(c, {"explain", "languageagents.spec.executionMode"});
  CHECK(contains(mode, "deprecated aliases"));
  auto dns = ok(c, {"explain", "languagetools.spec.egress.to.dns"});
  CHECK(contains(dns, "re-resolves"));
  auto retry = ok(c, {"explain", "languagemodels.spec.retryPolicy"});
  CHECK(contains(retry, "maxAttempts"));
  CHECK(contains(retry, "exponential backoff"));
  auto approval = ok(c, {"explain", "languageagents.spec.toolRefs.requireApproval"});
  CHECK(contains(approval, "AwaitingHumanApproval"));
  auto conditions = ok(c, {"explain", "languagepersonas.status.conditions"});
  CHECK(contains(conditions, "Ready condition"));
  auto cluster = ok(c, {"explain", "languageclusters.spec.namespace"});
  CHECK(contains(cluster, "Immutable"));
}

TEST_CASE("crds: invalid objects are rejected with clear messages", "[crds]") {
  local_cluster c;
  install_crds(c);
  ok(c, {"create", "namespace", "demo"});
  const std::string agent = "apiVersion: langop.io/v1alpha1\nkind: LanguageAgent\nmetadata:\n  name: a\n"
                            "  namespace: demo\nspec:\n";
  const std::string tool = "apiVersion: langop.io/v1alpha1\nkind: LanguageTool\nmetadata:\n  name: t\n"
                           "  namespace: demo\nspec:\n";
  const std::string model = "apiVersion: langop.io/v1alpha1\nkind: LanguageModel\nmetadata:\n  name: m\n"
                            "  namespace: demo\nspec:\n  provider: openai\n";

  {
    INFO("a scheduled agent needs a schedule (CEL)");
    rejected(c, agent + "  executionMode: scheduled\n", {"schedule is required when executionMode is scheduled"});
    rejected(c, agent + "  schedule: \"0 * * * *\"\n", {"schedule is only valid when executionMode is scheduled"});
    rejected(c, agent + "  executionMode: scheduled\n  schedule: every day\n", {"spec.schedule"});
  }
  {
    INFO("enums name the field and the accepted values");
    rejected(c, agent + "  executionMode: sometimes\n",
             {"spec.executionMode", "Unsupported value", "\"autonomous\"", "\"event-driven\""});
    rejected(c, agent + "  modelRefs:\n  - name: gpt\n    role: boss\n", {"spec.modelRefs[0].role"});
  }
  {
    INFO("references must be valid object names");
    rejected(c, agent + "  modelRefs:\n  - name: GPT_4\n", {"spec.modelRefs[0].name", "should match"});
    rejected(c, agent + "  personaRef:\n    name: \"\"\n", {"spec.personaRef.name"});
  }
  {
    INFO("a builtin tool needs builtin.name, an mcp tool an image");
    rejected(c, tool + "  type: builtin\n", {"builtin.name is required when type is builtin"});
    rejected(c, tool + "  type: builtin\n  builtin: {}\n", {"spec.builtin.name", "Required value"});
    rejected(c, tool + "  type: mcp\n  deploymentMode: service\n", {"image is required when type is mcp"});
    rejected(c, tool + "  image: x:1\n  builtin:\n    name: echo\n", {"builtin may only be set when type is builtin"});
  }
  {
    INFO("a PodDisruptionBudget takes exactly one of minAvailable and maxUnavailable");
    rejected(c, tool + "  image: x:1\n  podDisruptionBudget:\n    minAvailable: 1\n    maxUnavailable: 1\n",
             {"set exactly one of minAvailable or maxUnavailable"});
  }
  {
    INFO("autoscaling bounds, replicas and sidecar-only fields");
    rejected(c, tool + "  image: x:1\n  autoscaling:\n    minReplicas: 5\n    maxReplicas: 2\n",
             {"minReplicas must be less than or equal to maxReplicas"});
    rejected(c, tool + "  image: x:1\n  replicas: 2\n  autoscaling:\n    maxReplicas: 4\n",
             {"set either replicas or autoscaling, not both"});
    rejected(c, tool + "  image: x:1\n  deploymentMode: sidecar\n  replicas: 2\n",
             {"only apply to deploymentMode service"});
  }
  {
    INFO("egress destinations are a CIDR or DNS names, not both");
    rejected(c, tool + "  image: x:1\n  egress:\n  - to:\n      cidr: 10.0.0.0/8\n      dns: [example.com]\n",
             {"to must set exactly one of cidr or dns"});
    rejected(c, tool + "  image: x:1\n  egress:\n  - to:\n      cidr: 10.0.0.0/33\n", {"spec.egress[0].to.cidr"});
    rejected(c, tool + "  image: x:1\n  egress:\n  - to: {dns: [a.com]}\n    ports:\n    - port: 70000\n",
             {"spec.egress[0].ports[0].port"});
  }
  {
    INFO("model and its alias modelName: exactly one");
    rejected(c, model, {"exactly one of model or modelName"});
    rejected(c, model + "  model: gpt-4\n  modelName: gpt-4\n", {"exactly one of model or modelName"});
    rejected(c, model + "  model: gpt-4\n  timeout: 1 minute\n", {"spec.timeout"});
    rejected(c,
             "apiVersion: langop.io/v1alpha1\nkind: LanguageModel\nmetadata:\n  name: m\n  namespace: demo\n"
             "spec:\n  provider: azure\n  model: gpt-4\n",
             {"endpoint is required"});
  }
  {
    INFO("workspace size and its alias storage: at most one");
    rejected(c, agent + "  workspace:\n    size: 1Gi\n    storage: 2Gi\n",
             {"set either size or its deprecated alias storage, not both"});
    rejected(c, agent + "  workspace:\n    size: ten gigs\n", {"spec.workspace.size"});
  }
  {
    INFO("at most one primary model");
    rejected(c, agent + "  modelRefs:\n  - name: a\n  - name: b\n", {"at most one modelRef may be primary"});
  }
  {
    INFO("client auth needs a secret and an ingress");
    const std::string client = "apiVersion: langop.io/v1alpha1\nkind: LanguageClient\nmetadata:\n  name: cl\n"
                               "  namespace: demo\nspec:\n  agentRef:\n    name: a\n";
    rejected(c, client + "  ingress: {host: a.example.com}\n  auth:\n    type: basic\n",
             {"secretRef is required when auth type is basic or bearer"});
    rejected(c, client + "  auth:\n    type: bearer\n    secretRef:\n      name: s\n",
             {"auth is enforced by the Ingress"});
  }
  {
    INFO("a persona cannot be its own parent");
    rejected(c,
             "apiVersion: langop.io/v1alpha1\nkind: LanguagePersona\nmetadata:\n  name: p\n  namespace: demo\n"
             "spec:\n  systemPrompt: hi\n  parentRef:\n    name: p\n",
             {"a persona cannot be its own parent"});
  }
  {
    INFO("a LanguageCluster's namespace is immutable");
    ok(c, {"apply", "-f", "-"}, "apiVersion: langop.io/v1alpha1\nkind: LanguageCluster\nmetadata:\n  name: t\n"
                                "spec:\n  namespace: tenant-one\n");
    rejected(c, "apiVersion: langop.io/v1alpha1\nkind: LanguageCluster\nmetadata:\n  name: t\n"
                "spec:\n  namespace: tenant-two\n",
             {"namespace is immutable"});
  }
  {
    INFO("status phases are per kind");
    ok(c, {"apply", "-f", "-"}, agent + "  instructions: hi\n");
    auto bad = kubectl(c, {"-n", "demo", "patch", "lagent", "a", "--subresource=status", "--type=merge", "-p",
                           R"({"status":{"phase":"Ready"}})"});
    CHECK(bad.exit_code != 0);
    CHECK(contains(bad.err, "status.phase"));
    ok(c, {"-n", "demo", "patch", "lagent", "a", "--subresource=status", "--type=merge", "-p",
           R"({"status":{"phase":"Running","observedGeneration":1,"conditions":[{"type":"Ready","status":"True",)"
           R"("reason":"Available","message":"1 of 1 pods ready","lastTransitionTime":"2025-01-01T00:00:00Z"}]}})"});
    ok(c, {"-n", "demo", "wait", "--for=condition=Ready", "lagent/a", "--timeout=20s"});
  }
}

TEST_CASE("crds: kubectl get langop lists every kind, with useful columns", "[crds]") {
  local_cluster c;
  install_crds(c);
  ok(c, {"create", "namespace", "demo"});
  ok(c, {"apply", "-k", source_path("samples/demo")});
  auto all = ok(c, {"get", "langop", "-A"});
  for (const std::string name :
       {"languagecluster.langop.io/demo", "languagemodel.langop.io/gpt-4o", "languagetool.langop.io/web-search",
        "languagepersona.langop.io/analyst", "languageagent.langop.io/researcher",
        "languageclient.langop.io/assistant-ui"})
    CHECK(contains(all, name));

  auto agents = ok(c, {"-n", "demo", "get", "lagent", "-o", "wide"});
  CHECK(contains(agents, "MODE"));
  CHECK(contains(agents, "SCHEDULE"));
  CHECK(contains(agents, "0 7 * * 1-5"));
  CHECK(contains(agents, "autonomous"));
  auto tools = ok(c, {"-n", "demo", "get", "ltool"});
  CHECK(contains(tools, "sidecar"));
  auto clients = ok(c, {"-n", "demo", "get", "lclient"});
  CHECK(contains(clients, "researcher"));
  auto models = ok(c, {"-n", "demo", "get", "lmodel"});
  CHECK(contains(models, "PROVIDER"));
  CHECK(contains(models, "openai"));
}
