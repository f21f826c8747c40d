#include "child_events.hpp"

#include "langop/controllers/kinds.hpp"
#include "langop/kube/errc.hpp"
#include "reconcile_common.hpp"

namespace langop::controllers {

namespace net = boost::asio;

namespace {

// The API server refuses this child as it is (422 Invalid, 413 too large, 400): sending it
// again cannot help until the owner's spec (or what it references) changes.
bool rejected(const error& e) {
  return kube::is(e, kube::errc::invalid) || kube::is(e, kube::errc::request_too_large) ||
         kube::is(e, kube::errc::bad_request);
}

// The owner's resource and the phase its CRD calls an error.
std::pair<const kube::resource*, std::string> owner_kind(const informer::cached_object& owner) {
  const auto kind = owner["kind"].as_string();
  for (const auto* r : {&kinds::cluster, &kinds::model, &kinds::persona, &kinds::client})
    if (r->kind == kind) return {r, "Error"};
  for (const auto* r : {&kinds::tool, &kinds::agent})
    if (r->kind == kind) return {r, "Failed"};
  return {nullptr, {}};
}

// A refused child is the owner's problem to fix: its status says which child and why, a
// Warning event too, and the reconcile ends with a terminal error (no retry loop; the
// next change of the owner or its references tries again).
net::awaitable<result<void>> report_rejected(shared& s, const informer::cached_object& owner, const kube::resource& r,
                                             const std::string& child_name, const error& e) {
  std::string why = e.message.size() > 600 ? e.message.substr(0, 600) + "..." : e.message;
  std::string message = r.kind + " " + child_name + " was rejected by the API server: " + why;
  s.events.warning(target_of(owner), "ChildRejected", message);
  auto [owner_resource, error_phase] = owner_kind(owner);
  if (owner_resource)
    if (auto w = co_await report_problem(s, *owner_resource, owner, false, message, error_phase); !w)
      co_return w.error();
  co_return runtime::terminal_error(std::move(message));
}

}  // namespace

net::awaitable<result<void>> apply_child(shared& s, const informer::cached_object& owner, const kube::resource& r,
                                         const informer::informer& cache, json::object desired) {
  std::string child_name;
  if (auto* m = desired.if_contains("metadata"); m && m->is_object())
    if (auto* n = m->as_object().if_contains("name"); n && n->is_string()) child_name = n->as_string();
  auto w = co_await ensure_child(s.client, r, cache.store(), std::move(desired));
  if (!w && rejected(w.error())) co_return co_await report_rejected(s, owner, r, child_name, w.error());
  if (!w) co_return w.error();
  if (*w == child_write::created)
    s.events.normal(target_of(owner), "Created", "Created " + r.kind + " " + child_name);
  else if (*w == child_write::updated)
    s.events.normal(target_of(owner), "Updated", "Updated " + r.kind + " " + child_name);
  co_return result<void>{};
}

net::awaitable<result<void>> remove_child(shared& s, const informer::cached_object& owner, const kube::resource& r,
                                          const informer::informer& cache, std::string_view ns, std::string_view name) {
  auto d = co_await delete_child(s.client, r, cache.store(), ns, name);
  if (!d) co_return d.error();
  if (*d) s.events.normal(target_of(owner), "Deleted", "Deleted " + r.kind + " " + std::string(name));
  co_return result<void>{};
}

}  // namespace langop::controllers
