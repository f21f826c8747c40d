// One Kubernetes object as the informer cache holds it: an immutable cjson document with
// managedFields and the last-applied annotation stripped at ingest, plus the metadata every
// consumer reads located once, so ns()/name()/uid()/... are O(1).
#pragma once

#include "langop/cjson/codec.hpp"
#include "langop/cjson/document.hpp"
#include "langop/cjson/value_view.hpp"
#include "langop/core/error.hpp"
#include "langop/core/json.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace langop::informer {

class cached_object;
using object_ptr = std::shared_ptr<const cached_object>;

class cached_object final {
  struct passkey {};

 public:
  // From API-server JSON (the watch/list hot path). Fails on malformed JSON, a non-object,
  // or an object without a string metadata.name.
  [[nodiscard]] static result<object_ptr> parse(std::string_view json_text, cjson::key_table& keys);
  // From a json::value (tests, list pages already parsed). `raw_size` is the size of the
  // text it came from; 0 computes the size of its compact serialization.
  [[nodiscard]] static result<object_ptr> from_json(const json::value& v, cjson::key_table& keys,
                                                    std::size_t raw_size = 0);

  // From a document decoded elsewhere (cjson::parse_watch_event / parse_list with
  // strip_kube_bookkeeping set): checks it is an object with a metadata.name.
  [[nodiscard]] static result<object_ptr> from_document(cjson::document doc, std::size_t raw_size);

  cached_object(passkey, cjson::document doc, std::size_t raw_size) noexcept;

  [[nodiscard]] cjson::value_view root() const noexcept { return doc_.root(); }
  [[nodiscard]] cjson::value_view operator[](std::string_view key) const noexcept { return doc_.root().find(key); }
  [[nodiscard]] const cjson::document& document() const noexcept { return doc_; }

  [[nodiscard]] std::string_view ns() const noexcept { return string_at(ns_); }  // "" when cluster-scoped
  [[nodiscard]] std::string_view name() const noexcept { return string_at(name_); }
  [[nodiscard]] std::string_view uid() const noexcept { return string_at(uid_); }
  [[nodiscard]] std::string_view resource_version() const noexcept { return string_at(rv_); }
  [[nodiscard]] std::int64_t generation() const noexcept { return generation_; }  // 0 when absent
  [[nodiscard]] cjson::value_view labels() const noexcept { return view_at(labels_); }
  [[nodiscard]] cjson::value_view owner_references() const noexcept { return view_at(owners_); }
  // uid of the ownerReference with controller: true, "" when none.
  [[nodiscard]] std::string_view controller_uid() const noexcept { return string_at(controller_uid_); }
  [[nodiscard]] bool deleting() const noexcept { return deleting_; }  // deletionTimestamp set
  // Bytes of the JSON text the object arrived as (for the memory metric).
  [[nodiscard]] std::size_t raw_size() const noexcept { return raw_size_; }
  // "ns/name", or "name" when cluster-scoped: the work-queue key.
  [[nodiscard]] std::string key() const;
  // Heap bytes this object holds, malloc overhead included (see cache_store::approx_bytes).
  [[nodiscard]] std::size_t approx_bytes() const noexcept;

 private:
  static result<object_ptr> adopt(result<cjson::document> doc, std::size_t raw_size);
  [[nodiscard]] std::string_view string_at(std::uint32_t off) const noexcept {
    return off ? doc_.at_offset(off).as_string() : std::string_view();
  }
  [[nodiscard]] cjson::value_view view_at(std::uint32_t off) const noexcept {
    return off ? doc_.at_offset(off) : cjson::value_view();
  }

  cjson::document doc_;
  // Byte offsets into doc_ of the located fields; 0 (the root itself) means absent.
  std::uint32_t ns_ = 0, name_ = 0, uid_ = 0, rv_ = 0, labels_ = 0, owners_ = 0, controller_uid_ = 0;
  std::uint32_t raw_size_ = 0;
  std::int64_t generation_ = 0;
  bool deleting_ = false;
};

// glibc malloc's footprint for an n-byte request (16-byte granules, 8-byte header, 32 min).
[[nodiscard]] constexpr std::size_t malloc_footprint(std::size_t n) noexcept {
  const std::size_t c = (n + 8 + 15) & ~std::size_t{15};
  return c < 32 ? 32 : c;
}

}  // namespace langop::informer
