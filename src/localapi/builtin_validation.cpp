// Entry point of built-in semantic validation: routes (group, kind) to the family
// validators. Unknown kinds (custom resources, kinds we do not model) yield no causes;
// their schemas are checked elsewhere.
#include "langop/localapi/builtin_kinds.hpp"

#include "builtin_validation_detail.hpp"

namespace langop::localapi {

std::vector<status_cause> validate_builtin(std::string_view group, std::string_view kind, const json::object& object,
                                           const json::object* old_object) {
  detail::checker c;
  if (group.empty()) {
    detail::validate_core(c, kind, object, old_object);
  } else if (group == "apps" || group == "batch") {
    detail::validate_workload(c, group, kind, object, old_object);
  } else if (group == "networking.k8s.io" || group == "autoscaling" || group == "policy" ||
             group == "coordination.k8s.io") {
    detail::validate_networking(c, group, kind, object, old_object);
  }
  return std::move(c.causes);
}

}  // namespace langop::localapi
