// Status writing helpers (PURE): metav1.Conditions with stable transition times, and the
// comparison that keeps a no-op reconcile from writing status.
#pragma once

#include "langop/cjson/value_view.hpp"
#include "langop/core/json.hpp"
#include "langop/core/time.hpp"

#include <string>
#include <vector>

namespace langop::controllers {

struct condition {
  std::string type;    // Ready, Synthesized, EgressResolved, KeyValid, ...
  bool status = false;  // True / False
  std::string reason;  // CamelCase
  std::string message;
};

// status.conditions for `desired`, in that order: lastTransitionTime carried over from the
// live condition of the same type when its status did not change, else `now`.
[[nodiscard]] json::array make_conditions(cjson::value_view live_conditions, const std::vector<condition>& desired,
                                          std::int64_t observed_generation, sys_time now);

// The common status envelope of every langop kind (SPEC 1.1): phase, message,
// observedGeneration and conditions, plus kind-specific `fields`.
[[nodiscard]] json::object make_status(std::string_view phase, std::string_view message, std::int64_t generation,
                                       json::array conditions, json::object fields = {});

// True when the live status already is `desired`: same members (none missing, none
// extra) with equal values (conditions compared whole).
[[nodiscard]] bool same_status(cjson::value_view live_status, const json::object& desired);

}  // namespace langop::controllers
