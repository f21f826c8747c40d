// LanguageModel (SPEC 1.3): checks the API key Secret and the fallbacks, applies the
// LiteLLM gateway (config ConfigMap, proxy Deployment, Service) and its egress policy,
// and reports the gateway's endpoint and readiness.
#include "egress_dns.hpp"
#include "langop/controllers/kinds.hpp"
#include "langop/resources/egress.hpp"
#include "langop/resources/model.hpp"
#include "reconcile_common.hpp"

#include <set>

namespace langop::controllers {

namespace net = boost::asio;

namespace {

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// The fallbacks as objects; a missing one is a wait, a chain leading back to this model
// an error.
struct fallback_set {
  std::vector<json::object> models;
  std::optional<std::string> waiting;
  std::optional<std::string> invalid;
};

bool reaches(const shared& s, std::string_view ns, std::string_view from, std::string_view target,
             std::set<std::string>& seen) {
  auto m = s.models->store().get(ns, from);
  if (!m) return false;
  for (auto f : (*m)["spec"].find("fallbacks").elements()) {
    auto n = f.as_string();
    if (n == target) return true;
    if (seen.insert(std::string(n)).second && reaches(s, ns, n, target, seen)) return true;
  }
  return false;
}

fallback_set fallbacks_of(const shared& s, const informer::cached_object& model) {
  fallback_set out;
  for (auto f : model["spec"].find("fallbacks").elements()) {
    auto name = f.as_string();
    if (name == model.name()) {
      out.invalid = "fallback " + quoted(name) + " is the model itself";
      return out;
    }
    auto m = s.models->store().get(model.ns(), name);
    if (!m) {
      out.waiting = "fallback model " + quoted(name) + " not found";
      continue;
    }
    std::set<std::string> seen;
    if (reaches(s, model.ns(), name, model.name(), seen)) {
      out.invalid = "fallback cycle: " + quoted(model.name()) + " and " + quoted(name) + " fall back to each other";
      return out;
    }
    out.models.push_back(to_object(*m));
  }
  return out;
}

// The key's Secret must exist and hold the key (values are blanked in the cache; keys
// stay). Fallbacks' Secrets must exist too: the proxy container would not start.
std::optional<std::string> missing_secret(const shared& s, const informer::cached_object& model,
                                          const std::vector<std::string>& names, json::object& versions) {
  for (const auto& n : names) {
    auto sec = s.secrets->store().get(model.ns(), n);
    if (!sec) return "Secret " + quoted(n) + " not found";
    versions[n] = sec->resource_version();
  }
  auto ref = model["spec"].find("apiKeySecretRef");
  auto name = ref.find("name").as_string();
  if (name.empty()) return std::nullopt;
  auto key = ref.find("key").as_string("api-key");
  auto sec = s.secrets->store().get(model.ns(), name);
  if (sec && !(*sec)["data"].find(key).exists() && !(*sec)["stringData"].find(key).exists())
    return "key " + quoted(key) + " not found in Secret " + quoted(name);
  return std::nullopt;
}

reconcile_result reconcile_model(std::shared_ptr<shared> sp, std::string key) {
  shared& s = *sp;
  auto [ns, name] = split_key(key);
  auto obj = s.models->store().get(ns, name);
  if (!obj || obj->deleting()) co_return runtime::action::done();

  // LanguageModel has no Pending phase (CRD enum): a model waiting for its Secret, key,
  // fallback or cluster is "Configuring", with the reason in the Ready condition.
  auto problem = [&](bool waiting, std::string message) {
    return report_problem(s, kinds::model, *obj, waiting, std::move(message), "Error", "Configuring");
  };
  bool cluster_pending = false;
  if (auto why = cluster_mismatch(s, *obj, cluster_pending))
    co_return co_await problem(cluster_pending, *why);
  auto fb = fallbacks_of(s, *obj);
  if (fb.invalid) co_return co_await problem(false, *fb.invalid);
  if (fb.waiting) co_return co_await problem(true, *fb.waiting);
  const auto model = to_object(*obj);
  json::object versions;
  if (auto why = missing_secret(s, *obj, resources::model_secret_names(model, fb.models), versions))
    co_return co_await problem(true, *why);

  const auto dns = co_await s.dns->resolve(resources::egress_dns_names(object_at(model, "spec")));
  auto children = resources::model_children(model, fb.models, versions);
  children.push_back(resources::egress_network_policy(model, {}, dns.addresses));
  if (auto w = co_await apply_children(s, *obj, std::move(children)); !w) co_return w.error();

  auto proxy = s.deployments->store().get(ns, name + "-proxy");
  const std::int64_t want = obj->root().at_path({"spec", "proxy", "replicas"}).as_int64(1);
  const std::int64_t ready = proxy ? (*proxy)["status"].find("readyReplicas").as_int64() : 0;
  json::object fields;
  fields["endpoint"] = resources::model_endpoint_url(model);
  fields["readyReplicas"] = ready;
  const bool up = ready >= want;
  const std::string phase = up ? "Ready" : "Configuring";
  const std::string message = up ? "Gateway ready at " + resources::model_endpoint_url(model)
                                 : "Waiting for the gateway: " + std::to_string(ready) + "/" + std::to_string(want) +
                                       " replicas ready";
  std::vector<condition> extra;
  if (auto egress = egress_condition(dns)) extra.push_back(std::move(*egress));
  record_phase_change(s, *obj, phase, {}, false);
  auto status = status_for(*obj, phase, up, up ? "GatewayReady" : "GatewayStarting", message, std::move(extra),
                           std::move(fields));
  if (auto w = co_await write_status(s.client, kinds::model, *obj, std::move(status)); !w) co_return w.error();
  if (dns.refresh.count() > 0) co_return runtime::action::requeue_after(dns.refresh);
  co_return runtime::action::done();
}

}  // namespace

void setup_model(shared& s) {
  auto& c = add_kind_controller(s, "languagemodel", *s.models, reconcile_model);
  for (auto* inf : {s.configmaps, s.deployments, s.services, s.network_policies}) c.watch_owned(*inf, "LanguageModel");
  watch_referrers(c, *s.secrets, *s.models, index_model_secret);
  // A fallback appearing, changing or disappearing reaches the models that name it.
  watch_referrers(c, *s.models, *s.models, index_model_fallbacks);
  watch_clusters(s, c, *s.models);
}

}  // namespace langop::controllers
