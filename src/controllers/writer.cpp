#include "langop/controllers/writer.hpp"

#include "langop/cjson/serialize.hpp"
#include "langop/controllers/desired_state.hpp"
#include "langop/controllers/status.hpp"
#include "langop/informer/cache_store.hpp"
#include "langop/kube/client.hpp"
#include "langop/kube/errc.hpp"
#include "langop/resources/common.hpp"

namespace langop::controllers {

namespace net = boost::asio;

std::string desired_hash(const json::object& desired) { return resources::content_hash(desired).substr(0, 16); }

bool child_up_to_date(const informer::cached_object& live, const json::object& desired, std::string_view hash) {
  auto stamped = live.root().at_path({"metadata", "annotations"}).find(applied_hash_annotation);
  return stamped.as_string() == hash && contains(live.root(), desired);
}

namespace {

void fill_identity(const kube::resource& r, json::object& o) {
  if (!o.contains("apiVersion")) o["apiVersion"] = r.api_version();
  if (!o.contains("kind")) o["kind"] = r.kind;
}

std::string_view meta(const json::object& o, std::string_view field) {
  if (auto* m = o.if_contains("metadata"); m && m->is_object())
    if (auto* v = m->as_object().if_contains(field); v && v->is_string()) return v->as_string();
  return {};
}

kube::patch_options apply_options() {
  kube::patch_options o;
  o.field_manager = std::string(resources::field_manager);
  o.force = true;
  return o;
}

// A Deployment switching its strategy type. To Recreate: the API server defaulted
// strategy.rollingUpdate while the type was RollingUpdate, nobody owns it, so an apply
// leaves it in place and the API server refuses the object ("may not be specified when
// strategy type is 'Recreate'"). Back to RollingUpdate (no strategy in the desired
// object): an apply that stops naming the type leaves Recreate in place. One merge patch
// sets the type (and drops rollingUpdate for Recreate); the API server defaults the rest.
std::optional<json::object> strategy_patch(const kube::resource& r, const informer::cached_object* live,
                                           const json::object& desired) {
  if (!live || r.kind != "Deployment") return std::nullopt;
  const auto* type = jsonu::find(desired, {"spec", "strategy", "type"});
  const std::string want = type && type->is_string() ? std::string(type->get_string()) : "RollingUpdate";
  const auto live_strategy = live->root().at_path({"spec", "strategy"});
  const bool stray_rolling_update = want == "Recreate" && live_strategy.find("rollingUpdate").exists();
  if (live_strategy.find("type").as_string("RollingUpdate") == want && !stray_rolling_update) return std::nullopt;
  json::object strategy{{"type", want}};
  if (want == "Recreate") strategy["rollingUpdate"] = nullptr;
  return json::object{{"spec", json::object{{"strategy", std::move(strategy)}}}};
}

}  // namespace

net::awaitable<result<child_write>> ensure_child(kube::client& client, const kube::resource& r,
                                                 const informer::cache_store& cache, json::object desired) {
  fill_identity(r, desired);
  const std::string hash = desired_hash(desired);
  const auto live = cache.get(meta(desired, "namespace"), meta(desired, "name"));
  if (live && (live->deleting() || child_up_to_date(*live, desired, hash))) co_return child_write::unchanged;
  jsonu::ensure_object(desired, {"metadata", "annotations"})[applied_hash_annotation] = hash;
  if (auto patch = strategy_patch(r, live.get(), desired)) {
    kube::patch_options o;
    o.field_manager = std::string(resources::field_manager);
    auto patched = co_await client.patch(r, meta(desired, "namespace"), meta(desired, "name"), kube::patch_type::merge,
                                         json::value(std::move(*patch)), o);
    if (!patched) co_return patched.error();
  }
  auto written = co_await client.apply(r, desired, apply_options());
  if (!written) co_return written.error();
  co_return live ? child_write::updated : child_write::created;
}

net::awaitable<result<bool>> delete_child(kube::client& client, const kube::resource& r,
                                          const informer::cache_store& cache, std::string_view ns,
                                          std::string_view name) {
  const auto live = cache.get(ns, name);
  if (!live || live->deleting()) co_return false;
  kube::delete_options o;
  o.propagation_policy = "Background";
  o.precondition_uid = std::string(live->uid());
  auto gone = co_await client.remove(r, ns, name, o);
  if (!gone && gone.error().code != kube::errc::not_found) co_return gone.error();
  co_return true;
}

namespace {

// {"status": desired} plus null for every live status key desired drops (merge patch
// semantics: null deletes).
json::object status_patch(cjson::value_view live, json::object desired) {
  for (auto m : live.members())
    if (!desired.contains(m.key)) desired[m.key] = nullptr;
  json::object patch;
  patch["status"] = std::move(desired);
  return patch;
}

}  // namespace

net::awaitable<result<bool>> write_status(kube::client& client, const kube::resource& r,
                                          const informer::cached_object& obj, json::object desired) {
  const auto live = obj["status"];
  if (same_status(live, desired)) co_return false;
  json::value body = status_patch(live, std::move(desired));
  auto written = co_await client.patch(r, obj.ns(), obj.name(), kube::patch_type::merge, body, {}, "status");
  if (!written) co_return written.error();
  co_return true;
}

bool has_finalizer(const informer::cached_object& obj) {
  for (auto f : obj.root().at_path({"metadata", "finalizers"}).elements())
    if (f.as_string() == resources::finalizer) return true;
  return false;
}

namespace {

json::value finalizer_patch(const informer::cached_object& obj, bool present) {
  json::array list;
  for (auto f : obj.root().at_path({"metadata", "finalizers"}).elements())
    if (f.as_string() != resources::finalizer) list.emplace_back(f.as_string());
  if (present) list.emplace_back(resources::finalizer);
  json::object m;
  m["finalizers"] = std::move(list);
  m["resourceVersion"] = obj.resource_version();  // optimistic concurrency: 409 when stale
  json::object patch;
  patch["metadata"] = std::move(m);
  return patch;
}

}  // namespace

net::awaitable<result<void>> set_finalizer(kube::client& client, const kube::resource& r,
                                           const informer::cached_object& obj, bool present) {
  if (has_finalizer(obj) == present) co_return result<void>{};
  const json::value body = finalizer_patch(obj, present);
  auto written = co_await client.patch(r, obj.ns(), obj.name(), kube::patch_type::merge, body);
  if (!written && !(written.error().code == kube::errc::not_found && !present)) co_return written.error();
  co_return result<void>{};
}

}  // namespace langop::controllers
