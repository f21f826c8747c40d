// The manager: owns the shared informers, the controllers, leader election, the metrics
// registry and the admin endpoints of one operator process, and orders their lifecycle:
// informers always run (a standby keeps warm caches); controllers run only while this
// process leads (or always, without leader election) and only once caches are synced;
// shutdown stops intake, drains reconciles within a grace period and releases the lease.
#pragma once

#include "langop/core/error.hpp"
#include "langop/core/log.hpp"
#include "langop/informer/informer.hpp"
#include "langop/kube/api_call.hpp"
#include "langop/runtime/controller.hpp"
#include "langop/runtime/leader_elector.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <functional>
#include <map>
#include <memory>
#include <string>
#include <vector>

namespace langop::cjson {
class key_table;
}
namespace langop::kube {
class client;
}
namespace langop::obs {
class registry;
class check_set;
}  // namespace langop::obs

namespace langop::runtime {

struct manager_options {
  std::string watch_namespace;                 // "" = every namespace
  std::string metrics_bind_address = ":8080";  // "0" disables
  std::string health_bind_address = ":8081";   // "0" disables
  bool leader_elect = false;
  leader_elector_options leader;
  std::chrono::milliseconds shutdown_grace{10000};
  informer::informer_options informer;
};

class manager final {
 public:
  manager(boost::asio::any_io_executor ex, kube::client& client, obs::registry& metrics, manager_options options,
          log::logger logger);
  ~manager();
  manager(const manager&) = delete;
  manager& operator=(const manager&) = delete;

  // The shared informer for a resource in the watched namespace (created on first use;
  // controllers that need the same kind share one cache and one watch). A label selector
  // narrows the cache to matching objects (children carry app.kubernetes.io/managed-by).
  informer::informer& informer_for(const kube::resource& r, std::string_view label_selector = {});
  // An informer of its own whose objects are rewritten before caching (Secrets: values
  // blanked). Shared only with other callers of this function for the same resource.
  informer::informer& informer_for_transformed(const kube::resource& r,
                                               decltype(informer::informer_options::transform) transform);
  // A controller, started and stopped by the manager.
  controller& add_controller(controller_options options, reconcile_fn reconcile);

  // Checks the API server answers, starts the admin servers and informers, and begins
  // leading (or campaigning). Errors: the admin endpoints cannot bind, or the API server
  // never answered within `connect_timeout`.
  [[nodiscard]] boost::asio::awaitable<result<void>> start(std::chrono::seconds connect_timeout);
  // SIGTERM: stop taking work, let reconciles in flight finish (bounded by
  // shutdown_grace), release the lease, stop informers and admin servers.
  [[nodiscard]] boost::asio::awaitable<void> shutdown();

  [[nodiscard]] bool caches_synced() const noexcept;
  [[nodiscard]] bool leading() const noexcept;
  [[nodiscard]] unsigned short metrics_port() const noexcept;
  [[nodiscard]] unsigned short health_port() const noexcept;
  [[nodiscard]] obs::registry& metrics() noexcept;
  [[nodiscard]] kube::client& client() noexcept;
  [[nodiscard]] const std::shared_ptr<cjson::key_table>& keys() const noexcept;
  [[nodiscard]] const std::string& watch_namespace() const noexcept;

  struct state;

 private:
  informer::informer& make_informer(std::string id, const kube::resource& r, informer::informer_options opts);
  std::shared_ptr<state> st_;
};

// API request metrics (langop_api_requests_total{verb,code}, request duration) for the
// kube client's observer.
[[nodiscard]] std::function<void(std::string_view, int, std::chrono::nanoseconds)> api_request_metrics(
    obs::registry& metrics);

// A leader-election identity unique to this process: POD_NAME or the host name, plus a
// random suffix (as client-go does).
[[nodiscard]] std::string default_identity();

}  // namespace langop::runtime
