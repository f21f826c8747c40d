// Formatting helpers for Table cells: the exact text kube-apiserver's printers produce
// (pkg/printers/internalversion, metav1.FormatLabelSelector, jsonpath text output).
#include "k8s_format.hpp"
#include "table_detail.hpp"

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

namespace {

// Shortest round-trip digits of `d` split into sign, digit string and decimal exponent.
struct shortest {
  bool negative = false;
  std::string digits;  // no leading/trailing zeros, at least one digit
  int exponent = 0;    // value = 0.d1d2... * 10^(exponent+1), i.e. d1 is at 10^exponent
};

shortest decompose(double d) {
  char buf[64];
  auto [p, ec] = std::to_chars(buf, buf + sizeof buf, d, std::chars_format::scientific);
  std::string_view s(buf, ec == std::errc() ? static_cast<std::size_t>(p - buf) : 0);
  shortest out;
  if (!s.empty() && s.front() == '-') {
    out.negative = true;
    s.remove_prefix(1);
  }
  auto e = s.find('e');
  for (char c : s.substr(0, e))
    if (c != '.') out.digits += c;
  if (e != std::string_view::npos) {
    auto ex = s.substr(e + 1);
    if (!ex.empty() && ex.front() == '+') ex.remove_prefix(1);
    std::from_chars(ex.data(), ex.data() + ex.size(), out.exponent);
  }
  while (out.digits.size() > 1 && out.digits.back() == '0') out.digits.pop_back();
  if (out.digits.empty()) out.digits = "0";
  return out;
}

std::string exp_form(const shortest& s, bool min_two_digits) {
  std::string out = s.negative ? "-" : "";
  out += s.digits.substr(0, 1);
  if (s.digits.size() > 1) out += "." + s.digits.substr(1);
  int e = s.exponent;
  out += e < 0 ? "e-" : "e+";
  std::string ed = std::to_string(e < 0 ? -e : e);
  if (min_two_digits && ed.size() < 2) ed = "0" + ed;
  return out + ed;
}

std::string fixed_form(const shortest& s) {
  std::string out = s.negative ? "-" : "";
  int e = s.exponent;
  if (e < 0) {
    out += "0." + std::string(static_cast<std::size_t>(-e - 1), '0') + s.digits;
  } else if (static_cast<std::size_t>(e) + 1 >= s.digits.size()) {
    out += s.digits + std::string(static_cast<std::size_t>(e) + 1 - s.digits.size(), '0');
  } else {
    out += s.digits.substr(0, static_cast<std::size_t>(e) + 1) + "." + s.digits.substr(static_cast<std::size_t>(e) + 1);
  }
  return out;
}

// fmt.Sprint(float64): strconv 'g' with shortest precision (exponent form below 1e-4 or from 1e6).
std::string go_float_text(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "+Inf" : "-Inf";
  if (d == 0) return std::signbit(d) ? "-0" : "0";
  auto s = decompose(d);
  if (s.exponent < -4 || s.exponent >= 6) return exp_form(s, true);
  return fixed_form(s);
}

// encoding/json float: 'f' unless |d| < 1e-6 or >= 1e21, exponent without padding.
std::string go_float_json(double d) {
  if (!std::isfinite(d)) return "null";
  if (d == 0) return "0";
  auto s = decompose(d);
  double a = std::fabs(d);
  if (a < 1e-6 || a >= 1e21) return exp_form(s, false);
  return fixed_form(s);
}

void go_json_string(std::string_view s, std::string& out) {
  static const char* hex = "0123456789abcdef";
  out += '"';
  for (std::size_t i = 0; i < s.size(); ++i) {
    auto c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      default:
        if (c < 0x20 || c == '<' || c == '>' || c == '&') {
          out += "\\u00";
          out += hex[c >> 4];
          out += hex[c & 0xf];
        } else if (c == 0xe2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
                   (static_cast<unsigned char>(s[i + 2]) == 0xa8 || static_cast<unsigned char>(s[i + 2]) == 0xa9)) {
          out += static_cast<unsigned char>(s[i + 2]) == 0xa8 ? "\\u2028" : "\\u2029";
          i += 2;
        } else {
          out += static_cast<char>(c);
        }
    }
  }
  out += '"';
}

void go_json_into(const json::value& v, std::string& out, int depth) {
  if (depth > 64) {
    out += "null";
    return;
  }
  switch (v.kind()) {
    case json::kind::null:
      out += "null";
      break;
    case json::kind::bool_:
      out += v.get_bool() ? "true" : "false";
      break;
    case json::kind::int64:
      out += std::to_string(v.get_int64());
      break;
    case json::kind::uint64:
      out += std::to_string(v.get_uint64());
      break;
    case json::kind::double_:
      out += go_float_json(v.get_double());
      break;
    case json::kind::string:
      go_json_string(v.get_string(), out);
      break;
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& e : v.get_array()) {
        if (!first) out += ',';
        first = false;
        go_json_into(e, out, depth + 1);
      }
      out += ']';
      break;
    }
    case json::kind::object: {
      // Go marshals map[string]interface{} with sorted keys.
      std::vector<const json::key_value_pair*> kvs;
      for (const auto& kv : v.get_object()) kvs.push_back(&kv);
      std::sort(kvs.begin(), kvs.end(), [](auto* a, auto* b) { return a->key() < b->key(); });
      out += '{';
      bool first = true;
      for (const auto* kv : kvs) {
        if (!first) out += ',';
        first = false;
        go_json_string(kv->key(), out);
        out += ':';
        go_json_into(kv->value(), out, depth + 1);
      }
      out += '}';
      break;
    }
  }
}

}  // namespace

std::string go_json(const json::value& v) {
  std::string out;
  go_json_into(v, out, 0);
  return out;
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
      return go_float_text(v.get_double());
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
