// Kubernetes name/value syntax checks and Go-style value rendering (PURE), shared by
// built-in validation and Table printing. Messages are k8s.io/apimachinery's wording so
// errors read exactly like a real kube-apiserver's.
#pragma once

#include "langop/core/json.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace langop::localapi::detail {

// Each returns the list of problems (empty when valid), like validation.IsXxx in Go.
[[nodiscard]] std::vector<std::string> dns1123_label_errors(std::string_view v);
[[nodiscard]] std::vector<std::string> dns1123_subdomain_errors(std::string_view v);
[[nodiscard]] std::vector<std::string> dns1035_label_errors(std::string_view v);
[[nodiscard]] std::vector<std::string> qualified_name_errors(std::string_view v);  // label keys
[[nodiscard]] std::vector<std::string> label_value_errors(std::string_view v);
[[nodiscard]] std::vector<std::string> port_name_errors(std::string_view v);  // IANA_SVC_NAME
[[nodiscard]] std::vector<std::string> env_var_name_errors(std::string_view v);
[[nodiscard]] std::vector<std::string> config_map_key_errors(std::string_view v);
[[nodiscard]] std::vector<std::string> percent_errors(std::string_view v);
[[nodiscard]] bool is_ip_address(std::string_view v);
[[nodiscard]] bool is_cidr(std::string_view v);

// Kubernetes resource.Quantity, enough to compare values ("500m" < "1", "1Gi" == "1024Mi").
[[nodiscard]] std::optional<long double> parse_quantity(std::string_view q);

// resource.Quantity's canonical text, as the server writes every quantity back
// ("1000m" -> "1", "0.5" -> "500m", "1.5Gi" -> "1536Mi", "1000" -> "1k"). Values finer
// than nano round up; `round_to_milli` applies SetDefaults_ResourceList's milli round-up.
// nullopt when `q` does not parse (it is then left for validation to report).
[[nodiscard]] std::optional<std::string> canonical_quantity(std::string_view q, bool round_to_milli = false);

// Go fmt "%#v"-style renderings used in field.Invalid values.
[[nodiscard]] std::string go_string_map(const json::value* labels);        // map[string]string{"a":"b"}
[[nodiscard]] std::string go_string_slice(const json::value* values);      // []string{"a", "b"}
[[nodiscard]] std::string go_label_selector(const json::value* selector);  // v1.LabelSelector{...}
[[nodiscard]] std::string go_intstr(const json::value& v);                 // intstr.IntOrString{...}

}  // namespace langop::localapi::detail
