// meta.k8s.io/v1 Table assembly: column selection (built-in printer, CRD printer columns,
// or the generic Name/Created At convertor) and the custom-resource cell rules of
// apiextensions-apiserver's tableconvertor.
#include "langop/localapi/table.hpp"

#include "langop/localapi/jsonpath.hpp"
#include "table_detail.hpp"

#include <optional>

namespace langop::localapi {

std::string human_duration(std::chrono::seconds d) {
  // k8s.io/apimachinery/pkg/util/duration.HumanDuration, which tolerates up to ~2s of
  // clock skew as "0s" and shows ~2-3 significant figures.
  const long long seconds = d.count();
  if (seconds < -1) return "<invalid>";
  if (seconds < 0) return "0s";
  if (seconds < 60 * 2) return std::to_string(seconds) + "s";
  const long long minutes = seconds / 60;
  if (minutes < 10) {
    long long s = seconds % 60;
    return s == 0 ? std::to_string(minutes) + "m" : std::to_string(minutes) + "m" + std::to_string(s) + "s";
  }
  if (minutes < 60 * 3) return std::to_string(minutes) + "m";
  const long long hours = seconds / 3600;
  if (hours < 8) {
    long long m = minutes % 60;
    return m == 0 ? std::to_string(hours) + "h" : std::to_string(hours) + "h" + std::to_string(m) + "m";
  }
  if (hours < 48) return std::to_string(hours) + "h";
  if (hours < 24 * 8) {
    long long h = hours % 24;
    return h == 0 ? std::to_string(hours / 24) + "d" : std::to_string(hours / 24) + "d" + std::to_string(h) + "h";
  }
  if (hours < 24 * 365 * 2) return std::to_string(hours / 24) + "d";
  if (hours < 24 * 365 * 8) {
    long long dy = (hours / 24) % 365;
    return dy == 0 ? std::to_string(hours / 24 / 365) + "y"
                   : std::to_string(hours / 24 / 365) + "y" + std::to_string(dy) + "d";
  }
  return std::to_string(hours / 24 / 365) + "y";
}

namespace {

// rest.NewDefaultTableConvertor: what kube-apiserver uses for kinds without a printer
// (CustomResourceDefinition, LimitRange, ...) and for CRDs with unusable printer columns.
std::vector<table_column> default_columns() {
  return {detail::name_column(), detail::column("Created At", "date", detail::creation_description)};
}

// CRD additionalPrinterColumns after Name; nullopt when any entry is unusable (kube then
// falls back to the default convertor rather than failing every list).
std::optional<std::vector<table_column>> custom_columns(const json::array& printer_columns) {
  std::vector<table_column> out{detail::name_column()};
  for (const auto& pc : printer_columns) {
    const auto* o = pc.if_object();
    if (!o) return std::nullopt;
    table_column c;
    c.name = std::string(jsonu::get_string(*o, "name"));
    c.type = std::string(jsonu::get_string(*o, "type"));
    c.format = std::string(jsonu::get_string(*o, "format"));
    c.json_path = std::string(jsonu::get_string(*o, "jsonPath"));
    if (c.name.empty() || c.json_path.empty() || !jsonpath::parse(c.json_path)) return std::nullopt;
    auto desc = jsonu::get_string(*o, "description");
    c.description =
        desc.empty() ? "Custom resource definition column (in JSONPath format): " + c.json_path : std::string(desc);
    if (auto p = jsonu::get_int(*o, {"priority"}); p && *p >= INT32_MIN && *p <= INT32_MAX)
      c.priority = static_cast<int>(*p);
    out.push_back(std::move(c));
  }
  if (printer_columns.empty()) {
    // apiextensions serves an Age column when a CRD version declares none.
    table_column age;
    age.name = "Age";
    age.type = "date";
    age.description = detail::creation_description;
    age.json_path = ".metadata.creationTimestamp";
    out.push_back(std::move(age));
  }
  return out;
}

// tableconvertor.cellForJSONValue plus the "string" branch that prints via jsonpath.
json::value custom_cell(const table_column& col, const json::value& v, sys_time now) {
  if (col.type == "string") return json::string(detail::go_text(v));
  if (v.is_null()) return nullptr;
  if (col.type == "integer") {
    if (v.is_int64()) return v.get_int64();
    if (v.is_uint64()) return static_cast<std::int64_t>(v.get_uint64());
    if (v.is_double()) {
      double d = v.get_double();
      if (d >= -9.2e18 && d <= 9.2e18) return static_cast<std::int64_t>(d);
    }
    return nullptr;
  }
  if (col.type == "number") {
    if (v.is_double()) return v.get_double();
    if (v.is_int64() || v.is_uint64()) return v;  // an integral float64 serializes without a fraction
    return nullptr;
  }
  if (col.type == "boolean") return v.is_bool() ? json::value(v.get_bool()) : json::value(nullptr);
  if (col.type == "date") {
    if (!v.is_string()) return nullptr;
    std::string_view s = v.get_string();
    if (s.empty() || s == "null") return json::string("<unknown>");
    auto t = parse_rfc3339(s);
    if (!t) return json::string("<invalid>");
    return json::string(human_duration(std::chrono::duration_cast<std::chrono::seconds>(now - *t)));
  }
  return nullptr;
}

// Cells for non-built-in column sets: Name, jsonPath columns, and "Created At".
json::array generic_cells(const std::vector<table_column>& columns, const std::vector<std::optional<jsonpath>>& paths,
                          const json::object& object, sys_time now) {
  json::array cells;
  const json::value root(object);  // jsonpath evaluates from a json::value root
  for (std::size_t i = 0; i < columns.size(); ++i) {
    const auto& col = columns[i];
    if (col.json_path.empty()) {
      if (col.format == "name") {
        cells.emplace_back(json::string(detail::str_at(object, {"metadata", "name"})));
      } else if (col.name == "Created At") {
        // Go's zero time.Time (year 1) when the timestamp is missing, as the default convertor prints it.
        const auto* ts = detail::at(object, {"metadata", "creationTimestamp"});
        auto t = ts && ts->is_string() ? parse_rfc3339(ts->get_string()) : std::nullopt;
        cells.emplace_back(json::string(t ? format_rfc3339(*t) : std::string("0001-01-01T00:00:00Z")));
      } else {
        cells.emplace_back(nullptr);
      }
      continue;
    }
    const auto& p = paths[i];
    auto results = p ? p->eval(root) : std::vector<const json::value*>{};
    // Printer columns are "simple" paths: only the first match is shown.
    cells.push_back(results.empty() ? json::value(nullptr) : custom_cell(col, *results.front(), now));
  }
  return cells;
}

std::vector<std::optional<jsonpath>> parse_paths(const std::vector<table_column>& columns) {
  std::vector<std::optional<jsonpath>> paths;
  paths.reserve(columns.size());
  for (const auto& c : columns) {
    if (c.json_path.empty()) {
      paths.emplace_back();
      continue;
    }
    auto p = jsonpath::parse(c.json_path);
    paths.push_back(p ? std::optional<jsonpath>(std::move(*p)) : std::nullopt);
  }
  return paths;
}

const detail::builtin_printer* builtin_printer_for(std::string_view group, std::string_view kind) {
  return detail::is_builtin_group(group) ? detail::find_builtin_printer(group, kind) : nullptr;
}

json::object column_definition(const table_column& c) {
  json::object o;
  o["name"] = c.name;
  o["type"] = c.type;
  o["format"] = c.format;
  o["description"] = c.description;
  o["priority"] = c.priority;
  return o;
}

}  // namespace

std::vector<table_column> table_columns(std::string_view group, std::string_view kind,
                                        const json::array* printer_columns) {
  if (const auto* p = builtin_printer_for(group, kind)) return p->columns();
  if (detail::is_builtin_group(group)) return default_columns();
  static const json::array none;
  if (auto cols = custom_columns(printer_columns ? *printer_columns : none)) return std::move(*cols);
  return default_columns();
}

json::array table_cells(std::string_view group, std::string_view kind, const std::vector<table_column>& columns,
                        const json::object& object, sys_time now) {
  if (const auto* p = builtin_printer_for(group, kind)) {
    auto cells = p->cells(object, now);
    // Keep rows rectangular even if a caller passes a different column set.
    cells.resize(columns.size());
    return cells;
  }
  return generic_cells(columns, parse_paths(columns), object, now);
}

json::object make_table(std::string_view group, std::string_view kind, const json::array* printer_columns,
                        const std::vector<const json::object*>& objects, include_object include,
                        std::string_view resource_version, std::string_view continue_token, sys_time now) {
  const auto columns = table_columns(group, kind, printer_columns);
  const auto* printer = builtin_printer_for(group, kind);
  const auto paths = printer ? std::vector<std::optional<jsonpath>>{} : parse_paths(columns);

  json::object table;
  table["kind"] = "Table";
  table["apiVersion"] = "meta.k8s.io/v1";
  json::object meta;
  if (!resource_version.empty()) meta["resourceVersion"] = resource_version;
  if (!continue_token.empty()) meta["continue"] = continue_token;
  table["metadata"] = std::move(meta);
  json::array defs;
  for (const auto& c : columns) defs.push_back(column_definition(c));
  table["columnDefinitions"] = std::move(defs);

  json::array rows;
  for (const json::object* obj : objects) {
    if (!obj) continue;
    json::object row;
    json::array cells = printer ? printer->cells(*obj, now) : generic_cells(columns, paths, *obj, now);
    cells.resize(columns.size());
    row["cells"] = std::move(cells);
    switch (include) {
      case include_object::none:
        row["object"] = nullptr;
        break;
      case include_object::metadata: {
        json::object partial;
        partial["kind"] = "PartialObjectMetadata";
        partial["apiVersion"] = "meta.k8s.io/v1";
        const auto* m = detail::obj_at(*obj, {"metadata"});
        partial["metadata"] = m ? *m : json::object{};
        row["object"] = std::move(partial);
        break;
      }
      case include_object::object:
        row["object"] = *obj;
        break;
    }
    rows.push_back(std::move(row));
  }
  table["rows"] = std::move(rows);
  return table;
}

}  // namespace langop::localapi
