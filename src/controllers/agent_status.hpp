// What a LanguageAgent's workload is doing (SPEC 1.6): Running once the Deployment has
// its replicas ready (or the CronJob exists), Suspended, or Pending while pods start;
// execution counts of scheduled agents from the Jobs their CronJob created.
#pragma once

#include "shared.hpp"

namespace langop::controllers {

struct workload_state {
  std::string phase;  // Running, Pending, Suspended
  bool ready = false;
  std::string reason;
  std::string message;
  json::object fields;  // readyReplicas, activeReplicas, execution counts
};

[[nodiscard]] workload_state agent_workload_state(const shared& s, const informer::cached_object& agent);

}  // namespace langop::controllers
