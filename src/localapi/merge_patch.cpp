// application/merge-patch+json (RFC 7386).
#include "langop/localapi/patch.hpp"

#include "patch_support.hpp"

namespace langop::localapi {
namespace {

// RFC 7386 MergePatch, applied in place. False only when nesting exceeds the depth bound.
bool merge_into(json::value& target, const json::value& patch, int depth) {
  const auto* members = patch.if_object();
  if (!members) {
    target = patch;
    return true;
  }
  if (depth > detail::max_patch_depth) return false;
  if (!target.is_object()) target = json::object();
  auto& obj = target.get_object();
  for (const auto& [key, value] : *members) {
    if (value.is_null()) {
      obj.stable_erase(key);  // stable: the object keeps its member order
      continue;
    }
    if (!merge_into(obj[key], value, depth + 1)) return false;
  }
  return true;
}

}  // namespace

result<json::value> apply_merge_patch(const json::value& target, const json::value& patch) {
  json::value out = target;
  if (!merge_into(out, patch, 0)) return detail::malformed_patch("merge patch is nested too deeply");
  return out;
}

}  // namespace langop::localapi
