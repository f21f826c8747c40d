// Kubernetes resource.Quantity (PURE): parse to a value, and the canonical text kube-apiserver
// writes back for every quantity it stores.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace langop::kube {

// Enough to compare values ("500m" < "1", "1Gi" == "1024Mi"); nullopt when malformed.
[[nodiscard]] std::optional<long double> parse_quantity(std::string_view q);

// resource.Quantity's canonical text, as the server writes every quantity back
// ("1000m" -> "1", "0.5" -> "500m", "1.5Gi" -> "1536Mi", "1000" -> "1k"). Values finer
// than nano round up; `round_to_milli` applies SetDefaults_ResourceList's milli round-up.
// nullopt when `q` does not parse (it is then left for validation to report).
[[nodiscard]] std::optional<std::string> canonical_quantity(std::string_view q, bool round_to_milli = false);

}  // namespace langop::kube
