// LanguageCluster (SPEC 1.2): a tenant namespace with its ResourceQuota and LimitRange.
// A namespace langop creates is annotated as such and owned by the LanguageCluster; an
// existing namespace is adopted without either. The finalizer deletes the namespace on
// deletion only when langop created it.
#include "langop/controllers/kinds.hpp"
#include "langop/resources/cluster.hpp"
#include "reconcile_common.hpp"

namespace langop::controllers {

namespace net = boost::asio;

namespace {

bool created_by(const informer::cached_object& ns, std::string_view cluster) {
  return ns.root().at_path({"metadata", "annotations"}).find(resources::namespace_created_by_annotation).as_string() ==
         cluster;
}

// Deletion: delete the namespace we created (its content goes with it), then let the
// LanguageCluster go.
net::awaitable<result<runtime::action>> finalize(shared& s, const informer::cached_object& obj,
                                                 const std::string& ns_name) {
  if (!has_finalizer(obj)) co_return runtime::action::done();
  record_phase_change(s, obj, "Terminating", {}, false);
  if (auto ns = s.namespaces->store().get("", ns_name); ns && created_by(*ns, obj.name())) {
    if (auto w = co_await remove_child(s, obj, kinds::namespaces, *s.namespaces, "", ns_name); !w) co_return w.error();
  }
  if (auto w = co_await set_finalizer(s.client, kinds::cluster, obj, false); !w) co_return w.error();
  co_return runtime::action::done();
}

reconcile_result reconcile_cluster(std::shared_ptr<shared> sp, std::string key) {
  shared& s = *sp;
  auto obj = s.clusters->store().get("", key);
  if (!obj) co_return runtime::action::done();
  const auto cluster = to_object(*obj);
  const auto ns_name = resources::cluster_namespace_name(cluster);
  if (obj->deleting()) co_return co_await finalize(s, *obj, ns_name);
  if (auto w = co_await set_finalizer(s.client, kinds::cluster, *obj, true); !w) co_return w.error();

  // Another LanguageCluster already manages this namespace: two owners would fight.
  for (const auto& other : s.clusters->store().by_index(std::string(index_cluster_namespace), ns_name))
    if (other->name() < obj->name() && !other->deleting())
      co_return co_await report_problem(s, kinds::cluster, *obj, false,
                                        "namespace \"" + ns_name + "\" is already managed by LanguageCluster \"" +
                                            std::string(other->name()) + "\"");

  auto existing = s.namespaces->store().get("", ns_name);
  const bool ours = !existing || created_by(*existing, obj->name());
  if (auto w = co_await apply_child(s, *obj, kinds::namespaces, *s.namespaces, resources::cluster_namespace(cluster, ours));
      !w)
    co_return w.error();
  if (auto w = co_await apply_or_remove(s, *obj, kinds::resource_quotas, *s.quotas,
                                        resources::cluster_resource_quota(cluster), ns_name,
                                        std::string(obj->name()) + "-quota");
      !w)
    co_return w.error();
  if (auto w = co_await apply_or_remove(s, *obj, kinds::limit_ranges, *s.limit_ranges,
                                        resources::cluster_limit_range(cluster), ns_name,
                                        std::string(obj->name()) + "-limits");
      !w)
    co_return w.error();

  auto ns = s.namespaces->store().get("", ns_name);
  const bool active = ns && (*ns)["status"].find("phase").as_string("Active") == "Active";
  json::object fields;
  fields["namespace"] = ns_name;
  const std::string phase = active ? "Ready" : "Pending";
  const std::string message = active ? (ours ? "Namespace " + ns_name + " ready" : "Namespace " + ns_name + " adopted")
                                     : "Waiting for namespace " + ns_name;
  record_phase_change(s, *obj, phase, {}, false);
  auto status = status_for(*obj, phase, active, active ? "NamespaceReady" : "NamespacePending", message, {},
                           std::move(fields));
  if (auto w = co_await write_status(s.client, kinds::cluster, *obj, std::move(status)); !w) co_return w.error();
  co_return runtime::action::done();
}

}  // namespace

void setup_cluster(shared& s) {
  auto& c = add_kind_controller(s, "languagecluster", *s.clusters, reconcile_cluster);
  for (auto* inf : {s.quotas, s.limit_ranges}) c.watch_owned(*inf, "LanguageCluster");
  watch_referrers(c, *s.namespaces, *s.clusters, index_cluster_namespace);
}

}  // namespace langop::controllers
