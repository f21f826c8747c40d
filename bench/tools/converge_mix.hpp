// The object mix of langop-bench-converge (PURE: no I/O, no Asio). For N agents spread
// over namespaces of at most `agents_per_namespace`, each namespace gets the same
// prerequisites (model Secrets, LanguageModels, a service and a sidecar LanguageTool, a
// parent and a child LanguagePersona) and its share of LanguageAgents, mixed
// deterministically by index:
//   - 1 in 5 scheduled (CronJob), the rest autonomous (Deployment);
//   - one of three models, every 4th agent a second (fallback) model;
//   - every 2nd agent the service tool, every 3rd the sidecar tool;
//   - two of three agents a persona (the child, which has a parent, or the parent);
//   - every 4th agent a workspace (PVC);
//   - every 2nd agent a CIDR egress rule, every 3rd a DNS egress rule (names under
//     k_dns_zone, which the driver's DNS responder answers: no internet needed).
#pragma once

#include "langop/core/json.hpp"

#include <cstddef>
#include <string>
#include <vector>

namespace bench::converge {

inline constexpr const char* k_dns_zone = "bench.langop.test";
inline constexpr std::size_t k_models_per_namespace = 3;

struct mix_options {
  std::size_t agents = 1000;
  std::size_t agents_per_namespace = 2500;
  std::string namespace_prefix = "bench";  // namespaces are <prefix>-0, <prefix>-1, ...
};

// One object to create: its kind (plural resource name, for the driver's lookup) and body.
struct mix_object {
  std::string resource;  // "secrets", "languagemodels", ...
  std::string ns;
  langop::json::value body;
};

struct object_mix {
  std::vector<std::string> namespaces;
  std::vector<mix_object> prerequisites;  // in creation order (Secrets before models, parent persona first)
  std::vector<mix_object> agents;
};

[[nodiscard]] object_mix build_mix(const mix_options& o);

// The DNS names the agents' and models' egress rules use (the responder must answer them).
[[nodiscard]] std::vector<std::string> mix_dns_names();

// The LanguageAgent of index `i` in namespace `ns` (exposed for the tests of the mix).
[[nodiscard]] langop::json::value agent_object(const std::string& ns, std::size_t i);

// The merge patch a churn round applies to an agent: a spec change whose effect is visible
// in status.observedGeneration (maxIterations, which the CRD bounds to 1..10000).
[[nodiscard]] langop::json::value churn_patch(std::size_t round);

// A copy of a stored object fit to be created elsewhere: server-set metadata (uid,
// resourceVersion, creationTimestamp, generation, managedFields, ownerReferences) and
// status removed, namespace replaced by `ns`. Used by the write floor.
[[nodiscard]] langop::json::value strip_for_create(const langop::json::value& stored, const std::string& ns);

}  // namespace bench::converge
