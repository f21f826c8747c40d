// The pure builders a reconcile runs for one agent and one model: what a reconcile costs
// before it talks to the API server (desired children, their content hashes).
//   ninja -C build langop-microbench && ./build/bench/langop-microbench --benchmark_filter=builder
#include "langop/core/json.hpp"
#include "langop/resources/agent.hpp"
#include "langop/resources/common.hpp"
#include "langop/resources/model.hpp"
#include "langop/resources/persona.hpp"

#include <benchmark/benchmark.h>

using namespace langop;
using namespace langop::resources;

namespace {

json::object obj(std::string_view text) { return jsonu::parse(text).value().as_object(); }

// The seed example (agent, sidecar tool, model) plus a persona: the shape of the golden
// test in tests/unit/resources/test_agent_workload.cpp.
struct seed_inputs {
  json::object agent = obj(R"({"apiVersion": "langop.io/v1alpha1", "kind": "LanguageAgent",
    "metadata": {"name": "my-agent", "namespace": "demo", "uid": "u-1", "generation": 3},
    "spec": {"cluster": "demo", "image": "git.theryans.io/langop/agent:latest", "executionMode": "autonomous",
      "toolRefs": [{"name": "web-tool"}], "modelRefs": [{"name": "gpt-4"}], "personaRef": {"name": "helper"},
      "instructions": "You are a helpful assistant. Summarize the news every morning.",
      "workspace": {"enabled": true, "size": "10Gi", "mountPath": "/workspace"},
      "replicas": 1, "suspend": false, "maxIterations": 50, "timeout": "10m"}})");
  json::object tool = obj(R"({"apiVersion": "langop.io/v1alpha1", "kind": "LanguageTool",
    "metadata": {"name": "web-tool", "namespace": "demo"},
    "spec": {"type": "mcp", "image": "git.theryans.io/langop/web-tool:latest", "deploymentMode": "sidecar", "port": 8080}})");
  json::object model = obj(R"({"apiVersion": "langop.io/v1alpha1", "kind": "LanguageModel",
    "metadata": {"name": "gpt-4", "namespace": "demo", "uid": "u-2"},
    "spec": {"provider": "openai", "model": "gpt-4", "apiKeySecretRef": {"name": "openai-key", "key": "api-key"},
      "timeout": "60s", "retryPolicy": {"maxAttempts": 3}, "caching": {"enabled": true, "ttl": "5m"},
      "rateLimits": {"rpm": 600, "tpm": 100000}, "proxy": {"port": 8000, "replicas": 1}}})");
  json::object persona = obj(R"({"apiVersion": "langop.io/v1alpha1", "kind": "LanguagePersona",
    "metadata": {"name": "helper", "namespace": "demo"},
    "spec": {"displayName": "Helper", "systemPrompt": "Be brief and kind.", "tone": "friendly", "language": "en",
      "rules": ["Cite sources", "No speculation"]}})");

  agent_inputs inputs() const {
    return agent_inputs{agent, {resolve_model(model, "")}, {resolve_tool(tool)}, flatten_persona({persona})};
  }
};

const seed_inputs& seed() {
  static const seed_inputs s;
  return s;
}

// Every desired child of one agent and the config hash: what an agent reconcile builds.
void builder_agent_children(benchmark::State& state) {
  const auto& s = seed();
  for (auto _ : state) {
    const agent_inputs in = s.inputs();
    const json::object config = agent_config_map(in);
    config_hash_extra extra;
    extra.secret_versions["openai-key"] = "12345";
    const std::string hash = agent_config_hash(in, extra);
    json::object workload = agent_workload(in, hash);
    auto pvc = agent_workspace_pvc(in);
    benchmark::DoNotOptimize(config);
    benchmark::DoNotOptimize(workload);
    benchmark::DoNotOptimize(pvc);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(builder_agent_children);

// The content hash the writer compares (langop.io/applied-hash) for the agent's Deployment.
void builder_content_hash_deployment(benchmark::State& state) {
  const auto& s = seed();
  const json::value workload = agent_workload(s.inputs(), "h");
  for (auto _ : state) benchmark::DoNotOptimize(content_hash(workload));
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.SetLabel(std::to_string(jsonu::dump(workload).size()) + " B");
}
BENCHMARK(builder_content_hash_deployment);

// A model's gateway children: LiteLLM config ConfigMap, proxy Deployment, Service.
void builder_model_children(benchmark::State& state) {
  const auto& s = seed();
  const std::vector<json::object> fallbacks;
  for (auto _ : state) {
    json::object cm = model_config_map(s.model, fallbacks);
    json::object svc = model_service(s.model);
    benchmark::DoNotOptimize(cm);
    benchmark::DoNotOptimize(svc);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(builder_model_children);

}  // namespace
