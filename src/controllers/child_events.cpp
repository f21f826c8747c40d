#include "child_events.hpp"

namespace langop::controllers {

namespace net = boost::asio;

net::awaitable<result<void>> apply_child(shared& s, const informer::cached_object& owner, const kube::resource& r,
                                         const informer::informer& cache, json::object desired) {
  std::string child_name;
  if (auto* m = desired.if_contains("metadata"); m && m->is_object())
    if (auto* n = m->as_object().if_contains("name"); n && n->is_string()) child_name = n->as_string();
  auto w = co_await ensure_child(s.client, r, cache.store(), std::move(desired));
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
