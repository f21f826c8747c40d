// Does a live object already hold everything we want? (PURE) The compare of
// compare-then-write: the API server adds defaults, status and bookkeeping to what we
// applied, so "equal" means every field we set is present with the same value.
#pragma once

#include "langop/cjson/value_view.hpp"
#include "langop/core/json.hpp"

namespace langop::controllers {

// True when every member of `desired` is in `live` with an equal value: objects
// recursively (extra live members ignored), arrays element-wise with equal length,
// numbers by value, and strings equal or the same Kubernetes quantity ("0.5" == "500m",
// the server rewrites quantities in canonical form). Metadata fields the server owns
// (resourceVersion, uid, managedFields, ...) are never in `desired`.
[[nodiscard]] bool contains(cjson::value_view live, const json::value& desired);

}  // namespace langop::controllers
