// YAML → JSON conversion (yaml-cpp), for apply-patch bodies, manifests and kubeconfigs.
// Scalars follow the YAML 1.2 core schema: null/~, true/false, integers, floats,
// everything else (and every quoted scalar) a string.
#pragma once

#include "langop/core/error.hpp"
#include "langop/core/json.hpp"

#include <string_view>
#include <vector>

namespace langop {

// One document; an error value names the line/column of malformed YAML.
[[nodiscard]] result<json::value> yaml_to_json(std::string_view text);
// Every document of a multi-document stream ("---" separated), skipping empty ones.
[[nodiscard]] result<std::vector<json::value>> yaml_documents_to_json(std::string_view text);

}  // namespace langop
