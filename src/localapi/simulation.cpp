#include "langop/localapi/simulation.hpp"

#include "langop/localapi/store.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/json/serialize.hpp>

#include <deque>
#include <set>

namespace langop::localapi {
namespace {

constexpr const char* k_manager = "langop-localapi-simulator";

std::string_view meta(const json::object& o, std::string_view f) {
  const auto* v = jsonu::find(o, {"metadata", f});
  return v && v->is_string() ? std::string_view(v->get_string()) : std::string_view();
}

json::object condition(const char* type, const char* status, const char* reason, const std::string& time,
                       const json::object* previous_status) {
  // Keep transition times stable while the condition does not change.
  std::string when = time;
  if (previous_status)
    if (const auto* conds = previous_status->if_contains("conditions"); conds && conds->is_array())
      for (const auto& c : conds->get_array())
        if (c.is_object() && jsonu::get_string(c.get_object(), "type") == type &&
            jsonu::get_string(c.get_object(), "status") == status)
          when = std::string(jsonu::get_string(c.get_object(), "lastTransitionTime", time));
  json::object c;
  c["type"] = type;
  c["status"] = status;
  c["lastUpdateTime"] = when;
  c["lastTransitionTime"] = when;
  c["reason"] = reason;
  return c;
}

}  // namespace

struct workload_simulator::impl final : std::enable_shared_from_this<impl> {
  impl(boost::asio::io_context& c, apiserver& a, std::chrono::milliseconds d, log::logger l)
      : ioc(c), api(a), delay(d), log(std::move(l)), timer(c) {}

  boost::asio::io_context& ioc;
  apiserver& api;
  std::chrono::milliseconds delay;
  log::logger log;
  boost::asio::steady_timer timer;
  struct pending {
    std::chrono::steady_clock::time_point due;
    std::string storage, key;
  };
  std::deque<pending> queue;  // due times are non-decreasing: one delay for all
  std::set<std::pair<std::string, std::string>> queued;
  bool armed = false;
  bool stopped = false;
  // One sink per watched collection. It runs inside the store's commit, so it only
  // remembers the key; the write happens later on the loop, as a controller would.
  struct source final : watch_sink {
    impl* owner;
    std::string storage;
    collection* from;
    source(impl* o, std::string s, collection* c) : owner(o), storage(std::move(s)), from(c) {}
    void on_event(const event_ptr& e) override {
      if (e->type != event_type::deleted) owner->enqueue(storage, e->object->key);
    }
  };
  std::vector<std::unique_ptr<source>> sources;

  void subscribe() {
    for (const char* s : {"apps/deployments", "/persistentvolumeclaims", "batch/jobs"}) {
      collection& c = api.store().at(s);
      auto& src = sources.emplace_back(std::make_unique<source>(this, s, &c));
      c.subscribe(src.get());
      // Objects that exist already are simulated too.
      c.for_each("", "", [&](const object_ptr& o) {
        enqueue(s, o->key);
        return true;
      });
    }
  }

  void unsubscribe() {
    for (auto& s : sources) s->from->unsubscribe(s.get());
    sources.clear();
  }

  void enqueue(std::string storage, std::string key) {
    if (stopped || !queued.emplace(storage, key).second) return;
    queue.push_back({std::chrono::steady_clock::now() + delay, std::move(storage), std::move(key)});
    arm();
  }

  void arm() {
    if (armed || queue.empty() || stopped) return;
    armed = true;
    timer.expires_at(queue.front().due);
    timer.async_wait([self = shared_from_this()](boost::system::error_code ec) {
      self->armed = false;
      if (ec || self->stopped) return;
      self->run_due();
      self->arm();
    });
  }

  void run_due() {
    const auto now = std::chrono::steady_clock::now();
    while (!queue.empty() && queue.front().due <= now) {
      pending p = std::move(queue.front());
      queue.pop_front();
      queued.erase({p.storage, p.key});
      auto obj = api.store().at(p.storage).get(p.key);
      if (!obj || !meta(obj->object, "deletionTimestamp").empty()) continue;
      if (p.storage == "apps/deployments") deployment_ready(obj->object);
      else if (p.storage == "/persistentvolumeclaims") pvc_bound(obj->object);
      else job_finished(obj->object);
    }
  }

  std::string object_path(const char* prefix, const char* resource, const json::object& o) {
    return std::string(prefix) + "/namespaces/" + std::string(meta(o, "namespace")) + "/" + resource + "/" +
           std::string(meta(o, "name"));
  }

  void put_status(const json::object& o, json::object status, const char* prefix, const char* resource) {
    const auto* current = o.if_contains("status");
    if (current && *current == json::value(status)) return;  // already true: no write
    json::object next = o;
    next["status"] = std::move(status);
    auto resp = api.internal("PUT", object_path(prefix, resource, o) + "/status", json::serialize(next),
                             "application/json", k_manager);
    if (resp.status >= 300 && resp.status != 409)
      log.warn("simulated status write failed", {{"resource", resource}, {"status", resp.status}, {"body", resp.body}});
  }

  void deployment_ready(const json::object& d) {
    const auto replicas = jsonu::get_int(json::value(d), {"spec", "replicas"}).value_or(1);
    const auto generation = jsonu::get_int(json::value(d), {"metadata", "generation"}).value_or(1);
    const auto* prev = d.if_contains("status") ? d.at("status").if_object() : nullptr;
    const std::string now = format_rfc3339(api.now());
    json::object status;
    status["observedGeneration"] = generation;
    if (replicas > 0) {
      for (const char* f : {"replicas", "updatedReplicas", "readyReplicas", "availableReplicas"}) status[f] = replicas;
    }
    status["conditions"] = json::array{
        condition("Available", "True", "MinimumReplicasAvailable", now, prev),
        condition("Progressing", "True", "NewReplicaSetAvailable", now, prev)};
    put_status(d, std::move(status), "/apis/apps/v1", "deployments");
  }

  void pvc_bound(const json::object& pvc) {
    json::object status;
    status["phase"] = "Bound";
    if (const auto* modes = jsonu::find(pvc, {"spec", "accessModes"})) status["accessModes"] = *modes;
    if (const auto* size = jsonu::find(pvc, {"spec", "resources", "requests", "storage"}))
      status["capacity"] = json::object{{"storage", *size}};
    put_status(pvc, std::move(status), "/api/v1", "persistentvolumeclaims");
  }

  void job_finished(const json::object& job) {
    if (jsonu::find(job, {"status", "completionTime"}) || jsonu::find(job, {"status", "failed"})) return;
    if (jsonu::get_bool(json::value(job), {"spec", "suspend"}).value_or(false)) return;
    const bool fail =
        jsonu::get_string(json::value(job), {"metadata", "annotations", "langop.io/simulate-outcome"}) == "failed";
    const std::string now = format_rfc3339(api.now());
    json::object status;
    status["startTime"] = std::string(jsonu::get_string(json::value(job), {"metadata", "creationTimestamp"}, now));
    if (fail) {
      status["failed"] = 1;
      status["conditions"] = json::array{json::object{{"type", "Failed"}, {"status", "True"},
                                                      {"reason", "BackoffLimitExceeded"},
                                                      {"message", "Job has reached the specified backoff limit"},
                                                      {"lastProbeTime", now}, {"lastTransitionTime", now}}};
    } else {
      status["succeeded"] = 1;
      status["completionTime"] = now;
      status["conditions"] = json::array{json::object{{"type", "Complete"}, {"status", "True"},
                                                      {"lastProbeTime", now}, {"lastTransitionTime", now}}};
    }
    put_status(job, std::move(status), "/apis/batch/v1", "jobs");
    cronjob_after_job(job, fail, now);
  }

  // The CronJob controller's bookkeeping when one of its Jobs finishes.
  void cronjob_after_job(const json::object& job, bool failed, const std::string& now) {
    const auto* refs = jsonu::find(job, {"metadata", "ownerReferences"});
    if (!refs || !refs->is_array()) return;
    for (const auto& r : refs->get_array()) {
      if (!r.is_object() || jsonu::get_string(r.get_object(), "kind") != "CronJob") continue;
      auto key = std::string(meta(job, "namespace")) + "/" + std::string(jsonu::get_string(r.get_object(), "name"));
      auto cj = api.store().at("batch/cronjobs").get(key);
      if (!cj) continue;
      json::object status = cj->object.contains("status") && cj->object.at("status").is_object()
                                ? cj->object.at("status").get_object()
                                : json::object();
      if (auto* active = status.if_contains("active"); active && active->is_array()) {
        auto& arr = active->get_array();
        for (auto it = arr.begin(); it != arr.end();)
          it = it->is_object() && jsonu::get_string(it->get_object(), "name") == meta(job, "name") ? arr.erase(it)
                                                                                                   : it + 1;
        if (arr.empty()) status.erase("active");
      }
      if (!failed) status["lastSuccessfulTime"] = now;
      put_status(cj->object, std::move(status), "/apis/batch/v1", "cronjobs");
    }
  }

  std::optional<api_response> run_cronjob(const std::string& ns, const std::string& name, const std::string& outcome) {
    auto cj = api.store().at("batch/cronjobs").get(ns + "/" + name);
    api_response resp;
    if (!cj) {
      resp.status = 404;
      resp.body = json::serialize(to_status(not_found("cronjobs.batch", name)));
      return resp;
    }
    const auto* tmpl = jsonu::find(cj->object, {"spec", "jobTemplate"});
    if (!tmpl || !tmpl->is_object()) {
      resp.status = 422;
      resp.body = json::serialize(to_status(bad_request("the CronJob has no spec.jobTemplate")));
      return resp;
    }
    const auto now_time = api.now();
    const auto minutes = std::chrono::duration_cast<std::chrono::minutes>(now_time.time_since_epoch()).count();
    json::object job;
    job["apiVersion"] = "batch/v1";
    job["kind"] = "Job";
    json::object md;
    if (const auto* m = tmpl->get_object().if_contains("metadata"); m && m->is_object()) md = m->get_object();
    md["name"] = name + "-" + std::to_string(minutes) + "-" + std::to_string(++runs);
    md["namespace"] = ns;
    auto& annotations = jsonu::ensure_object(md, {"annotations"});
    annotations["batch.kubernetes.io/cronjob-scheduled-timestamp"] = format_rfc3339(now_time);
    if (outcome == "failed") annotations["langop.io/simulate-outcome"] = "failed";
    md["ownerReferences"] = json::array{json::object{{"apiVersion", "batch/v1"}, {"kind", "CronJob"},
                                                     {"name", name}, {"uid", meta(cj->object, "uid")},
                                                     {"controller", true}, {"blockOwnerDeletion", true}}};
    job["metadata"] = std::move(md);
    if (const auto* spec = tmpl->get_object().if_contains("spec")) job["spec"] = *spec;
    auto created = api.internal("POST", "/apis/batch/v1/namespaces/" + ns + "/jobs", json::serialize(job),
                                "application/json", "cronjob-controller");
    if (created.status == 201) {
      auto body = jsonu::parse(created.body);
      json::object status = cj->object.contains("status") && cj->object.at("status").is_object()
                                ? cj->object.at("status").get_object()
                                : json::object();
      status["lastScheduleTime"] = format_rfc3339(now_time);
      auto& active = status["active"];
      if (!active.is_array()) active = json::array();
      if (body)
        active.get_array().push_back(json::object{{"apiVersion", "batch/v1"}, {"kind", "Job"},
                                                  {"name", jsonu::get_string(*body, {"metadata", "name"})},
                                                  {"namespace", ns},
                                                  {"uid", jsonu::get_string(*body, {"metadata", "uid"})}});
      put_status(cj->object, std::move(status), "/apis/batch/v1", "cronjobs");
    }
    return created;
  }

  std::uint64_t runs = 0;
};

workload_simulator::workload_simulator(boost::asio::io_context& ioc, apiserver& api,
                                       std::chrono::milliseconds ready_delay, log::logger logger)
    : impl_(std::make_shared<impl>(ioc, api, ready_delay, std::move(logger))) {
  impl_->subscribe();
}

workload_simulator::~workload_simulator() { stop(); }

void workload_simulator::stop() {
  if (!impl_ || impl_->stopped) return;
  impl_->stopped = true;
  impl_->timer.cancel();
  impl_->unsubscribe();
}

std::optional<api_response> workload_simulator::admin(const api_request& request) {
  // POST /admin/cronjobs/<namespace>/<name>/run
  std::string_view p = request.path;
  constexpr std::string_view prefix = "/admin/cronjobs/";
  if (!p.starts_with(prefix) || !p.ends_with("/run") || request.method != "POST") return std::nullopt;
  p.remove_prefix(prefix.size());
  p.remove_suffix(4);
  auto slash = p.find('/');
  if (slash == std::string_view::npos) return std::nullopt;
  auto outcome = request.query_or("outcome", "succeeded");
  if (outcome != "succeeded" && outcome != "failed") {
    api_response r;
    r.status = 400;
    r.body = json::serialize(to_status(bad_request("outcome must be succeeded or failed")));
    return r;
  }
  return impl_->run_cronjob(std::string(p.substr(0, slash)), std::string(p.substr(slash + 1)), outcome);
}

}  // namespace langop::localapi
