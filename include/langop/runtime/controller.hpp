// A controller: a work queue of object keys, `concurrency` workers that reconcile them,
// and the one place where a reconcile's result becomes queue operations, metrics and log
// lines (controller-runtime's model: reconcilers never touch the queue).
#pragma once

#include "langop/core/error.hpp"
#include "langop/core/log.hpp"
#include "langop/queue/async_work_queue.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace langop::informer {
class informer;
struct change;
}  // namespace langop::informer
namespace langop::obs {
class registry;
}

namespace langop::runtime {

// What a successful reconcile asks for next.
class action final {
 public:
  [[nodiscard]] static action done() noexcept { return action(std::chrono::nanoseconds::zero()); }
  [[nodiscard]] static action requeue_after(std::chrono::nanoseconds d) noexcept { return action(d); }
  [[nodiscard]] bool requeue() const noexcept { return delay_.count() > 0; }
  [[nodiscard]] std::chrono::nanoseconds delay() const noexcept { return delay_; }

 private:
  explicit action(std::chrono::nanoseconds d) noexcept : delay_(d) {}
  std::chrono::nanoseconds delay_;
};

// A reconcile error that retrying cannot fix (invalid spec already reported in status):
// the runner logs it and does not requeue. Every other error is retried with per-key
// exponential backoff.
[[nodiscard]] error terminal_error(std::string message);
[[nodiscard]] bool is_terminal(const error& e) noexcept;

// Reconciles one key ("namespace/name" or "name"). Must be idempotent: it reads the
// current state and converges, whatever event caused the call.
using reconcile_fn = std::function<boost::asio::awaitable<result<action>>(std::string key)>;

struct controller_options {
  std::string name;             // metrics label and log field, e.g. "languageagent"
  std::size_t concurrency = 16;  // reconciles in flight at once (distinct keys)
  queue::work_queue_options queue;
};

class controller final {
 public:
  controller(boost::asio::any_io_executor ex, controller_options options, reconcile_fn reconcile,
             log::logger logger, obs::registry* metrics = nullptr);
  ~controller();
  controller(const controller&) = delete;
  controller& operator=(const controller&) = delete;

  // Event sources (safe before start(): keys wait in the queue).
  void enqueue(std::string_view key, queue::priority p = queue::priority::normal);
  void enqueue_after(std::string_view key, std::chrono::nanoseconds delay);

  // Reconcile the objects of `inf` themselves. Objects from an informer's initial list
  // are low priority so they never starve new events.
  void watch_primary(informer::informer& inf);
  // Map any change of `inf` to keys to reconcile (owned children, referenced objects).
  using mapper = std::function<void(const informer::change& c, const std::function<void(std::string)>& emit)>;
  void watch(informer::informer& inf, mapper map);
  // Children with a controller ownerReference of `owner_kind` map to "<ns>/<owner name>".
  void watch_owned(informer::informer& inf, std::string owner_kind);

  // Starts the workers. Stopping and starting again is allowed (leader election).
  void start();
  // Stops handing out keys and waits (at most `grace`) for reconciles in flight. The
  // queue keeps its keys for a later start().
  [[nodiscard]] boost::asio::awaitable<void> stop(std::chrono::milliseconds grace);

  [[nodiscard]] bool running() const noexcept;
  [[nodiscard]] std::size_t in_flight() const noexcept;
  [[nodiscard]] const queue::async_work_queue& work_queue() const noexcept;
  [[nodiscard]] const std::string& name() const noexcept;

  struct state;

 private:
  std::shared_ptr<state> st_;
};

}  // namespace langop::runtime
