// Server-side apply and metadata.managedFields bookkeeping (PURE).
//
// Field sets are the fieldsV1 trees of kube-apiserver ("f:spec": {"f:replicas": {}},
// list elements of map lists as "k:{\"name\":\"app\"}", set elements as "v:<json>",
// atomic lists as a leaf). Documented simplifications are listed in apply() below.
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
// Simplifications vs kube-apiserver: no version conversion of field sets; granular maps
// everywhere (no x-kubernetes-map-type: atomic).
[[nodiscard]] std::variant<json::object, api_error> apply(const apply_request& request);

// Records a non-apply write (create, update, patch) by `manager` with operation "Update":
// the fields that differ between `old_object` (null on create) and `new_object` become
// owned by `manager` and leave other managers' sets. Writes new_object's managedFields.
void record_update(const json::object* old_object, json::object& new_object, std::string_view manager,
                   const schema_hints& hints, bool status_subresource, sys_time now);

// The fieldsV1 set of every field present in `object` (metadata identity fields —
// name, namespace, uid, resourceVersion, generation, creationTimestamp, managedFields —
// excluded, as kube-apiserver does).
[[nodiscard]] json::object field_set_of(const json::object& object, const schema_hints& hints);

}  // namespace langop::localapi
