// What kube-controller-manager would do after a delete: the garbage collector
// (ownerReferences, foreground and orphan finalizers) and the namespace controller.
#include "apiserver_internal.hpp"

#include <algorithm>

namespace langop::localapi {
namespace {

json::object without_finalizer(json::object o, std::string_view name) {
  auto* f = jsonu::find(o, {"metadata", "finalizers"});
  if (f && f->is_array()) {
    auto& arr = f->get_array();
    arr.erase(std::remove_if(arr.begin(), arr.end(),
                             [&](const json::value& v) { return v.is_string() && v.get_string() == name; }),
              arr.end());
    if (arr.empty()) metadata_of(o).erase("finalizers");
  }
  return o;
}

bool refers_blocking(const json::object& dependent, std::string_view owner_uid) {
  const auto* refs = jsonu::find(dependent, {"metadata", "ownerReferences"});
  if (!refs || !refs->is_array()) return false;
  for (const auto& r : refs->get_array())
    if (r.is_object() && jsonu::get_string(r.get_object(), "uid") == owner_uid &&
        jsonu::get_bool(r, {"blockOwnerDeletion"}).value_or(false))
      return true;
  return false;
}

}  // namespace

void apiserver::enqueue_gc(gc_item item) {
  if (item.id.empty()) return;
  if (gc_pending_.emplace(static_cast<int>(item.what), item.id).second) gc_queue_.push_back(std::move(item));
}

bool apiserver::run_background_step() {
  if (gc_queue_.empty()) return false;
  gc_item item = std::move(gc_queue_.front());
  gc_queue_.pop_front();
  gc_pending_.erase({static_cast<int>(item.what), item.id});
  switch (item.what) {
    case gc_item::kind::owner_gone: gc_owner_gone(item.id); break;
    case gc_item::kind::foreground: gc_foreground(item.id); break;
    case gc_item::kind::orphan: gc_orphan(item.id); break;
    case gc_item::kind::namespace_cleanup: gc_namespace(item.id); break;
  }
  return true;
}

void apiserver::run_background_until_idle() {
  // Bounded: each step removes work or waits on finalizers that only clients remove.
  for (int i = 0; i < 1000000 && run_background_step(); ++i) {
  }
}

void apiserver::gc_owner_gone(const std::string& uid) {
  if (store_.find_uid(uid)) return;  // the owner came back (same uid cannot, but be safe)
  json::object background;
  background["propagationPolicy"] = "Background";
  for (const auto& ref : store_.dependents_of(uid)) {
    auto type = types_.find_storage(ref.storage);
    if (!type) continue;
    auto obj = store_.at(ref.storage).get(ref.key);
    if (!obj || !meta_string(obj->object, "deletionTimestamp").empty()) continue;
    // A dependent with another live owner stays.
    bool other_owner = false;
    if (const auto* refs = jsonu::find(obj->object, {"metadata", "ownerReferences"}); refs && refs->is_array())
      for (const auto& r : refs->get_array()) {
        auto other = r.is_object() ? jsonu::get_string(r.get_object(), "uid") : std::string_view();
        if (!other.empty() && other != uid && store_.find_uid(other)) other_owner = true;
      }
    if (!other_owner) (void)delete_object(*type, obj, background, false);
  }
}

void apiserver::gc_foreground(const std::string& uid) {
  auto where = store_.find_uid(uid);
  if (!where) return;
  auto type = types_.find_storage(where->storage);
  auto owner = store_.at(where->storage).get(where->key);
  if (!type || !owner || !has_finalizer(owner->object, "foregroundDeletion")) return;
  json::object foreground;
  foreground["propagationPolicy"] = "Foreground";
  bool blocked = false;
  for (const auto& ref : store_.dependents_of(uid)) {
    auto dtype = types_.find_storage(ref.storage);
    auto dep = store_.at(ref.storage).get(ref.key);
    if (!dtype || !dep) continue;
    if (meta_string(dep->object, "deletionTimestamp").empty()) (void)delete_object(*dtype, dep, foreground, false);
    auto still = store_.at(ref.storage).get(ref.key);
    if (still && refers_blocking(still->object, uid)) blocked = true;
  }
  if (!blocked) {
    auto current = store_.at(where->storage).get(where->key);
    if (current) update_internal(*type, current, without_finalizer(current->object, "foregroundDeletion"));
  }
}

void apiserver::gc_orphan(const std::string& uid) {
  auto where = store_.find_uid(uid);
  if (!where) return;
  auto type = types_.find_storage(where->storage);
  auto owner = store_.at(where->storage).get(where->key);
  if (!type || !owner || !has_finalizer(owner->object, "orphan")) return;
  for (const auto& ref : store_.dependents_of(uid)) {
    auto dtype = types_.find_storage(ref.storage);
    auto dep = store_.at(ref.storage).get(ref.key);
    if (!dtype || !dep) continue;
    json::object next = dep->object;
    auto* refs = jsonu::find(next, {"metadata", "ownerReferences"});
    if (!refs || !refs->is_array()) continue;
    auto& arr = refs->get_array();
    arr.erase(std::remove_if(arr.begin(), arr.end(),
                             [&](const json::value& r) {
                               return r.is_object() && jsonu::get_string(r.get_object(), "uid") == uid;
                             }),
              arr.end());
    if (arr.empty()) metadata_of(next).erase("ownerReferences");
    update_internal(*dtype, dep, std::move(next));
  }
  auto current = store_.at(where->storage).get(where->key);
  if (current) update_internal(*type, current, without_finalizer(current->object, "orphan"));
}

void apiserver::gc_namespace(const std::string& ns) {
  auto ns_obj = store_.at("/namespaces").get(ns);
  if (!ns_obj || meta_string(ns_obj->object, "deletionTimestamp").empty()) return;
  json::object background;
  background["propagationPolicy"] = "Background";
  bool remaining = false;
  for (const auto& storage : store_.storages()) {
    auto type = types_.find_storage(storage);
    if (!type || !type->namespaced) continue;
    std::vector<object_ptr> content;
    store_.at(storage).for_each(ns, "", [&](const object_ptr& o) {
      content.push_back(o);
      return true;
    });
    for (const auto& o : content) {
      if (meta_string(o->object, "deletionTimestamp").empty()) (void)delete_object(*type, o, background, false);
      if (store_.at(storage).get(o->key)) remaining = true;
    }
  }
  if (remaining) return;  // objects with finalizers: re-checked when they go
  auto ns_type = types_.find_storage("/namespaces");
  auto current = store_.at("/namespaces").get(ns);
  if (ns_type && current) remove_now(*ns_type, current);
}

}  // namespace langop::localapi
