// The only places where controllers write to the API server. Each call first compares with
// what the informer cache already holds, so a reconcile that changes nothing issues zero
// writes (SPEC 1.1):
//   children  -> server-side apply (field manager "langop", force) when the cached child
//                lacks a desired field or was applied from a different desired state
//                (annotation langop.io/applied-hash: removals are caught too);
//   status    -> JSON merge patch on the status subresource when it differs;
//   finalizer -> merge patch of metadata.finalizers guarded by the resourceVersion.
#pragma once

#include "langop/core/error.hpp"
#include "langop/core/json.hpp"
#include "langop/informer/cached_object.hpp"
#include "langop/kube/api_call.hpp"

#include <boost/asio/awaitable.hpp>

#include <string_view>

namespace langop::kube {
class client;
}
namespace langop::informer {
class cache_store;
}

namespace langop::controllers {

inline constexpr std::string_view applied_hash_annotation = "langop.io/applied-hash";

enum class child_write { unchanged, created, updated };

// The hash stamped on an applied child: of `desired` as built (before the stamp).
[[nodiscard]] std::string desired_hash(const json::object& desired);
// True when `live` was applied from `desired` and still holds every desired field.
[[nodiscard]] bool child_up_to_date(const informer::cached_object& live, const json::object& desired,
                                    std::string_view hash);

// Applies `desired` (apiVersion/kind/metadata.name/namespace set by the builder, or
// filled in from `r`) unless `cache` shows it already is. A child whose cached copy is
// being deleted is left alone until it is gone.
[[nodiscard]] boost::asio::awaitable<result<child_write>> ensure_child(kube::client& client, const kube::resource& r,
                                                                       const informer::cache_store& cache,
                                                                       json::object desired);

// Deletes a child that should no longer exist (mode switch, HPA removed), if cached.
// Returns true when a delete was sent. Not found counts as done.
[[nodiscard]] boost::asio::awaitable<result<bool>> delete_child(kube::client& client, const kube::resource& r,
                                                                const informer::cache_store& cache,
                                                                std::string_view ns, std::string_view name);

// Writes `desired` as the whole status of `obj` unless it already is (same_status). Keys
// the live status has and `desired` lacks are removed. Returns true when written.
[[nodiscard]] boost::asio::awaitable<result<bool>> write_status(kube::client& client, const kube::resource& r,
                                                                const informer::cached_object& obj,
                                                                json::object desired);

// Adds / removes langop's finalizer (no-op when already so). A 409 means the cache was
// stale: the error is returned and the reconcile retried.
[[nodiscard]] bool has_finalizer(const informer::cached_object& obj);
[[nodiscard]] boost::asio::awaitable<result<void>> set_finalizer(kube::client& client, const kube::resource& r,
                                                                 const informer::cached_object& obj, bool present);

}  // namespace langop::controllers
