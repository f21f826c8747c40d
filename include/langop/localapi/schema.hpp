// OpenAPI v3 structural schemas of CustomResourceDefinitions (PURE): defaulting,
// pruning of unknown fields and validation, as kube-apiserver applies them to custom
// resources. Also the list semantics the schema declares (x-kubernetes-list-type).
#pragma once

#include "langop/core/error.hpp"
#include "langop/core/json.hpp"
#include "langop/localapi/api_error.hpp"
#include "langop/localapi/list_semantics.hpp"

#include <memory>
#include <string>
#include <vector>

namespace langop::localapi {

class structural_schema final : public schema_hints {
 public:
  // `openapi_v3_schema` is a CRD version's schema.openAPIV3Schema. Errors (http 422)
  // name the offending schema path, e.g. a non-structural schema (missing type).
  [[nodiscard]] static result<std::shared_ptr<const structural_schema>> compile(const json::value& openapi_v3_schema);

  // Fills `default`s top-down (the object root is a whole custom resource; apiVersion,
  // kind and metadata are never touched). Defaults are applied where the parent exists.
  void apply_defaults(json::object& object) const;

  // Removes fields the schema does not declare (unless x-kubernetes-preserve-unknown-fields
  // or additionalProperties allow them). Returns the removed paths as kube-apiserver words
  // them for warnings / strict validation: ".spec.foo", ".spec.items[0].bar".
  [[nodiscard]] std::vector<std::string> prune(json::object& object) const;

  // type, enum, required, nullable, pattern, format (date-time, int-or-string), min/max,
  // minLength/maxLength, minItems/maxItems, minProperties/maxProperties, uniqueness of
  // x-kubernetes-list-type set/map, and x-kubernetes-validations (CEL, see cel.hpp).
  // `old_object` (may be null) enables transition rules (oldSelf).
  // Causes use kube-apiserver's field paths ("spec.replicas") and messages.
  [[nodiscard]] std::vector<status_cause> validate(const json::object& object, const json::object* old_object) const;

  // Validation of the status subresource only ("status" subtree).
  [[nodiscard]] const list_semantics* list_at(std::string_view path) const override;

  // The JSON of the schema as given, for OpenAPI publication and kubectl explain.
  [[nodiscard]] const json::value& source() const noexcept { return source_; }

  struct node;  // defined in the .cpp

 private:
  json::value source_;
  std::shared_ptr<const node> root_;
};

}  // namespace langop::localapi
