// OpenAPI value validation as kube-openapi performs it for custom resources, with its
// errors converted to field errors the way apiextensions-apiserver does
// (kubeOpenAPIResultToFieldErrors): "spec.replicas in body must be of type integer".
#include "go_format.hpp"
#include "langop/core/time.hpp"
#include "schema_node.hpp"

#include <cmath>

namespace langop::localapi {
namespace detail {

status_cause cause_required(std::string field, std::string_view detail) {
  std::string msg = "Required value";
  if (!detail.empty()) msg += ": " + std::string(detail);
  return {"FieldValueRequired", std::move(msg), std::move(field)};
}

status_cause cause_invalid(std::string field, const json::value& value, std::string_view detail) {
  return {"FieldValueInvalid", "Invalid value: " + go_bad_value(value) + ": " + std::string(detail), std::move(field)};
}

status_cause cause_invalid_omitted(std::string field, std::string_view detail) {
  return {"FieldValueInvalid", "Invalid value: " + std::string(detail), std::move(field)};
}

status_cause cause_type_invalid(std::string field, std::string_view value, std::string_view detail) {
  return {"FieldValueTypeInvalid", "Invalid value: " + go_quote(value) + ": " + std::string(detail), std::move(field)};
}

status_cause cause_not_supported(std::string field, const json::value& value, const std::vector<std::string>& supported) {
  std::string msg = "Unsupported value: " + go_bad_value(value);
  if (!supported.empty()) {
    msg += ": supported values: ";
    for (std::size_t i = 0; i < supported.size(); ++i) msg += (i ? ", " : "") + go_quote(supported[i]);
  }
  return {"FieldValueNotSupported", std::move(msg), std::move(field)};
}

status_cause cause_too_long(std::string field, std::int64_t max) {
  return {"FieldValueTooLong", "Too long: may not be more than " + std::to_string(max) + " bytes", std::move(field)};
}

status_cause cause_too_many(std::string field, std::int64_t actual, std::int64_t max) {
  return {"FieldValueTooMany",
          "Too many: " + std::to_string(actual) + ": must have at most " + std::to_string(max) + " items",
          std::move(field)};
}

status_cause cause_duplicate(std::string field, const json::value* value) {
  std::string msg = "Duplicate value";
  if (value) msg += ": " + go_bad_value(*value);
  return {"FieldValueDuplicate", std::move(msg), std::move(field)};
}

status_cause cause_forbidden(std::string field, std::string_view detail) {
  std::string msg = "Forbidden";
  if (!detail.empty()) msg += ": " + std::string(detail);
  return {"FieldValueForbidden", std::move(msg), std::move(field)};
}

}  // namespace detail

namespace {

using node = structural_schema::node;
using namespace detail;

const char* json_type(const json::value& v) {
  switch (v.kind()) {
    case json::kind::bool_: return "boolean";
    case json::kind::int64:
    case json::kind::uint64: return "integer";
    case json::kind::double_: return "number";
    case json::kind::string: return "string";
    case json::kind::array: return "array";
    case json::kind::object: return "object";
    default: return "null";
  }
}

bool valid_date(std::string_view s) {
  if (s.size() != 10 || s[4] != '-' || s[7] != '-') return false;
  for (std::size_t i : {0u, 1u, 2u, 3u, 5u, 6u, 8u, 9u})
    if (s[i] < '0' || s[i] > '9') return false;
  int y = std::stoi(std::string(s.substr(0, 4))), m = std::stoi(std::string(s.substr(5, 2))),
      d = std::stoi(std::string(s.substr(8, 2)));
  static const int days[] = {31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (m < 1 || m > 12 || d < 1 || d > days[m - 1]) return false;
  bool leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return !(m == 2 && d == 29 && !leap);
}

class validator {
 public:
  explicit validator(std::vector<status_cause>& out) : out_(out) {}

  void value(const node& s, const json::value& v, const std::string& path) {
    std::string field = field_or_root(path);
    if (v.is_null()) {
      if (s.nullable) return;
      if (!s.type.empty() || s.int_or_string)
        out_.push_back(cause_type_invalid(field, "null", type_detail(s, path, "null")));
      enum_check(s, v, field);
      return;
    }
    if (!type_matches(s, v)) out_.push_back(cause_type_invalid(field, json_type(v), type_detail(s, path, json_type(v))));
    combinators(s, v, path);
    if (v.is_string()) string_checks(s, v, path, field);
    if (detail::is_number(v)) number_checks(s, v, path, field);
    if (const auto* a = v.if_array()) array_checks(s, *a, path, field);
    enum_check(s, v, field);
    if (const auto* o = v.if_object()) object_checks(s, *o, path, field);
  }

 private:
  static bool type_matches(const node& s, const json::value& v) {
    std::string_view actual = json_type(v);
    auto accepts = [&](std::string_view t) {
      return t == actual || (t == "integer" && v.is_double() && is_whole_number(v)) ||
             (t == "number" && actual == "integer");
    };
    if (s.int_or_string) return accepts("integer") || accepts("string");
    return s.type.empty() || accepts(s.type);
  }

  static std::string type_detail(const node& s, const std::string& path, std::string_view actual) {
    std::string expected = s.int_or_string ? "integer,string" : s.type;
    return path + " in body must be of type " + expected + ": " + go_quote(actual);
  }

  // A bound as kube-openapi prints it: integer data against a whole bound uses the
  // integer formatter, everything else Go's %v of a float64.
  static std::string bound(const json::value& data, const json::value& b) {
    if ((data.is_int64() || data.is_uint64()) && is_whole_number(b) && std::fabs(as_long_double(b)) < 9.2e18L)
      return std::to_string(static_cast<long long>(as_long_double(b)));
    return go_float(static_cast<double>(as_long_double(b)));
  }

  void combinators(const node& s, const json::value& v, const std::string& path) {
    auto run = [&](const node& sub) {
      std::vector<status_cause> errs;
      validator(errs).value(sub, v, path);
      return errs;
    };
    auto composite = [&](std::string detail) {
      out_.push_back(cause_invalid("<nil>", json::value(""), go_quote(path) + " " + detail));
    };
    if (!s.any_of.empty()) {
      std::optional<std::vector<status_cause>> best;
      bool ok = false;
      for (const auto& sub : s.any_of) {
        auto errs = run(*sub);
        if (errs.empty()) {
          ok = true;
          break;
        }
        if (!best || errs.size() < best->size()) best = std::move(errs);
      }
      if (!ok) {
        composite("must validate at least one schema (anyOf)");
        out_.insert(out_.end(), best->begin(), best->end());
      }
    }
    if (!s.one_of.empty()) {
      std::optional<std::vector<status_cause>> best;
      int valid = 0;
      for (const auto& sub : s.one_of) {
        auto errs = run(*sub);
        if (errs.empty())
          ++valid;
        else if (!best || errs.size() < best->size())
          best = std::move(errs);
      }
      if (valid != 1) {
        composite("must validate one and only one schema (oneOf). " +
                  (valid == 0 ? std::string("Found none valid") : "Found " + std::to_string(valid) + " valid alternatives"));
        if (valid == 0 && best) out_.insert(out_.end(), best->begin(), best->end());
      }
    }
    if (!s.all_of.empty()) {
      std::size_t valid = 0;
      for (const auto& sub : s.all_of) {
        auto errs = run(*sub);
        if (errs.empty()) ++valid;
        out_.insert(out_.end(), errs.begin(), errs.end());
      }
      if (valid != s.all_of.size())
        composite(std::string("must validate all the schemas (allOf)") + (valid == 0 ? ". None validated" : ""));
    }
    if (s.not_ && run(*s.not_).empty()) composite("must not validate the schema (not)");
  }

  void string_checks(const node& s, const json::value& v, const std::string& path, const std::string& field) {
    std::string_view str = v.get_string();
    std::size_t runes = rune_count(str);
    // kube-openapi's string validator stops at the first failure.
    if (s.max_length && static_cast<std::int64_t>(runes) > *s.max_length) {
      out_.push_back(cause_too_long(field, *s.max_length));
    } else if (s.min_length && static_cast<std::int64_t>(runes) < *s.min_length) {
      out_.push_back(cause_invalid(field, v,
                                   path + " in body should be at least " + std::to_string(*s.min_length) + " chars long"));
    } else if (s.pattern) {
      auto found = regex_search(*s.pattern, str);
      if (!found || !*found)
        out_.push_back(cause_invalid(field, v, path + " in body should match '" + s.pattern_source + "'"));
    }
    bool format_ok = true;
    if (s.format == "date-time") format_ok = parse_rfc3339(str).has_value();
    if (s.format == "date") format_ok = valid_date(str);
    if (!format_ok)
      out_.push_back({"FieldValueTypeInvalid",
                      "Invalid value: " + go_quote(str) + ": " + path + " in body must be of type " + s.format + ": " +
                          go_quote(str),
                      field});
  }

  void number_checks(const node& s, const json::value& v, const std::string& path, const std::string& field) {
    long double x = as_long_double(v);
    if (s.multiple_of) {
      const auto& m = *s.multiple_of;
      bool ok;
      if ((v.is_int64() || v.is_uint64()) && is_whole_number(m)) {
        long double q = x / as_long_double(m);
        ok = std::trunc(q) == q;
      } else {
        long double q = x / as_long_double(m);
        ok = std::fabs(q - std::round(q)) < 1e-9L * std::max(1.0L, std::fabs(q));
      }
      if (!ok) out_.push_back(cause_invalid(field, v, path + " in body should be a multiple of " + bound(v, m)));
    }
    if (s.maximum) {
      long double b = as_long_double(*s.maximum);
      if (s.exclusive_maximum ? x >= b : x > b)
        out_.push_back(cause_invalid(field, v,
                                     path + " in body should be less than " + (s.exclusive_maximum ? "" : "or equal to ") +
                                         bound(v, *s.maximum)));
    }
    if (s.minimum) {
      long double b = as_long_double(*s.minimum);
      if (s.exclusive_minimum ? x <= b : x < b)
        out_.push_back(cause_invalid(field, v,
                                     path + " in body should be greater than " +
                                         (s.exclusive_minimum ? "" : "or equal to ") + bound(v, *s.minimum)));
    }
  }

  void array_checks(const node& s, const json::array& a, const std::string& path, const std::string& field) {
    auto size = static_cast<std::int64_t>(a.size());
    if (s.min_items && size < *s.min_items)
      out_.push_back(cause_invalid(field, json::value(size),
                                   path + " in body should have at least " + std::to_string(*s.min_items) + " items"));
    if (s.max_items && size > *s.max_items) out_.push_back(cause_too_many(field, size, *s.max_items));
    if (!s.items) return;
    for (std::size_t i = 0; i < a.size(); ++i) value(*s.items, a[i], path + "[" + std::to_string(i) + "]");
  }

  void enum_check(const node& s, const json::value& v, const std::string& field) {
    if (!s.enum_values || s.enum_values->empty()) return;
    for (const auto& e : *s.enum_values)
      if (json_equal(e, v)) return;
    std::vector<std::string> supported;
    for (const auto& e : *s.enum_values)
      supported.push_back(e.is_string() ? std::string(e.get_string()) : go_json(e));
    out_.push_back(cause_not_supported(field, v, supported));
  }

  void object_checks(const node& s, const json::object& o, const std::string& path, const std::string& field) {
    auto n = static_cast<std::int64_t>(o.size());
    // Like kube-openapi, a property-count failure ends the validation of this object.
    if (s.min_properties && n < *s.min_properties) {
      out_.push_back(cause_invalid(field, json::value(n),
                                   path + " in body should have at least " + std::to_string(*s.min_properties) +
                                       " properties"));
      return;
    }
    if (s.max_properties && n > *s.max_properties) {
      out_.push_back(cause_too_many(field, n, *s.max_properties));
      return;
    }
    for (const auto& [name, prop] : s.properties) {
      auto it = o.find(name);
      if (it != o.end()) value(*prop, it->value(), child_path(path, name));
    }
    if (s.additional) {
      for (const auto& kv : o)
        if (!s.properties.count(kv.key())) value(*s.additional, kv.value(), path + "." + std::string(kv.key()));
    }
    for (const auto& r : s.required)
      if (!o.contains(r)) out_.push_back(cause_required(child_path(path, r)));
  }

  std::vector<status_cause>& out_;
};

}  // namespace

std::vector<status_cause> structural_schema::validate(const json::object& object, const json::object* old_object) const {
  std::vector<status_cause> out;
  if (!root_) return out;
  // The walkers take json::value (the root is just another object); one copy per call.
  json::value self(object, object.storage());
  validator(out).value(*root_, self, "");
  detail::validate_list_types(*root_, self, "", out, 0);
  if (root_->subtree_has_rules) {
    std::optional<json::value> old;
    if (old_object) old.emplace(*old_object, old_object->storage());
    detail::validate_rules(*root_, self, old ? &*old : nullptr, "", out, 0);
  }
  return out;
}

}  // namespace langop::localapi
