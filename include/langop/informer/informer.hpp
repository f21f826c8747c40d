// An informer: the watcher_machine driven over the kube client on the event loop, feeding
// one kind's cache_store and telling handlers about every real change. List pages and
// watch events are decoded once, straight into the cache representation.
#pragma once

#include "langop/core/log.hpp"
#include "langop/informer/cache_store.hpp"
#include "langop/informer/watcher_machine.hpp"
#include "langop/kube/api_call.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <functional>
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
}

namespace langop::informer {

struct informer_options {
  watcher_options watcher;
  // A watch silent for this long is presumed dead (no event, no BOOKMARK): it is reopened
  // from the last resourceVersion. Must exceed the server's bookmark period (~1 min).
  std::chrono::seconds idle_timeout{150};
  std::string label_selector;
  std::string field_selector;
  // Rewrites each object before it is cached (e.g. blanks Secret values, so key material
  // never sits in the operator's memory longer than one decode). Null: stored as decoded.
  std::function<result<cjson::document>(cjson::document, cjson::key_table&)> transform;
};

// Called after the store applied `c` (never for `unchanged`).
using change_handler = std::function<void(const change& c)>;

class informer final {
 public:
  // `ns` empty: every namespace. `metrics` may be null.
  informer(boost::asio::any_io_executor ex, kube::client& client, kube::resource resource, std::string ns,
           std::shared_ptr<cjson::key_table> keys, informer_options options, log::logger logger,
           obs::registry* metrics = nullptr);
  ~informer();
  informer(const informer&) = delete;
  informer& operator=(const informer&) = delete;

  // Starts listing and watching (a coroutine on the executor). Call once.
  void start();
  // Closes the watch and ends the loop; the store keeps its content.
  void stop();

  // One complete list was applied (informer HasSynced); stays true across relists.
  [[nodiscard]] bool synced() const noexcept;
  [[nodiscard]] const cache_store& store() const noexcept;
  [[nodiscard]] cache_store& store() noexcept;
  [[nodiscard]] const kube::resource& resource() const noexcept;
  [[nodiscard]] const watcher_stats& stats() const noexcept;

  // Handlers run on the loop, in registration order, inside the informer's loop: they
  // must be quick (enqueue keys) and never block.
  void add_handler(change_handler h);
  // Runs once when the informer first syncs (at once if it already has).
  void on_synced(std::function<void()> fn);

  struct state;

 private:
  std::shared_ptr<state> st_;
};

}  // namespace langop::informer
