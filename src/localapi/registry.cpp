#include "langop/localapi/registry.hpp"

#include <algorithm>
#include <set>

namespace langop::localapi {
namespace {

// kube-apiserver orders versions by "kube-aware" priority: GA > beta > alpha, then by number.
int version_priority(std::string_view v, int& major, int& minor) {
  major = 0;
  minor = 0;
  if (v.size() < 2 || v[0] != 'v') return 0;
  std::size_t i = 1;
  while (i < v.size() && v[i] >= '0' && v[i] <= '9') major = major * 10 + (v[i++] - '0');
  if (i == 1) return 0;
  if (i == v.size()) return 3;
  std::string_view rest = v.substr(i);
  int level = rest.starts_with("beta") ? 2 : rest.starts_with("alpha") ? 1 : 0;
  if (level == 0) return 0;
  rest.remove_prefix(level == 2 ? 4 : 5);
  for (char c : rest) {
    if (c < '0' || c > '9') return 0;
    minor = minor * 10 + (c - '0');
  }
  return level;
}

bool version_before(const std::string& a, const std::string& b) {
  int am, an, bm, bn;
  int ap = version_priority(a, am, an), bp = version_priority(b, bm, bn);
  if (ap != bp) return ap > bp;
  if (am != bm) return am > bm;
  if (an != bn) return an > bn;
  return a < b;
}

}  // namespace

registry::registry() {
  for (auto& t : builtin_resource_types()) {
    if (std::find(builtin_group_order_.begin(), builtin_group_order_.end(), t.group) == builtin_group_order_.end())
      builtin_group_order_.push_back(t.group);
    types_.push_back(std::make_shared<const resource_type>(std::move(t)));
  }
}

resource_type_ptr registry::find(std::string_view group, std::string_view version, std::string_view resource) const {
  for (const auto& t : types_)
    if (t->resource == resource && t->version == version && t->group == group) return t;
  return nullptr;
}

resource_type_ptr registry::find_kind(std::string_view group, std::string_view version, std::string_view kind) const {
  for (const auto& t : types_)
    if (t->kind == kind && t->version == version && t->group == group) return t;
  return nullptr;
}

resource_type_ptr registry::find_storage(std::string_view storage) const {
  resource_type_ptr best;
  for (const auto& t : types_) {
    if (t->storage != storage) continue;
    // Prefer the type whose own group owns the storage (core Events over events.k8s.io).
    if (t->group + "/" + t->resource == storage) {
      if (!best || best->group + "/" + best->resource != storage || version_before(t->version, best->version))
        best = t;
    } else if (!best) {
      best = t;
    }
  }
  return best;
}

std::vector<registry::group_info> registry::groups() const {
  std::vector<group_info> out;
  auto add = [&](const std::string& g) {
    group_info info{g, {}};
    for (const auto& t : types_)
      if (t->group == g && std::find(info.versions.begin(), info.versions.end(), t->version) == info.versions.end())
        info.versions.push_back(t->version);
    std::sort(info.versions.begin(), info.versions.end(), version_before);
    if (!info.versions.empty()) out.push_back(std::move(info));
  };
  for (const auto& g : builtin_group_order_) add(g);
  std::set<std::string> custom;
  for (const auto& t : types_)
    if (t->is_custom() &&
        std::find(builtin_group_order_.begin(), builtin_group_order_.end(), t->group) == builtin_group_order_.end())
      custom.insert(t->group);
  for (const auto& g : custom) add(g);
  return out;
}

std::vector<resource_type_ptr> registry::resources(std::string_view group, std::string_view version) const {
  std::vector<resource_type_ptr> out;
  for (const auto& t : types_)
    if (t->group == group && t->version == version) out.push_back(t);
  return out;
}

std::vector<resource_type_ptr> registry::all() const { return types_; }

void registry::set_crd_types(const std::string& crd_name, std::vector<resource_type> types) {
  std::erase_if(types_, [&](const resource_type_ptr& t) { return t->crd_name == crd_name; });
  for (auto& t : types) {
    t.crd_name = crd_name;
    types_.push_back(std::make_shared<const resource_type>(std::move(t)));
  }
  ++generation_;
}

}  // namespace langop::localapi
