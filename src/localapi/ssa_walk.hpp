// The structured-merge-diff operations server-side apply needs, over plain JSON with
// list semantics from schema_hints (PURE, internal): the field set of an object, the merge
// of a configuration into a live object, the comparison of two objects, and the removal
// of fields an applier stopped applying.
#pragma once

#include "field_set.hpp"
#include "langop/localapi/list_semantics.hpp"

#include <string>

namespace langop::localapi::detail {

// ToFieldSet: leaves (scalars, atomic lists, empty objects/lists, nulls) and the items of
// set/map lists are members. `error` non-null makes malformed set/map lists (non-object
// items, missing keys, duplicates) an error, worded like structured-merge-diff;
// otherwise such a list is owned as one atomic value.
[[nodiscard]] field_set to_field_set(const json::object& object, const schema_hints& hints, std::string* error);

// Merge: objects merge key by key, map lists by keys and sets by value (in
// structured-merge-diff's order), everything else takes the configuration's value.
[[nodiscard]] json::object merge_objects(const json::object& live, const json::object& config,
                                         const schema_hints& hints);

struct comparison {
  field_set added;     // paths (and everything below them) that only `after` has
  field_set modified;  // leaves whose value changed
  field_set removed;   // paths (and everything below them) that only `before` has
};
// metadata.managedFields of either object is skipped: it is bookkeeping, not a field.
[[nodiscard]] comparison compare_objects(const json::object& before, const json::object& after,
                                         const schema_hints& hints);

// Removes what `last` (the applier's previous set) owned and no set in `owned` owns now.
// A named field goes when nothing at or below it is owned; a list item goes when it is not
// itself owned. apiVersion, kind, metadata and the key fields of kept list items stay.
void remove_unowned(json::object& object, const field_set& last, const field_set& owned, const schema_hints& hints);

// Drops what kube-apiserver never tracks: apiVersion, kind, metadata itself and its
// identity fields (name, namespace, uid, resourceVersion, generation, creationTimestamp,
// selfLink, managedFields).
[[nodiscard]] field_set strip_meta(const field_set& s);
void strip_meta_in_place(field_set& s);

}  // namespace langop::localapi::detail
