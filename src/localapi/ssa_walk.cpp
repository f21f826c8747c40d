#include "ssa_walk.hpp"

#include "go_format.hpp"

#include <algorithm>
#include <map>
#include <optional>
#include <set>

namespace langop::localapi::detail {
namespace {

constexpr int max_depth = 256;  // deeper JSON is handled as one atomic value

std::string child_hint(const std::string& hint, std::string_view key) {
  return hint.empty() ? std::string(key) : hint + "." + std::string(key);
}
std::string item_hint(const std::string& hint) { return hint + "[]"; }

// Hints are only looked up for lists, so a scalar child needs none (saves building a
// path string for every leaf of every write).
bool has_children(const json::value* v) { return v && (v->is_object() || v->is_array()); }
std::string child_hint_for(const std::string& hint, std::string_view key, const json::value* a,
                           const json::value* b = nullptr) {
  return has_children(a) || has_children(b) ? child_hint(hint, key) : std::string();
}

// metadata.managedFields is bookkeeping, never a field of the object: comparisons skip it
// (instead of every caller copying both objects to erase it first).
bool is_managed_fields(const std::string& hint, std::string_view key) {
  return key == "managedFields" && hint == "metadata";
}

// An array read with its list semantics: the path element of every item, or atomic.
struct list_items {
  bool associative = false;
  bool is_map = false;
  std::vector<std::string> elements;
  [[nodiscard]] std::optional<std::size_t> find(const std::string& e) const {
    auto it = std::find(elements.begin(), elements.end(), e);
    if (it == elements.end()) return std::nullopt;
    return static_cast<std::size_t>(it - elements.begin());
  }
};

list_items view_list(const json::array& a, const list_semantics* ls, std::string* problem) {
  list_items out;
  if (!ls || ls->type == list_semantics::kind::atomic) return out;
  if (ls->type == list_semantics::kind::map && ls->keys.empty()) return out;
  out.is_map = ls->type == list_semantics::kind::map;
  std::set<std::string> seen;
  for (std::size_t i = 0; i < a.size(); ++i) {
    std::string elem;
    if (out.is_map) {
      const auto* o = a[i].if_object();
      if (!o) {
        if (problem) *problem = "element " + std::to_string(i) + ": associative list with keys may not have non-map elements";
        return {};
      }
      json::object key;
      for (const auto& k : ls->keys) {
        auto it = o->find(k);
        if (it == o->end()) {
          if (problem)
            *problem = "element " + std::to_string(i) + ": associative list with keys has an element that omits key field " +
                       go_quote(k) + " (and doesn't have default value)";
          return {};
        }
        key[k] = it->value();
      }
      elem = key_element(key);
    } else {
      elem = value_element(a[i]);
    }
    if (!seen.insert(elem).second) {
      if (problem) *problem = "duplicate entries for key " + path_string({elem});
      return {};
    }
    out.elements.push_back(std::move(elem));
  }
  out.associative = true;
  return out;
}

// --- ToFieldSet ---------------------------------------------------------------------

class field_set_builder {
 public:
  field_set_builder(const schema_hints& hints, std::string* error) : hints_(hints), error_(error) {}

  void object(const json::object& o, const std::string& hint, int depth) {
    for (const auto& kv : o) {
      if (failed()) return;
      path_.push_back(field_element(kv.key()));
      value(kv.value(), child_hint_for(hint, kv.key(), &kv.value()), depth + 1);
      path_.pop_back();
    }
  }

  field_set out;

 private:
  bool failed() const { return error_ && !error_->empty(); }

  void value(const json::value& v, const std::string& hint, int depth) {
    if (depth > max_depth) return out.insert(path_);
    if (const auto* o = v.if_object()) {
      if (o->empty()) return out.insert(path_);
      return object(*o, hint, depth);
    }
    const auto* a = v.if_array();
    if (!a || a->empty()) return out.insert(path_);
    std::string problem;
    auto items = view_list(*a, hints_.list_at(hint), error_ ? &problem : nullptr);
    if (!problem.empty()) {
      *error_ = path_string(path_) + ": " + problem;
      return;
    }
    if (!items.associative) return out.insert(path_);
    for (std::size_t i = 0; i < a->size() && !failed(); ++i) {
      path_.push_back(items.elements[i]);
      out.insert(path_);
      if (items.is_map) object((*a)[i].get_object(), item_hint(hint), depth + 1);
      path_.pop_back();
    }
  }

  const schema_hints& hints_;
  std::string* error_;
  std::vector<std::string> path_;
};

// --- Merge --------------------------------------------------------------------------

json::value merge_value(const json::value* live, const json::value& cfg, const std::string& hint,
                        const schema_hints& hints, int depth);

json::object merge_object(const json::object& live, const json::object& cfg, const std::string& hint,
                          const schema_hints& hints, int depth) {
  json::object out = live;
  for (const auto& kv : cfg) {
    auto it = live.find(kv.key());
    out[kv.key()] = merge_value(it == live.end() ? nullptr : &it->value(), kv.value(), child_hint(hint, kv.key()),
                                hints, depth + 1);
  }
  return out;
}

// structured-merge-diff's list order: live items keep their places, items only in the
// configuration come in configuration order, and shared items follow the configuration.
json::array merge_list(const json::array& live, const list_items& lv, const json::array& cfg, const list_items& cv,
                       const std::string& hint, const schema_hints& hints, int depth) {
  json::array out;
  std::vector<std::string> shared;
  for (const auto& e : cv.elements)
    if (lv.find(e)) shared.push_back(e);
  std::size_t next_shared = 0;
  auto is_next_shared = [&](const std::string& e) { return next_shared < shared.size() && shared[next_shared] == e; };
  std::set<std::string> merged;
  auto emit_cfg = [&](std::size_t ri) {
    const auto& e = cv.elements[ri];
    merged.insert(e);
    auto li = lv.find(e);
    if (cv.is_map && li)
      out.push_back(merge_value(&live[*li], cfg[ri], item_hint(hint), hints, depth + 1));
    else
      out.push_back(cfg[ri]);
    if (is_next_shared(e)) ++next_shared;
  };
  std::size_t li = 0, ri = 0;
  const std::size_t L = lv.elements.size(), R = cv.elements.size();
  for (std::size_t guard = 0; (li < L || ri < R) && guard < 2 * (L + R) + 2; ++guard) {
    if (li < L && ri < R) {
      if (lv.elements[li] == cv.elements[ri]) {
        emit_cfg(ri);
        ++li;
        ++ri;
        continue;
      }
      if (cv.find(lv.elements[li]) && next_shared < shared.size() && !is_next_shared(lv.elements[li])) {
        ++li;  // a shared item, emitted when the configuration reaches it
        continue;
      }
    }
    if (li < L) {
      if (!cv.find(lv.elements[li])) {
        out.push_back(live[li]);
        ++li;
        continue;
      }
      if (merged.count(lv.elements[li])) {
        ++li;
        continue;
      }
    }
    if (ri < R) emit_cfg(ri++);
  }
  return out;
}

json::value merge_value(const json::value* live, const json::value& cfg, const std::string& hint,
                        const schema_hints& hints, int depth) {
  if (!live || depth > max_depth) return cfg;
  if (cfg.is_object() && live->is_object())
    return merge_object(live->get_object(), cfg.get_object(), hint, hints, depth);
  if (cfg.is_array() && live->is_array()) {
    const auto* ls = hints.list_at(hint);
    auto lv = view_list(live->get_array(), ls, nullptr);
    auto cv = view_list(cfg.get_array(), ls, nullptr);
    if (lv.associative && cv.associative)
      return merge_list(live->get_array(), lv, cfg.get_array(), cv, hint, hints, depth);
  }
  return cfg;
}

// --- Compare ------------------------------------------------------------------------

class comparer {
 public:
  explicit comparer(const schema_hints& hints) : hints_(hints) {}

  void object(const json::object& a, const json::object& b, const std::string& hint, int depth) {
    for (const auto& kv : a) {
      if (is_managed_fields(hint, kv.key())) continue;
      auto it = b.find(kv.key());
      const json::value* bv = it == b.end() ? nullptr : &it->value();
      step(field_element(kv.key()), &kv.value(), bv, child_hint_for(hint, kv.key(), &kv.value(), bv), depth);
    }
    for (const auto& kv : b)
      if (!is_managed_fields(hint, kv.key()) && !a.contains(kv.key()))
        step(field_element(kv.key()), nullptr, &kv.value(), child_hint_for(hint, kv.key(), &kv.value()), depth);
  }

  comparison result;

 private:
  void step(const std::string& element, const json::value* a, const json::value* b, const std::string& hint,
            int depth) {
    path_.push_back(element);
    value(a, b, hint, depth + 1);
    path_.pop_back();
  }

  void value(const json::value* a, const json::value* b, const std::string& hint, int depth) {
    if (!a) return mark(*b, hint, result.added, depth);
    if (!b) return mark(*a, hint, result.removed, depth);
    if (depth <= max_depth) {
      const auto* oa = a->if_object();
      const auto* ob = b->if_object();
      if (oa && ob) {
        if (!oa->empty() || !ob->empty()) object(*oa, *ob, hint, depth);
        return;
      }
      if (a->is_array() && b->is_array() && list(a->get_array(), b->get_array(), hint, depth)) return;
    }
    if (json_equal(*a, *b)) return;
    result.modified.insert(path_);
    // A value that changed shape (say an object became a string): what was below the old
    // value is gone and what is below the new one is new, as structured-merge-diff sees it.
    mark(*a, hint, result.removed, depth, false);
    mark(*b, hint, result.added, depth, false);
  }

  bool list(const json::array& a, const json::array& b, const std::string& hint, int depth) {
    const auto* ls = hints_.list_at(hint);
    auto va = view_list(a, ls, nullptr);
    auto vb = view_list(b, ls, nullptr);
    if (!va.associative || !vb.associative) return false;
    for (std::size_t i = 0; i < a.size(); ++i) {
      auto j = vb.find(va.elements[i]);
      step(va.elements[i], &a[i], j ? &b[*j] : nullptr, item_hint(hint), depth);
    }
    for (std::size_t j = 0; j < b.size(); ++j)
      if (!va.find(vb.elements[j])) step(vb.elements[j], nullptr, &b[j], item_hint(hint), depth);
    return true;
  }

  // Everything below the current path, and the path itself when `self`.
  void mark(const json::value& v, const std::string& hint, field_set& into, int depth, bool self = true) {
    if (self) into.insert(path_);
    if (depth > max_depth) return;
    if (const auto* o = v.if_object()) {
      for (const auto& kv : *o) {
        if (is_managed_fields(hint, kv.key())) continue;
        path_.push_back(field_element(kv.key()));
        mark(kv.value(), child_hint_for(hint, kv.key(), &kv.value()), into, depth + 1);
        path_.pop_back();
      }
    } else if (const auto* a = v.if_array()) {
      auto items = view_list(*a, hints_.list_at(hint), nullptr);
      if (!items.associative) return;
      for (std::size_t i = 0; i < a->size(); ++i) {
        path_.push_back(items.elements[i]);
        mark((*a)[i], item_hint(hint), into, depth + 1);
        path_.pop_back();
      }
    }
  }

  const schema_hints& hints_;
  std::vector<std::string> path_;
};

// --- Removal of fields no longer applied ---------------------------------------------

bool owns_anything(const field_set* s) { return s && !s->empty(); }

void remove_in(json::value& v, const field_set& last, const field_set* owned, const std::string& hint,
               const schema_hints& hints, const std::vector<std::string>& keep, int depth);

void remove_in_object(json::object& o, const field_set& last, const field_set* owned, const std::string& hint,
                      const schema_hints& hints, const std::vector<std::string>& keep, int depth) {
  for (const auto& [element, last_child] : last.children) {
    if (element.rfind("f:", 0) != 0) continue;
    std::string name = element.substr(2);
    auto it = o.find(name);
    if (it == o.end()) continue;
    const field_set* owned_child = owned ? owned->child(element) : nullptr;
    bool protected_field = std::find(keep.begin(), keep.end(), name) != keep.end();
    // A named field stays while anyone owns it or anything below it.
    if (!owns_anything(owned_child) && !protected_field) {
      o.erase(it);
      continue;
    }
    if (last_child.children.empty()) continue;
    // The server's own metadata fields are never removed, whatever a managedFields entry says.
    static const std::vector<std::string> identity = {
        "name",       "namespace",         "uid",           "resourceVersion",   "generation",
        "selfLink",   "creationTimestamp", "managedFields", "deletionTimestamp", "deletionGracePeriodSeconds"};
    bool meta = depth == 0 && name == "metadata";
    remove_in(it->value(), last_child, owned_child, child_hint(hint, name), hints,
              meta ? identity : std::vector<std::string>{}, depth + 1);
  }
}

void remove_in(json::value& v, const field_set& last, const field_set* owned, const std::string& hint,
               const schema_hints& hints, const std::vector<std::string>& keep, int depth) {
  if (depth > max_depth) return;
  if (auto* o = v.if_object()) return remove_in_object(*o, last, owned, hint, hints, keep, depth);
  auto* a = v.if_array();
  if (!a) return;
  const auto* ls = hints.list_at(hint);
  auto items = view_list(*a, ls, nullptr);
  if (!items.associative) return;
  std::vector<std::size_t> drop;
  for (std::size_t i = 0; i < a->size(); ++i) {
    const field_set* last_child = last.child(items.elements[i]);
    if (!last_child) continue;
    const field_set* owned_child = owned ? owned->child(items.elements[i]) : nullptr;
    // A list item stays only while someone owns the item itself.
    if (last_child->member && !(owned_child && owned_child->member)) {
      drop.push_back(i);
    } else if (!last_child->children.empty() && items.is_map) {
      remove_in((*a)[i], *last_child, owned_child, item_hint(hint), hints, ls->keys, depth + 1);
    }
  }
  for (auto it = drop.rbegin(); it != drop.rend(); ++it) a->erase(a->begin() + static_cast<std::ptrdiff_t>(*it));
}

}  // namespace

field_set to_field_set(const json::object& object, const schema_hints& hints, std::string* error) {
  field_set_builder b(hints, error);
  b.object(object, "", 0);
  return std::move(b.out);
}

json::object merge_objects(const json::object& live, const json::object& config, const schema_hints& hints) {
  return merge_object(live, config, "", hints, 0);
}

comparison compare_objects(const json::object& before, const json::object& after, const schema_hints& hints) {
  comparer c(hints);
  c.object(before, after, "", 0);
  return std::move(c.result);
}

void remove_unowned(json::object& object, const field_set& last, const field_set& owned, const schema_hints& hints) {
  remove_in_object(object, last, &owned, "", hints, {"apiVersion", "kind", "metadata"}, 0);
}

void strip_meta_in_place(field_set& s) {
  static const field_set stripped = [] {
    field_set f;
    f.insert({"f:apiVersion"});
    f.insert({"f:kind"});
    f.insert({"f:metadata"});
    for (const char* name : {"name", "namespace", "creationTimestamp", "selfLink", "uid", "generation", "managedFields",
                             "resourceVersion"})
      f.insert({"f:metadata", field_element(name)});
    return f;
  }();
  s.subtract(stripped);
}

field_set strip_meta(const field_set& s) {
  field_set out = s;
  strip_meta_in_place(out);
  return out;
}

}  // namespace langop::localapi::detail
