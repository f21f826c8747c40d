// application/strategic-merge-patch+json, following apimachinery's strategicpatch apply
// path (mergeMap / mergeSlice / normalizeElementOrder) with MergeParallelList and
// IgnoreUnmatchedNulls set, as kube-apiserver calls it.
//
// One deliberate difference: a patch value with no counterpart in the target is merged into
// an empty value instead of being copied verbatim, so directives inside it ("$patch",
// "$setElementOrder/..." ...) are applied or dropped rather than stored. kube-apiserver gets
// the same effect from decoding into Go structs, which drops unknown "$" fields.
#include "langop/localapi/patch.hpp"

#include "patch_support.hpp"

#include <algorithm>
#include <vector>

namespace langop::localapi {
namespace {

constexpr std::string_view patch_directive = "$patch";
constexpr std::string_view retain_keys_directive = "$retainKeys";
constexpr std::string_view delete_from_list_prefix = "$deleteFromPrimitiveList";
constexpr std::string_view set_order_prefix = "$setElementOrder";

using detail::malformed_patch;

std::string child_path(const std::string& parent, std::string_view key) {
  return parent.empty() ? std::string(key) : parent + "." + std::string(key);
}
std::string element_path(const std::string& list) { return list + "[]"; }
std::string where(const std::string& path) {
  return path.empty() ? std::string("the object root") : "\"" + path + "\"";
}

// "<prefix>/<field>" -> field. Keys that start with the prefix but lack the '/' are malformed.
result<std::string_view> directive_field(std::string_view key, std::string_view prefix) {
  if (key.size() <= prefix.size() || key[prefix.size()] != '/')
    return malformed_patch("invalid directive key \"" + std::string(key) + "\": expected \"" + std::string(prefix) +
                           "/<field>\"");
  return key.substr(prefix.size() + 1);
}

bool merges(const list_semantics* s) { return s && s->smp_merge; }

// patchMergeKey of a merging list of maps; empty for sets of primitives.
std::string_view merge_key_of(const list_semantics& s) {
  return s.type == list_semantics::kind::map && !s.keys.empty() ? std::string_view(s.keys.front()) : std::string_view();
}

bool is_text(const json::value& v, std::string_view text) { return v.is_string() && v.get_string() == text; }

bool has_directive(const json::value& v, std::string_view value) {
  const auto* obj = v.if_object();
  const auto* d = obj ? obj->if_contains(patch_directive) : nullptr;
  return d && is_text(*d, value);
}

// The merge key's value in a map element, or an error naming the element.
result<const json::value*> key_value(const json::value& element, std::string_view key, const std::string& path) {
  const auto* obj = element.if_object();
  const json::value* v = obj ? obj->if_contains(key) : nullptr;
  if (!v)
    return malformed_patch("element " + detail::excerpt(element) + " of the list at " + where(path) +
                           " does not contain the merge key \"" + std::string(key) + "\"");
  return v;
}

// Identities (merge-key values, or the primitives themselves) of `list`, for ordering.
result<json::array> identities(const json::array& list, std::string_view key, const std::string& path) {
  if (key.empty()) return list;
  json::array ids;
  for (const auto& e : list) {
    auto v = key_value(e, key, path);
    if (!v) return v.error();
    ids.push_back(**v);
  }
  return ids;
}

// Every element is the same JSON type and none is a list (sliceElementType in apimachinery).
result<void> check_elements(const json::array& a, const json::array& b, bool want_maps, const std::string& path) {
  const json::value* first = nullptr;
  for (const json::array* list : {&a, &b}) {
    for (const auto& e : *list) {
      if (e.is_array()) return detail::unappliable_patch("lists of lists are not supported (at " + where(path) + ")");
      if (!first) first = &e;
      const bool same = e.is_number() ? first->is_number() : e.kind() == first->kind();
      if (!same) return malformed_patch("list element types are not identical in the list at " + where(path));
    }
  }
  if (first && first->is_object() != want_maps)
    return malformed_patch(want_maps ? "the list at " + where(path) + " merges by key but holds primitives"
                                     : "cannot merge lists without merge key for " + where(path));
  return {};
}

// validatePatchWithSetOrderList: the patch list's elements appear in $setElementOrder, same order.
result<void> check_order(const json::array& patch, const json::array& order, std::string_view key,
                         const std::string& path) {
  std::size_t pi = 0, si = 0;
  while (pi < patch.size() && si < order.size()) {
    if (!key.empty() && patch[pi].is_object() && patch[pi].get_object().contains(patch_directive)) {
      ++pi;  // "$patch": delete/replace elements are not ordered
      continue;
    }
    bool equal = false;
    if (key.empty()) {
      equal = detail::json_equal(patch[pi], order[si]);
    } else {
      auto a = key_value(patch[pi], key, path);
      if (!a) return a.error();
      auto b = key_value(order[si], key, path + " $setElementOrder");
      if (!b) return b.error();
      equal = detail::json_equal(**a, **b);
    }
    if (equal) ++pi;
    ++si;
  }
  while (pi < patch.size() && !key.empty() && has_directive(patch[pi], "delete")) ++pi;
  if (pi < patch.size() && si >= order.size())
    return malformed_patch("the order of the patch list at " + where(path) +
                           " does not match its $setElementOrder list " + detail::excerpt(order));
  return {};
}

void remove_all(json::array& list, const json::array& doomed) {
  json::array kept;
  for (auto& e : list) {
    bool drop = false;
    for (const auto& d : doomed) drop = drop || detail::json_equal(e, d);
    if (!drop) kept.push_back(std::move(e));
  }
  list = std::move(kept);
}

class strategic_merger {
 public:
  explicit strategic_merger(const schema_hints& hints) : hints_(hints) {}

  result<json::object> merge_map(json::object original, json::object patch, const std::string& path, int depth) {
    if (depth > detail::max_patch_depth) return malformed_patch("strategic merge patch is nested too deeply");
    if (auto it = patch.find(patch_directive); it != patch.end()) {
      const json::value& d = it->value();
      if (is_text(d, "replace")) {  // the patch map, minus the marker, is the new value
        patch.stable_erase(it);
        return merge_map(json::object(), std::move(patch), path, depth + 1);
      }
      if (is_text(d, "delete")) return json::object();
      // "merge" is only a struct-tag strategy; kube rejects it as a directive too.
      return malformed_patch("unknown patch type " + detail::excerpt(d) + " in the map at " + where(path));
    }
    if (auto r = retain_keys(original, patch, path); !r) return r.error();
    if (auto r = merge_ordered_lists(original, patch, path, depth); !r) return r.error();

    // Deletions first, so a patch that both deletes and adds a primitive ends with it present.
    for (auto& [key, value] : patch) {
      if (!key.starts_with(delete_from_list_prefix)) continue;
      auto field = directive_field(key, delete_from_list_prefix);
      if (!field) return field.error();
      if (!value.is_array()) return malformed_patch("\"" + std::string(key) + "\" must be a list of primitives");
      if (auto* list = original.if_contains(*field); list && list->is_array())
        remove_all(list->get_array(), value.get_array());
    }
    for (auto& [key, value] : patch) {
      if (key.starts_with(delete_from_list_prefix)) continue;
      if (value.is_null()) {
        original.stable_erase(key);
        continue;
      }
      const std::string child = child_path(path, key);
      json::value* current = original.if_contains(key);
      result<json::value> merged = json::value();
      if (current && current->is_object() && value.is_object()) {
        auto m = merge_map(std::move(current->get_object()), std::move(value.get_object()), child, depth + 1);
        merged = m ? result<json::value>(std::move(*m)) : result<json::value>(m.error());
      } else if (current && current->is_array() && value.is_array() && merges(hints_.list_at(child))) {
        merged = merge_list(std::move(current->get_array()), std::move(value.get_array()), *hints_.list_at(child),
                            child, depth + 1);
      } else {
        // Absent, a different JSON type, or a list that replaces: the patch value wins.
        merged = materialize(std::move(value), child, depth + 1);
      }
      if (!merged) return merged.error();
      original.insert_or_assign(key, std::move(*merged));
    }
    return original;
  }

 private:
  // A patch value with nothing to merge into: apply its directives against emptiness.
  result<json::value> materialize(json::value value, const std::string& path, int depth) {
    if (depth > detail::max_patch_depth) return malformed_patch("strategic merge patch is nested too deeply");
    if (auto* obj = value.if_object()) {
      auto m = merge_map(json::object(), std::move(*obj), path, depth + 1);
      if (!m) return m.error();
      return json::value(std::move(*m));
    }
    auto* arr = value.if_array();
    if (!arr) return value;
    if (const auto* s = hints_.list_at(path); merges(s))
      return merge_list(json::array(), std::move(*arr), *s, path, depth + 1);
    json::array out;
    for (auto& e : *arr) {
      auto m = materialize(std::move(e), element_path(path), depth + 1);
      if (!m) return m.error();
      out.push_back(std::move(*m));
    }
    return json::value(std::move(out));
  }

  // mergeSlice for a list whose hints say patchStrategy=merge. `live_view`, when given, receives
  // the server order kube's $setElementOrder step ends up using (see the end of this function).
  result<json::value> merge_list(json::array original, json::array patch, const list_semantics& sem,
                                 const std::string& path, int depth, json::array* live_view = nullptr) {
    if (depth > detail::max_patch_depth) return malformed_patch("strategic merge patch is nested too deeply");
    if (original.empty() && patch.empty()) return json::value(std::move(original));
    const std::string_view key = merge_key_of(sem);
    if (auto r = check_elements(original, patch, !key.empty(), path); !r) return r.error();

    if (key.empty()) {  // a set of primitives: union, duplicates dropped
      json::array merged;
      for (const json::array* list : {&original, &patch})
        for (const auto& e : *list)
          if (std::none_of(merged.begin(), merged.end(), [&](auto& m) { return detail::json_equal(m, e); }))
            merged.push_back(e);
      return json::value(detail::order_merged_list(std::move(merged), key, patch, original));
    }

    // Elements carrying "$patch" first: deletions by key, or a replace of the whole list.
    const std::size_t live_size = original.size();
    json::array plain;
    bool replace = false;
    for (auto& e : patch) {
      const auto* d = e.get_object().if_contains(patch_directive);
      if (!d) {
        plain.push_back(std::move(e));
      } else if (is_text(*d, "delete")) {
        auto doomed = key_value(e, key, path);
        if (!doomed) return doomed.error();
        json::array kept;
        for (auto& o : original) {
          const json::value* k = o.get_object().if_contains(key);
          if (!k || !detail::json_equal(*k, **doomed)) kept.push_back(std::move(o));
        }
        original = std::move(kept);
      } else if (is_text(*d, "replace")) {
        replace = true;  // other "$patch" elements are still pruned
      } else if (is_text(*d, "merge")) {
        return malformed_patch("merging lists cannot yet be specified in the patch (at " + where(path) + ")");
      } else {
        return malformed_patch("unknown patch type " + detail::excerpt(*d) + " in the list at " + where(path));
      }
    }
    auto patch_ids = identities(plain, key, path);
    if (!patch_ids) return patch_ids.error();
    if (replace) {
      json::array out;
      for (auto& e : plain) {
        auto m = merge_map(json::object(), std::move(e.get_object()), element_path(path), depth + 1);
        if (!m) return m.error();
        out.push_back(std::move(*m));
      }
      return json::value(std::move(out));
    }

    auto server_ids = identities(original, key, path);
    if (!server_ids) return server_ids.error();
    json::array appended_ids;
    for (std::size_t i = 0; i < plain.size(); ++i) {
      // Later patch elements with the same key merge into what earlier ones produced.
      json::value* match = nullptr;
      for (auto& o : original)
        if (const auto* k = o.get_object().if_contains(key); k && detail::json_equal(*k, (*patch_ids)[i])) {
          match = &o;
          break;
        }
      json::object base = match ? std::move(match->get_object()) : json::object();
      auto m = merge_map(std::move(base), std::move(plain[i].get_object()), element_path(path), depth + 1);
      if (!m) return m.error();
      if (match) {
        *match = std::move(*m);
      } else {
        original.push_back(std::move(*m));
        appended_ids.push_back((*patch_ids)[i]);
      }
    }
    if (live_view) {
      // In Go, deleting elements shifts the live slice in place and appending then writes the
      // first new elements into the freed tail of that same array, which mergePatchIntoOriginal
      // still reads as the server order. Reproduced so element order matches kube-apiserver.
      *live_view = *server_ids;
      for (std::size_t i = 0; i < appended_ids.size() && live_view->size() < live_size; ++i)
        live_view->push_back(appended_ids[i]);
    }
    return json::value(detail::order_merged_list(std::move(original), key, *patch_ids, *server_ids));
  }

  // "$retainKeys": fields of the original not listed are cleared; the patch may only set listed ones.
  result<void> retain_keys(json::object& original, json::object& patch, const std::string& path) {
    auto it = patch.find(retain_keys_directive);
    if (it == patch.end()) return {};
    json::value keep = std::move(it->value());
    patch.stable_erase(it);
    const auto* list = keep.if_array();
    if (!list) return malformed_patch("invalid patch format of $retainKeys at " + where(path) + ": must be a list");
    auto listed = [&](std::string_view k) {
      return std::any_of(list->begin(), list->end(), [&](auto& v) { return v.is_string() && v.get_string() == k; });
    };
    for (const auto& [k, v] : patch) {
      if (v.is_null() || k.starts_with(delete_from_list_prefix) || k.starts_with(set_order_prefix)) continue;
      if (!listed(k))
        return malformed_patch("invalid patch format of $retainKeys at " + where(path) + ": the patch sets \"" +
                               std::string(k) + "\" which $retainKeys does not list");
    }
    std::vector<std::string> doomed;
    for (const auto& [k, v] : original)
      if (!listed(k)) doomed.emplace_back(k);
    for (const auto& k : doomed) original.stable_erase(k);
    return {};
  }

  // "$setElementOrder/<field>": merges <field> (when patched) and imposes the listed order.
  result<void> merge_ordered_lists(json::object& original, json::object& patch, const std::string& path, int depth) {
    std::vector<std::string> directives;
    for (const auto& [k, v] : patch)
      if (k.starts_with(set_order_prefix)) directives.emplace_back(k);
    for (const auto& directive : directives) {
      json::value order = std::move(patch.at(directive));
      patch.stable_erase(directive);
      auto field = directive_field(directive, set_order_prefix);
      if (!field) return field.error();
      if (!order.is_array()) return malformed_patch("\"" + directive + "\" must be a list");
      const std::string child = child_path(path, *field);
      const list_semantics* sem = hints_.list_at(child);
      json::value* patch_list = patch.if_contains(*field);
      json::value* live = original.if_contains(*field);
      // Lists that replace keep the patch's own order; a non-list patch value (null) is
      // handled by the ordinary merge below.
      if (!merges(sem) || (patch_list && !patch_list->is_array())) continue;
      const bool has_live = live && live->is_array();
      if (!has_live && !patch_list) continue;
      const std::string_view key = merge_key_of(*sem);
      if (patch_list) {
        if (auto r = check_order(patch_list->get_array(), order.get_array(), key, child); !r) return r;
      }
      json::array server = has_live ? live->get_array() : json::array();
      auto server_ids = identities(server, key, child);
      if (!server_ids) return server_ids.error();
      json::value merged = server;
      if (patch_list) {
        auto m = merge_list(std::move(server), std::move(patch_list->get_array()), *sem, child, depth + 1,
                            &*server_ids);
        if (!m) return m.error();
        merged = std::move(*m);
        patch.stable_erase(*field);
      }
      auto order_ids = identities(order.get_array(), key, child + " $setElementOrder");
      if (!order_ids) return order_ids.error();
      if (auto r = identities(merged.get_array(), key, child); !r) return r.error();
      original.insert_or_assign(
          *field, detail::order_merged_list(std::move(merged.get_array()), key, *order_ids, *server_ids));
    }
    return {};
  }

  const schema_hints& hints_;
};

}  // namespace

result<json::value> apply_strategic_merge_patch(const json::value& target, const json::value& patch,
                                                const schema_hints& hints) {
  const auto* p = patch.if_object();
  if (!p) return malformed_patch("a strategic merge patch must be a JSON object");
  json::object original;
  if (const auto* t = target.if_object()) original = *t;
  else if (!target.is_null()) return malformed_patch("the patched document must be a JSON object");
  auto merged = strategic_merger(hints).merge_map(std::move(original), *p, "", 0);
  if (!merged) return merged.error();
  return json::value(std::move(*merged));
}

}  // namespace langop::localapi
