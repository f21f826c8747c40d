// Server-side apply and metadata.managedFields bookkeeping (PURE).
//
// Field sets are the fieldsV1 trees of kube-apiserver ("f:spec": {"f:replicas": {}},
// list elements of map lists as "k:{\"name\":\"app\"}" (key fields in list-map-keys
// order), set elements as "v:<json>", atomic lists, empty objects and nulls as leaves; a
// path that is itself owned and has owned children is written with ".": {}).
// Entries: {manager, operation Apply|Update, apiVersion, time (RFC 3339 seconds, only when
// the write changed the object), fieldsType FieldsV1, fieldsV1, subresource?}, sorted like
// kube (operation, time, manager, apiVersion, subresource); more than ten Update entries
// are folded, oldest first, into "ancient-changes" per apiVersion.
//
// Simplifications vs kube-apiserver / structured-merge-diff:
// - no version conversion of field sets (an entry's apiVersion is recorded, not converted);
// - maps are granular everywhere: no x-kubernetes-map-type: atomic nor Go +structType=atomic
//   (a Deployment's spec.selector is owned field by field, kube owns it as one leaf);
// - every object field counts as a named field when pruning what an applier stopped
//   applying: it is removed when nothing at or below it is owned any more; a set/map list
//   item is removed when the item itself is no longer owned (structured-merge-diff's
//   prune + add-back passes, on JSON without types);
// - an Update that creates a map marks it with "." (kube does this for custom resources;
//   for built-in kinds it compares against the typed zero object, so e.g. a created
//   Deployment's f:spec has no "." there);
// - a null in a configuration is a value that is set and owned;
// - malformed set/map lists in live objects are treated as atomic lists;
// - reset fields are the caller's: strip `status` from main-resource writes of kinds with a
//   status subresource, and keep only `status` changes of /status updates, before calling.
#pragma once

#include "langop/core/error.hpp"
#include "langop/core/json.hpp"
#include "langop/core/time.hpp"
#include "langop/localapi/api_error.hpp"
#include "langop/localapi/list_semantics.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <variant>

namespace langop::localapi {

struct apply_request {
  const json::object* live = nullptr;  // null: the apply creates the object
  const json::object* config = nullptr;  // the applied configuration (must carry apiVersion, kind, name)
  std::string_view manager;              // fieldManager query parameter (required for apply)
  bool force = false;
  bool status_subresource = false;       // applying to /status: only "status" is applied
  const schema_hints* hints = nullptr;   // list semantics of the kind
  sys_time now{};
};

// The object after applying, with managedFields updated: the manager owns exactly the
// fields of its config; fields it owned before and no longer applies are removed unless
// another manager also owns them; a field owned by another manager with a different
// value is a conflict (409, reason Conflict, one cause per field, "FieldManagerConflict")
// unless `force`, in which case ownership moves to this manager.
// Objects without managedFields are first attributed to an Update entry
// "before-first-apply", as kube does. The result carries the merged object with its new
// managedFields; identity metadata (uid, resourceVersion, ...) of the configuration is
// ignored. Errors: fieldManager missing/too long (422), no kind/apiVersion (400), no
// metadata.name (422), name differing from the live object (400), managedFields set in the
// configuration (400), malformed set/map lists in the configuration (500, kube's
// "failed to create typed patch object (...)"), /status on a missing object (404).
[[nodiscard]] std::variant<json::object, api_error> apply(const apply_request& request);

// Records a non-apply write (create, update, patch) by `manager` with operation "Update":
// the fields that differ between `old_object` (null on create) and `new_object` become
// owned by `manager` and leave other managers' sets; removed fields leave every set. Entries
// come from new_object's managedFields, or from old_object's when the client sent none or
// only garbage (as kube does). An unchanged object keeps its managedFields as they were.
// Writes new_object's managedFields.
void record_update(const json::object* old_object, json::object& new_object, std::string_view manager,
                   const schema_hints& hints, bool status_subresource, sys_time now);

// The fieldsV1 set of every field present in `object` (metadata identity fields —
// name, namespace, uid, resourceVersion, generation, creationTimestamp, managedFields —
// excluded, as kube-apiserver does).
[[nodiscard]] json::object field_set_of(const json::object& object, const schema_hints& hints);

}  // namespace langop::localapi
