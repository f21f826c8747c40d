// fieldpath.Set of structured-merge-diff as a tree keyed by serialized path elements
// (PURE, internal): "f:<field>", "k:<json of key fields>", "v:<json value>", "i:<index>".
// A node is a `member` when its path itself is in the set; fieldsV1 writes such a node as
// {} when it has no children and as {".": {}, ...children} when it has some.
#pragma once

#include "langop/core/json.hpp"

#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace langop::localapi::detail {

struct field_set {
  bool member = false;
  std::map<std::string, field_set, std::less<>> children;

  // Normalized sets never store empty children, so empty() is cheap.
  [[nodiscard]] bool empty() const noexcept { return !member && children.empty(); }
  [[nodiscard]] const field_set* child(std::string_view element) const;

  void insert(const std::vector<std::string>& path);  // marks the path (creating parents)
  void merge(const field_set& other);                 // union in place
  void subtract(const field_set& other);              // difference in place (visits only other's paths)

  [[nodiscard]] field_set difference(const field_set& other) const;    // members of this not in other
  [[nodiscard]] field_set intersection(const field_set& other) const;  // members in both

  // Every member path, depth first in key order.
  void for_each_member(const std::function<void(const std::vector<std::string>&)>& fn) const;

  // fieldsV1 (the content of the root: its children).
  [[nodiscard]] json::object to_fields_v1() const;
  // Tolerant reading: malformed entries are ignored, never thrown on.
  [[nodiscard]] static field_set from_fields_v1(const json::value& v);
};

// Path elements.
[[nodiscard]] std::string field_element(std::string_view name);
[[nodiscard]] std::string value_element(const json::value& v);
[[nodiscard]] std::string key_element(const json::object& key_fields);  // fields in key order

// fieldpath.Path.String(): ".spec.containers[name=\"nginx\"].image", ".metadata.finalizers[=\"x\"]".
[[nodiscard]] std::string path_string(const std::vector<std::string>& elements);

}  // namespace langop::localapi::detail
