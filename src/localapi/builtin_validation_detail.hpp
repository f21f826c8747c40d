// Internals of built-in validation (PURE). `checker` collects metav1.StatusCauses with
// k8s.io/apimachinery field.Error wording ("Required value", "Invalid value: 0: must be
// between 1 and 65535, inclusive", ...) and reads fields defensively: a value of the wrong
// JSON type becomes a FieldValueTypeInvalid cause instead of being trusted.
#pragma once

#include "langop/core/json.hpp"
#include "langop/localapi/api_error.hpp"

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

namespace langop::localapi::detail {

// Path builders: "spec" + "replicas" -> "spec.replicas"; index -> "[0]"; key -> "[cpu]".
[[nodiscard]] inline std::string child_path(std::string_view base, std::string_view name) {
  if (base.empty()) return std::string(name);
  std::string out(base);
  out += '.';
  out += name;
  return out;
}
[[nodiscard]] inline std::string index_path(std::string_view base, std::size_t i) {
  return std::string(base) + "[" + std::to_string(i) + "]";
}
[[nodiscard]] inline std::string key_path(std::string_view base, std::string_view key) {
  return std::string(base) + "[" + std::string(key) + "]";
}

// The string at a nested path of an object, or "" when missing or not a string.
[[nodiscard]] inline std::string_view str_in(const json::object& o, std::initializer_list<std::string_view> path) {
  const auto* v = jsonu::find(o, path);
  return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view{};
}

// How a Go value prints in a field.Invalid message: strings quoted, numbers and bools
// bare, structures as compact JSON.
[[nodiscard]] std::string render(const json::value& v);
[[nodiscard]] std::string render(std::string_view s);
[[nodiscard]] std::string render(std::int64_t n);
[[nodiscard]] inline std::string render(const char* s) { return render(std::string_view(s)); }
[[nodiscard]] inline std::string render(const std::string& s) { return render(std::string_view(s)); }

class checker {
 public:
  std::vector<status_cause> causes;

  void required(const std::string& field, std::string_view detail = {});
  void invalid(const std::string& field, const std::string& rendered_value, std::string_view detail);
  void type_invalid(const std::string& field, const json::value& v, std::string_view expected);
  void not_supported(const std::string& field, const std::string& rendered_value,
                     std::initializer_list<std::string_view> supported);
  void duplicate(const std::string& field, const std::string& rendered_value);
  void forbidden(const std::string& field, std::string_view detail);
  void not_found(const std::string& field, const std::string& rendered_value);
  void too_long(const std::string& field, std::size_t max_bytes);
  // Every message of a syntax check (dns1123_label_errors, ...) as FieldValueInvalid.
  void invalid_each(const std::string& field, const std::string& rendered_value, const std::vector<std::string>& msgs);

  // Typed reads of o[key]. Missing or null -> nullopt/nullptr without a cause; a present
  // value of another type -> nullopt/nullptr plus a FieldValueTypeInvalid cause at `path`.
  std::optional<std::int64_t> int_field(const json::object& o, std::string_view key, const std::string& path);
  std::optional<std::string> str_field(const json::object& o, std::string_view key, const std::string& path);
  std::optional<bool> bool_field(const json::object& o, std::string_view key, const std::string& path);
  const json::object* obj_field(const json::object& o, std::string_view key, const std::string& path);
  const json::array* arr_field(const json::object& o, std::string_view key, const std::string& path);
  // A map[string]string (labels, selector, data): non-string values are reported.
  const json::object* string_map(const json::object& o, std::string_view key, const std::string& path);

  // ValidateNonnegativeField / positive variants on an optional int field.
  void nonnegative(const json::object& o, std::string_view key, const std::string& path);
};

// ---- shared validators ----
void validate_labels(checker& c, const json::object* labels, const std::string& path);
void validate_annotations(checker& c, const json::object* annotations, const std::string& path);
// unversionedvalidation.ValidateLabelSelector over metav1.LabelSelector JSON.
void validate_label_selector(checker& c, const json::object& selector, const std::string& path);
// labels.Selector semantics of metav1.LabelSelector; nullopt when the selector is invalid.
[[nodiscard]] std::optional<bool> selector_matches(const json::value* selector, const json::object* labels);
[[nodiscard]] bool selector_is_empty(const json::value* selector);
// apiequality.Semantic.DeepEqual for JSON: null, missing, {} and [] are all "unset".
[[nodiscard]] bool semantically_equal(const json::value* a, const json::value* b);
// ValidatePositiveIntOrPercent + IsNotMoreThan100Percent (internal values rendered as intstr).
void validate_int_or_percent(checker& c, const json::value& v, const std::string& path, bool not_more_than_100);
// Integer value of an intstr ("25%" -> 25), for the "both zero" checks.
[[nodiscard]] std::int64_t int_or_percent_value(const json::value* v);
// ValidatePortNumOrName on an IntOrString port.
void validate_port_num_or_name(checker& c, const json::value& port, const std::string& path);
void validate_port_num(checker& c, std::int64_t port, const std::string& path);
// A resource.Quantity string; returns its value when parsable, else reports it.
std::optional<long double> quantity_field(checker& c, const json::value& v, const std::string& path);

// ---- per-family entry points ----
// ValidateVolumes: the names of the volumes mounts may use (those without errors).
std::set<std::string> validate_volumes(checker& c, const json::object& pod_spec, const std::string& path);
// validateLocalNonReservedPath: relative, no "..".
void validate_item_path(checker& c, const std::string& p, const std::string& path);
void validate_pod_template(checker& c, const json::object& spec, std::string_view key, const std::string& path);
void validate_pod_spec(checker& c, const json::object& pod_spec, const std::string& path);
void validate_workload(checker& c, std::string_view group, std::string_view kind, const json::object& o,
                       const json::object* old);
void validate_core(checker& c, std::string_view kind, const json::object& o, const json::object* old);
void validate_networking(checker& c, std::string_view group, std::string_view kind, const json::object& o,
                         const json::object* old);
// autoscaling HPA, policy PDB, coordination Lease.
void validate_autoscaling_policy(checker& c, std::string_view group, std::string_view kind, const json::object& o);
// robfig/cron ParseStandard: nullopt when valid, else its error text.
[[nodiscard]] std::optional<std::string> cron_schedule_error(std::string_view schedule);

}  // namespace langop::localapi::detail
