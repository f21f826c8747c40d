// delete and deletecollection: preconditions, propagation policies, finalizers.
#include "apiserver_internal.hpp"

#include <boost/json/serialize.hpp>

namespace langop::localapi {
namespace {

void add_finalizer(json::object& o, std::string_view name) {
  if (has_finalizer(o, name)) return;
  auto& meta = metadata_of(o);
  auto& f = meta["finalizers"];
  if (!f.is_array()) f = json::array();
  f.get_array().push_back(json::string(name));
}

// DeleteOptions from the body (when present) and the query.
struct delete_options {
  std::string propagation = "Background";
  std::string precondition_uid;
  std::string precondition_rv;
  bool dry_run = false;
};

std::variant<delete_options, api_error> read_delete_options(const api_request& request) {
  delete_options o;
  json::object body;
  if (!request.body.empty()) {
    std::string err;
    auto v = jsonu::parse(request.body, &err);
    if (!v || !v->is_object()) return bad_request("the body of the request could not be decoded as DeleteOptions");
    body = std::move(v->get_object());
  }
  std::string policy = request.query_or("propagationPolicy");
  if (policy.empty()) policy = std::string(jsonu::get_string(body, "propagationPolicy"));
  auto orphan_q = request.query_or("orphanDependents");
  auto orphan_b = jsonu::get_bool(json::value(body), {"orphanDependents"});
  if (policy.empty() && (orphan_q == "true" || orphan_b.value_or(false))) policy = "Orphan";
  if (!policy.empty()) {
    if (policy != "Background" && policy != "Foreground" && policy != "Orphan")
      return bad_request("propagationPolicy: Unsupported value: \"" + policy +
                         "\": supported values: \"Foreground\", \"Background\", \"Orphan\"");
    o.propagation = policy;
  }
  o.precondition_uid = std::string(jsonu::get_string(json::value(body), {"preconditions", "uid"}));
  o.precondition_rv = std::string(jsonu::get_string(json::value(body), {"preconditions", "resourceVersion"}));
  auto dry = request.query_or("dryRun");
  if (const auto* d = body.if_contains("dryRun"); d && d->is_array() && !d->get_array().empty()) dry = "All";
  if (!dry.empty() && dry != "All") return bad_request("Invalid dry run value: " + dry);
  o.dry_run = dry == "All";
  return o;
}

}  // namespace

api_response apiserver::handle_delete(const api_request& request, const route& r) {
  const resource_type& t = *r.type;
  auto opts = read_delete_options(request);
  if (auto* e = std::get_if<api_error>(&opts)) return error_response(*e);
  const auto& o = std::get<delete_options>(opts);
  object_ptr current = store_.at(t.storage).get(object_key(t.namespaced ? r.ns : "", r.name));
  if (!current) return error_response(not_found(t.group_resource(), r.name));
  if (!o.precondition_uid.empty() && o.precondition_uid != meta_string(current->object, "uid"))
    return error_response(conflict(t.group_resource(), r.name,
                                   "Precondition failed: UID in precondition: " + o.precondition_uid +
                                       ", UID in object meta: " + std::string(meta_string(current->object, "uid"))));
  if (!o.precondition_rv.empty() && o.precondition_rv != std::to_string(current->rv))
    return error_response(conflict(t.group_resource(), r.name,
                                   "Precondition failed: ResourceVersion in precondition: " + o.precondition_rv +
                                       ", ResourceVersion in object meta: " + std::to_string(current->rv)));
  json::object policy;
  policy["propagationPolicy"] = o.propagation;
  auto resp = delete_object(t, current, policy, o.dry_run);
  if (resp.status < 300) {
    // Show the result in the served version.
    auto stored = store_.at(t.storage).get(current->key);
    if (!resp.body.empty() && stored) resp = object_response(resp.status, t, stored, request);
  }
  return resp;
}

api_response apiserver::delete_object(const resource_type& type, const object_ptr& current,
                                      const json::object& options, bool dry_run) {
  const std::string policy(jsonu::get_string(options, "propagationPolicy", "Background"));
  const bool deleting = !meta_string(current->object, "deletionTimestamp").empty();
  api_response resp;

  if (type.group.empty() && type.kind == "Namespace") {
    if (deleting)
      return error_response(conflict("namespaces", meta_string(current->object, "name"),
                                     "The system is ensuring all content is removed from this namespace.  Upon "
                                     "completion, this namespace will automatically be purged by the system."));
    json::object next = current->object;
    metadata_of(next)["deletionTimestamp"] = format_rfc3339(now());
    metadata_of(next)["deletionGracePeriodSeconds"] = 0;
    jsonu::ensure_object(next, {"status"})["phase"] = "Terminating";
    if (dry_run) {
      resp.body = json::serialize(next);
      return resp;
    }
    update_internal(type, current, std::move(next));
    enqueue_gc({gc_item::kind::namespace_cleanup, std::string(meta_string(current->object, "name"))});
    auto stored = store_.at(type.storage).get(current->key);
    resp.body = stored ? stored->json : current->json;
    return resp;
  }

  json::object next = current->object;
  if (policy == "Foreground") add_finalizer(next, "foregroundDeletion");
  if (policy == "Orphan") add_finalizer(next, "orphan");
  const std::string uid(meta_string(current->object, "uid"));

  if (has_finalizers(next)) {
    // Finalizers pending: mark for deletion and let their owners (or the GC) finish.
    if (!deleting) {
      metadata_of(next)["deletionTimestamp"] = format_rfc3339(now());
      metadata_of(next)["deletionGracePeriodSeconds"] = 0;
    }
    resp.status = 202;
    if (dry_run) {
      resp.body = json::serialize(next);
      return resp;
    }
    if (next != current->object) update_internal(type, current, std::move(next));
    if (policy == "Foreground") enqueue_gc({gc_item::kind::foreground, uid});
    if (policy == "Orphan") enqueue_gc({gc_item::kind::orphan, uid});
    auto stored = store_.at(type.storage).get(current->key);
    resp.body = stored ? stored->json : current->json;
    return resp;
  }
  if (dry_run) {
    resp.body = current->json;
    return resp;
  }
  remove_now(type, current);
  resp.body = current->json;
  return resp;
}

api_response apiserver::handle_delete_collection(const api_request& request, const route& r) {
  const resource_type& t = *r.type;
  auto opts = read_delete_options(request);
  if (auto* e = std::get_if<api_error>(&opts)) return error_response(*e);
  const auto& o = std::get<delete_options>(opts);
  auto labels = label_selector::parse(request.query_or("labelSelector"));
  if (!labels) return error_response(bad_request(labels.error().message));
  auto fields = field_selector::parse(request.query_or("fieldSelector"));
  if (!fields) return error_response(bad_request(fields.error().message));
  std::vector<object_ptr> victims;
  store_.at(t.storage).for_each(r.namespaced_path ? r.ns : std::string(), "", [&](const object_ptr& obj) {
    if (labels->matches(meta_object(obj->object, "labels")) && (fields->empty() || fields->matches(obj->object)))
      victims.push_back(obj);
    return true;
  });
  json::object policy;
  policy["propagationPolicy"] = o.propagation;
  for (const auto& v : victims) (void)delete_object(t, v, policy, o.dry_run);
  api_response resp;
  resp.body = render_list(t, victims, store_.current_rv(), "", std::nullopt);
  return resp;
}

bool apiserver::update_internal(const resource_type& type, const object_ptr& current, json::object next) {
  (void)current;
  auto committed = store_.put(type.storage, std::move(next));
  ++stats_.writes;
  after_commit(type, current, committed);
  return true;
}

void apiserver::remove_now(const resource_type& type, const object_ptr& current) {
  auto final_state = store_.remove(type.storage, current->key);
  if (!final_state) return;
  ++stats_.writes;
  const std::string uid(meta_string(current->object, "uid"));
  if (!uid.empty() && !store_.dependents_of(uid).empty()) enqueue_gc({gc_item::kind::owner_gone, uid});
  if (const auto* refs = jsonu::find(current->object, {"metadata", "ownerReferences"}); refs && refs->is_array())
    for (const auto& ref : refs->get_array())
      if (ref.is_object()) {
        auto owner = jsonu::get_string(ref.get_object(), "uid");
        if (!owner.empty()) enqueue_gc({gc_item::kind::foreground, std::string(owner)});
      }
  auto ns = meta_string(current->object, "namespace");
  if (!ns.empty()) {
    auto ns_obj = store_.at("/namespaces").get(ns);
    if (ns_obj && !meta_string(ns_obj->object, "deletionTimestamp").empty())
      enqueue_gc({gc_item::kind::namespace_cleanup, std::string(ns)});
  }
  if (type.group == "apiextensions.k8s.io" && type.kind == "CustomResourceDefinition") crd_removed(current->object);
}

void apiserver::after_commit(const resource_type& type, const object_ptr& before, const object_ptr& after) {
  (void)before;
  if (!after) return;
  if (!meta_string(after->object, "deletionTimestamp").empty() && !has_finalizers(after->object) &&
      !(type.group.empty() && type.kind == "Namespace")) {
    remove_now(type, after);
    return;
  }
  if (type.group == "apiextensions.k8s.io" && type.kind == "CustomResourceDefinition" &&
      meta_string(after->object, "deletionTimestamp").empty())
    crd_established(after);
  // An owner that does not exist never will (uids are assigned here): like kube's garbage
  // collector, collect dependents whose owners are all gone.
  if (const auto* refs = jsonu::find(after->object, {"metadata", "ownerReferences"}); refs && refs->is_array())
    for (const auto& ref : refs->get_array()) {
      auto owner = ref.is_object() ? jsonu::get_string(ref.get_object(), "uid") : std::string_view();
      if (!owner.empty() && !store_.find_uid(owner)) enqueue_gc({gc_item::kind::owner_gone, std::string(owner)});
    }
  // A finalizer removed from an owner in foreground deletion may let it go now.
  if (has_finalizer(after->object, "foregroundDeletion"))
    enqueue_gc({gc_item::kind::foreground, std::string(meta_string(after->object, "uid"))});
}

}  // namespace langop::localapi
