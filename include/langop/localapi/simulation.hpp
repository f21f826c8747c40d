// Workload simulation for langop-localapi: what kubelet and kube-controller-manager
// would make visible to an operator, without running any container. Deployments
// report ready replicas, PVCs become Bound, Jobs complete, CronJobs spawn Jobs when
// asked (POST /admin/cronjobs/<namespace>/<name>/run?outcome=succeeded|failed).
#pragma once

#include "langop/core/log.hpp"
#include "langop/localapi/apiserver.hpp"

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <memory>
#include <optional>

namespace langop::localapi {

class workload_simulator final {
 public:
  workload_simulator(boost::asio::io_context& ioc, apiserver& api, std::chrono::milliseconds ready_delay,
                     log::logger logger = {});
  ~workload_simulator();
  workload_simulator(const workload_simulator&) = delete;
  workload_simulator& operator=(const workload_simulator&) = delete;

  void stop();
  // The simulator's admin routes; nullopt for paths it does not own.
  [[nodiscard]] std::optional<api_response> admin(const api_request& request);

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
};

}  // namespace langop::localapi
