// The two validation passes kube-apiserver runs after OpenAPI validation: uniqueness of
// x-kubernetes-list-type set/map lists (schema/listtype) and x-kubernetes-validations
// rules (schema/cel), with their field paths and messages.
#include "go_format.hpp"
#include "schema_node.hpp"

#include <map>

namespace langop::localapi::detail {
namespace {

std::string index_path(const std::string& path, std::size_t i) { return path + "[" + std::to_string(i) + "]"; }

// Go map-key identity of a decoded JSON value: scalars compare by type and value (1 and
// 1.0 differ), compounds by their JSON encoding.
std::string identity(const json::value& v) {
  char tag = 'o';
  switch (v.kind()) {
    case json::kind::null: tag = 'n'; break;
    case json::kind::bool_: tag = 'b'; break;
    case json::kind::int64:
    case json::kind::uint64: tag = 'i'; break;
    case json::kind::double_: tag = 'd'; break;
    case json::kind::string: tag = 's'; break;
    default: break;
  }
  return tag + go_json(v);
}

// Indices of the second occurrence of each repeated identity (kube reports only those).
std::vector<std::size_t> repeated(const std::vector<std::string>& ids) {
  std::map<std::string_view, int> seen;
  std::vector<std::size_t> out;
  for (std::size_t i = 0; i < ids.size(); ++i)
    if (++seen[ids[i]] == 2) out.push_back(i);
  return out;
}

void check_set(const json::array& a, const std::string& path, std::vector<status_cause>& out) {
  std::vector<std::string> ids;
  for (const auto& e : a) ids.push_back(identity(e));
  for (auto i : repeated(ids)) out.push_back(cause_duplicate(index_path(path, i), &a[i]));
}

void check_map(const json::array& a, const list_semantics& ls, const std::string& path, std::vector<status_cause>& out) {
  for (std::size_t i = 0; i < a.size(); ++i) {
    if (!a[i].is_object() && !a[i].is_null()) {
      out.push_back(cause_invalid(index_path(path, i), a[i], "must be an object for an array of list-type map"));
      return;
    }
  }
  std::vector<std::string> ids;
  std::vector<json::object> keys;
  for (const auto& e : a) {
    json::object key;
    if (const auto* o = e.if_object())
      for (const auto& k : ls.keys)
        if (auto it = o->find(k); it != o->end()) key[k] = it->value();
    ids.push_back(identity(key));
    keys.push_back(std::move(key));
  }
  for (auto i : repeated(ids)) {
    json::value shown(keys[i]);
    out.push_back(cause_duplicate(index_path(path, i), &shown));
  }
}

const json::value* correlate(const schema_node& list, const json::value& item, const json::value* old) {
  if (!old || !old->is_array() || !list.list || list.list->type != list_semantics::kind::map) return nullptr;
  const auto* o = item.if_object();
  if (!o) return nullptr;
  for (const auto& candidate : old->get_array()) {
    const auto* c = candidate.if_object();
    if (!c) continue;
    bool same = true;
    for (const auto& k : list.list->keys) {
      auto a = o->find(k), b = c->find(k);
      bool ha = a != o->end(), hb = b != c->end();
      if (ha != hb || (ha && !json_equal(a->value(), b->value()))) {
        same = false;
        break;
      }
    }
    if (same) return &candidate;
  }
  return nullptr;
}

std::string trim_space(std::string_view s) {
  auto space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\v' || c == '\f'; };
  while (!s.empty() && space(s.front())) s.remove_prefix(1);
  while (!s.empty() && space(s.back())) s.remove_suffix(1);
  return std::string(s);
}

class rule_runner {
 public:
  explicit rule_runner(std::vector<status_cause>& out) : out_(out) {}

  // Returns false once the cost budget is exhausted: kube runs no further rules then.
  bool walk(const schema_node& s, const json::value& v, const json::value* old, const std::string& path, int depth) {
    if (!s.subtree_has_rules || v.is_null() || depth > max_walk_depth) return true;
    if (old && old->is_null()) old = nullptr;
    for (const auto& rule : s.rules)
      if (!run(s, rule, v, old, path)) return false;
    if (const auto* o = v.if_object()) {
      const auto* old_obj = old ? old->if_object() : nullptr;
      for (const auto& kv : *o) {
        const json::value* old_child = nullptr;
        if (old_obj)
          if (auto it = old_obj->find(kv.key()); it != old_obj->end()) old_child = &it->value();
        if (auto p = s.properties.find(kv.key()); p != s.properties.end()) {
          if (!walk(*p->second, kv.value(), old_child, child_path(path, kv.key()), depth + 1)) return false;
        } else if (s.additional) {
          if (!walk(*s.additional, kv.value(), old_child, path + "[" + std::string(kv.key()) + "]", depth + 1))
            return false;
        }
      }
    } else if (const auto* a = v.if_array()) {
      if (!s.items) return true;
      for (std::size_t i = 0; i < a->size(); ++i)
        if (!walk(*s.items, (*a)[i], correlate(s, (*a)[i], old), index_path(path, i), depth + 1)) return false;
    }
    return true;
  }

 private:
  bool run(const schema_node& s, const schema_node::rule& rule, const json::value& v, const json::value* old,
           const std::string& path) {
    if (rule.program.uses_old_self() && !old) return true;  // transition rules need an old value
    std::string rule_string = trim_space(rule.message.empty() ? rule.text : rule.message);
    auto result = rule.program.evaluate(v, old);
    if (!result) {
      const std::string& err = result.error().message;
      json::value type_value(s.type);
      if (err.rfind("no such overload", 0) == 0) {
        out_.push_back(cause_invalid(field_or_root(path), type_value,
                                     "'" + err +
                                         "': call arguments did not match a supported operator, function or macro "
                                         "signature for rule: " +
                                         rule_string));
      } else if (err.rfind("operation cancelled: actual cost limit exceeded", 0) == 0) {
        out_.push_back(cause_invalid(field_or_root(path), type_value,
                                     "'" + err +
                                         "': no further validation rules will be run due to call cost exceeds limit "
                                         "for rule: " +
                                         rule_string));
        return false;
      } else {
        out_.push_back(cause_invalid(field_or_root(path), type_value, err + " evaluating rule: " + rule_string));
      }
      return true;
    }
    if (*result) return true;
    std::string field = rule.field_path.empty() ? path : child_path(path, rule.field_path);
    field = field_or_root(field);
    std::string detail = rule.message.empty() ? "failed rule: " + trim_space(rule.text) : trim_space(rule.message);
    bool omit = s.type == "object" || s.type == "array";
    if (rule.reason == "FieldValueForbidden") {
      out_.push_back(cause_forbidden(field, detail));
    } else if (rule.reason == "FieldValueRequired") {
      out_.push_back(cause_required(field, detail));
    } else if (rule.reason == "FieldValueDuplicate") {
      out_.push_back(cause_duplicate(field, omit ? nullptr : &v));
    } else if (omit) {
      out_.push_back(cause_invalid_omitted(field, detail));
    } else {
      out_.push_back(cause_invalid(field, v, detail));
    }
    return true;
  }

  std::vector<status_cause>& out_;
};

}  // namespace

void validate_list_types(const schema_node& s, const json::value& v, const std::string& path,
                         std::vector<status_cause>& out, int depth) {
  if (depth > max_walk_depth) return;
  if (const auto* a = v.if_array()) {
    if (s.list && s.list->type == list_semantics::kind::set) check_set(*a, path, out);
    if (s.list && s.list->type == list_semantics::kind::map) check_map(*a, *s.list, path, out);
    if (s.items)
      for (std::size_t i = 0; i < a->size(); ++i)
        validate_list_types(*s.items, (*a)[i], index_path(path, i), out, depth + 1);
  } else if (const auto* o = v.if_object()) {
    for (const auto& kv : *o) {
      const schema_node* child = nullptr;
      if (auto p = s.properties.find(kv.key()); p != s.properties.end())
        child = p->second.get();
      else
        child = s.additional.get();
      if (child) validate_list_types(*child, kv.value(), child_path(path, kv.key()), out, depth + 1);
    }
  }
}

void validate_rules(const schema_node& s, const json::value& v, const json::value* old, const std::string& path,
                    std::vector<status_cause>& out, int depth) {
  (void)rule_runner(out).walk(s, v, old, path, depth);
}

}  // namespace langop::localapi::detail
