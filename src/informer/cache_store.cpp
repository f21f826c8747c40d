#include "langop/informer/cache_store.hpp"

#include "langop/cjson/compare.hpp"
#include "langop/cjson/detail/fast_hash.hpp"

#include <algorithm>

namespace langop::informer {
namespace {

std::size_t hash_name(std::string_view ns, std::string_view name) noexcept {
  return cjson::detail::hash_string(name, cjson::detail::hash_string(ns));
}

// Same version: equal non-empty resourceVersions, or (objects built without one, e.g. in
// tests or from a local fixture) equal content.
bool same_version(const cached_object& a, const cached_object& b) {
  if (!a.resource_version().empty() || !b.resource_version().empty()) {
    return a.resource_version() == b.resource_version();
  }
  return a.root() == b.root();
}

// Flat hash containers: slots of `value_size` bytes plus 16 bytes of metadata per 15.
std::size_t flat_table_bytes(std::size_t buckets, std::size_t value_size) noexcept {
  return buckets ? malloc_footprint(buckets * value_size + (buckets / 15 + 1) * 16) : 0;
}

}  // namespace

std::size_t cache_store::slot_hash::operator()(std::uint32_t id) const noexcept {
  const cached_object& o = *(*slots)[id];
  return hash_name(o.ns(), o.name());
}
std::size_t cache_store::slot_hash::operator()(const name_ref& r) const noexcept { return hash_name(r.ns, r.name); }
bool cache_store::slot_eq::operator()(const name_ref& r, std::uint32_t id) const noexcept {
  const cached_object& o = *(*slots)[id];
  return o.name() == r.name && o.ns() == r.ns;
}
std::size_t cache_store::string_hash::operator()(std::string_view s) const noexcept {
  return cjson::detail::hash_string(s);
}

cache_store::cache_store() : map_(0, slot_hash{&slots_}, slot_eq{&slots_}) {
  add_index(std::string(namespace_index), [](const cached_object& o, index_keys& k) { k.add(o.ns()); });
  add_index(std::string(owner_index), [](const cached_object& o, index_keys& k) {
    if (!o.controller_uid().empty()) k.add(o.controller_uid());
  });
}

object_ptr cache_store::get(std::string_view ns, std::string_view name) const {
  const auto it = map_.find(name_ref{ns, name});
  return it == map_.end() ? nullptr : slots_[*it];
}

std::uint32_t cache_store::insert_new(object_ptr obj) {
  std::uint32_t slot;
  if (!free_.empty()) {
    slot = free_.back();
    free_.pop_back();
  } else {
    slot = static_cast<std::uint32_t>(slots_.size());
    slots_.emplace_back();
  }
  raw_bytes_ += obj->raw_size();
  object_bytes_ += obj->approx_bytes();
  slots_[slot] = std::move(obj);  // before insert: the table hashes through the slot
  map_.insert(slot);
  for (auto& ix : indexes_) {
    scratch_a_.clear();
    ix.fn(*slots_[slot], scratch_a_);
    scratch_a_.normalize();
    file(ix, slot, scratch_a_);
  }
  return slot;
}

change cache_store::apply_at(object_ptr obj, std::uint32_t& slot) {
  const auto it = map_.find(name_ref{obj->ns(), obj->name()});
  if (it == map_.end()) {
    slot = insert_new(obj);
    return {change_type::added, nullptr, std::move(obj)};
  }
  slot = *it;
  object_ptr old = slots_[slot];
  if (same_version(*old, *obj)) return {change_type::unchanged, old, old};
  raw_bytes_ += obj->raw_size();
  raw_bytes_ -= old->raw_size();
  object_bytes_ += obj->approx_bytes();
  object_bytes_ -= old->approx_bytes();
  slots_[slot] = obj;  // same ns/name: the slot's hash is unchanged
  reindex(slot, *old, *obj);
  return {change_type::modified, std::move(old), std::move(obj)};
}

change cache_store::apply(object_ptr obj) {
  if (!obj) return {};
  std::uint32_t slot = 0;
  return apply_at(std::move(obj), slot);
}

void cache_store::erase_at(std::uint32_t slot) {
  const cached_object& o = *slots_[slot];
  for (auto& ix : indexes_) {
    scratch_a_.clear();
    ix.fn(o, scratch_a_);
    scratch_a_.normalize();
    unfile(ix, slot, scratch_a_);
  }
  map_.erase(slot);  // hashes through the slot: erase before clearing it
  raw_bytes_ -= o.raw_size();
  object_bytes_ -= o.approx_bytes();
  slots_[slot].reset();
  free_.push_back(slot);
}

object_ptr cache_store::remove(std::string_view ns, std::string_view name) {
  const auto it = map_.find(name_ref{ns, name});
  if (it == map_.end()) return nullptr;
  const std::uint32_t slot = *it;
  object_ptr old = slots_[slot];
  erase_at(slot);
  return old;
}

std::vector<change> cache_store::replace(std::vector<object_ptr> objects) {
  std::vector<change> out;
  std::vector<bool> seen(slots_.size(), false);
  for (auto& obj : objects) {
    if (!obj) continue;
    std::uint32_t slot = 0;
    change c = apply_at(std::move(obj), slot);
    if (slot >= seen.size()) seen.resize(slot + 1, false);
    seen[slot] = true;
    if (c.type != change_type::unchanged) out.push_back(std::move(c));
  }
  for (std::uint32_t slot = 0; slot < slots_.size(); ++slot) {
    if (!slots_[slot] || (slot < seen.size() && seen[slot])) continue;
    object_ptr old = slots_[slot];
    erase_at(slot);
    out.push_back({change_type::deleted, std::move(old), nullptr});
  }
  return out;
}

void cache_store::file(index& ix, std::uint32_t slot, const index_keys& keys) {
  for (std::size_t i = 0; i < keys.size(); ++i) {
    auto it = ix.buckets.find(keys[i]);
    if (it == ix.buckets.end()) it = ix.buckets.emplace(std::string(keys[i]), detail::id_set{}).first;
    it->second.insert(slot);
  }
}

void cache_store::unfile(index& ix, std::uint32_t slot, const index_keys& keys) {
  for (std::size_t i = 0; i < keys.size(); ++i) {
    auto it = ix.buckets.find(keys[i]);
    if (it == ix.buckets.end()) continue;
    it->second.erase(slot);
    if (it->second.empty()) ix.buckets.erase(it);
  }
}

// Moves the slot between buckets only where the key sets differ (usually they do not).
void cache_store::reindex(std::uint32_t slot, const cached_object& before, const cached_object& after) {
  for (auto& ix : indexes_) {
    scratch_a_.clear();
    scratch_b_.clear();
    ix.fn(before, scratch_a_);
    ix.fn(after, scratch_b_);
    scratch_a_.normalize();
    scratch_b_.normalize();
    std::size_t i = 0, j = 0;
    index_keys gone, added;
    while (i < scratch_a_.size() || j < scratch_b_.size()) {
      if (j == scratch_b_.size() || (i < scratch_a_.size() && scratch_a_[i] < scratch_b_[j])) {
        gone.add(scratch_a_[i++]);
      } else if (i == scratch_a_.size() || scratch_b_[j] < scratch_a_[i]) {
        added.add(scratch_b_[j++]);
      } else {
        ++i;
        ++j;
      }
    }
    if (!gone.empty()) unfile(ix, slot, gone);
    if (!added.empty()) file(ix, slot, added);
  }
}

bool cache_store::add_index(std::string name, index_fn fn) {
  if (find_index(name)) return false;
  indexes_.push_back({std::move(name), std::move(fn), {}});
  index& ix = indexes_.back();
  for (std::uint32_t slot = 0; slot < slots_.size(); ++slot) {
    if (!slots_[slot]) continue;
    scratch_a_.clear();
    ix.fn(*slots_[slot], scratch_a_);
    scratch_a_.normalize();
    file(ix, slot, scratch_a_);
  }
  return true;
}

const cache_store::index* cache_store::find_index(std::string_view name) const noexcept {
  for (const auto& ix : indexes_) {
    if (ix.name == name) return &ix;
  }
  return nullptr;
}

const detail::id_set* cache_store::bucket(std::string_view name, std::string_view key) const {
  const index* ix = find_index(name);
  if (!ix) return nullptr;
  const auto it = ix->buckets.find(key);
  return it == ix->buckets.end() ? nullptr : &it->second;
}

std::vector<object_ptr> cache_store::by_index(std::string_view name, std::string_view key) const {
  std::vector<object_ptr> out;
  if (const detail::id_set* ids = bucket(name, key)) {
    out.reserve(ids->size());
    ids->for_each([&](std::uint32_t id) { out.push_back(slots_[id]); });
  }
  return out;
}

std::size_t cache_store::table_bytes() const noexcept {
  std::size_t n = 0;
  n += slots_.capacity() ? malloc_footprint(slots_.capacity() * sizeof(object_ptr)) : 0;
  n += free_.capacity() ? malloc_footprint(free_.capacity() * sizeof(std::uint32_t)) : 0;
  n += flat_table_bytes(map_.bucket_count(), sizeof(std::uint32_t));
  for (const auto& ix : indexes_) {
    n += flat_table_bytes(ix.buckets.bucket_count(), sizeof(bucket_map::value_type));
    for (const auto& [key, ids] : ix.buckets) {
      if (key.capacity() > 15) n += malloc_footprint(key.capacity() + 1);  // beyond SSO
      n += ids.heap_bytes();
    }
  }
  return n;
}

}  // namespace langop::informer
