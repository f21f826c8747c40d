#include "setup.hpp"

#include "egress_dns.hpp"
#include "langop/cjson/codec.hpp"
#include "langop/cjson/serialize.hpp"
#include "langop/controllers/kinds.hpp"
#include "langop/runtime/manager.hpp"

namespace langop::controllers {

struct operator_controllers::state {
  std::shared_ptr<shared> s;
};

namespace {

constexpr std::string_view managed_by_langop = "app.kubernetes.io/managed-by=langop";

// Secret values never need to be in the operator's memory: controllers only check that a
// key exists. Values are blanked at ingest (the keys stay).
result<cjson::document> blank_secret_values(cjson::document doc, cjson::key_table& keys) {
  auto v = cjson::to_json(doc.root());
  if (!v.is_object()) return doc;
  for (const char* field : {"data", "stringData"}) {
    if (auto* d = v.as_object().if_contains(field); d && d->is_object())
      for (auto& kv : d->as_object()) kv.value() = "";
  }
  cjson::encode_options o;
  o.strip_kube_bookkeeping = true;
  return cjson::encode(v, keys, o);
}

// The cluster whose namespace is `ns` ("ns" = spec.namespace, else the name).
void index_cluster_namespace_fn(const informer::cached_object& o, informer::index_keys& out) {
  auto ns = o["spec"].find("namespace").as_string();
  out.add(ns.empty() ? o.name() : ns);
}

void add_indexes(shared& s) {
  auto& agents = s.agents->store();
  agents.add_index(std::string(index_agent_models), ref_index({"spec", "modelRefs"}, {"name"}));
  agents.add_index(std::string(index_agent_tools), ref_index({"spec", "toolRefs"}, {"name"}));
  agents.add_index(std::string(index_agent_persona), ref_index({}, {"spec", "personaRef", "name"}));
  s.personas->store().add_index(std::string(index_persona_parent), ref_index({}, {"spec", "parentRef", "name"}));
  s.models->store().add_index(std::string(index_model_secret), ref_index({}, {"spec", "apiKeySecretRef", "name"}));
  s.models->store().add_index(std::string(index_model_fallbacks), ref_index({"spec", "fallbacks"}, {}));
  s.clients->store().add_index(std::string(index_client_agent), ref_index({}, {"spec", "agentRef", "name"}));
  s.clients->store().add_index(std::string(index_client_secret),
                               ref_index({}, {"spec", "auth", "secretRef", "name"}));
  s.clusters->store().add_index(std::string(index_cluster_namespace), index_cluster_namespace_fn);
}

}  // namespace

void emit_both(const informer::change& c, const std::function<void(const informer::cached_object&)>& fn) {
  if (c.previous) fn(*c.previous);
  if (c.current && (!c.previous || c.current != c.previous)) fn(*c.current);
}

operator_controllers::operator_controllers(boost::asio::any_io_executor ex, runtime::manager& mgr,
                                           controllers_options options, log::logger logger)
    : st_(std::make_unique<state>()) {
  auto s = std::make_shared<shared>(ex, mgr, mgr.client(), std::move(options),
                                    logger.with({{"component", "controllers"}}));
  st_->s = s;
  s->clusters = &mgr.informer_for(kinds::cluster);
  s->models = &mgr.informer_for(kinds::model);
  s->tools = &mgr.informer_for(kinds::tool);
  s->personas = &mgr.informer_for(kinds::persona);
  s->agents = &mgr.informer_for(kinds::agent);
  s->clients = &mgr.informer_for(kinds::client);
  s->namespaces = &mgr.informer_for(kinds::namespaces);
  s->configmaps = &mgr.informer_for(kinds::configmaps, managed_by_langop);
  s->services = &mgr.informer_for(kinds::services, managed_by_langop);
  s->deployments = &mgr.informer_for(kinds::deployments, managed_by_langop);
  s->cronjobs = &mgr.informer_for(kinds::cronjobs, managed_by_langop);
  s->jobs = &mgr.informer_for(kinds::jobs, managed_by_langop);
  s->pvcs = &mgr.informer_for(kinds::pvcs, managed_by_langop);
  s->network_policies = &mgr.informer_for(kinds::network_policies, managed_by_langop);
  s->ingresses = &mgr.informer_for(kinds::ingresses, managed_by_langop);
  s->hpas = &mgr.informer_for(kinds::hpas, managed_by_langop);
  s->pdbs = &mgr.informer_for(kinds::pdbs, managed_by_langop);
  s->quotas = &mgr.informer_for(kinds::resource_quotas, managed_by_langop);
  s->limit_ranges = &mgr.informer_for(kinds::limit_ranges, managed_by_langop);
  // Secrets get their own informer (not informer_for): the transform is theirs alone.
  s->secrets = &mgr.informer_for_transformed(kinds::secrets, blank_secret_values);

  add_indexes(*s);
  setup_cluster(*s);
  setup_persona(*s);
  setup_model(*s);
  setup_tool(*s);
  setup_agent(*s);
  setup_client(*s);
}

operator_controllers::~operator_controllers() { st_->s->stop_checks(); }

std::uint64_t operator_controllers::events_emitted() const noexcept { return st_->s->events.emitted(); }

}  // namespace langop::controllers
