// CustomResourceDefinitions: validation, serving their kinds, Established status.
#include "apiserver_internal.hpp"

#include "langop/localapi/schema.hpp"

#include <algorithm>
#include <cctype>
#include <set>

namespace langop::localapi {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

std::vector<std::string> string_list(const json::value* v) {
  std::vector<std::string> out;
  if (!v || !v->is_array()) return out;
  for (const auto& s : v->get_array())
    if (s.is_string()) out.emplace_back(s.get_string());
  return out;
}

json::object condition(const char* type, const char* reason, const char* message, const std::string& time) {
  json::object c;
  c["type"] = type;
  c["status"] = "True";
  c["lastTransitionTime"] = time;
  c["reason"] = reason;
  c["message"] = message;
  return c;
}

}  // namespace

std::vector<status_cause> apiserver::crd_validate(const json::object& crd, std::vector<resource_type>& out) const {
  std::vector<status_cause> causes;
  auto req = [&](std::string_view value, const char* field) {
    if (value.empty()) causes.push_back({"FieldValueRequired", "Required value", field});
  };
  const json::value crd_value = crd;
  const std::string group(jsonu::get_string(crd_value, {"spec", "group"}));
  const std::string plural(jsonu::get_string(crd_value, {"spec", "names", "plural"}));
  const std::string kind(jsonu::get_string(crd_value, {"spec", "names", "kind"}));
  std::string singular(jsonu::get_string(crd_value, {"spec", "names", "singular"}));
  const std::string scope(jsonu::get_string(crd_value, {"spec", "scope"}));
  req(group, "spec.group");
  req(plural, "spec.names.plural");
  req(kind, "spec.names.kind");
  if (scope != "Namespaced" && scope != "Cluster")
    causes.push_back({"FieldValueNotSupported",
                      "Unsupported value: \"" + scope + "\": supported values: \"Cluster\", \"Namespaced\"",
                      "spec.scope"});
  if (!group.empty() && group.find('.') == std::string::npos)
    causes.push_back({"FieldValueInvalid", "Invalid value: \"" + group + "\": should be a domain with at least one dot",
                      "spec.group"});
  const std::string name(meta_string(crd, "name"));
  if (!plural.empty() && !group.empty() && name != plural + "." + group)
    causes.push_back({"FieldValueInvalid",
                      "Invalid value: \"" + name + "\": must be spec.names.plural+\".\"+spec.group", "metadata.name"});
  if (!plural.empty() && plural != lower(plural))
    causes.push_back({"FieldValueInvalid", "Invalid value: \"" + plural + "\": must be lowercase", "spec.names.plural"});
  if (singular.empty()) singular = lower(kind);

  const auto* versions = jsonu::find(crd, {"spec", "versions"});
  if (!versions || !versions->is_array() || versions->get_array().empty()) {
    causes.push_back({"FieldValueRequired", "Required value: must have at least one version", "spec.versions"});
    return causes;
  }
  int storage_count = 0;
  std::set<std::string> seen;
  const auto short_names = string_list(jsonu::find(crd, {"spec", "names", "shortNames"}));
  const auto categories = string_list(jsonu::find(crd, {"spec", "names", "categories"}));
  for (std::size_t i = 0; i < versions->get_array().size(); ++i) {
    const auto& v = versions->get_array()[i];
    const std::string path = "spec.versions[" + std::to_string(i) + "]";
    if (!v.is_object()) {
      causes.push_back({"FieldValueTypeInvalid", "Invalid value: must be an object", path});
      continue;
    }
    const std::string vname(jsonu::get_string(v.get_object(), "name"));
    req(vname, (path + ".name").c_str());
    if (!seen.insert(vname).second)
      causes.push_back({"FieldValueDuplicate", "Duplicate value: \"" + vname + "\"", path + ".name"});
    if (jsonu::get_bool(v, {"storage"}).value_or(false)) ++storage_count;
    const bool served = jsonu::get_bool(v, {"served"}).value_or(false);
    const auto* schema_json = jsonu::find(v, {"schema", "openAPIV3Schema"});
    if (!schema_json) {
      causes.push_back({"FieldValueRequired", "Required value: schemas are required",
                        path + ".schema.openAPIV3Schema"});
      continue;
    }
    auto compiled = structural_schema::compile(*schema_json);
    if (!compiled) {
      causes.push_back({"FieldValueInvalid", compiled.error().message, path + ".schema.openAPIV3Schema"});
      continue;
    }
    if (!served) continue;
    resource_type t;
    t.group = group;
    t.version = vname;
    t.resource = plural;
    t.singular = singular;
    t.kind = kind;
    t.namespaced = scope == "Namespaced";
    t.short_names = short_names;
    t.categories = categories;
    t.verbs = {"delete", "deletecollection", "get", "list", "patch", "create", "update", "watch"};
    t.status_subresource = jsonu::find(v, {"subresources", "status"}) != nullptr;
    t.scale_subresource = false;
    t.storage = group + "/" + plural;
    t.schema = *compiled;
    t.hints = t.schema.get();
    if (const auto* cols = jsonu::find(v, {"additionalPrinterColumns"}); cols && cols->is_array())
      t.printer_columns = cols->get_array();
    out.push_back(std::move(t));
  }
  if (storage_count != 1)
    causes.push_back({"FieldValueInvalid", "Invalid value: must have exactly one version marked as storage version",
                      "spec.versions"});
  // Another CRD must not already serve this group/resource.
  for (const auto& existing : types_.all())
    if (existing->is_custom() && existing->crd_name != name && existing->group == group &&
        existing->resource == plural) {
      causes.push_back({"FieldValueInvalid", "Invalid value: \"" + plural + "\": already served by " +
                                                 existing->crd_name, "spec.names.plural"});
      break;
    }
  // The storage version's apiVersion is what objects are stored with.
  std::stable_partition(out.begin(), out.end(), [&](const resource_type& t) {
    for (const auto& v : versions->get_array())
      if (jsonu::get_string(v, {"name"}) == t.version) return jsonu::get_bool(v, {"storage"}).value_or(false);
    return false;
  });
  return causes;
}

void apiserver::crd_established(const object_ptr& crd) {
  auto type = types_.find_storage("apiextensions.k8s.io/customresourcedefinitions");
  if (!type) return;
  json::object next = crd->object;
  auto& status = jsonu::ensure_object(next, {"status"});
  const auto* names = jsonu::find(crd->object, {"spec", "names"});
  json::object accepted = names && names->is_object() ? names->get_object() : json::object();
  if (!accepted.contains("singular")) accepted["singular"] = lower(jsonu::get_string(accepted, "kind"));
  if (!accepted.contains("listKind")) accepted["listKind"] = std::string(jsonu::get_string(accepted, "kind")) + "List";
  status["acceptedNames"] = std::move(accepted);
  // Keep condition timestamps stable across re-evaluation so a no-op stays a no-op.
  std::string when = format_rfc3339(now());
  if (const auto* conds = jsonu::find(crd->object, {"status", "conditions"}); conds && conds->is_array())
    for (const auto& c : conds->get_array())
      if (c.is_object() && jsonu::get_string(c.get_object(), "type") == "Established")
        when = std::string(jsonu::get_string(c.get_object(), "lastTransitionTime", when));
  status["conditions"] = json::array{condition("NamesAccepted", "NoConflicts", "no conflicts found", when),
                                     condition("Established", "InitialNamesAccepted",
                                               "the initial names have been accepted", when)};
  json::array stored;
  if (const auto* versions = jsonu::find(crd->object, {"spec", "versions"}); versions && versions->is_array())
    for (const auto& v : versions->get_array())
      if (jsonu::get_bool(v, {"storage"}).value_or(false)) stored.push_back(json::string(jsonu::get_string(v, {"name"})));
  status["storedVersions"] = std::move(stored);
  if (next != crd->object) update_internal(*type, crd, std::move(next));
}

void apiserver::crd_removed(const json::object& crd) {
  const std::string name(meta_string(crd, "name"));
  const json::value crd_value = crd;
  const std::string storage = std::string(jsonu::get_string(crd_value, {"spec", "group"})) + "/" +
                              std::string(jsonu::get_string(crd_value, {"spec", "names", "plural"}));
  // Custom resources go with their definition (simplification: without waiting for
  // their finalizers, which kube-apiserver's CRD cleanup would honour).
  std::vector<std::string> keys;
  store_.at(storage).for_each("", "", [&](const object_ptr& o) {
    keys.push_back(o->key);
    return true;
  });
  for (const auto& k : keys) {
    auto obj = store_.at(storage).get(k);
    if (obj) {
      store_.remove(storage, k);
      ++stats_.writes;
      auto uid = meta_string(obj->object, "uid");
      if (!uid.empty() && !store_.dependents_of(uid).empty()) enqueue_gc({gc_item::kind::owner_gone, std::string(uid)});
    }
  }
  types_.set_crd_types(name, {});
  for (auto* s : sessions_)
    if (s->type_ && s->type_->crd_name == name) s->finish();
}

}  // namespace langop::localapi
