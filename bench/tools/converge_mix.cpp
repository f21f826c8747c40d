// PURE: builds the benchmark's objects; see converge_mix.hpp for the mix.
#include "converge_mix.hpp"

#include <algorithm>

namespace bench::converge {

namespace json = langop::json;

namespace {

constexpr const char* k_api = "langop.io/v1alpha1";

json::object meta(const std::string& name, const std::string& ns) {
  return json::object{{"name", name},
                      {"namespace", ns},
                      {"labels", json::object{{"app.kubernetes.io/part-of", "langop-bench"}}}};
}

json::value object(const char* kind, const std::string& name, const std::string& ns, json::object spec) {
  return json::object{{"apiVersion", k_api}, {"kind", kind}, {"metadata", meta(name, ns)}, {"spec", std::move(spec)}};
}

std::string model_name(std::size_t m) { return "bench-model-" + std::to_string(m); }

json::object dns_rule(const std::string& what, std::vector<std::string> names, std::int64_t port) {
  json::array dns;
  for (auto& n : names) dns.emplace_back(n + "." + k_dns_zone);
  return json::object{{"description", what},
                      {"to", json::object{{"dns", std::move(dns)}}},
                      {"ports", json::array{json::object{{"port", port}}}}};
}

json::object cidr_rule(std::size_t i) {
  return json::object{{"description", "internal mirror"},
                      {"to", json::object{{"cidr", "10." + std::to_string(20 + i % 50) + ".0.0/16"}}},
                      {"ports", json::array{json::object{{"port", 443}}, json::object{{"port", 80}}}}};
}

void add_prerequisites(object_mix& mix, const std::string& ns) {
  for (std::size_t m = 0; m < k_models_per_namespace; ++m) {
    // A placeholder value: the benchmark never calls a provider.
    mix.prerequisites.push_back(
        {"secrets", ns,
         json::object{{"apiVersion", "v1"},
                      {"kind", "Secret"},
                      {"metadata", meta("bench-key-" + std::to_string(m), ns)},
                      {"type", "Opaque"},
                      {"stringData", json::object{{"api-key", "bench-placeholder-not-a-key"}}}}});
    mix.prerequisites.push_back(
        {"languagemodels", ns,
         object("LanguageModel", model_name(m), ns,
                json::object{{"provider", "openai"},
                             {"model", m == 0 ? "gpt-4o" : m == 1 ? "gpt-4o-mini" : "o3-mini"},
                             {"apiKeySecretRef", json::object{{"name", "bench-key-" + std::to_string(m)}}},
                             {"egress", json::array{dns_rule("provider API", {"llm"}, 443)}}})});
  }
  mix.prerequisites.push_back({"languagetools", ns,
                               object("LanguageTool", "bench-search", ns,
                                      json::object{{"type", "mcp"},
                                                   {"image", "example.com/langop/web-tool:1"},
                                                   {"deploymentMode", "service"},
                                                   {"port", 8080},
                                                   {"replicas", 1},
                                                   {"egress", json::array{dns_rule("search", {"search"}, 443)}}})});
  mix.prerequisites.push_back({"languagetools", ns,
                               object("LanguageTool", "bench-files", ns,
                                      json::object{{"type", "mcp"},
                                                   {"image", "example.com/langop/doc-tool:1"},
                                                   {"deploymentMode", "sidecar"},
                                                   {"port", 8081}})});
  mix.prerequisites.push_back({"languagepersonas", ns,
                               object("LanguagePersona", "bench-base", ns,
                                      json::object{{"description", "A helpful assistant"},
                                                   {"systemPrompt", "You are a helpful assistant."},
                                                   {"tone", "friendly"},
                                                   {"language", "en"},
                                                   {"rules", json::array{"Cite your sources."}}})});
  mix.prerequisites.push_back({"languagepersonas", ns,
                               object("LanguagePersona", "bench-analyst", ns,
                                      json::object{{"parentRef", json::object{{"name", "bench-base"}}},
                                                   {"description", "A concise analyst"},
                                                   {"systemPrompt", "You write short, factual briefings."},
                                                   {"tone", "concise"},
                                                   {"rules", json::array{"Under 300 words."}}})});
}

}  // namespace

json::value agent_object(const std::string& ns, std::size_t i) {
  const bool scheduled = i % 5 == 0;
  json::object spec{{"executionMode", scheduled ? "scheduled" : "autonomous"},
                    {"instructions", "Benchmark agent " + std::to_string(i) + ": summarize what changed today."}};
  if (scheduled) spec["schedule"] = std::to_string(i % 60) + " 7 * * 1-5";
  else spec["goal"] = "Keep notes/summary.md current.";
  json::array models{json::object{{"name", model_name(i % k_models_per_namespace)}}};
  if (i % 4 == 0) models.push_back(json::object{{"name", model_name((i + 1) % k_models_per_namespace)}, {"role", "fallback"}});
  spec["modelRefs"] = std::move(models);
  json::array tools;
  if (i % 2 == 0) tools.push_back(json::object{{"name", "bench-search"}});
  if (i % 3 == 0) tools.push_back(json::object{{"name", "bench-files"}});
  if (!tools.empty()) spec["toolRefs"] = std::move(tools);
  if (i % 3 != 2) spec["personaRef"] = json::object{{"name", i % 3 == 0 ? "bench-analyst" : "bench-base"}};
  if (i % 4 == 1)
    spec["workspace"] = json::object{{"enabled", true}, {"size", "1Gi"}, {"mountPath", "/workspace"}};
  json::array egress;
  if (i % 2 == 0) egress.push_back(cidr_rule(i));
  if (i % 3 == 0) egress.push_back(dns_rule("sources", {"api" + std::to_string(i % 10), "docs"}, 443));
  if (!egress.empty()) spec["egress"] = std::move(egress);
  spec["maxIterations"] = 40;
  return object("LanguageAgent", "agent-" + std::to_string(i), ns, std::move(spec));
}

object_mix build_mix(const mix_options& o) {
  object_mix mix;
  const std::size_t per_ns = std::max<std::size_t>(1, o.agents_per_namespace);
  const std::size_t namespaces = std::max<std::size_t>(1, (o.agents + per_ns - 1) / per_ns);
  for (std::size_t k = 0; k < namespaces; ++k) {
    mix.namespaces.push_back(o.namespace_prefix + "-" + std::to_string(k));
    add_prerequisites(mix, mix.namespaces.back());
  }
  mix.agents.reserve(o.agents);
  for (std::size_t i = 0; i < o.agents; ++i) {
    const std::string& ns = mix.namespaces[i / per_ns];
    mix.agents.push_back({"languageagents", ns, agent_object(ns, i)});
  }
  return mix;
}

std::vector<std::string> mix_dns_names() {
  std::vector<std::string> out;
  for (const char* n : {"llm", "search", "docs"}) out.push_back(std::string(n) + "." + k_dns_zone);
  for (int i = 0; i < 10; ++i) out.push_back("api" + std::to_string(i) + "." + k_dns_zone);
  return out;
}

json::value churn_patch(std::size_t round) {
  return json::object{{"spec", json::object{{"maxIterations", static_cast<std::int64_t>(41 + round % 9000)}}}};
}

json::value strip_for_create(const json::value& stored, const std::string& ns) {
  if (!stored.is_object()) return stored;
  json::object out = stored.as_object();
  out.erase("status");
  if (auto* m = out.if_contains("metadata"); m && m->is_object()) {
    auto& md = m->as_object();
    for (const char* k : {"uid", "resourceVersion", "creationTimestamp", "generation", "managedFields",
                          "ownerReferences", "selfLink", "deletionTimestamp", "deletionGracePeriodSeconds"})
      md.erase(k);
    md["namespace"] = ns;
  }
  // A Service's allocated addresses are the server's; copying them would be refused.
  if (auto* spec = out.if_contains("spec"); spec && spec->is_object()) {
    auto& s = spec->as_object();
    if (langop::jsonu::get_string(stored, {"kind"}) == "Service") {
      s.erase("clusterIP");
      s.erase("clusterIPs");
    }
  }
  return out;
}

}  // namespace bench::converge
