// Leader election driver: runs leader_machine against a coordination.k8s.io/v1 Lease
// through the kube client, on the event loop. Losing the lease calls on_stopped_leading
// (the manager stops its controllers) and keeps campaigning; the process never exits
// because of it. stop() releases the lease (empty holder) so a standby takes over at once.
#pragma once

#include "langop/core/log.hpp"
#include "langop/kube/client.hpp"
#include "langop/runtime/leader_machine.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/steady_timer.hpp>

#include <functional>
#include <memory>
#include <string>

namespace langop::runtime {

struct leader_elector_options {
  leader_config config;
  std::string lease_namespace = "default";
  std::string lease_name = "langop-operator";
  std::chrono::seconds request_timeout{5};  // each Lease request; also bounded by renew_deadline
};

class leader_elector final {
 public:
  struct callbacks {
    std::function<void()> on_started_leading;
    std::function<void()> on_stopped_leading;
  };

  leader_elector(boost::asio::any_io_executor ex, kube::client& client, leader_elector_options options,
                 callbacks cb, log::logger logger = {});
  ~leader_elector();
  leader_elector(const leader_elector&) = delete;
  leader_elector& operator=(const leader_elector&) = delete;

  // Starts campaigning (a coroutine on the executor). Call once.
  void start();
  // Releases the lease if held and ends the campaign. Completes within `grace` even if
  // the API server does not answer. Never throws.
  [[nodiscard]] boost::asio::awaitable<void> stop(std::chrono::milliseconds grace);

  [[nodiscard]] bool is_leader() const noexcept;
  [[nodiscard]] const std::string& identity() const noexcept;
  [[nodiscard]] std::string holder() const;

  struct state;

 private:
  std::shared_ptr<state> st_;
};

}  // namespace langop::runtime
