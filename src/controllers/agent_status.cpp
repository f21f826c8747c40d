#include "agent_status.hpp"

#include "langop/resources/agent.hpp"

namespace langop::controllers {

namespace {

// Counts over the Jobs a CronJob owns: succeeded and failed runs, the latest start.
void add_executions(const shared& s, const informer::cached_object& cronjob, json::object& fields) {
  std::int64_t total = 0, succeeded = 0, failed = 0;
  std::string_view last;
  s.jobs->store().for_each_indexed(informer::cache_store::owner_index, cronjob.uid(),
                                   [&](const informer::cached_object& job) {
                                     ++total;
                                     auto st = job["status"];
                                     if (st.find("succeeded").as_int64() > 0) ++succeeded;
                                     else if (st.find("failed").as_int64() > 0 &&
                                              !st.find("active").as_int64())
                                       ++failed;
                                     auto started = st.find("startTime").as_string();
                                     if (started > last) last = started;
                                   });
  fields["executionCount"] = total;
  fields["successfulExecutions"] = succeeded;
  fields["failedExecutions"] = failed;
  if (!last.empty()) fields["lastExecutionTime"] = last;
}

}  // namespace

workload_state agent_workload_state(const shared& s, const informer::cached_object& agent) {
  workload_state w;
  const auto spec = agent["spec"];
  const bool suspended = spec.find("suspend").as_bool();
  if (resources::normalize_execution_mode(spec.find("executionMode").as_string()) == "scheduled") {
    auto cj = s.cronjobs->store().get(agent.ns(), resources::agent_cronjob_name(agent.name()));
    if (cj) add_executions(s, *cj, w.fields);
    if (suspended) {
      w.phase = "Suspended";
      w.ready = true;
      w.reason = "Suspended";
      w.message = "CronJob suspended";
    } else if (!cj) {
      w.phase = "Pending";
      w.reason = "CronJobPending";
      w.message = "Waiting for the CronJob to be created";
    } else {
      w.phase = "Running";
      w.ready = true;
      w.reason = "Scheduled";
      w.message = "Runs on schedule " + std::string(spec.find("schedule").as_string());
    }
    return w;
  }
  auto d = s.deployments->store().get(agent.ns(), resources::agent_deployment_name(agent.name()));
  const std::int64_t want = spec.find("replicas").as_int64(1);
  const std::int64_t ready = d ? (*d)["status"].find("readyReplicas").as_int64() : 0;
  w.fields["readyReplicas"] = ready;
  w.fields["activeReplicas"] = d ? (*d)["status"].find("replicas").as_int64() : 0;
  if (suspended) {
    w.phase = "Suspended";
    w.ready = true;
    w.reason = "Suspended";
    w.message = "Scaled to zero while suspended";
  } else if (d && ready >= want) {
    w.phase = "Running";
    w.ready = true;
    w.reason = "Available";
    w.message = std::to_string(ready) + "/" + std::to_string(want) + " replicas ready";
  } else {
    w.phase = "Pending";
    w.reason = "PodsStarting";
    w.message = "Waiting for Deployment " + std::string(agent.name()) + ": " + std::to_string(ready) + "/" +
                std::to_string(want) + " replicas ready";
  }
  return w;
}

}  // namespace langop::controllers
