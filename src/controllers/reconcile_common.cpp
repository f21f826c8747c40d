#include "reconcile_common.hpp"

#include "langop/controllers/kinds.hpp"
#include "langop/runtime/manager.hpp"

#include <algorithm>

namespace langop::controllers {

namespace net = boost::asio;

runtime::controller& add_kind_controller(shared& s, std::string name, informer::informer& primary,
                                         reconcile_impl fn) {
  runtime::controller_options o;
  o.name = std::move(name);
  o.concurrency = s.opts.concurrency;
  auto sp = s.shared_from_this();
  auto& c = s.mgr.add_controller(o, [sp, fn](std::string key) { return fn(sp, std::move(key)); });
  c.watch_primary(primary);
  return c;
}

void watch_referrers(runtime::controller& c, informer::informer& source, const informer::informer& referrers,
                     std::string_view index) {
  c.watch(source,
          [&referrers, index](const informer::change& ch, const std::function<void(std::string)>& emit) {
            emit_both(ch, [&](const informer::cached_object& o) {
              referrers.store().for_each_indexed(index, o.key(),
                                                 [&](const informer::cached_object& r) { emit(r.key()); });
            });
          });
}

void watch_clusters(shared& s, runtime::controller& c, const informer::informer& objects) {
  c.watch(*s.clusters, [&objects](const informer::change& ch, const std::function<void(std::string)>& emit) {
    emit_both(ch, [&](const informer::cached_object& cl) {
      auto ns = cl["spec"].find("namespace").as_string();
      objects.store().for_each(ns.empty() ? cl.name() : ns, [&](const informer::cached_object& o) { emit(o.key()); });
    });
  });
}

std::optional<std::string> cluster_mismatch(const shared& s, const informer::cached_object& obj, bool& pending) {
  pending = false;
  auto cluster = obj["spec"].find("cluster").as_string();
  if (cluster.empty()) return std::nullopt;
  auto c = s.clusters->store().get("", cluster);
  if (!c) {
    pending = true;
    return ("cluster \"" + std::string(cluster) + "\"") + " not found";
  }
  auto managed = (*c)["spec"].find("namespace").as_string(c->name());
  if (managed.empty()) managed = c->name();
  if (managed != obj.ns())
    return ("cluster \"" + std::string(cluster) + "\"") + " manages namespace \"" + std::string(managed) + "\", not \"" +
           std::string(obj.ns()) + "\"";
  if ((*c)["status"].find("phase").as_string() != "Ready") {
    pending = true;
    return ("cluster \"" + std::string(cluster) + "\"") + " not ready";
  }
  return std::nullopt;
}

namespace {
bool already_reported(const informer::cached_object& obj, std::string_view type, const check_outcome& o) {
  auto live = live_condition(obj, type);
  return live && live->status == o.ok && live->reason == o.reason && live->message == o.message;
}
}  // namespace

std::unique_ptr<background_checks> make_checks(shared& s, runtime::controller& c, const informer::informer& primary,
                                               std::string condition_type, std::string failed_reason) {
  check_timing t;
  t.retry_base = s.opts.check_retry_base;
  t.retry_max = s.opts.check_retry_max;
  t.max_in_flight = s.opts.checks_in_flight;
  // Weak: the checks belong to `s` (a strong capture would be a cycle).
  std::weak_ptr<shared> weak = s.weak_from_this();
  auto on_outcome = [weak, &c, &primary, type = std::move(condition_type), failed_reason = std::move(failed_reason)](
                        const std::string& key, const check_outcome& o, bool changed) {
    auto sp = weak.lock();
    if (!sp) return;
    auto [ns, name] = split_key(key);
    auto obj = primary.store().get(ns, name);
    // News is judged against what the status already says too: after an operator restart
    // the first outcome repeats the object's condition, and an Event for it would be a
    // write on a no-op resync.
    if (obj && changed && !already_reported(*obj, type, o)) {
      if (o.ok) {
        sp->events.normal(target_of(*obj), type, o.message);
      } else {
        sp->events.warning(target_of(*obj), failed_reason, o.message);
        sp->log.warn("background check failed",
                     {{"controller", c.name()}, {"key", key}, {"reason", o.reason}, {"error", o.message}});
      }
    }
    c.enqueue(key);
  };
  auto wake = [&c](const std::string& key) { c.enqueue(key); };
  return std::make_unique<background_checks>(s.ex, t, std::move(on_outcome), std::move(wake));
}

std::chrono::nanoseconds sooner(std::chrono::nanoseconds a, std::chrono::nanoseconds b) noexcept {
  if (a.count() <= 0) return b;
  if (b.count() <= 0) return a;
  return std::min(a, b);
}

std::optional<condition> live_condition(const informer::cached_object& obj, std::string_view type) {
  for (auto c : obj["status"].find("conditions").elements()) {
    if (c.find("type").as_string() != type) continue;
    return condition{std::string(type), c.find("status").as_string() == "True",
                     std::string(c.find("reason").as_string()), std::string(c.find("message").as_string())};
  }
  return std::nullopt;
}

child_kind child_kind_of(const shared& s, std::string_view kind) {
  if (kind == "ConfigMap") return {&kinds::configmaps, s.configmaps};
  if (kind == "Service") return {&kinds::services, s.services};
  if (kind == "Deployment") return {&kinds::deployments, s.deployments};
  if (kind == "CronJob") return {&kinds::cronjobs, s.cronjobs};
  if (kind == "PersistentVolumeClaim") return {&kinds::pvcs, s.pvcs};
  if (kind == "NetworkPolicy") return {&kinds::network_policies, s.network_policies};
  if (kind == "Ingress") return {&kinds::ingresses, s.ingresses};
  if (kind == "HorizontalPodAutoscaler") return {&kinds::hpas, s.hpas};
  if (kind == "PodDisruptionBudget") return {&kinds::pdbs, s.pdbs};
  if (kind == "ResourceQuota") return {&kinds::resource_quotas, s.quotas};
  if (kind == "LimitRange") return {&kinds::limit_ranges, s.limit_ranges};
  if (kind == "Namespace") return {&kinds::namespaces, s.namespaces};
  return {};
}

net::awaitable<result<void>> apply_children(shared& s, const informer::cached_object& owner,
                                            std::vector<json::object> children) {
  for (auto& child : children) {
    auto kind = child_kind_of(s, jsonu::get_string(child, "kind"));
    if (!kind.resource) co_return error(make_error_code(std::errc::invalid_argument), "unknown child kind");
    if (auto w = co_await apply_child(s, owner, *kind.resource, *kind.cache, std::move(child)); !w)
      co_return w.error();
  }
  co_return result<void>{};
}

net::awaitable<result<void>> apply_or_remove(shared& s, const informer::cached_object& owner, const kube::resource& r,
                                             const informer::informer& cache, std::optional<json::object> desired,
                                             std::string ns, std::string name) {
  if (desired) co_return co_await apply_child(s, owner, r, cache, std::move(*desired));
  co_return co_await remove_child(s, owner, r, cache, ns, name);
}

net::awaitable<result<runtime::action>> report_problem(shared& s, const kube::resource& r,
                                                       const informer::cached_object& obj, bool waiting,
                                                       std::string message, std::string phase_error,
                                                       std::string phase_waiting) {
  const std::string phase = waiting ? phase_waiting : phase_error;
  record_phase_change(s, obj, phase, message, !waiting);
  auto status = status_for(obj, phase, false, waiting ? "ReferencesNotReady" : "InvalidSpec", message);
  if (auto w = co_await write_status(s.client, r, obj, std::move(status)); !w) co_return w.error();
  co_return runtime::action::done();
}

}  // namespace langop::controllers
