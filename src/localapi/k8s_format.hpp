// Kubernetes name/value syntax checks and Go-style value rendering (PURE), shared by
// built-in validation and Table printing. Messages are k8s.io/apimachinery's wording so
// errors read exactly like a real kube-apiserver's.
#pragma once

#include "langop/core/json.hpp"
#include "langop/kube/quantity.hpp"

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

// resource.Quantity parsing and canonical text live in langop/kube/quantity.hpp.
using kube::canonical_quantity;
using kube::parse_quantity;

// Go fmt "%#v"-style renderings used in field.Invalid values.
[[nodiscard]] std::string go_string_map(const json::value* labels);        // map[string]string{"a":"b"}
[[nodiscard]] std::string go_string_slice(const json::value* values);      // []string{"a", "b"}
[[nodiscard]] std::string go_label_selector(const json::value* selector);  // v1.LabelSelector{...}
[[nodiscard]] std::string go_intstr(const json::value& v);                 // intstr.IntOrString{...}

}  // namespace langop::localapi::detail
