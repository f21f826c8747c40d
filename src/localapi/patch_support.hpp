// Internals shared by the three patch formats (PURE): error values, JSON equality,
// and the list ordering rules of strategic merge patch.
#pragma once

#include "go_format.hpp"

#include "langop/core/error.hpp"
#include "langop/core/json.hpp"

#include <string>
#include <string_view>

namespace langop::localapi::detail {

// Recursion bound for the patch algorithms. Parsed input is far shallower (Boost.JSON stops
// at depth 32 by default); this only keeps hand-built values from exhausting the stack.
inline constexpr int max_patch_depth = 256;

// 400 BadRequest: the patch document itself is malformed.
[[nodiscard]] error malformed_patch(std::string message);
// 422 Invalid: a well-formed patch that cannot be applied to this target.
[[nodiscard]] error unappliable_patch(std::string message);

// json_equal (numbers compare by value, as RFC 6902 `test` requires) comes from go_format.hpp.

// Short JSON text of `v` for error messages (truncated; patches may be large).
[[nodiscard]] std::string excerpt(const json::value& v);

// Orders the merged list of a strategic merge exactly as apimachinery's normalizeElementOrder:
// elements whose identity appears in `patch_ids` follow that order, the others ("server only")
// keep their order in `server_ids`, and the two runs are interleaved by server position, a
// patch element not on the server winning ties. Identity is the `merge_key` value of a map
// element, or the element itself when `merge_key` is empty. Elements without an identity
// count as server-only.
[[nodiscard]] json::array order_merged_list(json::array merged, std::string_view merge_key,
                                            const json::array& patch_ids, const json::array& server_ids);

}  // namespace langop::localapi::detail
