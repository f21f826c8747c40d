// Internals of built-in defaulting (PURE). Go defaulters test "nil pointer" or "zero
// value"; over JSON that is "missing or null" (and "" / 0 for value fields). A present
// value of the wrong type is left alone: defaulting never repairs, validation reports.
#pragma once

#include "langop/core/json.hpp"

#include <string_view>

namespace langop::localapi::detail {

// Missing or null.
[[nodiscard]] inline bool absent(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it == o.end() || it->value().is_null();
}

// Missing, null or "" (Go `x == ""` on a string field).
[[nodiscard]] inline bool empty_string(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return true;
  return it->value().is_string() && it->value().get_string().empty();
}

// Missing, null or 0 (Go `x == 0` on an int field).
[[nodiscard]] inline bool zero_int(const json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return true;
  const auto& v = it->value();
  return (v.is_int64() && v.get_int64() == 0) || (v.is_uint64() && v.get_uint64() == 0) ||
         (v.is_double() && v.get_double() == 0);
}

inline void set_if_absent(json::object& o, std::string_view key, json::value v) {
  if (absent(o, key)) o[key] = std::move(v);
}

inline void set_if_empty(json::object& o, std::string_view key, std::string_view v) {
  if (empty_string(o, key)) o[key] = v;
}

// The object at `key`, or nullptr when it is missing or not an object.
[[nodiscard]] inline json::object* child(json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it == o.end() ? nullptr : it->value().if_object();
}

// The array at `key`, or nullptr.
[[nodiscard]] inline json::array* child_array(json::object& o, std::string_view key) {
  auto it = o.find(key);
  return it == o.end() ? nullptr : it->value().if_array();
}

// The object at `key`, created when missing or null; nullptr when another type is there.
[[nodiscard]] inline json::object* ensure_child(json::object& o, std::string_view key) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) {
    o[key] = json::object();
    return &o[key].get_object();
  }
  return it->value().if_object();
}

// Calls f(json::object&) for every object element of the array at `key`.
template <class F>
void each_object(json::object& o, std::string_view key, F&& f) {
  if (auto* a = child_array(o, key))
    for (auto& e : *a)
      if (auto* eo = e.if_object()) f(*eo);
}

// Quantities are written back in canonical form (resource.Quantity.MarshalJSON); JSON
// numbers become strings. Unparsable values are left for validation to report.
void canonicalize_quantity(json::value& v, bool round_to_milli = false);
// A v1.ResourceList at holder[key]: canonical quantities rounded up to milli
// (SetDefaults_ResourceList).
void canonicalize_resource_list(json::object& holder, std::string_view key);

// Pod-level defaulting shared by every kind that embeds pods (builtin_defaults_pod.cpp).
void default_pod_spec(json::object& spec);
// PodTemplateSpec at parent[key]: the template metadata artifact plus default_pod_spec.
void default_pod_template(json::object& parent, std::string_view key);
// kind Pod: SetDefaults_Pod on top of the pod spec defaults.
void default_pod(json::object& pod);
void default_pvc_spec(json::object& spec);
// Kubernetes' image reference parsing: true when the pull policy defaults to Always.
[[nodiscard]] bool image_pulls_always(std::string_view image);

}  // namespace langop::localapi::detail
