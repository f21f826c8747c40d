#include "langop/runtime/manager.hpp"

#include "langop/cjson/key_table.hpp"
#include "langop/kube/client.hpp"
#include "langop/obs/admin_server.hpp"
#include "langop/obs/health.hpp"
#include "langop/obs/process_metrics.hpp"
#include "langop/obs/registry.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <unistd.h>

#include <optional>
#include <random>

namespace langop::runtime {
namespace net = boost::asio;

namespace {

constexpr auto tuple_awaitable = net::as_tuple(net::use_awaitable);
constexpr auto lag_period = std::chrono::milliseconds(100);

std::string resource_id(const kube::resource& r) { return r.group + "/" + r.version + "/" + r.plural; }

void log_exception(const log::logger& log, std::string_view what, std::exception_ptr e) {
  if (!e) return;
  try {
    std::rethrow_exception(e);
  } catch (const std::exception& ex) {
    log.error(what, {{"error", ex.what()}});
  }
}

}  // namespace

std::function<void(std::string_view, int, std::chrono::nanoseconds)> api_request_metrics(obs::registry& metrics) {
  auto& total = metrics.counter("langop_api_requests_total", "Kubernetes API requests by verb and HTTP code",
                                {"verb", "code"});
  auto& latency = metrics.histogram("langop_api_request_duration_seconds", "Kubernetes API request latency",
                                    {"verb"}, obs::exponential_buckets(0.0005, 2, 16));
  return [&total, &latency](std::string_view verb, int code, std::chrono::nanoseconds took) {
    const std::string code_text = code == 0 ? "none" : std::to_string(code);
    total.with({{"verb", verb}, {"code", code_text}}).inc();
    latency.with({{"verb", verb}}).observe(took);
  };
}

std::string default_identity() {
  std::string base;
  if (const char* pod = std::getenv("POD_NAME"); pod && *pod) {
    base = pod;
  } else {
    char host[256] = {};
    base = gethostname(host, sizeof host - 1) == 0 && host[0] ? host : "langop";
  }
  std::mt19937_64 rng(std::random_device{}());
  static constexpr char alphabet[] = "abcdefghijklmnopqrstuvwxyz0123456789";
  std::string suffix;
  for (int i = 0; i < 8; ++i) suffix += alphabet[rng() % (sizeof alphabet - 1)];
  return base + "_" + suffix;
}

struct manager::state : std::enable_shared_from_this<state> {
  state(net::any_io_executor e, kube::client& c, obs::registry& m, manager_options o, log::logger l)
      : ex(e), client(c), metrics(m), opts(std::move(o)), log(std::move(l)), keys(cjson::key_table::create_for_kubernetes()),
        healthz("healthz"), readyz("readyz"), lag_timer(e) {
    obs::register_process_metrics(metrics);
    lag = metrics.histogram("langop_event_loop_lag_seconds",
                            "How late a 100 ms timer fires: the longest stretch the loop was busy",
                            {}, obs::exponential_buckets(0.0001, 2, 18)).with({});
    max_lag = metrics.gauge("langop_event_loop_max_lag_seconds", "The largest event loop lag seen").with({});
    leader_gauge = metrics.gauge("langop_leader", "1 while this process holds the leader lease").with({});
    healthz.add("ping", [] { return obs::check_status::pass(); });
    readyz.add("informers-synced", [this] {
      for (auto& [id, inf] : informers)
        if (!inf->synced()) return obs::check_status::fail(inf->resource().plural + " not synced");
      return obs::check_status::pass();
    });
  }

  net::any_io_executor ex;
  kube::client& client;
  obs::registry& metrics;
  manager_options opts;
  log::logger log;
  std::shared_ptr<cjson::key_table> keys;
  std::map<std::string, std::unique_ptr<informer::informer>> informers;
  std::vector<std::unique_ptr<controller>> controllers;
  std::unique_ptr<leader_elector> elector;
  obs::check_set healthz, readyz;
  std::unique_ptr<obs::admin_server> metrics_server, health_server;
  net::steady_timer lag_timer;
  std::optional<obs::histogram> lag;
  std::optional<obs::gauge> max_lag, leader_gauge;
  bool leading = false;
  bool synced = false;
  bool controllers_running = false;
  bool stopping = false;

  bool all_synced() const {
    for (auto& [id, inf] : informers)
      if (!inf->synced()) return false;
    return true;
  }

  // Controllers run when this process may act (leader, or no election) and caches are
  // warm; they stop the moment either stops being true.
  void reconsider() {
    const bool should_run = !stopping && synced && (leading || !opts.leader_elect);
    if (should_run && !controllers_running) {
      controllers_running = true;
      for (auto& c : controllers) c->start();
    } else if (!should_run && controllers_running) {
      controllers_running = false;
      net::co_spawn(ex, stop_controllers(shared_from_this()), [log = log](std::exception_ptr e) {
        log_exception(log, "stopping controllers failed", e);
      });
    }
  }

  static net::awaitable<void> stop_controllers(std::shared_ptr<state> self) {
    for (auto& c : self->controllers) co_await c->stop(self->opts.shutdown_grace);
  }

  static net::awaitable<void> watch_lag(std::shared_ptr<state> self) {
    double worst = 0;
    while (!self->stopping) {
      const auto expected = std::chrono::steady_clock::now() + lag_period;
      self->lag_timer.expires_at(expected);
      auto [ec] = co_await self->lag_timer.async_wait(tuple_awaitable);
      if (ec || self->stopping) break;
      const double late = std::chrono::duration<double>(std::chrono::steady_clock::now() - expected).count();
      self->lag->observe(late);
      if (late > worst) {
        worst = late;
        self->max_lag->set(late);
      }
    }
  }

  net::awaitable<result<void>> wait_for_api(std::chrono::seconds limit) {
    const auto deadline = std::chrono::steady_clock::now() + limit;
    auto delay = std::chrono::milliseconds(200);
    for (;;) {
      auto v = co_await client.send(kube::api_call{"get", "GET", "/version", "", "", false, "get /version"});
      if (v) {
        log.info("connected to the Kubernetes API server",
                 {{"gitVersion", jsonu::get_string(*v, {"gitVersion"})}, {"platform", jsonu::get_string(*v, {"platform"})}});
        co_return result<void>();
      }
      if (std::chrono::steady_clock::now() + delay > deadline)
        co_return error(v.error().code, "the Kubernetes API server did not answer: " + v.error().message);
      log.warn("waiting for the Kubernetes API server", {{"error", v.error().message}});
      net::steady_timer t(ex, delay);
      (void)co_await t.async_wait(tuple_awaitable);
      delay = std::min(delay * 2, std::chrono::milliseconds(5000));
    }
  }
};

manager::manager(net::any_io_executor ex, kube::client& client, obs::registry& metrics, manager_options options,
                 log::logger logger)
    : st_(std::make_shared<state>(ex, client, metrics, std::move(options), std::move(logger))) {}

manager::~manager() {
  st_->stopping = true;
  st_->lag_timer.cancel();
  for (auto& [id, inf] : st_->informers) inf->stop();
  if (st_->metrics_server) st_->metrics_server->stop();
  if (st_->health_server) st_->health_server->stop();
}

informer::informer& manager::informer_for(const kube::resource& r, std::string_view label_selector) {
  auto id = resource_id(r);
  if (!label_selector.empty()) id.append("?").append(label_selector);
  auto opts = st_->opts.informer;
  if (!label_selector.empty()) opts.label_selector = std::string(label_selector);
  return make_informer(std::move(id), r, std::move(opts));
}

informer::informer& manager::informer_for_transformed(const kube::resource& r,
                                                      decltype(informer::informer_options::transform) transform) {
  auto opts = st_->opts.informer;
  opts.transform = std::move(transform);
  return make_informer(resource_id(r) + "#transformed", r, std::move(opts));
}

informer::informer& manager::make_informer(std::string id, const kube::resource& r, informer::informer_options opts) {
  auto it = st_->informers.find(id);
  if (it != st_->informers.end()) return *it->second;
  auto inf = std::make_unique<informer::informer>(st_->ex, st_->client, r, r.namespaced ? st_->opts.watch_namespace : "",
                                                  st_->keys, std::move(opts),
                                                  st_->log.with({{"component", "informer"}}), &st_->metrics);
  auto& ref = *inf;
  st_->informers.emplace(std::move(id), std::move(inf));
  return ref;
}

controller& manager::add_controller(controller_options options, reconcile_fn reconcile) {
  st_->controllers.push_back(
      std::make_unique<controller>(st_->ex, std::move(options), std::move(reconcile), st_->log, &st_->metrics));
  return *st_->controllers.back();
}

net::awaitable<result<void>> manager::start(std::chrono::seconds connect_timeout) {
  auto st = st_;
  st->metrics_server = std::make_unique<obs::admin_server>(
      st->ex, obs::admin_routes{&st->metrics, nullptr, nullptr},
      obs::admin_server_options{st->opts.metrics_bind_address, std::chrono::milliseconds(10000), 64, st->log});
  st->health_server = std::make_unique<obs::admin_server>(
      st->ex, obs::admin_routes{nullptr, &st->healthz, &st->readyz},
      obs::admin_server_options{st->opts.health_bind_address, std::chrono::milliseconds(10000), 64, st->log});
  if (auto r = st->metrics_server->start(); !r) co_return r.error();
  if (auto r = st->health_server->start(); !r) co_return r.error();
  net::co_spawn(st->ex, state::watch_lag(st), net::detached);

  if (auto r = co_await st->wait_for_api(connect_timeout); !r) co_return r.error();

  for (auto& [id, inf] : st->informers) {
    // Weak: the informer (owned by this state) keeps the callback until it syncs, which may
    // be never (a CRD not installed); a strong reference would be a cycle and a leak.
    inf->on_synced([weak = std::weak_ptr<state>(st)] {
      auto st = weak.lock();
      if (!st) return;
      if (!st->synced && st->all_synced()) {
        st->synced = true;
        st->log.info("caches synced", {{"informers", st->informers.size()}});
        st->reconsider();
      }
    });
    inf->start();
  }
  if (st->informers.empty()) {
    st->synced = true;
  }

  if (st->opts.leader_elect) {
    // Weak for the same reason as above: the elector is owned by the state it calls back.
    leader_elector::callbacks cb;
    cb.on_started_leading = [weak = std::weak_ptr<state>(st)] {
      auto st = weak.lock();
      if (!st) return;
      st->leading = true;
      st->leader_gauge->set(1);
      st->reconsider();
    };
    cb.on_stopped_leading = [weak = std::weak_ptr<state>(st)] {
      auto st = weak.lock();
      if (!st) return;
      st->leading = false;
      st->leader_gauge->set(0);
      st->reconsider();
    };
    st->elector = std::make_unique<leader_elector>(st->ex, st->client, st->opts.leader, std::move(cb),
                                                   st->log.with({{"component", "leader-election"}}));
    st->elector->start();
  }
  st->reconsider();
  st->log.info("manager started", {{"metricsPort", static_cast<int>(metrics_port())},
                                   {"healthPort", static_cast<int>(health_port())},
                                   {"leaderElection", st->opts.leader_elect},
                                   {"namespace", st->opts.watch_namespace.empty() ? std::string("(all)")
                                                                                   : st->opts.watch_namespace}});
  co_return result<void>();
}

net::awaitable<void> manager::shutdown() {
  auto st = st_;
  if (st->stopping) co_return;
  st->stopping = true;
  st->log.info("shutting down: draining reconciles", {{"graceMs", st->opts.shutdown_grace.count()}});
  // Controllers first (no new reconciles, the running ones finish), then the lease, so a
  // standby never acts while this process still writes.
  for (auto& c : st->controllers) co_await c->stop(st->opts.shutdown_grace);
  st->controllers_running = false;
  if (st->elector) co_await st->elector->stop(std::chrono::milliseconds(3000));
  for (auto& [id, inf] : st->informers) inf->stop();
  st->lag_timer.cancel();
  if (st->metrics_server) st->metrics_server->stop();
  if (st->health_server) st->health_server->stop();
  st->log.info("shutdown complete");
}

bool manager::caches_synced() const noexcept { return st_->synced; }
bool manager::leading() const noexcept { return st_->leading; }
unsigned short manager::metrics_port() const noexcept { return st_->metrics_server ? st_->metrics_server->port() : 0; }
unsigned short manager::health_port() const noexcept { return st_->health_server ? st_->health_server->port() : 0; }
obs::registry& manager::metrics() noexcept { return st_->metrics; }
kube::client& manager::client() noexcept { return st_->client; }
const std::shared_ptr<cjson::key_table>& manager::keys() const noexcept { return st_->keys; }
const std::string& manager::watch_namespace() const noexcept { return st_->opts.watch_namespace; }

}  // namespace langop::runtime
