// The informer's per-kind cache (PURE): objects by namespace/name, the diff of every
// mutation for the event handlers, and incrementally maintained secondary indexes.
//
// Single-threaded like the rest of the operator. Objects are immutable and shared: a
// reconciler may hold an object_ptr across a mutation of the store and keep reading it.
// Callbacks passed to for_each*() must not mutate the store.
#pragma once

#include "langop/informer/cached_object.hpp"
#include "langop/informer/detail/id_set.hpp"
#include "langop/informer/index_keys.hpp"

#include <boost/unordered/unordered_flat_map.hpp>
#include <boost/unordered/unordered_flat_set.hpp>

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace langop::informer {

enum class change_type : std::uint8_t { added, modified, unchanged, deleted };

// What a mutation did. added: previous null; deleted: current null; unchanged: both the
// cached object (the incoming copy was dropped).
struct change {
  change_type type = change_type::unchanged;
  object_ptr previous;
  object_ptr current;
};

class cache_store final {
 public:
  static constexpr std::string_view namespace_index = "namespace";
  static constexpr std::string_view owner_index = "owner";  // controller ownerReference uid

  cache_store();
  // The lookup table hashes through slots_, so the store stays where it was built.
  cache_store(const cache_store&) = delete;
  cache_store& operator=(const cache_store&) = delete;

  [[nodiscard]] object_ptr get(std::string_view ns, std::string_view name) const;
  [[nodiscard]] std::size_t size() const noexcept { return map_.size(); }

  // Every object (order unspecified).
  template <class Fn>
  void for_each(Fn&& fn) const {
    for (const auto& o : slots_) {
      if (o) fn(*o);
    }
  }
  // Objects in namespace `ns` ("" = cluster-scoped objects), via the namespace index.
  template <class Fn>
  void for_each(std::string_view ns, Fn&& fn) const {
    for_each_indexed(namespace_index, ns, std::forward<Fn>(fn));
  }

  // An ADDED/MODIFIED event or a single fresh read. A resourceVersion equal to the cached
  // one is `unchanged` (the cached object stays); objects without one compare by content.
  change apply(object_ptr obj);
  // A DELETED event: the removed object, or null when it was not cached.
  object_ptr remove(std::string_view ns, std::string_view name);
  // A relist: the store becomes exactly `objects`, atomically. Returns only real
  // differences: added, modified (resourceVersion changed), deleted (absent from the list).
  std::vector<change> replace(std::vector<object_ptr> objects);

  // Adds an index (built over the current objects at once, then kept up to date by every
  // mutation). Returns false if `name` exists.
  bool add_index(std::string name, index_fn fn);
  // Objects filed under `key` in index `name` (order unspecified); empty when unknown.
  [[nodiscard]] std::vector<object_ptr> by_index(std::string_view name, std::string_view key) const;
  template <class Fn>
  void for_each_indexed(std::string_view name, std::string_view key, Fn&& fn) const {
    if (const detail::id_set* ids = bucket(name, key)) ids->for_each([&](std::uint32_t id) { fn(*slots_[id]); });
  }
  [[nodiscard]] std::size_t index_size(std::string_view name, std::string_view key) const {
    const detail::id_set* ids = bucket(name, key);
    return ids ? ids->size() : 0;
  }

  // Heap bytes held: documents, objects, tables and indexes, with malloc overhead (the
  // shared key table is not included: see key_table::approx_bytes()).
  [[nodiscard]] std::size_t approx_bytes() const noexcept { return object_bytes_ + table_bytes(); }
  // The two parts of approx_bytes(): the objects (kept exact on every change, O(1)) and the
  // slot, name and index tables (a walk over every index bucket, O(n)).
  [[nodiscard]] std::size_t object_bytes() const noexcept { return object_bytes_; }
  [[nodiscard]] std::size_t table_bytes() const noexcept;
  // Sum of the objects' raw JSON sizes, for the bytes-per-raw-byte ratio.
  [[nodiscard]] std::size_t raw_bytes() const noexcept { return raw_bytes_; }

 private:
  struct name_ref {
    std::string_view ns, name;
  };
  // Hash/equality of slot ids through the object in the slot, with name_ref lookups: the
  // table stores 4-byte ids and the key strings live only in the objects themselves.
  struct slot_hash {
    using is_transparent = void;
    const std::vector<object_ptr>* slots;
    [[nodiscard]] std::size_t operator()(std::uint32_t id) const noexcept;
    [[nodiscard]] std::size_t operator()(const name_ref& r) const noexcept;
  };
  struct slot_eq {
    using is_transparent = void;
    const std::vector<object_ptr>* slots;
    [[nodiscard]] bool operator()(std::uint32_t a, std::uint32_t b) const noexcept { return a == b; }
    [[nodiscard]] bool operator()(const name_ref& r, std::uint32_t id) const noexcept;
    [[nodiscard]] bool operator()(std::uint32_t id, const name_ref& r) const noexcept { return (*this)(r, id); }
  };
  struct string_hash {
    using is_transparent = void;
    [[nodiscard]] std::size_t operator()(std::string_view s) const noexcept;
  };
  struct string_eq {
    using is_transparent = void;
    [[nodiscard]] bool operator()(std::string_view a, std::string_view b) const noexcept { return a == b; }
  };
  using bucket_map = boost::unordered_flat_map<std::string, detail::id_set, string_hash, string_eq>;
  struct index {
    std::string name;
    index_fn fn;
    bucket_map buckets;
  };

  std::uint32_t insert_new(object_ptr obj);
  change apply_at(object_ptr obj, std::uint32_t& slot);
  void erase_at(std::uint32_t slot);
  void file(index& ix, std::uint32_t slot, const index_keys& keys);
  void unfile(index& ix, std::uint32_t slot, const index_keys& keys);
  void reindex(std::uint32_t slot, const cached_object& before, const cached_object& after);
  [[nodiscard]] const index* find_index(std::string_view name) const noexcept;
  [[nodiscard]] const detail::id_set* bucket(std::string_view name, std::string_view key) const;

  std::vector<object_ptr> slots_;      // slot id -> object; null when free
  std::vector<std::uint32_t> free_;    // reusable slot ids
  boost::unordered_flat_set<std::uint32_t, slot_hash, slot_eq> map_;
  std::vector<index> indexes_;
  std::size_t raw_bytes_ = 0;
  std::size_t object_bytes_ = 0;
  index_keys scratch_a_, scratch_b_;  // reused by index maintenance
};

}  // namespace langop::informer
