// Formatting helpers for Table cells: the exact text kube-apiserver's printers produce
// (pkg/printers/internalversion, metav1.FormatLabelSelector, jsonpath text output).
#include "k8s_format.hpp"
#include "table_detail.hpp"

#include "go_format.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

namespace langop::localapi::detail {

const char* const name_description =
    "Name must be unique within a namespace. Is required when creating resources, although some resources may "
    "allow a client to request the generation of an appropriate name automatically. Name is primarily intended for "
    "creation idempotence and configuration definition. Cannot be updated. More info: "
    "https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names";
const char* const creation_description =
    "CreationTimestamp is a timestamp representing the server time when this object was created. It is not "
    "guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It "
    "is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More "
    "info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata";

const json::value* at(const json::object& o, std::initializer_list<std::string_view> path) {
  return jsonu::find(o, path);
}

const json::object* obj_at(const json::object& o, std::initializer_list<std::string_view> path) {
  const auto* v = at(o, path);
  return v ? v->if_object() : nullptr;
}

const json::array* arr_at(const json::object& o, std::initializer_list<std::string_view> path) {
  const auto* v = at(o, path);
  return v ? v->if_array() : nullptr;
}

std::string str_at(const json::object& o, std::initializer_list<std::string_view> path) {
  return opt_str_at(o, path).value_or("");
}

std::optional<std::string> opt_str_at(const json::object& o, std::initializer_list<std::string_view> path) {
  const auto* v = at(o, path);
  if (!v || !v->is_string()) return std::nullopt;
  return std::string(v->get_string());
}

std::optional<std::int64_t> int_at(const json::object& o, std::initializer_list<std::string_view> path) {
  const auto* v = at(o, path);
  if (!v) return std::nullopt;
  return jsonu::get_int(*v, {});
}

std::int64_t int_or(const json::object& o, std::initializer_list<std::string_view> path, std::int64_t fallback) {
  return int_at(o, path).value_or(fallback);
}

std::optional<bool> bool_at(const json::object& o, std::initializer_list<std::string_view> path) {
  const auto* v = at(o, path);
  if (!v || !v->is_bool()) return std::nullopt;
  return v->get_bool();
}

std::size_t size_at(const json::object& o, std::initializer_list<std::string_view> path) {
  const auto* v = at(o, path);
  if (!v) return 0;
  if (const auto* a = v->if_array()) return a->size();
  if (const auto* m = v->if_object()) return m->size();
  return 0;
}

std::string age_of(const json::value* timestamp, sys_time now) {
  if (!timestamp || !timestamp->is_string()) return "<unknown>";
  auto t = parse_rfc3339(timestamp->get_string());
  if (!t) return "<unknown>";
  return human_duration(std::chrono::duration_cast<std::chrono::seconds>(now - *t));
}

std::string age_since(const json::object& o, std::initializer_list<std::string_view> path, sys_time now) {
  return age_of(at(o, path), now);
}

namespace {

struct requirement {
  std::string key;
  std::string text;
};

bool valid_label_key(std::string_view k) { return qualified_name_errors(k).empty(); }
bool valid_label_value(std::string_view v) { return label_value_errors(v).empty(); }

}  // namespace

std::optional<std::string> selector_string(const json::value* selector) {
  if (!selector || selector->is_null()) return std::string();
  const auto* o = selector->if_object();
  if (!o) return std::nullopt;
  std::vector<requirement> reqs;
  if (auto it = o->find("matchLabels"); it != o->end() && !it->value().is_null()) {
    const auto* ml = it->value().if_object();
    if (!ml) return std::nullopt;
    for (const auto& kv : *ml) {
      if (!kv.value().is_string()) return std::nullopt;
      std::string_view v = kv.value().get_string();
      if (!valid_label_key(kv.key()) || !valid_label_value(v)) return std::nullopt;
      reqs.push_back({std::string(kv.key()), std::string(kv.key()) + "=" + std::string(v)});
    }
  }
  if (auto it = o->find("matchExpressions"); it != o->end() && !it->value().is_null()) {
    const auto* me = it->value().if_array();
    if (!me) return std::nullopt;
    for (const auto& ev : *me) {
      const auto* e = ev.if_object();
      if (!e) return std::nullopt;
      std::string key(jsonu::get_string(*e, "key"));
      std::string op(jsonu::get_string(*e, "operator"));
      if (!valid_label_key(key)) return std::nullopt;
      std::vector<std::string> values;
      if (auto vi = e->find("values"); vi != e->end() && !vi->value().is_null()) {
        const auto* va = vi->value().if_array();
        if (!va) return std::nullopt;
        for (const auto& x : *va) {
          if (!x.is_string() || !valid_label_value(x.get_string())) return std::nullopt;
          values.emplace_back(x.get_string());
        }
      }
      std::sort(values.begin(), values.end());
      std::string joined;
      for (std::size_t i = 0; i < values.size(); ++i) joined += (i ? "," : "") + values[i];
      if (op == "In" || op == "NotIn") {
        if (values.empty()) return std::nullopt;
        reqs.push_back({key, key + (op == "In" ? " in (" : " notin (") + joined + ")"});
      } else if (op == "Exists" || op == "DoesNotExist") {
        if (!values.empty()) return std::nullopt;
        reqs.push_back({key, (op == "Exists" ? "" : "!") + key});
      } else {
        return std::nullopt;
      }
    }
  }
  std::stable_sort(reqs.begin(), reqs.end(), [](const requirement& a, const requirement& b) { return a.key < b.key; });
  std::string out;
  for (std::size_t i = 0; i < reqs.size(); ++i) out += (i ? "," : "") + reqs[i].text;
  return out;
}

std::string format_label_selector(const json::value* selector) {
  auto s = selector_string(selector);
  if (!s) return "<error>";
  return s->empty() ? "<none>" : *s;
}

std::string format_labels(const json::value* labels) {
  const auto* o = labels ? labels->if_object() : nullptr;
  if (!o || o->empty()) return "<none>";
  std::map<std::string, std::string> sorted;
  for (const auto& kv : *o)
    sorted[std::string(kv.key())] = kv.value().is_string() ? std::string(kv.value().get_string()) : "";
  std::string out;
  for (const auto& [k, v] : sorted) out += (out.empty() ? "" : ",") + k + "=" + v;
  return out;
}

std::string intstr_string(const json::value& v) {
  if (v.is_string()) return std::string(v.get_string());
  if (auto i = jsonu::get_int(v, {})) return std::to_string(*i);
  return "0";
}

std::string go_text(const json::value& v) {
  switch (v.kind()) {
    case json::kind::string:
      return std::string(v.get_string());
    case json::kind::bool_:
      return v.get_bool() ? "true" : "false";
    case json::kind::int64:
      return std::to_string(v.get_int64());
    case json::kind::uint64:
      return std::to_string(v.get_uint64());
    case json::kind::double_:
      return go_float(v.get_double());
    case json::kind::null:
      return "<no value>";
    default:
      return go_json(v);
  }
}

void container_cells(const json::object* pod_spec, std::string& names, std::string& images) {
  names.clear();
  images.clear();
  const auto* containers = pod_spec ? arr_at(*pod_spec, {"containers"}) : nullptr;
  if (!containers) return;
  for (std::size_t i = 0; i < containers->size(); ++i) {
    const auto* c = (*containers)[i].if_object();
    if (i) {
      names += ',';
      images += ',';
    }
    if (c) {
      names += jsonu::get_string(*c, "name");
      images += jsonu::get_string(*c, "image");
    }
  }
}

table_column column(std::string name, std::string type, std::string description, int priority) {
  table_column c;
  c.name = std::move(name);
  c.type = std::move(type);
  c.description = std::move(description);
  c.priority = priority;
  return c;
}

table_column name_column() {
  auto c = column("Name", "string", name_description);
  c.format = "name";
  return c;
}

table_column age_column() { return column("Age", "string", creation_description); }

}  // namespace langop::localapi::detail
