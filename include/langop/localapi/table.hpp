// meta.k8s.io/v1 Table rendering for `kubectl get` (server-side printing) (PURE).
#pragma once

#include "langop/core/json.hpp"
#include "langop/core/time.hpp"

#include <string>
#include <vector>

namespace langop::localapi {

struct table_column {
  std::string name;         // "Name", "Ready", "Age"
  std::string type;         // string, integer, number, boolean, date
  std::string format;       // "name" for the Name column, else ""
  std::string description;
  int priority = 0;         // >0 shown only with -o wide
  std::string json_path;    // for CRD printer columns; empty for built-in columns
};

// The column set for a kind: built-in kinds get kube-apiserver's columns (Deployment:
// Name, Ready, Up-to-date, Available, Age, Containers*, Images*, Selector*; Service: Name,
// Type, Cluster-IP, External-IP, Port(s), Age; ...); custom resources get Name, then their
// additionalPrinterColumns (or Age when they declare none; all of kube's default
// Name/Created At when any column is unusable). Built-in kinds without a kube printer
// (CustomResourceDefinition, LimitRange, ...) get Name and Created At like kube's
// default table convertor. `printer_columns` is ignored for built-in groups.
[[nodiscard]] std::vector<table_column> table_columns(std::string_view group, std::string_view kind,
                                                      const json::array* printer_columns);

// One Table row's cells for `object` (Age/date cells rendered relative to `now` like
// kubectl: "5s", "3m20s", "2d").
[[nodiscard]] json::array table_cells(std::string_view group, std::string_view kind,
                                      const std::vector<table_column>& columns, const json::object& object,
                                      sys_time now);

// The whole Table; includeObject=Metadata puts a PartialObjectMetadata in each row's
// "object" (what kubectl requests), Object the full object, None nothing.
enum class include_object { none, metadata, object };
[[nodiscard]] json::object make_table(std::string_view group, std::string_view kind,
                                      const json::array* printer_columns,
                                      const std::vector<const json::object*>& objects, include_object include,
                                      std::string_view resource_version, std::string_view continue_token,
                                      sys_time now);

// The human "age" kubectl prints for a duration ("45s", "5m2s", "3h", "12d", "2y").
[[nodiscard]] std::string human_duration(std::chrono::seconds d);

}  // namespace langop::localapi
