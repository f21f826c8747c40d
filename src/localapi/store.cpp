#include "langop/localapi/store.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>

namespace langop::localapi {
namespace {

std::string_view string_at(const json::object& o, std::string_view a, std::string_view b) {
  auto it = o.find(a);
  if (it == o.end() || !it->value().is_object()) return {};
  return jsonu::get_string(it->value().get_object(), b);
}

std::vector<std::string> owner_uids(const json::object* o) {
  std::vector<std::string> out;
  if (!o) return out;
  const auto* refs = jsonu::find(*o, {"metadata", "ownerReferences"});
  if (!refs || !refs->is_array()) return out;
  for (const auto& r : refs->get_array()) {
    if (!r.is_object()) continue;
    auto uid = jsonu::get_string(r.get_object(), "uid");
    if (!uid.empty()) out.emplace_back(uid);
  }
  return out;
}

}  // namespace

std::string object_key(std::string_view ns, std::string_view name) {
  if (ns.empty()) return std::string(name);
  std::string k;
  k.reserve(ns.size() + 1 + name.size());
  k.append(ns).append(1, '/').append(name);
  return k;
}

object_ptr collection::get(std::string_view key) const {
  auto it = objects_.find(key);
  return it == objects_.end() ? nullptr : it->second;
}

void collection::for_each(std::string_view ns, std::string_view after_key,
                          const std::function<bool(const object_ptr&)>& visit) const {
  std::string prefix = ns.empty() ? std::string() : std::string(ns) + "/";
  auto it = after_key.empty() ? objects_.lower_bound(prefix) : objects_.upper_bound(after_key);
  if (!after_key.empty() && !prefix.empty() && !std::string_view(after_key).starts_with(prefix))
    it = objects_.lower_bound(std::max<std::string_view>(prefix, after_key));
  for (; it != objects_.end(); ++it) {
    if (!prefix.empty() && !std::string_view(it->first).starts_with(prefix)) break;
    if (!visit(it->second)) return;
  }
}

std::optional<std::vector<event_ptr>> collection::events_since(std::uint64_t since) const {
  if (since < compacted_rv_) return std::nullopt;
  std::vector<event_ptr> out;
  auto it = std::upper_bound(history_.begin(), history_.end(), since,
                             [](std::uint64_t rv, const event_ptr& e) { return rv < e->rv; });
  out.assign(it, history_.end());
  return out;
}

void collection::unsubscribe(watch_sink* sink) { std::erase(sinks_, sink); }

void collection::record(event_ptr e) {
  history_.push_back(e);
  while (history_.size() > capacity_) {
    compacted_rv_ = history_.front()->rv;
    history_.pop_front();
  }
  // A sink may unsubscribe itself (or others) while being notified: iterate a copy.
  if (sinks_.size() == 1) {
    sinks_.front()->on_event(e);
  } else if (!sinks_.empty()) {
    auto sinks = sinks_;
    for (auto* s : sinks)
      if (std::find(sinks_.begin(), sinks_.end(), s) != sinks_.end()) s->on_event(e);
  }
}

void collection::compact(std::uint64_t up_to_rv) {
  while (!history_.empty() && history_.front()->rv <= up_to_rv) history_.pop_front();
  compacted_rv_ = std::max(compacted_rv_, up_to_rv);
}

collection& object_store::at(std::string_view storage) {
  auto it = collections_.find(storage);
  if (it == collections_.end())
    it = collections_.emplace(std::string(storage), std::make_unique<collection>(capacity_)).first;
  return *it->second;
}

const collection* object_store::find(std::string_view storage) const {
  auto it = collections_.find(storage);
  return it == collections_.end() ? nullptr : it->second.get();
}

object_ptr object_store::put(std::string_view storage, json::object object) {
  collection& c = at(storage);
  const std::uint64_t rv = ++rv_;
  auto& meta = jsonu::ensure_object(object, {"metadata"});
  meta["resourceVersion"] = std::to_string(rv);
  auto stored = std::make_shared<stored_object>();
  stored->key = object_key(string_at(object, "metadata", "namespace"), string_at(object, "metadata", "name"));
  stored->rv = rv;
  stored->json = json::serialize(object);
  stored->object = std::move(object);

  object_ptr previous;
  auto it = c.objects_.find(stored->key);
  if (it != c.objects_.end()) {
    previous = it->second;
    it->second = stored;
  } else {
    c.objects_.emplace(stored->key, stored);
  }
  object_ref ref{std::string(storage), stored->key};
  index_owners(ref, previous ? &previous->object : nullptr, &stored->object);
  auto uid = string_at(stored->object, "metadata", "uid");
  if (!uid.empty()) uids_.insert_or_assign(std::string(uid), ref);

  auto e = std::make_shared<store_event>(
      store_event{previous ? event_type::modified : event_type::added, rv, stored, previous});
  c.record(std::move(e));
  return stored;
}

object_ptr object_store::remove(std::string_view storage, std::string_view key) {
  collection& c = at(storage);
  auto it = c.objects_.find(key);
  if (it == c.objects_.end()) return nullptr;
  object_ptr previous = it->second;
  c.objects_.erase(it);
  const std::uint64_t rv = ++rv_;

  // The DELETED event carries the last state stamped with the deletion's RV, as
  // kube-apiserver does, so watchers can resume from it.
  auto final_state = std::make_shared<stored_object>();
  final_state->object = previous->object;
  final_state->object["metadata"].as_object()["resourceVersion"] = std::to_string(rv);
  final_state->json = json::serialize(final_state->object);
  final_state->rv = rv;
  final_state->key = previous->key;

  object_ref ref{std::string(storage), previous->key};
  index_owners(ref, &previous->object, nullptr);
  auto uid = string_at(previous->object, "metadata", "uid");
  if (!uid.empty()) uids_.erase(std::string(uid));

  c.record(std::make_shared<store_event>(store_event{event_type::deleted, rv, final_state, previous}));
  return final_state;
}

void object_store::compact_all() {
  for (auto& [name, c] : collections_) c->compact(rv_);
}

void object_store::index_owners(const object_ref& ref, const json::object* before, const json::object* after) {
  auto old_uids = owner_uids(before);
  auto new_uids = owner_uids(after);
  for (const auto& u : old_uids) {
    if (std::find(new_uids.begin(), new_uids.end(), u) != new_uids.end()) continue;
    auto it = dependents_.find(u);
    if (it == dependents_.end()) continue;
    it->second.erase(ref);
    if (it->second.empty()) dependents_.erase(it);
  }
  for (const auto& u : new_uids) dependents_[u].insert(ref);
}

std::vector<object_store::object_ref> object_store::dependents_of(std::string_view uid) const {
  auto it = dependents_.find(std::string(uid));
  if (it == dependents_.end()) return {};
  std::vector<object_ref> out(it->second.begin(), it->second.end());
  std::sort(out.begin(), out.end(),
            [](const object_ref& a, const object_ref& b) { return std::tie(a.storage, a.key) < std::tie(b.storage, b.key); });
  return out;
}

std::optional<object_store::object_ref> object_store::find_uid(std::string_view uid) const {
  auto it = uids_.find(std::string(uid));
  if (it == uids_.end()) return std::nullopt;
  return it->second;
}

std::vector<std::string> object_store::storages() const {
  std::vector<std::string> out;
  for (const auto& [name, c] : collections_) out.push_back(name);
  return out;
}

std::size_t object_store::object_count() const noexcept {
  std::size_t n = 0;
  for (const auto& [name, c] : collections_) n += c->size();
  return n;
}

}  // namespace langop::localapi
