// Kubernetes Events for users (`kubectl describe`, `kubectl events`): core/v1 Events
// created best-effort off the reconcile path, aggregated so that a reconcile repeated on
// requeue never produces an event storm — the same event for the same object within the
// aggregation window bumps a counter (written at most once a minute) instead.
#pragma once

#include "langop/core/log.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <memory>
#include <string>

namespace langop::kube {
class client;
}
namespace langop::informer {
class cached_object;
}

namespace langop::controllers {

struct event_target {
  std::string api_version, kind, ns, name, uid;
};
[[nodiscard]] event_target target_of(const informer::cached_object& obj);

class event_recorder final {
 public:
  event_recorder(boost::asio::any_io_executor ex, kube::client& client, std::string instance, log::logger logger,
                 std::chrono::seconds window = std::chrono::minutes(10));
  ~event_recorder();
  event_recorder(const event_recorder&) = delete;
  event_recorder& operator=(const event_recorder&) = delete;

  // Never blocks and never fails the caller: the write happens on the loop; a failure
  // is logged at debug level. `message` must not contain secret material.
  void normal(const event_target& t, std::string_view reason, std::string message);
  void warning(const event_target& t, std::string_view reason, std::string message);

  [[nodiscard]] std::uint64_t emitted() const noexcept;     // Events created
  [[nodiscard]] std::uint64_t aggregated() const noexcept;  // repeats folded into a count

  struct state;

 private:
  void record(const event_target& t, bool warning, std::string_view reason, std::string message);
  std::shared_ptr<state> st_;
};

}  // namespace langop::controllers
