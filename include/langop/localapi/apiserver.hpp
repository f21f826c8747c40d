// The Kubernetes REST semantics of langop-localapi, without any I/O: a request goes
// in, a response (or a watch session to stream) comes out. The HTTP layer (server.hpp)
// only moves bytes; everything kubectl and the operator can observe is decided here.
#pragma once

#include "langop/core/json.hpp"
#include "langop/core/time.hpp"
#include "langop/localapi/api_error.hpp"
#include "langop/localapi/registry.hpp"
#include "langop/localapi/store.hpp"

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <set>
#include <string>
#include <string_view>
#include <utility>
#include <variant>
#include <vector>

namespace langop::localapi {

struct api_request {
  std::string method;  // GET, POST, PUT, PATCH, DELETE
  std::string path;    // percent-decoded, without the query
  std::vector<std::pair<std::string, std::string>> query;  // decoded
  std::string content_type;
  std::string accept;
  std::string user_agent;
  std::string body;

  [[nodiscard]] const std::string* query_param(std::string_view key) const;
  [[nodiscard]] std::string query_or(std::string_view key, std::string_view fallback = {}) const;
};

class watch_session;

struct api_response {
  int status = 200;
  std::string content_type = "application/json";
  std::string body;
  std::vector<std::pair<std::string, std::string>> headers;  // Warning, Retry-After, ...
  std::shared_ptr<watch_session> watch;  // set for watch requests: stream it
};

struct apiserver_options {
  std::size_t history_size = 10000;          // retained watch events per collection
  std::chrono::seconds bookmark_interval{60};  // BOOKMARK period for allowWatchBookmarks watches
  std::size_t max_body_bytes = 3 * 1024 * 1024;
  std::size_t max_watch_backlog = 200000;    // a watcher further behind is closed (client re-watches)
  std::function<sys_time()> clock = [] { return std::chrono::system_clock::now(); };
  std::string version_major = "1";
  std::string version_minor = "31";
};

// Counters the benchmarks and the zero-write tests read (GET /admin/stats).
struct api_stats {
  std::map<std::string, std::uint64_t> requests_by_verb;  // get, list, watch, create, update, patch, delete, ...
  std::map<int, std::uint64_t> responses_by_code;
  std::uint64_t writes = 0;           // committed changes (create/update/patch/delete that changed storage)
  std::uint64_t noop_writes = 0;      // update/patch requests that changed nothing
  std::uint64_t watch_events_sent = 0;
};

class apiserver final {
 public:
  explicit apiserver(apiserver_options options = {});
  ~apiserver();
  apiserver(const apiserver&) = delete;
  apiserver& operator=(const apiserver&) = delete;

  // Never throws for bad input: every failure is a Status response.
  [[nodiscard]] api_response handle(const api_request& request);

  // Asynchronous consequences of writes — garbage collection of dependents, namespace
  // content removal, foreground/orphan finalizers — run in steps after the request
  // that caused them, as kube-controller-manager would. Returns false when idle.
  bool run_background_step();
  void run_background_until_idle();
  [[nodiscard]] bool has_background_work() const noexcept { return !gc_queue_.empty(); }

  // Fault injection (admin endpoint and tests).
  void fail_next_watches(int count) { fail_watches_ = count; }
  void compact_history() { store_.compact_all(); }

  // Queue a BOOKMARK on every open watch that allows them (the HTTP layer calls this
  // on its bookmark timer; tests call it directly).
  void send_bookmarks();
  // Ends every open watch stream now (the client sees a normal end of stream).
  void close_all_watches();
  [[nodiscard]] std::size_t open_watches() const noexcept { return sessions_.size(); }

  [[nodiscard]] object_store& store() noexcept { return store_; }
  [[nodiscard]] const registry& types() const noexcept { return types_; }
  [[nodiscard]] const api_stats& stats() const noexcept { return stats_; }
  [[nodiscard]] const apiserver_options& options() const noexcept { return options_; }
  [[nodiscard]] sys_time now() const { return options_.clock(); }

  // Writes done by the server itself (simulation of kubelet / controllers): same
  // semantics as a client request, with `manager` as field manager.
  api_response internal(std::string method, std::string path, std::string body, std::string content_type,
                        std::string manager);

  struct route;      // parsed path (api_route.cpp)
  struct write_ctx;  // one write's parameters (api_write.cpp)

 private:
  friend class watch_session;

  api_response dispatch(const api_request& request, const route& r);
  api_response handle_discovery(const api_request& request);
  api_response handle_get(const api_request& request, const route& r);
  api_response handle_list(const api_request& request, const route& r);
  api_response handle_watch(const api_request& request, const route& r);
  api_response handle_create(const api_request& request, const route& r);
  // Create's identity checks and server-set metadata (uid, creationTimestamp, name from
  // generateName); an error response when the object cannot be created.
  std::variant<json::object, api_response> prepare_create(const route& r, json::object object);
  api_response handle_update(const api_request& request, const route& r);
  api_response handle_patch(const api_request& request, const route& r);
  api_response handle_delete(const api_request& request, const route& r);
  api_response handle_delete_collection(const api_request& request, const route& r);
  api_response handle_scale(const api_request& request, const route& r);

  // The common write pipeline: status/main split, schema or built-in rules, generation,
  // managed fields, no-op detection, commit. `old` is null on create.
  api_response commit_write(write_ctx& ctx, const object_ptr& old, json::object candidate);
  // Deletes now, or marks for deletion when finalizers remain.
  api_response delete_object(const resource_type& type, const object_ptr& current, const json::object& options,
                             bool dry_run);
  void remove_now(const resource_type& type, const object_ptr& current);
  void after_commit(const resource_type& type, const object_ptr& before, const object_ptr& after);

  // CustomResourceDefinition lifecycle (api_crd.cpp).
  std::vector<status_cause> crd_validate(const json::object& crd, std::vector<resource_type>& out_types) const;
  void crd_established(const object_ptr& crd);
  void crd_removed(const json::object& crd);

  // Garbage collector / namespace controller steps (api_gc.cpp).
  struct gc_item {
    enum class kind { owner_gone, foreground, orphan, namespace_cleanup } what;
    std::string id;  // owner uid or namespace name
  };
  void enqueue_gc(gc_item item);
  void gc_owner_gone(const std::string& uid);
  void gc_foreground(const std::string& uid);
  void gc_orphan(const std::string& uid);
  void gc_namespace(const std::string& ns);
  bool update_internal(const resource_type& type, const object_ptr& current, json::object next);

  api_response error_response(const api_error& e);
  api_response object_response(int status, const resource_type& type, const object_ptr& obj,
                               const api_request& request);

  apiserver_options options_;
  registry types_;
  object_store store_;
  api_stats stats_;
  std::set<watch_session*> sessions_;
  std::deque<gc_item> gc_queue_;
  std::set<std::pair<int, std::string>> gc_pending_;  // de-duplicates gc_queue_
  int fail_watches_ = 0;
  std::uint32_t next_service_ip_ = 10;  // 10.96.0.10 onwards (10.96.0.1 is "kubernetes")
  std::uint64_t uid_counter_ = 0;
};

// One open watch: receives store events, filters and renders them, and holds the
// bytes the HTTP layer has not written yet.
class watch_session final : public watch_sink {
 public:
  struct filter;  // namespace, selectors, rendering (api_watch.cpp)
  watch_session(apiserver& server, std::shared_ptr<const resource_type> type, std::unique_ptr<filter> f,
                collection* source);
  ~watch_session() override;

  void on_event(const event_ptr& e) override;

  // Bytes ready to write (whole newline-terminated JSON lines); empties the buffer.
  [[nodiscard]] std::string take_pending();
  [[nodiscard]] bool has_pending() const noexcept { return !pending_.empty(); }
  // The stream must end (backlog overflow, server shutdown, fault injection).
  [[nodiscard]] bool finished() const noexcept { return finished_; }
  [[nodiscard]] std::chrono::seconds timeout() const noexcept { return timeout_; }
  [[nodiscard]] bool bookmarks_allowed() const noexcept { return bookmarks_; }

  // Called by the HTTP layer: run `wake` whenever new bytes are pending or the stream ends.
  void set_wake(std::function<void()> wake) { wake_ = std::move(wake); }

  void queue_bookmark();
  void queue_event(const char* type, std::string_view object_json);  // one {"type","object"} line
  void finish();

 private:
  friend class apiserver;
  void detach();

  apiserver* server_;
  std::shared_ptr<const resource_type> type_;
  std::unique_ptr<filter> filter_;
  collection* source_;
  std::string pending_;
  std::function<void()> wake_;
  bool finished_ = false;
  bool bookmarks_ = false;
  std::chrono::seconds timeout_{1800};
  std::uint64_t last_rv_ = 0;
};

}  // namespace langop::localapi
