// The operator's half of an integration test: a kube client, a manager and their
// io_context, run on the test thread against a local_cluster (which serves from its own
// thread). Every wait is bounded.
#pragma once

#include "support/local_cluster.hpp"

#include "langop/kube/client.hpp"
#include "langop/obs/registry.hpp"
#include "langop/runtime/manager.hpp"

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <functional>
#include <memory>

namespace langop::test {

// Manager options with the admin servers off (tests run many operators side by side).
[[nodiscard]] runtime::manager_options quiet_manager_options();

class operator_side {
 public:
  explicit operator_side(const local_cluster& cluster, runtime::manager_options options = {},
                         kube::client_options client_options = {});
  ~operator_side();
  operator_side(const operator_side&) = delete;
  operator_side& operator=(const operator_side&) = delete;

  // Starts the manager; true once it started within `limit`.
  bool start(std::chrono::milliseconds limit = std::chrono::seconds(10));
  // Shuts the manager down and lets cancelled operations unwind (idempotent). Objects
  // that reconcilers point into must call this before they go: a reconcile in flight
  // resumes during shutdown.
  void shutdown();
  // Runs the loop until `done()` holds or `limit` passes; returns done().
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds limit);
  void run_for(std::chrono::milliseconds d);

  boost::asio::io_context ioc{1};
  obs::registry metrics;
  std::unique_ptr<kube::client> client;
  std::unique_ptr<runtime::manager> manager;

 private:
  bool started_ = false;
};

}  // namespace langop::test
