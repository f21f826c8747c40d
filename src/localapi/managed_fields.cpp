// Server-side apply (structured-merge-diff's Updater.Apply / Updater.Update as
// kube-apiserver's field manager drives them) and managedFields bookkeeping.
#include "langop/localapi/managed_fields.hpp"

#include "go_format.hpp"
#include "managed_entries.hpp"
#include "schema_node.hpp"
#include "ssa_walk.hpp"

#include <algorithm>

namespace langop::localapi {
namespace {

using namespace detail;

constexpr std::size_t max_manager_length = 128;  // FieldManagerMaxLength

// Metadata a configuration may not set: the server owns these.
constexpr std::string_view server_meta[] = {"uid",          "resourceVersion",   "generation",
                                            "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds",
                                            "selfLink",     "managedFields"};

std::string_view meta_string(const json::object& o, std::string_view key) {
  const auto* v = jsonu::find(o, {"metadata", key});
  return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

std::string group_of(std::string_view api_version) {
  auto slash = api_version.find('/');
  return slash == std::string_view::npos ? std::string() : std::string(api_version.substr(0, slash));
}

// "apps/v1, Kind=Deployment" / "/v1, Kind=Service" (schema.GroupVersionKind.String()).
std::string gvk_string(std::string_view api_version, std::string_view kind) {
  std::string gv(api_version);
  if (gv.find('/') == std::string::npos) gv = "/" + gv;
  return gv + ", Kind=" + std::string(kind);
}

api_error conflict_error(const std::vector<std::pair<const managed_entry*, field_set>>& conflicts) {
  struct item {
    std::string id, who, path;
  };
  std::vector<item> items;
  for (const auto& [entry, set] : conflicts)
    set.for_each_member([&](const std::vector<std::string>& p) {
      items.push_back({entry->identity(), entry->describe(), path_string(p)});
    });
  std::stable_sort(items.begin(), items.end(), [](const item& a, const item& b) { return a.id < b.id; });
  api_error e;
  e.code = 409;
  e.reason = "Conflict";
  for (const auto& i : items) e.causes.push_back({"FieldManagerConflict", "conflict with " + i.who, i.path});
  if (items.size() == 1) {
    e.message = "Apply failed with 1 conflict: conflict with " + items[0].who + ": " + items[0].path;
    return e;
  }
  e.message = "Apply failed with " + std::to_string(items.size()) + " conflicts: ";
  std::string last_id;
  bool first = true;
  for (const auto& i : items) {
    if (i.id != last_id) {
      e.message += (first ? "" : "\n") + std::string("conflicts with ") + i.who + ":";
      last_id = i.id;
      first = false;
    }
    e.message += "\n- " + i.path;
  }
  return e;
}

// The parts of the request kube-apiserver rejects before any merging.
std::optional<api_error> check_request(const apply_request& r) {
  if (!r.config) return bad_request("the apply configuration is missing");
  if (r.manager.empty())
    return invalid("PatchOptions", "meta.k8s.io", "", {cause_required("fieldManager", "is required for apply patch")});
  if (r.manager.size() > max_manager_length)
    return invalid("PatchOptions", "meta.k8s.io", "", {cause_too_long("fieldManager", max_manager_length)});
  const json::object& config = *r.config;
  std::string_view api_version = jsonu::get_string(config, "apiVersion");
  std::string_view kind = jsonu::get_string(config, "kind");
  if (kind.empty()) return bad_request("Object 'Kind' is missing in the apply configuration");
  if (api_version.empty()) return bad_request("Object 'apiVersion' is missing in the apply configuration");
  std::string_view name = meta_string(config, "name");
  if (r.live) {
    std::string_view live_name = meta_string(*r.live, "name");
    if (name != live_name)
      return bad_request("the name of the object (" + std::string(name) + ") does not match the name on the URL (" +
                         std::string(live_name) + ")");
  } else if (name.empty()) {
    return invalid(kind, group_of(api_version), "",
                   {cause_required("metadata.name", "name or generateName is required")});
  }
  if (const auto* mf = jsonu::find(config, {"metadata", "managedFields"}); mf && !mf->is_null())
    return bad_request("metadata.managedFields must be nil");
  if (r.status_subresource && !r.live) {
    api_error e;
    e.code = 404;
    e.reason = "NotFound";
    e.message = std::string(kind) + " \"" + std::string(name) + "\" not found";
    e.name = name;
    e.kind = kind;
    e.group = group_of(api_version);
    return e;
  }
  return std::nullopt;
}

// What is merged: the whole configuration, or for /status only its status; never the
// metadata the server maintains.
json::object effective_config(const apply_request& r) {
  const json::object& config = *r.config;
  json::object cfg;
  if (r.status_subresource) {
    cfg["apiVersion"] = config.at("apiVersion");
    cfg["kind"] = config.at("kind");
    json::object meta;
    for (std::string_view k : {"name", "namespace"})
      if (const auto* v = jsonu::find(config, {"metadata", k})) meta[k] = *v;
    cfg["metadata"] = std::move(meta);
    if (auto it = config.find("status"); it != config.end()) cfg["status"] = it->value();
  } else {
    cfg = config;
  }
  if (auto it = cfg.find("metadata"); it != cfg.end())
    if (auto* meta = it->value().if_object())
      for (auto k : server_meta) meta->erase(k);
  return cfg;
}

managed_entry* find_entry(std::vector<managed_entry>& entries, const managed_entry& like) {
  auto id = like.identity();
  auto it = std::find_if(entries.begin(), entries.end(), [&](const auto& e) { return e.identity() == id; });
  return it == entries.end() ? nullptr : &*it;
}

// A fieldsV1 node is itself owned when it is a leaf ({} or a non-object) or carries ".".
bool owned_node(const json::value& v) {
  const auto* o = v.if_object();
  return !o || o->empty() || o->contains(".");
}

// Whether every member of `s` is owned in the fieldsV1 tree `f`.
bool owns_all(const json::object& f, const field_set& s) {
  for (const auto& [key, child] : s.children) {
    const auto* v = f.if_contains(key);
    if (!v) return false;  // normalized sets have a member somewhere below every node
    if (child.member && !owned_node(*v)) return false;
    if (!child.children.empty()) {
      const auto* o = v->if_object();
      if (!o || !owns_all(*o, child)) return false;
    }
  }
  return true;
}

// Whether any member of `s` is owned in the fieldsV1 tree `f`.
bool owns_any(const json::object& f, const field_set& s) {
  for (const auto& [key, child] : s.children) {
    const auto* v = f.if_contains(key);
    if (!v) continue;
    if (child.member && owned_node(*v)) return true;
    if (const auto* o = v->if_object(); o && !child.children.empty() && owns_any(*o, child)) return true;
  }
  return false;
}

// The common update: the live object has a single Update entry, this manager's, which
// already owns every changed field and none of the removed ones. The general path would
// decode it, subtract and re-add the same fields, and encode the same set again; here the
// stored entry (encode_entries' own output) is kept and only its time moves. Returns
// false, touching nothing, whenever that does not hold.
bool keep_sole_update_entry(const json::object& old_object, json::object& new_object, std::string_view manager,
                            std::string_view api_version, std::string_view subresource, const field_set& changed,
                            const field_set& removed, sys_time now) {
  const auto* old_mf = managed_fields_of(old_object);
  const auto* sent = managed_fields_of(new_object);
  if (!old_mf || (sent && *sent != *old_mf)) return false;  // the client sent other entries
  const auto* arr = old_mf->if_array();
  if (!arr || arr->size() != 1) return false;
  const auto* e = arr->front().if_object();
  if (!e || jsonu::get_string(*e, "operation") != "Update" || jsonu::get_string(*e, "manager") != manager ||
      jsonu::get_string(*e, "apiVersion") != api_version || jsonu::get_string(*e, "subresource") != subresource ||
      jsonu::get_string(*e, "fieldsType", "FieldsV1") != "FieldsV1" || !e->contains("time"))
    return false;
  const auto* fields = e->if_contains("fieldsV1");
  if (!fields || !fields->is_object() || !owns_all(fields->get_object(), changed) ||
      owns_any(fields->get_object(), removed))
    return false;
  json::array entries = *arr;
  if (!changed.empty()) entries.front().get_object()["time"] = rfc3339_seconds(now);
  store_managed_fields(new_object, std::move(entries));
  return true;
}

}  // namespace

std::variant<json::object, api_error> apply(const apply_request& request) {
  if (auto err = check_request(request)) return *err;
  const schema_hints& hints = request.hints ? *request.hints : metadata_hints();
  const std::string api_version(jsonu::get_string(*request.config, "apiVersion"));
  const std::string kind(jsonu::get_string(*request.config, "kind"));

  json::object cfg = effective_config(request);
  std::string problem;
  field_set config_set = to_field_set(cfg, hints, &problem);
  if (!problem.empty()) {
    api_error e;  // kube answers these with an unclassified 500, as here
    e.code = 500;
    e.message = "failed to create typed patch object (" + gvk_string(api_version, kind) + "): " + problem;
    return e;
  }
  field_set applied = strip_meta(config_set);

  json::object live = request.live ? *request.live : json::object();
  auto entries = read_entries(managed_fields_of(live));
  erase_managed_fields(live);
  if (request.live && entries.empty()) {
    // An object nobody tracked yet: its existing fields belong to "before-first-apply".
    managed_entry before;
    before.manager = "before-first-apply";
    before.operation = "Update";
    before.api_version = std::string(jsonu::get_string(live, "apiVersion"));
    before.time = rfc3339_seconds(request.now);
    before.set = strip_meta(to_field_set(live, hints, nullptr));
    if (!before.set.empty()) entries.push_back(std::move(before));
  }

  managed_entry mine;
  mine.manager = std::string(request.manager);
  mine.operation = "Apply";
  mine.api_version = api_version;
  mine.subresource = request.status_subresource ? "status" : "";
  field_set last;
  std::string previous_time;
  if (auto* previous = find_entry(entries, mine)) {
    last = previous->set;
    previous_time = previous->time;
    previous->set = {};  // replaced below; empty entries are dropped when encoding
  }
  const std::string my_id = mine.identity();

  json::object merged = merge_objects(live, cfg, hints);
  field_set owned = applied;
  for (const auto& e : entries)
    if (e.identity() != my_id) owned.merge(e.set);
  remove_unowned(merged, last, owned, hints);

  auto diff = compare_objects(live, merged, hints);
  field_set changed = diff.added;
  changed.merge(diff.modified);
  changed = strip_meta(changed);
  field_set removed = strip_meta(diff.removed);

  std::vector<std::pair<const managed_entry*, field_set>> conflicts;
  for (const auto& e : entries) {
    if (e.identity() == my_id) continue;
    auto c = e.set.intersection(changed);
    if (!c.empty()) conflicts.emplace_back(&e, std::move(c));
  }
  if (!conflicts.empty() && !request.force) return conflict_error(conflicts);
  for (auto& e : entries) {
    if (e.identity() == my_id) continue;
    e.set = e.set.difference(changed).difference(removed);  // forced: ownership moves to the applier
  }

  bool object_changed = !diff.added.empty() || !diff.modified.empty() || !diff.removed.empty();
  mine.set = std::move(applied);
  mine.time = object_changed ? rfc3339_seconds(request.now) : previous_time;
  entries.erase(std::remove_if(entries.begin(), entries.end(), [&](const auto& e) { return e.identity() == my_id; }),
                entries.end());
  entries.push_back(std::move(mine));
  store_managed_fields(merged, encode_entries(std::move(entries)));
  return merged;
}

void record_update(const json::object* old_object, json::object& new_object, std::string_view manager,
                   const schema_hints& hints, bool status_subresource, sys_time now) {
  // compare_objects skips managedFields itself: no copies of the objects to erase them.
  static const json::object nothing;
  auto diff = compare_objects(old_object ? *old_object : nothing, new_object, hints);
  field_set changed = std::move(diff.added);
  changed.merge(diff.modified);
  strip_meta_in_place(changed);
  field_set removed = std::move(diff.removed);
  strip_meta_in_place(removed);

  const std::string api_version(jsonu::get_string(new_object, "apiVersion"));
  const std::string_view subresource = status_subresource ? "status" : "";
  if (old_object && keep_sole_update_entry(*old_object, new_object, manager, api_version, subresource, changed,
                                           removed, now))
    return;

  // Clients that do not understand managedFields send them back empty or mangled; then
  // the live object's entries stand (as in kube's FieldManager).
  auto entries = read_entries(managed_fields_of(new_object));
  if (entries.empty() && old_object) entries = read_entries(managed_fields_of(*old_object));

  for (auto& e : entries) {
    e.set.subtract(changed);
    e.set.subtract(removed);
  }

  if (!changed.empty()) {
    managed_entry mine;
    mine.manager = std::string(manager);
    mine.operation = "Update";
    mine.api_version = api_version;
    mine.subresource = std::string(subresource);
    mine.time = rfc3339_seconds(now);
    if (auto* previous = find_entry(entries, mine)) {
      previous->set.merge(changed);
      previous->time = mine.time;
    } else {
      mine.set = std::move(changed);
      entries.push_back(std::move(mine));
    }
  }
  store_managed_fields(new_object, encode_entries(std::move(entries)));
}

json::object field_set_of(const json::object& object, const schema_hints& hints) {
  json::object copy = object;
  erase_managed_fields(copy);
  return strip_meta(to_field_set(copy, hints, nullptr)).to_fields_v1();
}

}  // namespace langop::localapi
