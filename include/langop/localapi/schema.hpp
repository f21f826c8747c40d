// OpenAPI v3 structural schemas of CustomResourceDefinitions (PURE): defaulting,
// pruning of unknown fields and validation, as kube-apiserver applies them to custom
// resources. Also the list semantics the schema declares (x-kubernetes-list-type).
//
// Thread-safety: a compiled schema is immutable; all methods are const and may be
// called concurrently.
//
// Simplifications vs kube-apiserver:
// - formats: only date-time and date are checked (kube also knows uuid, email, ipv4, ...);
//   int-or-string is a type (x-kubernetes-int-or-string), never a format check;
// - CRD checks not done at compile: defaults are not validated/pruned against their
//   schema, x-kubernetes-int-or-string's anyOf shape is not enforced, allOf/anyOf/oneOf/
//   not may not declare properties but are not checked for it, CEL cost estimation;
// - anyOf/oneOf report the failing alternative with the fewest errors (kube: most
//   matched checks); ratcheting (CRDValidationRatcheting) is not implemented;
// - messages print objects/arrays as Go's %#v would and objects/arrays in enums as Go's
//   json.Marshal would, except that '<', '>' and '&' are not HTML-escaped;
// - patterns are ECMAScript (std::regex, no back-references) rather than RE2, with RE2's
//   repetition limit; a match too expensive to run counts as a mismatch.

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
  // kind and metadata are never touched). Defaults are applied where the parent exists,
  // also inside a value that was itself just defaulted. A null in a non-nullable field
  // becomes its default, or is removed when the field has none.
  void apply_defaults(json::object& object) const;

  // Removes fields the schema does not declare (unless x-kubernetes-preserve-unknown-fields
  // or additionalProperties allow them). Returns the removed paths as kube-apiserver words
  // them for warnings / strict validation: ".spec.foo", ".spec.items[0].bar".
  // apiVersion and kind of the resource (and of x-kubernetes-embedded-resource objects)
  // are kept; their metadata loses only keys that are not ObjectMeta fields.
  [[nodiscard]] std::vector<std::string> prune(json::object& object) const;

  // type, enum, required, nullable, pattern, format (date-time, int-or-string), min/max,
  // minLength/maxLength, minItems/maxItems, minProperties/maxProperties, uniqueness of
  // x-kubernetes-list-type set/map, and x-kubernetes-validations (CEL, see cel.hpp).
  // `old_object` (may be null) enables transition rules (oldSelf).
  // Causes use kube-apiserver's field paths ("spec.replicas") and messages, in kube's
  // pass order: OpenAPI checks, then list-type uniqueness, then CEL rules. A cause about
  // the object root has the field "<nil>", as kube prints a nil field path.
  // Never throws; objects of any shape are reported, not crashed on.
  [[nodiscard]] std::vector<status_cause> validate(const json::object& object, const json::object* old_object) const;

  // List semantics at `path` ("spec.items[].ports"): x-kubernetes-list-type set/map with
  // its keys, or explicit atomic; null when the schema declares none (atomic). Metadata
  // paths of the resource and of embedded resources use metadata_hints().
  [[nodiscard]] const list_semantics* list_at(std::string_view path) const override;

  // The JSON of the schema as given, for OpenAPI publication and kubectl explain.
  [[nodiscard]] const json::value& source() const noexcept { return source_; }

  struct node;  // defined in the .cpp

 private:
  json::value source_;
  std::shared_ptr<const node> root_;
};

}  // namespace langop::localapi
