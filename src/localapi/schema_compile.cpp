// Compiles an openAPIV3Schema into structural_schema nodes, rejecting what
// kube-apiserver rejects when a CRD is created (non-structural schemas, bad keyword
// types, invalid patterns, CEL rules that do not compile). Errors name the schema path
// the way kube does: "openAPIV3Schema.properties[spec].type: Required value: ...".
#include "go_format.hpp"
#include "schema_node.hpp"

#include <boost/system/errc.hpp>

#include <algorithm>

namespace langop::localapi {
namespace {

using node = structural_schema::node;
constexpr int max_schema_depth = 128;

enum class where { root, property, additional, items, nested };

std::string quote(std::string_view s) { return detail::go_quote(s); }

class compiler {
 public:
  std::vector<std::string> errors;

  std::shared_ptr<node> build(const json::value& v, const std::string& path, where w, int depth) {
    auto n = std::make_shared<node>();
    if (depth > max_schema_depth) {
      fail(path, "Forbidden: schema nested too deeply");
      return n;
    }
    const auto* o = v.if_object();
    if (!o) {
      fail(path, "Invalid value: " + detail::go_bad_value(v) + ": must be a schema object");
      return n;
    }
    read_basics(*o, *n, path);
    bool type_given = o->contains("type");
    read_children(*o, *n, path, depth);
    read_validations(*o, *n, path);
    read_list_semantics(*o, *n, path);
    check_structure(*n, path, w, type_given);
    read_rules(*o, *n, path);
    n->subtree_has_rules = !n->rules.empty();
    for (const auto& [_, p] : n->properties) n->subtree_has_rules |= p->subtree_has_rules;
    if (n->additional) n->subtree_has_rules |= n->additional->subtree_has_rules;
    if (n->items) n->subtree_has_rules |= n->items->subtree_has_rules;
    return n;
  }

 private:
  void fail(const std::string& path, std::string body) { errors.push_back(path + ": " + std::move(body)); }

  bool read_bool(const json::object& o, std::string_view key, const std::string& path, bool& out) {
    auto it = o.find(key);
    if (it == o.end()) return false;
    if (!it->value().is_bool()) {
      fail(path + "." + std::string(key), "Invalid value: " + detail::go_bad_value(it->value()) + ": must be a boolean");
      return false;
    }
    out = it->value().get_bool();
    return true;
  }

  std::optional<std::string> read_string(const json::object& o, std::string_view key, const std::string& path) {
    auto it = o.find(key);
    if (it == o.end()) return std::nullopt;
    if (!it->value().is_string()) {
      fail(path + "." + std::string(key), "Invalid value: " + detail::go_bad_value(it->value()) + ": must be a string");
      return std::nullopt;
    }
    return std::string(it->value().get_string());
  }

  std::optional<std::int64_t> read_count(const json::object& o, std::string_view key, const std::string& path) {
    auto it = o.find(key);
    if (it == o.end()) return std::nullopt;
    const auto& v = it->value();
    if (!detail::is_whole_number(v) || detail::as_long_double(v) < 0 ||
        detail::as_long_double(v) > static_cast<long double>(INT64_MAX)) {
      fail(path + "." + std::string(key),
           "Invalid value: " + detail::go_bad_value(v) + ": must be a non-negative integer");
      return std::nullopt;
    }
    return static_cast<std::int64_t>(detail::as_long_double(v));
  }

  std::optional<json::value> read_number(const json::object& o, std::string_view key, const std::string& path) {
    auto it = o.find(key);
    if (it == o.end()) return std::nullopt;
    if (!detail::is_number(it->value())) {
      fail(path + "." + std::string(key), "Invalid value: " + detail::go_bad_value(it->value()) + ": must be a number");
      return std::nullopt;
    }
    return it->value();
  }

  void read_basics(const json::object& o, node& n, const std::string& path) {
    if (auto t = read_string(o, "type", path)) {
      static const std::vector<std::string> types = {"array", "boolean", "integer", "number", "object", "string"};
      if (std::find(types.begin(), types.end(), *t) == types.end()) {
        std::string body = "Unsupported value: " + quote(*t) + ": supported values: ";
        for (std::size_t i = 0; i < types.size(); ++i) body += (i ? ", " : "") + quote(types[i]);
        fail(path + ".type", body);
      } else {
        n.type = *t;
      }
    }
    read_bool(o, "nullable", path, n.nullable);
    read_bool(o, "x-kubernetes-int-or-string", path, n.int_or_string);
    read_bool(o, "x-kubernetes-embedded-resource", path, n.embedded_resource);
    bool preserve = true;
    if (read_bool(o, "x-kubernetes-preserve-unknown-fields", path, preserve)) {
      if (!preserve) fail(path + ".x-kubernetes-preserve-unknown-fields", "Invalid value: false: must be true or undefined");
      n.preserve_unknown = preserve;
    }
    if (o.contains("$ref")) fail(path + ".$ref", "Forbidden: $ref is not supported");
    if (auto it = o.find("default"); it != o.end()) n.default_value = it->value();
    if (auto f = read_string(o, "format", path)) n.format = *f;
  }

  void read_children(const json::object& o, node& n, const std::string& path, int depth) {
    if (auto it = o.find("properties"); it != o.end()) {
      if (const auto* props = it->value().if_object()) {
        for (const auto& kv : *props)
          n.properties.emplace(std::string(kv.key()),
                               build(kv.value(), path + ".properties[" + std::string(kv.key()) + "]", where::property,
                                     depth + 1));
      } else {
        fail(path + ".properties", "Invalid value: " + detail::go_bad_value(it->value()) + ": must be an object");
      }
    }
    if (auto it = o.find("additionalProperties"); it != o.end()) {
      if (it->value().is_bool()) {
        if (it->value().get_bool())
          n.additional_no_schema = true;
        else
          fail(path + ".additionalProperties", "Forbidden: must not be false");
      } else {
        n.additional = build(it->value(), path + ".additionalProperties", where::additional, depth + 1);
      }
    }
    if (auto it = o.find("items"); it != o.end()) {
      if (it->value().is_array())
        fail(path + ".items", "Forbidden: items must be a schema object and not an array");
      else
        n.items = build(it->value(), path + ".items", where::items, depth + 1);
    }
    auto list_of = [&](std::string_view key, std::vector<node::ptr>& out) {
      auto it = o.find(key);
      if (it == o.end()) return;
      const auto* arr = it->value().if_array();
      if (!arr) {
        fail(path + "." + std::string(key), "Invalid value: " + detail::go_bad_value(it->value()) + ": must be an array");
        return;
      }
      for (std::size_t i = 0; i < arr->size(); ++i)
        out.push_back(build((*arr)[i], path + "." + std::string(key) + "[" + std::to_string(i) + "]", where::nested,
                            depth + 1));
    };
    list_of("allOf", n.all_of);
    list_of("anyOf", n.any_of);
    list_of("oneOf", n.one_of);
    if (auto it = o.find("not"); it != o.end()) n.not_ = build(it->value(), path + ".not", where::nested, depth + 1);
  }

  void read_validations(const json::object& o, node& n, const std::string& path) {
    if (auto it = o.find("enum"); it != o.end()) {
      if (const auto* arr = it->value().if_array())
        n.enum_values = *arr;
      else
        fail(path + ".enum", "Invalid value: " + detail::go_bad_value(it->value()) + ": must be an array");
    }
    if (auto it = o.find("required"); it != o.end()) {
      const auto* arr = it->value().if_array();
      bool ok = arr != nullptr;
      if (arr)
        for (const auto& r : *arr) ok = ok && r.is_string();
      if (!ok) {
        fail(path + ".required", "Invalid value: " + detail::go_bad_value(it->value()) + ": must be an array of strings");
      } else {
        for (const auto& r : *arr) n.required.emplace_back(r.get_string());
      }
    }
    if (auto p = read_string(o, "pattern", path)) {
      auto compiled = detail::compile_regex(*p);
      if (auto* err = std::get_if<std::string>(&compiled)) {
        fail(path + ".pattern", "Invalid value: " + quote(*p) + ": must be a valid regular expression, but isn't: " + *err);
      } else {
        n.pattern = std::get<std::shared_ptr<const detail::safe_regex>>(compiled);
        n.pattern_source = *p;
      }
    }
    n.minimum = read_number(o, "minimum", path);
    n.maximum = read_number(o, "maximum", path);
    n.multiple_of = read_number(o, "multipleOf", path);
    if (n.multiple_of && detail::as_long_double(*n.multiple_of) <= 0) {
      fail(path + ".multipleOf", "Invalid value: " + detail::go_bad_value(*n.multiple_of) + ": must be positive");
      n.multiple_of.reset();
    }
    read_bool(o, "exclusiveMinimum", path, n.exclusive_minimum);
    read_bool(o, "exclusiveMaximum", path, n.exclusive_maximum);
    n.min_length = read_count(o, "minLength", path);
    n.max_length = read_count(o, "maxLength", path);
    n.min_items = read_count(o, "minItems", path);
    n.max_items = read_count(o, "maxItems", path);
    n.min_properties = read_count(o, "minProperties", path);
    n.max_properties = read_count(o, "maxProperties", path);
  }

  void read_list_semantics(const json::object& o, node& n, const std::string& path) {
    auto list_type = read_string(o, "x-kubernetes-list-type", path);
    std::vector<std::string> keys;
    bool has_keys = false;
    if (auto it = o.find("x-kubernetes-list-map-keys"); it != o.end()) {
      has_keys = true;
      const auto* arr = it->value().if_array();
      bool ok = arr != nullptr;
      if (arr)
        for (const auto& k : *arr) ok = ok && k.is_string();
      if (!ok)
        fail(path + ".x-kubernetes-list-map-keys",
             "Invalid value: " + detail::go_bad_value(it->value()) + ": must be an array of strings");
      else
        for (const auto& k : *arr) keys.emplace_back(k.get_string());
    }
    if (auto m = read_string(o, "x-kubernetes-map-type", path); m && *m != "granular" && *m != "atomic")
      fail(path + ".x-kubernetes-map-type",
           "Unsupported value: " + quote(*m) + ": supported values: \"granular\", \"atomic\"");
    if (has_keys && list_type.value_or("") != "map")
      fail(path + ".x-kubernetes-list-map-keys", "Forbidden: must not be set if x-kubernetes-list-type is not map");
    if (!list_type) return;
    if (*list_type != "atomic" && *list_type != "set" && *list_type != "map") {
      fail(path + ".x-kubernetes-list-type",
           "Unsupported value: " + quote(*list_type) + ": supported values: \"atomic\", \"set\", \"map\"");
      return;
    }
    if (n.type != "array") {
      fail(path + ".x-kubernetes-list-type", "Invalid value: " + quote(*list_type) + ": must only be used on type array");
      return;
    }
    list_semantics ls;
    ls.type = *list_type == "set" ? list_semantics::kind::set
              : *list_type == "map" ? list_semantics::kind::map
                                    : list_semantics::kind::atomic;
    if (ls.type == list_semantics::kind::map) {
      if (keys.empty()) {
        fail(path + ".x-kubernetes-list-map-keys", "Required value: must not be empty if x-kubernetes-list-type is map");
      } else if (!n.items || n.items->type != "object" ||
                 std::any_of(keys.begin(), keys.end(),
                             [&](const std::string& k) { return !n.items->properties.count(k); })) {
        std::string shown = "[]string{";
        for (std::size_t i = 0; i < keys.size(); ++i) shown += (i ? ", " : "") + quote(keys[i]);
        fail(path + ".x-kubernetes-list-map-keys",
             "Invalid value: " + shown + "}: entries must all be names of item properties");
      }
      ls.keys = keys;
    }
    n.list = std::move(ls);
  }

  void check_structure(node& n, const std::string& path, where w, bool type_given) {
    if (!type_given && !n.int_or_string && !n.preserve_unknown && w != where::nested) {
      const char* why = w == where::root    ? "must not be empty at the root"
                        : w == where::items ? "must not be empty for specified array items"
                                            : "must not be empty for specified object fields";
      fail(path + ".type", std::string("Required value: ") + why);
    }
    if (w == where::root && !n.type.empty() && n.type != "object")
      fail(path + ".type", "Invalid value: " + quote(n.type) + ": must be object at the root");
    if (n.int_or_string && !n.type.empty())
      fail(path + ".type", "Invalid value: " + quote(n.type) + ": must be empty if x-kubernetes-int-or-string is true");
    if (n.type == "array" && !n.items && w != where::nested) fail(path + ".items", "Required value: must be specified");
    if (n.items && !n.type.empty() && n.type != "array")
      fail(path + ".items", "Forbidden: must be empty for non-array types");
    if (!n.properties.empty() && (n.additional || n.additional_no_schema))
      fail(path + ".additionalProperties", "Forbidden: additionalProperties and properties are mutual exclusive");
    if (n.embedded_resource && n.type != "object")
      fail(path + ".type", "Invalid value: " + quote(n.type) + ": must be object if x-kubernetes-embedded-resource is true");
    if (w == where::root) {
      // kube serves metadata itself: a CRD may only constrain name and generateName.
      auto meta = n.properties.find("metadata");
      if (meta != n.properties.end()) {
        for (const auto& [k, _] : meta->second->properties)
          if (k != "name" && k != "generateName")
            fail(path + ".properties[metadata]",
                 "Forbidden: must not specify anything other than name and generateName, but metadata is implicitly "
                 "specified");
      }
    }
  }

  void read_rules(const json::object& o, node& n, const std::string& path) {
    auto it = o.find("x-kubernetes-validations");
    if (it == o.end()) return;
    const auto* arr = it->value().if_array();
    if (!arr) {
      fail(path + ".x-kubernetes-validations", "Invalid value: " + detail::go_bad_value(it->value()) + ": must be an array");
      return;
    }
    for (std::size_t i = 0; i < arr->size(); ++i) {
      std::string rpath = path + ".x-kubernetes-validations[" + std::to_string(i) + "]";
      const auto* r = (*arr)[i].if_object();
      if (!r) {
        fail(rpath, "Invalid value: " + detail::go_bad_value((*arr)[i]) + ": must be an object");
        continue;
      }
      node::rule rule;
      rule.text = read_string(*r, "rule", rpath).value_or("");
      rule.message = read_string(*r, "message", rpath).value_or("");
      rule.reason = read_string(*r, "reason", rpath).value_or("");
      auto field_path = read_string(*r, "fieldPath", rpath);
      if (rule.text.empty()) {
        fail(rpath + ".rule", "Required value");
        continue;
      }
      auto program = cel_program::compile(rule.text);
      if (!program) {
        fail(rpath + ".rule", "Invalid value: " + quote(rule.text) + ": compilation failed: " + program.error().message);
        continue;
      }
      rule.program = std::move(*program);
      if (!rule.reason.empty() && rule.reason != "FieldValueInvalid" && rule.reason != "FieldValueForbidden" &&
          rule.reason != "FieldValueRequired" && rule.reason != "FieldValueDuplicate") {
        fail(rpath + ".reason", "Unsupported value: " + quote(rule.reason) +
                                    ": supported values: \"FieldValueDuplicate\", \"FieldValueForbidden\", "
                                    "\"FieldValueInvalid\", \"FieldValueRequired\"");
        continue;
      }
      if (field_path) {
        std::string why;
        auto normalized = normalize_field_path(*field_path, n, why);
        if (!normalized) {
          fail(rpath + ".fieldPath", "Invalid value: " + quote(*field_path) + ": fieldPath must be a valid path: " + why);
          continue;
        }
        rule.field_path = *normalized;
      }
      n.rules.push_back(std::move(rule));
    }
  }

  // ".spec.x" / ".labels['a.b']" -> "spec.x" / "labels[a.b]" (field.Path rendering), checked
  // against the schema like kube's ValidFieldPath.
  static std::optional<std::string> normalize_field_path(std::string_view fp, const node& start, std::string& why) {
    const node* cur = &start;
    std::string out;
    std::size_t i = 0;
    if (fp.empty()) {
      why = "unexpected end of JSON path";
      return std::nullopt;
    }
    while (i < fp.size()) {
      std::string name;
      if (fp[i] == '.') {
        ++i;
        while (i < fp.size() && fp[i] != '.' && fp[i] != '[') name += fp[i++];
        if (name.empty()) {
          why = "unexpected end of JSON path";
          return std::nullopt;
        }
      } else if (fp[i] == '[') {
        ++i;
        if (i >= fp.size() || fp[i] != '\'') {
          why = "expected single quoted string but got " + std::string(fp.substr(i));
          return std::nullopt;
        }
        ++i;
        while (i < fp.size() && fp[i] != '\'') {
          if (fp[i] == '\\' && i + 1 < fp.size()) ++i;
          name += fp[i++];
        }
        if (i + 1 >= fp.size() || fp[i + 1] != ']') {
          why = "unexpected end of JSON path";
          return std::nullopt;
        }
        i += 2;
      } else {
        why = "expected [ or . but got: " + std::string(fp.substr(i));
        return std::nullopt;
      }
      if (!cur->properties.empty()) {
        auto p = cur->properties.find(name);
        if (p == cur->properties.end()) {
          why = "does not refer to a valid field";
          return std::nullopt;
        }
        out += out.empty() ? name : "." + name;
        cur = p->second.get();
      } else if (cur->additional) {
        out += "[" + name + "]";
        cur = cur->additional.get();
      } else {
        why = "does not refer to a valid field";
        return std::nullopt;
      }
    }
    return out;
  }
};

}  // namespace

result<std::shared_ptr<const structural_schema>> structural_schema::compile(const json::value& openapi_v3_schema) {
  compiler c;
  auto root = c.build(openapi_v3_schema, "openAPIV3Schema", where::root, 0);
  if (!c.errors.empty()) {
    std::string msg = c.errors.size() == 1 ? c.errors.front() : "[";
    if (c.errors.size() > 1) {
      for (std::size_t i = 0; i < c.errors.size(); ++i) msg += (i ? ", " : "") + c.errors[i];
      msg += "]";
    }
    return error(boost::system::errc::make_error_code(boost::system::errc::invalid_argument), std::move(msg), 422,
                 "Invalid");
  }
  auto s = std::make_shared<structural_schema>();
  s->source_ = openapi_v3_schema;
  s->root_ = std::move(root);
  return std::shared_ptr<const structural_schema>(std::move(s));
}

}  // namespace langop::localapi
