#include "langop/cjson/key_table.hpp"

#include "langop/cjson/detail/fast_hash.hpp"

#include <array>
#include <cstring>

namespace langop::cjson {
namespace {

constexpr std::size_t arena_chunk = 4096;

// Keys nearly every Kubernetes object carries, most frequent first: ids 0..63 are one byte.
constexpr std::array<std::string_view, 63> kube_seed{
    "metadata", "name", "namespace", "uid", "resourceVersion", "generation", "creationTimestamp",
    "labels", "annotations", "ownerReferences", "apiVersion", "kind", "controller",
    "blockOwnerDeletion", "spec", "status", "conditions", "type", "items", "reason", "message",
    "lastTransitionTime", "lastUpdateTime", "observedGeneration", "deletionTimestamp", "finalizers",
    "selector", "matchLabels", "template", "containers", "image", "imagePullPolicy", "ports",
    "containerPort", "protocol", "port", "targetPort", "env", "value", "valueFrom", "key",
    "resources", "limits", "requests", "cpu", "memory", "volumeMounts", "mountPath", "volumes",
    "configMap", "secret", "replicas", "data", "args", "command", "securityContext",
    "app.kubernetes.io/name", "app.kubernetes.io/instance", "app.kubernetes.io/managed-by",
    "terminationMessagePath", "terminationMessagePolicy", "readOnly", "path"};

}  // namespace

std::shared_ptr<key_table> key_table::create(limits lim) { return std::make_shared<key_table>(passkey{}, lim); }

std::shared_ptr<key_table> key_table::create_for_kubernetes(limits lim) {
  auto t = create(lim);
  for (std::string_view k : kube_seed) {
    if (t->find(k) == npos) {
      // Seeds bypass the length cap on purpose; they are known, bounded and hot.
      const std::uint64_t h = detail::hash_string(k);
      const auto saved = t->limits_;
      t->limits_.max_key_length = 0xFFFFFFFFu;
      t->limits_.max_keys = 0xFFFFFFFFu;
      t->intern(k, h);
      t->limits_ = saved;
    }
  }
  return t;
}

key_table::key_table(passkey, limits lim) : limits_(lim) { slots_.resize(256); }

std::uint32_t key_table::find(std::string_view key) const noexcept {
  return find(key, detail::hash_string(key));
}

std::uint32_t key_table::find(std::string_view key, std::uint64_t hash) const noexcept {
  const std::size_t mask = slots_.size() - 1;
  const auto hi = static_cast<std::uint32_t>(hash >> 32);
  for (std::size_t i = static_cast<std::size_t>(hash) & mask;; i = (i + 1) & mask) {
    const slot& s = slots_[i];
    if (s.id_plus_one == 0) return npos;
    if (s.hash_hi != hi) continue;
    const std::string_view k = keys_[s.id_plus_one - 1];
    if (k.size() == key.size() && detail::equal_bytes(k.data(), key.data(), k.size())) return s.id_plus_one - 1;
  }
}

std::uint32_t key_table::intern(std::string_view key) { return intern(key, detail::hash_string(key)); }

std::uint32_t key_table::intern(std::string_view key, std::uint64_t hash) {
  if (const std::uint32_t id = find(key, hash); id != npos) return id;
  if (key.size() > limits_.max_key_length || keys_.size() >= limits_.max_keys) return npos;
  // Load factor <= 1/2 keeps probe sequences short.
  if ((keys_.size() + 1) * 2 > slots_.size()) grow();
  const auto id = static_cast<std::uint32_t>(keys_.size());
  keys_.push_back(store(key));
  hashes_.push_back(hash);
  const std::size_t mask = slots_.size() - 1;
  std::size_t i = static_cast<std::size_t>(hash) & mask;
  while (slots_[i].id_plus_one != 0) i = (i + 1) & mask;
  slots_[i] = slot{static_cast<std::uint32_t>(hash >> 32), id + 1};
  return id;
}

std::string_view key_table::store(std::string_view key) {
  if (key.size() > arena_cap_ - arena_used_) {
    const std::size_t cap = key.size() > arena_chunk ? key.size() : arena_chunk;
    arena_.push_back(std::make_unique_for_overwrite<char[]>(cap));
    arena_used_ = 0;
    arena_cap_ = cap;
  }
  char* dst = arena_.back().get() + arena_used_;
  if (!key.empty()) std::memcpy(dst, key.data(), key.size());
  arena_used_ += key.size();
  return {dst, key.size()};
}

void key_table::grow() {
  std::vector<slot> next(slots_.size() * 2);
  const std::size_t mask = next.size() - 1;
  for (std::uint32_t id = 0; id < keys_.size(); ++id) {
    const std::uint64_t h = hashes_[id];
    std::size_t i = static_cast<std::size_t>(h) & mask;
    while (next[i].id_plus_one != 0) i = (i + 1) & mask;
    next[i] = slot{static_cast<std::uint32_t>(h >> 32), id + 1};
  }
  slots_ = std::move(next);
}

std::size_t key_table::approx_bytes() const noexcept {
  return arena_.size() * arena_chunk + keys_.capacity() * sizeof(std::string_view) +
         hashes_.capacity() * sizeof(std::uint64_t) + slots_.capacity() * sizeof(slot) +
         arena_.capacity() * sizeof(void*);
}

}  // namespace langop::cjson
