// Pieces every reconciler repeats: registering a controller, applying a list of children,
// and reporting a reference problem.
#pragma once

#include "background_checks.hpp"
#include "child_events.hpp"
#include "setup.hpp"

#include <chrono>
#include <optional>

namespace langop::controllers {

using reconcile_impl = reconcile_result (*)(std::shared_ptr<shared>, std::string);

// Adds the controller for a kind and makes it reconcile its own objects.
runtime::controller& add_kind_controller(shared& s, std::string name, informer::informer& primary,
                                         reconcile_impl fn);

// A change of an object of `source` reaches every object of `referrers` filed under its
// key ("ns/name", or the name when cluster-scoped) in index `index` of `referrers` — before
// and after the change, so a reference that was just removed still counts.
void watch_referrers(runtime::controller& c, informer::informer& source, const informer::informer& referrers,
                     std::string_view index);

// A LanguageCluster's change reaches every object of `objects` in its namespace (they
// may name it in spec.cluster).
void watch_clusters(shared& s, runtime::controller& c, const informer::informer& objects);

// Why the LanguageCluster named by spec.cluster (if any) does not manage the object's
// namespace (yet); `pending` tells a wait from an error. nullopt: fine.
[[nodiscard]] std::optional<std::string> cluster_mismatch(const shared& s, const informer::cached_object& obj,
                                                          bool& pending);

// Applies each child (in order) with its kind's resource and cache.
[[nodiscard]] boost::asio::awaitable<result<void>> apply_children(shared& s, const informer::cached_object& owner,
                                                                  std::vector<json::object> children);

// Applies `desired` when it has a value, else deletes the child `ns`/`name` if it exists.
[[nodiscard]] boost::asio::awaitable<result<void>> apply_or_remove(shared& s, const informer::cached_object& owner,
                                                                   const kube::resource& r,
                                                                   const informer::informer& cache,
                                                                   std::optional<json::object> desired,
                                                                   std::string ns, std::string name);

// Writes a waiting (waiting=true) or error status with `message` and records the phase
// change; the phase names differ per kind (CRD enums): LanguageModel waits in
// "Configuring", LanguageTool fails as "Failed".
[[nodiscard]] boost::asio::awaitable<result<runtime::action>> report_problem(shared& s, const kube::resource& r,
                                                                             const informer::cached_object& obj,
                                                                             bool waiting, std::string message,
                                                                             std::string phase_error = "Error",
                                                                             std::string phase_waiting = "Pending");

// Background checks of the objects of `primary` reconciled by `c`, reported in condition
// `condition_type`: an outcome re-enqueues the object (whose reconcile asks due_in() when to
// come back), and news (an outcome the condition does not already say: a first one, a
// success after a failure, another failure message) is an event — reason `condition_type`,
// or the Warning `failed_reason` — and a log line, so retries of the same failure and
// restarts of the operator record nothing.
[[nodiscard]] std::unique_ptr<background_checks> make_checks(shared& s, runtime::controller& c,
                                                             const informer::informer& primary,
                                                             std::string condition_type, std::string failed_reason);

// The sooner of two "look again in" delays, 0 meaning "nothing scheduled" (a requeue
// after 0 is no requeue: runtime::action).
[[nodiscard]] std::chrono::nanoseconds sooner(std::chrono::nanoseconds a, std::chrono::nanoseconds b) noexcept;

// The live condition `type` of the object, if it has one.
[[nodiscard]] std::optional<condition> live_condition(const informer::cached_object& obj, std::string_view type);

// The resource and cache for a child kind ("Deployment", "Service", ...).
struct child_kind {
  const kube::resource* resource = nullptr;
  const informer::informer* cache = nullptr;
};
[[nodiscard]] child_kind child_kind_of(const shared& s, std::string_view kind);

}  // namespace langop::controllers
