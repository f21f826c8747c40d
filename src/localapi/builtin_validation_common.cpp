// Shared pieces of built-in validation: the cause collector and the metav1-level checks
// (labels, annotations, label selectors, int-or-percent, ports, quantities).
#include "builtin_validation_detail.hpp"
#include "go_format.hpp"
#include "k8s_format.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace langop::localapi::detail {

std::string render(const json::value& v) {
  switch (v.kind()) {
    case json::kind::string:
      return go_quote(v.get_string());
    case json::kind::int64:
      return std::to_string(v.get_int64());
    case json::kind::uint64:
      return std::to_string(v.get_uint64());
    case json::kind::bool_:
      return v.get_bool() ? "true" : "false";
    case json::kind::null:
      return "null";
    default:
      return jsonu::dump(v);
  }
}
std::string render(std::string_view s) { return go_quote(s); }
std::string render(std::int64_t n) { return std::to_string(n); }

void checker::required(const std::string& field, std::string_view detail) {
  std::string msg = "Required value";
  if (!detail.empty()) msg += ": " + std::string(detail);
  causes.push_back({"FieldValueRequired", std::move(msg), field});
}

void checker::invalid(const std::string& field, const std::string& rendered_value, std::string_view detail) {
  std::string msg = "Invalid value: " + rendered_value;
  if (!detail.empty()) msg += ": " + std::string(detail);
  causes.push_back({"FieldValueInvalid", std::move(msg), field});
}

void checker::type_invalid(const std::string& field, const json::value& v, std::string_view expected) {
  causes.push_back(
      {"FieldValueTypeInvalid", "Invalid value: " + render(v) + ": must be of type " + std::string(expected), field});
}

void checker::not_supported(const std::string& field, const std::string& rendered_value,
                            std::initializer_list<std::string_view> supported) {
  std::string msg = "Unsupported value: " + rendered_value + ": supported values: ";
  bool first = true;
  for (auto s : supported) {
    if (!first) msg += ", ";
    first = false;
    msg += go_quote(s);
  }
  causes.push_back({"FieldValueNotSupported", std::move(msg), field});
}

void checker::duplicate(const std::string& field, const std::string& rendered_value) {
  causes.push_back({"FieldValueDuplicate", "Duplicate value: " + rendered_value, field});
}

void checker::forbidden(const std::string& field, std::string_view detail) {
  causes.push_back({"FieldValueForbidden", "Forbidden: " + std::string(detail), field});
}

void checker::not_found(const std::string& field, const std::string& rendered_value) {
  causes.push_back({"FieldValueNotFound", "Not found: " + rendered_value, field});
}

void checker::too_long(const std::string& field, std::size_t max_bytes) {
  causes.push_back(
      {"FieldValueTooLong", "Too long: may not be more than " + std::to_string(max_bytes) + " bytes", field});
}

void checker::invalid_each(const std::string& field, const std::string& rendered_value,
                           const std::vector<std::string>& msgs) {
  for (const auto& m : msgs) invalid(field, rendered_value, m);
}

std::optional<std::int64_t> checker::int_field(const json::object& o, std::string_view key, const std::string& path) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return std::nullopt;
  if (auto v = jsonu::get_int(it->value(), {})) return v;
  type_invalid(path, it->value(), "integer");
  return std::nullopt;
}

std::optional<std::string> checker::str_field(const json::object& o, std::string_view key, const std::string& path) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return std::nullopt;
  if (it->value().is_string()) return std::string(it->value().get_string());
  type_invalid(path, it->value(), "string");
  return std::nullopt;
}

std::optional<bool> checker::bool_field(const json::object& o, std::string_view key, const std::string& path) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return std::nullopt;
  if (it->value().is_bool()) return it->value().get_bool();
  type_invalid(path, it->value(), "boolean");
  return std::nullopt;
}

const json::object* checker::obj_field(const json::object& o, std::string_view key, const std::string& path) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return nullptr;
  if (const auto* r = it->value().if_object()) return r;
  type_invalid(path, it->value(), "object");
  return nullptr;
}

const json::array* checker::arr_field(const json::object& o, std::string_view key, const std::string& path) {
  auto it = o.find(key);
  if (it == o.end() || it->value().is_null()) return nullptr;
  if (const auto* r = it->value().if_array()) return r;
  type_invalid(path, it->value(), "array");
  return nullptr;
}

const json::object* checker::string_map(const json::object& o, std::string_view key, const std::string& path) {
  const auto* m = obj_field(o, key, path);
  if (!m) return nullptr;
  bool ok = true;
  for (const auto& kv : *m) {
    if (!kv.value().is_string()) {
      type_invalid(key_path(path, kv.key()), kv.value(), "string");
      ok = false;
    }
  }
  return ok ? m : nullptr;
}

void checker::nonnegative(const json::object& o, std::string_view key, const std::string& path) {
  if (auto v = int_field(o, key, path); v && *v < 0) invalid(path, render(*v), "must be greater than or equal to 0");
}

void validate_labels(checker& c, const json::object* labels, const std::string& path) {
  if (!labels) return;
  // ValidateLabels reports at the map's path, not per key.
  for (const auto& kv : *labels) {
    c.invalid_each(path, render(std::string_view(kv.key())), qualified_name_errors(kv.key()));
    if (kv.value().is_string()) c.invalid_each(path, render(kv.value()), label_value_errors(kv.value().get_string()));
  }
}

void validate_annotations(checker& c, const json::object* annotations, const std::string& path) {
  if (!annotations) return;
  std::size_t total = 0;
  for (const auto& kv : *annotations) {
    std::string lower(kv.key());
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char ch) { return static_cast<char>(std::tolower(ch)); });
    c.invalid_each(path, render(std::string_view(kv.key())), qualified_name_errors(lower));
    total += kv.key().size() + (kv.value().is_string() ? kv.value().get_string().size() : 0);
  }
  if (total > 256 * 1024) c.too_long(path, 256 * 1024);
}

void validate_label_selector(checker& c, const json::object& selector, const std::string& path) {
  if (const auto* ml = c.string_map(selector, "matchLabels", child_path(path, "matchLabels")))
    validate_labels(c, ml, child_path(path, "matchLabels"));
  const auto* exprs = c.arr_field(selector, "matchExpressions", child_path(path, "matchExpressions"));
  if (!exprs) return;
  for (std::size_t i = 0; i < exprs->size(); ++i) {
    std::string ep = index_path(child_path(path, "matchExpressions"), i);
    const auto* e = (*exprs)[i].if_object();
    if (!e) {
      c.type_invalid(ep, (*exprs)[i], "object");
      continue;
    }
    auto op = c.str_field(*e, "operator", child_path(ep, "operator")).value_or("");
    const auto* values = c.arr_field(*e, "values", child_path(ep, "values"));
    std::size_t n = values ? values->size() : 0;
    if (op == "In" || op == "NotIn") {
      if (n == 0) c.required(child_path(ep, "values"), "must be specified when `operator` is 'In' or 'NotIn'");
    } else if (op == "Exists" || op == "DoesNotExist") {
      if (n > 0)
        c.forbidden(child_path(ep, "values"), "may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
    } else {
      c.invalid(child_path(ep, "operator"), render(op), "not a valid selector operator");
    }
    auto key = c.str_field(*e, "key", child_path(ep, "key")).value_or("");
    c.invalid_each(child_path(ep, "key"), render(key), qualified_name_errors(key));
    if (values) {
      for (std::size_t j = 0; j < values->size(); ++j) {
        const auto& v = (*values)[j];
        if (!v.is_string())
          c.type_invalid(index_path(child_path(ep, "values"), j), v, "string");
        else
          c.invalid_each(index_path(child_path(ep, "values"), j), render(v), label_value_errors(v.get_string()));
      }
    }
  }
}

bool selector_is_empty(const json::value* selector) {
  const auto* o = selector ? selector->if_object() : nullptr;
  if (!o) return true;
  auto count = [&](std::string_view k) -> std::size_t {
    auto it = o->find(k);
    if (it == o->end()) return 0;
    if (const auto* m = it->value().if_object()) return m->size();
    if (const auto* a = it->value().if_array()) return a->size();
    return 0;
  };
  return count("matchLabels") + count("matchExpressions") == 0;
}

std::optional<bool> selector_matches(const json::value* selector, const json::object* labels) {
  if (!selector || selector->is_null()) return false;  // LabelSelectorAsSelector(nil) is Nothing()
  const auto* o = selector->if_object();
  if (!o) return std::nullopt;
  auto label = [&](std::string_view k) -> std::optional<std::string_view> {
    if (!labels) return std::nullopt;
    auto it = labels->find(k);
    if (it == labels->end() || !it->value().is_string()) return std::nullopt;
    return std::string_view(it->value().get_string());
  };
  if (auto it = o->find("matchLabels"); it != o->end() && !it->value().is_null()) {
    const auto* ml = it->value().if_object();
    if (!ml) return std::nullopt;
    for (const auto& kv : *ml) {
      if (!kv.value().is_string()) return std::nullopt;
      auto have = label(kv.key());
      if (!have || *have != std::string_view(kv.value().get_string())) return false;
    }
  }
  if (auto it = o->find("matchExpressions"); it != o->end() && !it->value().is_null()) {
    const auto* me = it->value().if_array();
    if (!me) return std::nullopt;
    for (const auto& ev : *me) {
      const auto* e = ev.if_object();
      if (!e) return std::nullopt;
      auto key = jsonu::get_string(*e, "key");
      auto op = jsonu::get_string(*e, "operator");
      std::set<std::string_view> values;
      if (const auto* va = jsonu::find(*e, {"values"}); va && va->is_array())
        for (const auto& x : va->get_array())
          if (x.is_string()) values.insert(x.get_string());
      auto have = label(key);
      if (op == "In") {
        if (values.empty()) return std::nullopt;
        if (!have || !values.count(*have)) return false;
      } else if (op == "NotIn") {
        if (values.empty()) return std::nullopt;
        if (have && values.count(*have)) return false;
      } else if (op == "Exists") {
        if (!have) return false;
      } else if (op == "DoesNotExist") {
        if (have) return false;
      } else {
        return std::nullopt;
      }
    }
  }
  return true;
}

namespace {
bool unset(const json::value* v) {
  if (!v || v->is_null()) return true;
  if (const auto* o = v->if_object()) return o->empty();
  if (const auto* a = v->if_array()) return a->empty();
  return false;
}
}  // namespace

bool semantically_equal(const json::value* a, const json::value* b) {
  if (unset(a) || unset(b)) return unset(a) && unset(b);
  if (a->is_object() && b->is_object()) {
    const auto& x = a->get_object();
    const auto& y = b->get_object();
    for (const auto& kv : x) {
      auto it = y.find(kv.key());
      if (!semantically_equal(&kv.value(), it == y.end() ? nullptr : &it->value())) return false;
    }
    for (const auto& kv : y)
      if (x.find(kv.key()) == x.end() && !unset(&kv.value())) return false;
    return true;
  }
  if (a->is_array() && b->is_array()) {
    const auto& x = a->get_array();
    const auto& y = b->get_array();
    if (x.size() != y.size()) return false;
    for (std::size_t i = 0; i < x.size(); ++i)
      if (!semantically_equal(&x[i], &y[i])) return false;
    return true;
  }
  auto na = jsonu::get_int(*a, {}), nb = jsonu::get_int(*b, {});
  if (na && nb) return *na == *nb;
  return *a == *b;
}

std::int64_t int_or_percent_value(const json::value* v) {
  if (!v) return 0;
  if (v->is_string()) {
    std::string_view s = v->get_string();
    if (!s.empty() && s.back() == '%') s.remove_suffix(1);
    std::int64_t n = 0;
    for (char ch : s) {
      if (ch < '0' || ch > '9') return 0;
      n = n * 10 + (ch - '0');
      if (n > 1000000000) return n;
    }
    return n;
  }
  return jsonu::get_int(*v, {}).value_or(0);
}

void validate_int_or_percent(checker& c, const json::value& v, const std::string& path, bool not_more_than_100) {
  if (v.is_string()) {
    std::string_view s = v.get_string();
    c.invalid_each(path, go_intstr(v), percent_errors(s));
    if (not_more_than_100 && percent_errors(s).empty() && int_or_percent_value(&v) > 100)
      c.invalid(path, go_intstr(v), "must not be greater than 100%");
  } else if (auto n = jsonu::get_int(v, {})) {
    if (*n < 0) c.invalid(path, render(*n), "must be greater than or equal to 0");
  } else {
    c.invalid(path, render(v), "must be an integer or percentage (e.g '5%')");
  }
}

void validate_port_num(checker& c, std::int64_t port, const std::string& path) {
  if (port < 1 || port > 65535) c.invalid(path, render(port), "must be between 1 and 65535, inclusive");
}

void validate_port_num_or_name(checker& c, const json::value& port, const std::string& path) {
  if (port.is_string()) {
    c.invalid_each(path, render(port), port_name_errors(port.get_string()));
  } else if (auto n = jsonu::get_int(port, {})) {
    validate_port_num(c, *n, path);
  } else {
    c.type_invalid(path, port, "integer or string");
  }
}

std::optional<long double> quantity_field(checker& c, const json::value& v, const std::string& path) {
  std::string text;
  if (v.is_string())
    text = std::string(v.get_string());
  else if (auto n = jsonu::get_int(v, {}))
    text = std::to_string(*n);  // JSON numbers decode as quantities
  else if (v.is_double())
    text = std::to_string(v.get_double());
  else {
    c.type_invalid(path, v, "quantity");
    return std::nullopt;
  }
  auto q = parse_quantity(text);
  if (!q)
    c.invalid(path, render(v),
              "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  return q;
}

}  // namespace langop::localapi::detail
