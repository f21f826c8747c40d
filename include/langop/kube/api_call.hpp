// Kubernetes REST request builders (PURE): a verb on a resource becomes the method,
// path + query, content type and body to send. No I/O; tested as string goldens.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <utility>

namespace langop::kube {

// What a REST path needs to know about a kind.
struct resource {
  std::string group;    // "" for the core group
  std::string version;  // "v1"
  std::string plural;   // "deployments"
  std::string kind;     // "Deployment"
  bool namespaced = true;

  [[nodiscard]] std::string api_version() const { return group.empty() ? version : group + "/" + version; }
  // "deployments.apps" (how kube names a group/resource in messages)
  [[nodiscard]] std::string group_resource() const { return group.empty() ? plural : plural + "." + group; }
};

struct list_options {
  list_options() = default;  // not an aggregate: see api_call
  std::string label_selector;
  std::string field_selector;
  std::int64_t limit = 0;  // 0: no paging
  std::string continue_token;
  std::string resource_version;        // "" (consistent read) or "0" (any)
  std::string resource_version_match;  // "", NotOlderThan, Exact
};

struct watch_options {
  watch_options() = default;  // not an aggregate: see api_call
  std::string resource_version;  // resume point; "" or "0" start with the current state
  bool allow_bookmarks = true;
  std::int64_t timeout_seconds = 0;  // 0: the server's default
  std::string label_selector;
  std::string field_selector;
};

struct write_options {
  write_options() = default;  // not an aggregate: see api_call
  std::string field_manager = "langop";
  bool dry_run = false;
  std::string field_validation;  // "", Ignore, Warn, Strict
};

enum class patch_type { merge, json, strategic, apply };

struct patch_options : write_options {
  patch_options() = default;  // not an aggregate: see api_call
  bool force = false;  // server-side apply: take ownership of conflicting fields
};

struct delete_options {
  delete_options() = default;  // not an aggregate: see api_call
  std::string propagation_policy;  // "", Background, Foreground, Orphan
  std::string precondition_uid;
  std::string precondition_resource_version;
  bool dry_run = false;
};

// Not an aggregate on purpose: GCC 12 destroys a braced aggregate temporary passed by
// value to a coroutine twice (`co_await client.send(api_call{...})`); a constructor
// makes the same call correct.
struct api_call {
  api_call() = default;
  api_call(std::string verb_, std::string method_, std::string target_, std::string content_type_ = {},
           std::string body_ = {}, bool watch_ = false, std::string describe_ = {})
      : verb(std::move(verb_)), method(std::move(method_)), target(std::move(target_)),
        content_type(std::move(content_type_)), body(std::move(body_)), watch(watch_),
        describe(std::move(describe_)) {}

  std::string verb;    // get, list, watch, create, update, patch, delete (for metrics)
  std::string method;  // GET, POST, PUT, PATCH, DELETE
  std::string target;  // path + query
  std::string content_type;
  std::string body;
  bool watch = false;
  std::string describe;  // "get configmaps default/x", for messages and logs
};

[[nodiscard]] std::string collection_path(const resource& r, std::string_view ns);
[[nodiscard]] std::string item_path(const resource& r, std::string_view ns, std::string_view name,
                                    std::string_view subresource = {});
// RFC 3986 percent-encoding of a query component.
[[nodiscard]] std::string query_escape(std::string_view s);
[[nodiscard]] std::string_view content_type(patch_type t) noexcept;

[[nodiscard]] api_call get_call(const resource& r, std::string_view ns, std::string_view name,
                                std::string_view subresource = {});
[[nodiscard]] api_call list_call(const resource& r, std::string_view ns, const list_options& o);
[[nodiscard]] api_call watch_call(const resource& r, std::string_view ns, const watch_options& o);
[[nodiscard]] api_call create_call(const resource& r, std::string_view ns, std::string body, const write_options& o);
[[nodiscard]] api_call update_call(const resource& r, std::string_view ns, std::string_view name, std::string body,
                                   const write_options& o, std::string_view subresource = {});
[[nodiscard]] api_call patch_call(const resource& r, std::string_view ns, std::string_view name, patch_type type,
                                  std::string body, const patch_options& o, std::string_view subresource = {});
[[nodiscard]] api_call delete_call(const resource& r, std::string_view ns, std::string_view name,
                                   const delete_options& o);

}  // namespace langop::kube
