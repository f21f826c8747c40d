// Defaulting and pruning with kube-apiserver's structural algorithms
// (apiextensions-apiserver/pkg/apiserver/schema/{defaulting,pruning}).
#include "schema_node.hpp"

#include <array>

namespace langop::localapi {
namespace {

using node = structural_schema::node;

bool is_type_meta(std::string_view k) { return k == "apiVersion" || k == "kind"; }
bool is_resource_meta(std::string_view k) { return is_type_meta(k) || k == "metadata"; }

// --- defaulting -------------------------------------------------------------------------

void default_value(const node& s, json::value& v);

// A null in a non-nullable field becomes the default, or disappears when there is none
// (PruneNonNullableNullsWithoutDefaults + Default, in one pass).
void default_object(const node& s, json::object& o, bool resource_root) {
  for (const auto& [name, prop] : s.properties) {
    if (resource_root && is_resource_meta(name)) continue;
    auto it = o.find(name);
    if (it == o.end()) {
      if (prop->default_value) o[name] = *prop->default_value;
    } else if (it->value().is_null() && !prop->nullable) {
      if (prop->default_value)
        it->value() = *prop->default_value;
      else
        o.erase(it);
    }
  }
  std::vector<std::string> drop;
  for (auto& kv : o) {
    if (resource_root && is_resource_meta(kv.key())) continue;
    const node* child = nullptr;
    if (auto p = s.properties.find(kv.key()); p != s.properties.end())
      child = p->second.get();
    else if (s.additional)
      child = s.additional.get();
    if (!child) continue;
    if (s.additional && child == s.additional.get() && kv.value().is_null() && !child->nullable) {
      if (child->default_value) {
        kv.value() = *child->default_value;
      } else {
        drop.emplace_back(kv.key());
        continue;
      }
    }
    default_value(*child, kv.value());  // nested defaults inside a defaulted value apply too
  }
  for (const auto& k : drop) o.erase(k);
}

void default_value(const node& s, json::value& v) {
  if (auto* o = v.if_object()) {
    default_object(s, *o, false);
  } else if (auto* a = v.if_array()) {
    if (!s.items) return;
    for (auto& e : *a) {
      if (e.is_null() && !s.items->nullable && s.items->default_value) e = *s.items->default_value;
      default_value(*s.items, e);
    }
  }
}

// --- pruning ----------------------------------------------------------------------------

constexpr std::array<std::string_view, 15> object_meta_fields = {
    "name",         "generateName",  "namespace",         "selfLink",
    "uid",          "resourceVersion", "generation",      "creationTimestamp",
    "deletionTimestamp", "deletionGracePeriodSeconds", "labels", "annotations",
    "ownerReferences", "finalizers",  "managedFields"};

class pruner {
 public:
  explicit pruner(std::vector<std::string>& removed) : removed_(removed) {}

  // The object root is a resource: apiVersion, kind and metadata are the server's.
  void prune_root(const node* s, json::object& o) { prune_object(s, o, "", 0, true); }

 private:
  // `s` null: nothing is declared here (additionalProperties: true, items-less arrays).
  void prune(const node* s, json::value& v, const std::string& path, int depth) {
    if (depth > detail::max_walk_depth) return;
    if (s && s->preserve_unknown) {
      skip_prune(*s, v, path, depth);
      return;
    }
    if (auto* o = v.if_object()) {
      prune_object(s, *o, path, depth, s && s->embedded_resource);
    } else if (auto* a = v.if_array()) {
      for (std::size_t i = 0; i < a->size(); ++i)
        prune(s ? s->items.get() : nullptr, (*a)[i], path + "[" + std::to_string(i) + "]", depth + 1);
    }
  }

  void prune_object(const node* s, json::object& o, const std::string& path, int depth, bool resource) {
    std::vector<std::string> drop;
    for (auto& kv : o) {
      std::string key(kv.key());
      if (resource && is_type_meta(key)) continue;
      if (resource && key == "metadata") {
        prune_meta(kv.value(), path + ".metadata");
        continue;
      }
      const node* child = nullptr;
      bool declared = false;
      if (s) {
        if (auto p = s->properties.find(key); p != s->properties.end()) {
          child = p->second.get();
          declared = true;
        } else if (s->additional || s->additional_no_schema) {
          child = s->additional.get();
          declared = true;
        } else if (s->preserve_unknown) {
          continue;  // resource root with preserve-unknown-fields
        }
      }
      if (!declared) {
        drop.push_back(key);
        continue;
      }
      prune(child, kv.value(), path + "." + key, depth + 1);
    }
    for (const auto& k : drop) {
      o.erase(k);
      removed_.push_back(path + "." + k);
    }
  }

  // preserve-unknown-fields: unknown keys stay; declared ones are still pruned inside.
  void skip_prune(const node& s, json::value& v, const std::string& path, int depth) {
    if (auto* o = v.if_object()) {
      for (auto& kv : *o) {
        std::string key(kv.key());
        if (s.embedded_resource && is_type_meta(key)) continue;
        if (s.embedded_resource && key == "metadata") {
          prune_meta(kv.value(), path + ".metadata");
          continue;
        }
        if (auto p = s.properties.find(key); p != s.properties.end())
          prune(p->second.get(), kv.value(), path + "." + key, depth + 1);
        else if (s.additional)
          prune(s.additional.get(), kv.value(), path + "." + key, depth + 1);
      }
    } else if (auto* a = v.if_array()) {
      if (!s.items) return;
      for (std::size_t i = 0; i < a->size(); ++i)
        skip_prune(*s.items, (*a)[i], path + "[" + std::to_string(i) + "]", depth + 1);
    }
  }

  // ObjectMeta is served by the API server itself: unknown keys go, known ones stay as they are.
  void prune_meta(json::value& v, const std::string& path) {
    auto* o = v.if_object();
    if (!o) return;
    std::vector<std::string> drop;
    for (const auto& kv : *o) {
      bool known = false;
      for (auto f : object_meta_fields) known = known || kv.key() == f;
      if (!known) drop.emplace_back(kv.key());
    }
    for (const auto& k : drop) {
      o->erase(k);
      removed_.push_back(path + "." + k);
    }
  }

  std::vector<std::string>& removed_;
};

}  // namespace

void structural_schema::apply_defaults(json::object& object) const {
  if (root_) default_object(*root_, object, true);
}

std::vector<std::string> structural_schema::prune(json::object& object) const {
  std::vector<std::string> removed;
  if (root_) pruner(removed).prune_root(root_.get(), object);
  return removed;
}

}  // namespace langop::localapi
