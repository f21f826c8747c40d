// Internals shared by the Table printers (PURE): safe accessors over untrusted JSON and
// the formatting helpers kube-apiserver's printers use (ages, label selectors, Go values).
#pragma once

#include "langop/core/json.hpp"
#include "langop/core/time.hpp"
#include "langop/localapi/table.hpp"

#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace langop::localapi::detail {

// ---- accessors: wrong types read as absent ----
[[nodiscard]] const json::value* at(const json::object& o, std::initializer_list<std::string_view> path);
[[nodiscard]] const json::object* obj_at(const json::object& o, std::initializer_list<std::string_view> path);
[[nodiscard]] const json::array* arr_at(const json::object& o, std::initializer_list<std::string_view> path);
[[nodiscard]] std::string str_at(const json::object& o, std::initializer_list<std::string_view> path);
[[nodiscard]] std::optional<std::string> opt_str_at(const json::object& o,
                                                    std::initializer_list<std::string_view> path);
[[nodiscard]] std::optional<std::int64_t> int_at(const json::object& o, std::initializer_list<std::string_view> path);
[[nodiscard]] std::int64_t int_or(const json::object& o, std::initializer_list<std::string_view> path,
                                  std::int64_t fallback = 0);
[[nodiscard]] std::optional<bool> bool_at(const json::object& o, std::initializer_list<std::string_view> path);
[[nodiscard]] std::size_t size_at(const json::object& o, std::initializer_list<std::string_view> path);

// ---- formatting ----
// translateTimestampSince: "<unknown>" for a missing/zero/unparsable timestamp.
[[nodiscard]] std::string age_of(const json::value* timestamp, sys_time now);
[[nodiscard]] std::string age_since(const json::object& o, std::initializer_list<std::string_view> path, sys_time now);
// metav1.LabelSelectorAsSelector(...).String(); nullopt when the selector is invalid.
[[nodiscard]] std::optional<std::string> selector_string(const json::value* selector);
// metav1.FormatLabelSelector: "<none>" for empty, "<error>" for invalid.
[[nodiscard]] std::string format_label_selector(const json::value* selector);
// labels.FormatLabels of a map: "a=b,c=d" sorted, "<none>" when empty.
[[nodiscard]] std::string format_labels(const json::value* labels);
// intstr.IntOrString.String().
[[nodiscard]] std::string intstr_string(const json::value& v);
// Go's fmt %v of a JSON scalar (floats in %g shortest form) or json.Marshal of a structure.
[[nodiscard]] std::string go_text(const json::value& v);
// Container names and images joined by ',' from a pod spec object (may be null).
void container_cells(const json::object* pod_spec, std::string& names, std::string& images);

// ---- column builders ----
[[nodiscard]] table_column name_column();
[[nodiscard]] table_column age_column();
[[nodiscard]] table_column column(std::string name, std::string type, std::string description, int priority = 0);
extern const char* const name_description;
extern const char* const creation_description;

// A built-in printer: kube-apiserver's column set and row cells for one kind.
struct builtin_printer {
  std::vector<table_column> (*columns)();
  json::array (*cells)(const json::object& object, sys_time now);
};
// nullptr when (group, kind) has no built-in printer.
[[nodiscard]] const builtin_printer* find_builtin_printer(std::string_view group, std::string_view kind);
// The workload/networking/autoscaling part of the table (table_builtin_workloads.cpp).
[[nodiscard]] const builtin_printer* find_workload_printer(std::string_view group, std::string_view kind);
// Whether `group` belongs to Kubernetes itself (its kinds are never custom resources).
[[nodiscard]] bool is_builtin_group(std::string_view group);

}  // namespace langop::localapi::detail
