// The compiled form of a structural schema (PURE, internal): one node per schema
// object, keywords parsed once (patterns compiled, CEL rules compiled) so defaulting,
// pruning and validation never re-read the JSON schema.
#pragma once

#include "langop/localapi/cel.hpp"
#include "langop/localapi/schema.hpp"
#include "safe_regex.hpp"

#include <cstdint>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace langop::localapi {

struct structural_schema::node {
  using ptr = std::shared_ptr<const node>;

  std::string type;  // "" when unspecified (int-or-string, preserve-unknown, inside allOf/anyOf/...)
  bool nullable = false;
  bool int_or_string = false;
  bool preserve_unknown = false;
  bool embedded_resource = false;
  std::optional<json::value> default_value;

  std::map<std::string, ptr, std::less<>> properties;
  ptr additional;                   // additionalProperties with a schema
  bool additional_no_schema = false;  // additionalProperties: true
  ptr items;

  // Value validations.
  std::optional<json::array> enum_values;
  std::vector<std::string> required;
  std::shared_ptr<const detail::safe_regex> pattern;
  std::string pattern_source;
  std::string format;
  std::optional<json::value> minimum, maximum, multiple_of;
  bool exclusive_minimum = false, exclusive_maximum = false;
  std::optional<std::int64_t> min_length, max_length, min_items, max_items, min_properties, max_properties;
  std::vector<ptr> all_of, any_of, one_of;
  ptr not_;

  // x-kubernetes-list-type / x-kubernetes-list-map-keys (absent: atomic by default).
  std::optional<list_semantics> list;

  struct rule {
    std::string text;
    std::string message;
    std::string field_path;  // normalized, relative ("spec.x", "labels[k]"), "" when unset
    std::string reason;      // "" means FieldValueInvalid
    cel_program program;
  };
  std::vector<rule> rules;
  bool subtree_has_rules = false;  // lets the CEL pass skip whole subtrees
};

}  // namespace langop::localapi

namespace langop::localapi::detail {

using schema_node = structural_schema::node;

// "Invalid value: ..." style cause builders with kube-apiserver's wording.
[[nodiscard]] status_cause cause_required(std::string field, std::string_view detail = {});
[[nodiscard]] status_cause cause_invalid(std::string field, const json::value& value, std::string_view detail);
[[nodiscard]] status_cause cause_invalid_omitted(std::string field, std::string_view detail);
[[nodiscard]] status_cause cause_type_invalid(std::string field, std::string_view value, std::string_view detail);
[[nodiscard]] status_cause cause_not_supported(std::string field, const json::value& value,
                                               const std::vector<std::string>& supported);
[[nodiscard]] status_cause cause_too_long(std::string field, std::int64_t max);
[[nodiscard]] status_cause cause_too_many(std::string field, std::int64_t actual, std::int64_t max);
[[nodiscard]] status_cause cause_duplicate(std::string field, const json::value* value);
[[nodiscard]] status_cause cause_forbidden(std::string field, std::string_view detail);

// The list-type set/map uniqueness pass and the x-kubernetes-validations pass.
void validate_list_types(const schema_node& s, const json::value& v, const std::string& path,
                         std::vector<status_cause>& out, int depth);
void validate_rules(const schema_node& s, const json::value& v, const json::value* old, const std::string& path,
                    std::vector<status_cause>& out, int depth);

// The JSON path form of field.Path: "" is the root, printed "<nil>" as kube prints a nil path.
[[nodiscard]] inline std::string field_or_root(const std::string& path) { return path.empty() ? "<nil>" : path; }
[[nodiscard]] inline std::string child_path(const std::string& parent, std::string_view name) {
  return parent.empty() ? std::string(name) : parent + "." + std::string(name);
}

// Data nested deeper than this is not walked (the schema bounds recursion, but preserved
// or untyped subtrees can be arbitrarily deep).
inline constexpr int max_walk_depth = 256;

}  // namespace langop::localapi::detail
