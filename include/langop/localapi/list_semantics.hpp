// How list fields merge under strategic merge patch and server-side apply (PURE).
//
// Paths name fields from the object root joined with '.', with "[]" for "an element of
// this list": "spec.template.spec.containers[].env". Map keys never appear in paths.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace langop::localapi {

struct list_semantics {
  enum class kind { atomic, set, map };
  kind type = kind::atomic;
  // kind::map: the fields that identify an element (x-kubernetes-list-map-keys or
  // the strategic-merge patchMergeKey, which is always the first key).
  std::vector<std::string> keys;
  // Strategic merge patch: true for patchStrategy=merge (elements merged by keys[0],
  // or as a set for primitive lists); false for replace (the patch's list wins).
  bool smp_merge = false;
};

// Knowledge about the lists of one kind. Unknown paths are atomic lists / replace.
class schema_hints {
 public:
  virtual ~schema_hints() = default;
  [[nodiscard]] virtual const list_semantics* list_at(std::string_view path) const = 0;
};

// Hints for built-in kinds (Deployment containers by name, Service ports by port, ...),
// including metadata lists shared by every kind (finalizers set, ownerReferences by uid).
// Never null; kinds without a table get the metadata-only hints.
[[nodiscard]] const schema_hints& builtin_hints(std::string_view group, std::string_view kind);
// Metadata-only hints (what custom resources get beneath their schema's own hints).
[[nodiscard]] const schema_hints& metadata_hints();

}  // namespace langop::localapi
