// LanguageModel (SPEC 1.3): checks the API key Secret and the fallbacks, applies the
// LiteLLM gateway (config ConfigMap, proxy Deployment, Service) and its egress policy,
// and reports the gateway's endpoint and readiness.
#include "egress_dns.hpp"
#include "langop/controllers/kinds.hpp"
#include "langop/resources/egress.hpp"
#include "langop/resources/model.hpp"
#include "key_validation.hpp"
#include "langop/core/time.hpp"
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

// spec.validation.interval when spec.validation.live is true.
std::optional<std::chrono::nanoseconds> live_validation_interval(const informer::cached_object& model) {
  auto v = model["spec"].find("validation");
  if (!v.find("live").as_bool()) return std::nullopt;
  auto interval = parse_duration(v.find("interval").as_string("1h"));
  return interval && interval->count() > 0 ? *interval : std::chrono::hours(1);
}

// Live key validation (SPEC 1.3), beside the reconcile (background_checks.hpp says why):
// for every new spec or Secret version, then every `interval`; transient failures retried
// with backoff. Returns the KeyValid condition (the last outcome, else the live one) and
// sets `again` to when to look again (0: when something changes).
std::optional<condition> key_check(shared& s, const informer::cached_object& obj, const std::string& key,
                                   std::chrono::nanoseconds interval, std::chrono::nanoseconds& again) {
  auto& checks = *s.key_validation;
  auto ref = obj["spec"].find("apiKeySecretRef");
  key_source src(std::string(obj.ns()), std::string(ref.find("name").as_string()),
                 std::string(ref.find("key").as_string("api-key")));
  std::string fingerprint = "generation " + std::to_string(obj.generation());
  if (auto sec = s.secrets->store().get(obj.ns(), src.name); sec && !src.name.empty())
    fingerprint += " secret " + std::string(sec->resource_version());
  if (checks.due(key, fingerprint, interval)) {
    llm::model_config cfg;
    cfg.provider = obj["spec"].find("provider").as_string();
    cfg.model = obj["spec"].find("model").as_string(obj["spec"].find("modelName").as_string());
    cfg.endpoint = obj["spec"].find("endpoint").as_string();
    checks.start(key, fingerprint, validate_key_check(s.ex, s.client, std::move(src), std::move(cfg),
                                                      s.opts.key_validation_timeout));
  }
  again = checks.due_in(key, interval);
  auto* last = checks.last(key);
  if (last) return key_valid_condition(*last);
  return live_condition(obj, "KeyValid");
}

reconcile_result reconcile_model(std::shared_ptr<shared> sp, std::string key) {
  shared& s = *sp;
  auto [ns, name] = split_key(key);
  auto obj = s.models->store().get(ns, name);
  if (!obj || obj->deleting()) {
    s.key_validation->forget(key);
    co_return runtime::action::done();
  }

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
  std::vector<condition> extra;
  std::chrono::nanoseconds again = dns.refresh;
  std::optional<condition> key_valid;
  if (auto interval = live_validation_interval(*obj)) {
    std::chrono::nanoseconds next{0};
    key_valid = key_check(s, *obj, key, *interval, next);
    again = sooner(again, next);
  } else {
    s.key_validation->forget(key);
  }
  // A gateway whose key the provider refuses (or cannot be asked about) serves nothing
  // useful: Degraded, with the key check's reason (CRD phase description).
  const bool key_failed = key_valid && !key_valid->status;
  const std::string phase = !up ? "Configuring" : key_failed ? "Degraded" : "Ready";
  const std::string endpoint_url = resources::model_endpoint_url(model);
  std::string message = !up ? "Waiting for the gateway: " + std::to_string(ready) + "/" + std::to_string(want) +
                                  " replicas ready"
                            : "Gateway ready at " + endpoint_url;
  if (up && key_failed) message += ", but the API key check failed: " + key_valid->message;
  const std::string reason = !up ? "GatewayStarting" : key_failed ? "KeyInvalid" : "GatewayReady";
  if (key_valid) extra.push_back(std::move(*key_valid));
  if (auto egress = egress_condition(dns)) extra.push_back(std::move(*egress));
  record_phase_change(s, *obj, phase, {}, phase == "Degraded");
  auto status = status_for(*obj, phase, up && !key_failed, reason, message, std::move(extra), std::move(fields));
  if (auto w = co_await write_status(s.client, kinds::model, *obj, std::move(status)); !w) co_return w.error();
  co_return runtime::action::requeue_after(again);
}

}  // namespace

void setup_model(shared& s) {
  auto& c = add_kind_controller(s, "languagemodel", *s.models, reconcile_model);
  s.key_validation = make_checks(s, c, *s.models, "KeyValid", "KeyValidationFailed");
  for (auto* inf : {s.configmaps, s.deployments, s.services, s.network_policies}) c.watch_owned(*inf, "LanguageModel");
  watch_referrers(c, *s.secrets, *s.models, index_model_secret);
  // A fallback appearing, changing or disappearing reaches the models that name it.
  watch_referrers(c, *s.models, *s.models, index_model_fallbacks);
  watch_clusters(s, c, *s.models);
}

}  // namespace langop::controllers
