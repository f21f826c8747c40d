// The four PATCH content types of kube-apiserver, as pure functions (PURE).
// Errors: http_status 400 (malformed patch) or 422 (patch does not apply), reason set.
#pragma once

#include "langop/core/error.hpp"
#include "langop/core/json.hpp"
#include "langop/localapi/list_semantics.hpp"

namespace langop::localapi {

// application/merge-patch+json — RFC 7386 (null deletes, objects merge, the rest replaces).
[[nodiscard]] result<json::value> apply_merge_patch(const json::value& target, const json::value& patch);

// application/json-patch+json — RFC 6902 (add, remove, replace, move, copy, test; RFC 6901
// pointers with ~0/~1 escapes and "-" for append).
[[nodiscard]] result<json::value> apply_json_patch(const json::value& target, const json::value& patch);

// application/strategic-merge-patch+json — as kubectl sends it: merge by patchMergeKey for
// lists marked smp_merge in `hints`, "$patch": replace|delete|merge, "$retainKeys",
// "$deleteFromPrimitiveList/<field>", "$setElementOrder/<field>".
[[nodiscard]] result<json::value> apply_strategic_merge_patch(const json::value& target, const json::value& patch,
                                                              const schema_hints& hints);

}  // namespace langop::localapi
