// Interned object keys shared by many cjson documents: key text <-> small integer id.
//
// Policy (bounded, append-only): a key is interned when it is at most
// `limits.max_key_length` bytes long and the table holds fewer than `limits.max_keys` keys;
// every other key is stored inline in the document that uses it. First come, first served:
// the table never forgets or renumbers, so an id, once handed out, means the same key for
// the life of the table and documents can be read at any later time. Arbitrary map keys
// (labels, annotations, ConfigMap data) are interned too while there is room — in practice
// they repeat across objects (app.kubernetes.io/name, config.yaml) — and the caps bound the
// memory a hostile or unusual key set can take (max_keys * (max_key_length + ~40 B)).
// `create_for_kubernetes()` pre-seeds the structural keys every object has, so they get
// one-byte ids (ids < 64 encode in one byte) whatever order objects arrive in.
//
// Ownership: built with create*() and held by shared_ptr; each document keeps its table
// alive. Not thread-safe: interning mutates it, and the operator runs on one thread. A
// document never depends on keys interned after it was built, so growth is always safe.
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string_view>
#include <vector>

namespace langop::cjson {

// The interning caps (see the policy above).
struct key_limits {
  std::uint32_t max_keys = 16384;
  std::uint32_t max_key_length = 64;
};

class key_table final : public std::enable_shared_from_this<key_table> {
  struct passkey {};

 public:
  using limits = key_limits;
  static constexpr std::uint32_t npos = 0xFFFFFFFFu;

  [[nodiscard]] static std::shared_ptr<key_table> create(limits lim = {});
  [[nodiscard]] static std::shared_ptr<key_table> create_for_kubernetes(limits lim = {});

  key_table(passkey, limits lim);
  key_table(const key_table&) = delete;
  key_table& operator=(const key_table&) = delete;

  // The id of `key`, or npos when it is not interned. `hash` must be detail::hash_string(key).
  [[nodiscard]] std::uint32_t find(std::string_view key) const noexcept;
  [[nodiscard]] std::uint32_t find(std::string_view key, std::uint64_t hash) const noexcept;
  // The id of `key`, interning it if the policy allows; npos when it stays inline.
  std::uint32_t intern(std::string_view key, std::uint64_t hash);
  std::uint32_t intern(std::string_view key);

  // The text of an id handed out by this table (stable storage: valid while the table lives).
  [[nodiscard]] std::string_view key(std::uint32_t id) const noexcept { return keys_[id]; }
  // detail::hash_string(key(id)), precomputed.
  [[nodiscard]] std::uint64_t hash_of(std::uint32_t id) const noexcept { return hashes_[id]; }
  [[nodiscard]] std::size_t size() const noexcept { return keys_.size(); }
  [[nodiscard]] const limits& policy() const noexcept { return limits_; }
  // Heap bytes held (arena, id vector, hash slots).
  [[nodiscard]] std::size_t approx_bytes() const noexcept;

 private:
  struct slot {
    std::uint32_t hash_hi = 0;
    std::uint32_t id_plus_one = 0;  // 0: empty
  };
  std::string_view store(std::string_view key);
  void grow();

  limits limits_;
  std::vector<std::string_view> keys_;              // id -> text (points into arena_)
  std::vector<std::uint64_t> hashes_;               // id -> full hash (for rehashing)
  std::vector<slot> slots_;                         // open addressing, power-of-two size
  std::vector<std::unique_ptr<char[]>> arena_;      // key bytes; chunks never move
  std::size_t arena_used_ = 0;
  std::size_t arena_cap_ = 0;
};

}  // namespace langop::cjson
