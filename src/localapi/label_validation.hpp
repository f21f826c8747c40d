// Label key/value syntax checks of k8s.io/apimachinery/pkg/util/validation (PURE, internal).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace langop::localapi::detail {

// IsQualifiedName: "[prefix/]name", prefix a DNS-1123 subdomain (<= 253), name <= 63 chars of
// [A-Za-z0-9-_.] starting and ending alphanumeric. nullopt when valid, else kube's wording.
[[nodiscard]] std::optional<std::string> label_key_error(std::string_view key);
// IsValidLabelValue: empty, or <= 63 chars shaped like a qualified name part.
[[nodiscard]] std::optional<std::string> label_value_error(std::string_view value);

}  // namespace langop::localapi::detail
