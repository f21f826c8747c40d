// In-memory object storage of the local API server (PURE: no I/O, single-threaded):
// one collection per group/resource, a global monotonically increasing
// resourceVersion, a bounded per-collection event history for watch resumption, an
// owner index for garbage collection, and synchronous fan-out to watch sinks.
#pragma once

#include "langop/core/json.hpp"

#include <cstdint>
#include <deque>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <unordered_map>
#include <unordered_set>
#include <vector>

namespace langop::localapi {

// An object as committed: immutable, its JSON rendered once (responses, lists and
// watch events reuse the text instead of serializing again).
struct stored_object {
  json::object object;
  std::string json;
  std::uint64_t rv = 0;
  std::string key;  // "namespace/name", or "name" for cluster-scoped objects
};
using object_ptr = std::shared_ptr<const stored_object>;

enum class event_type { added, modified, deleted };

struct store_event {
  event_type type;
  std::uint64_t rv;
  object_ptr object;    // new state (for deleted: the final state, stamped with the deletion RV)
  object_ptr previous;  // null for added
};
using event_ptr = std::shared_ptr<const store_event>;

// Receives every committed event of a collection, synchronously, in RV order.
class watch_sink {
 public:
  virtual ~watch_sink() = default;
  virtual void on_event(const event_ptr& e) = 0;
};

[[nodiscard]] std::string object_key(std::string_view ns, std::string_view name);

class collection final {
 public:
  using object_map = std::map<std::string, object_ptr, std::less<>>;

  explicit collection(std::size_t history_capacity) : capacity_(history_capacity) {}

  [[nodiscard]] object_ptr get(std::string_view key) const;
  [[nodiscard]] const object_map& objects() const noexcept { return objects_; }
  [[nodiscard]] std::size_t size() const noexcept { return objects_.size(); }
  // Objects of one namespace ("" = all), in key order, starting after `after_key` when set.
  void for_each(std::string_view ns, std::string_view after_key,
                const std::function<bool(const object_ptr&)>& visit) const;

  // Events with rv > `since`, or nullopt when some of them were already evicted
  // ("too old resource version").
  [[nodiscard]] std::optional<std::vector<event_ptr>> events_since(std::uint64_t since) const;
  // The newest RV whose events are no longer retained (0 = nothing evicted yet).
  [[nodiscard]] std::uint64_t compacted_rv() const noexcept { return compacted_rv_; }

  void subscribe(watch_sink* sink) { sinks_.push_back(sink); }
  void unsubscribe(watch_sink* sink);
  [[nodiscard]] std::size_t watcher_count() const noexcept { return sinks_.size(); }

 private:
  friend class object_store;
  void record(event_ptr e);
  void compact(std::uint64_t up_to_rv);

  object_map objects_;
  std::deque<event_ptr> history_;
  std::size_t capacity_;
  std::uint64_t compacted_rv_ = 0;
  std::vector<watch_sink*> sinks_;
};

class object_store final {
 public:
  explicit object_store(std::size_t history_capacity = 10000) : capacity_(history_capacity) {}

  [[nodiscard]] std::uint64_t current_rv() const noexcept { return rv_; }
  [[nodiscard]] collection& at(std::string_view storage);
  [[nodiscard]] const collection* find(std::string_view storage) const;

  // Commits `object` (created or replaced): assigns the next resourceVersion, stamps
  // metadata.resourceVersion, renders the JSON, records history, updates the owner
  // index and notifies the collection's sinks.
  object_ptr put(std::string_view storage, json::object object);
  // Removes the object at `key` (no-op returning null when absent) with a new RV.
  object_ptr remove(std::string_view storage, std::string_view key);

  // Evicts all history up to the current RV: every watch resuming from an older RV
  // gets 410 Expired.
  void compact_all();

  struct object_ref {
    std::string storage;
    std::string key;
    bool operator==(const object_ref&) const = default;
  };
  // Objects whose metadata.ownerReferences name `uid`.
  [[nodiscard]] std::vector<object_ref> dependents_of(std::string_view uid) const;
  // Where the object with `uid` lives, if it exists.
  [[nodiscard]] std::optional<object_ref> find_uid(std::string_view uid) const;

  [[nodiscard]] std::vector<std::string> storages() const;
  [[nodiscard]] std::size_t object_count() const noexcept;

 private:
  void index_owners(const object_ref& ref, const json::object* before, const json::object* after);

  struct ref_hash {
    std::size_t operator()(const object_ref& r) const noexcept {
      return std::hash<std::string>{}(r.storage) * 31 ^ std::hash<std::string>{}(r.key);
    }
  };

  std::size_t capacity_;
  std::uint64_t rv_ = 1;
  std::map<std::string, std::unique_ptr<collection>, std::less<>> collections_;
  std::unordered_map<std::string, std::unordered_set<object_ref, ref_hash>> dependents_;  // owner uid -> refs
  std::unordered_map<std::string, object_ref> uids_;
};

}  // namespace langop::localapi
