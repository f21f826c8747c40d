#include "converge_driver.hpp"

#include "converge_floor.hpp"
#include "converge_loop.hpp"
#include "converge_mix.hpp"

#include "langop/cjson/key_table.hpp"
#include "langop/controllers/kinds.hpp"
#include "langop/core/json.hpp"
#include "langop/core/log.hpp"
#include "langop/core/yaml.hpp"
#include "langop/informer/informer.hpp"
#include "langop/kube/api_call.hpp"
#include "langop/kube/errc.hpp"

#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>

#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <thread>
#include <unordered_map>

namespace bench::converge {

namespace json = langop::json;
namespace kube = langop::kube;
namespace kinds = langop::controllers::kinds;

namespace {

const kube::resource k_crd{"apiextensions.k8s.io", "v1", "customresourcedefinitions", "CustomResourceDefinition",
                           false};
constexpr const char* k_bench_selector = "app.kubernetes.io/part-of=langop-bench";

const kube::resource& resource_named(const std::string& plural) {
  for (const auto* r : {&kinds::secrets, &kinds::model, &kinds::tool, &kinds::persona, &kinds::agent})
    if (r->plural == plural) return *r;
  throw std::logic_error("no resource " + plural);
}

void progress(std::size_t n, const std::string& what) {
  std::fprintf(stderr, "[N=%zu] %s\n", n, what.c_str());
  std::fflush(stderr);
}

double since(steady::time_point t) { return std::chrono::duration<double>(steady::now() - t).count(); }

std::string key_of(std::string_view ns, std::string_view name) { return std::string(ns) + "/" + std::string(name); }

// Plain functions: GCC 12 cannot keep initializer_list temporaries in a coroutine frame.
std::string name_of(const json::value& o) { return std::string(langop::jsonu::get_string(o, {"metadata", "name"})); }
std::int64_t generation_of(const json::value& o) {
  return langop::jsonu::get_int(o, {"metadata", "generation"}).value_or(0);
}

std::string reason_of(const json::value& event) { return std::string(langop::jsonu::get_string(event, {"reason"})); }

json::value namespace_object(const std::string& name) {
  return json::object{{"apiVersion", "v1"},
                      {"kind", "Namespace"},
                      {"metadata", json::object{{"name", name}, {"labels", json::object{{"app.kubernetes.io/part-of", "langop-bench"}}}}}};
}

// Agent state as the driver's informer sees it: convergence, and when each
// observedGeneration was first seen (the churn phase's end mark).
struct agent_tracker {
  std::string prefix;  // only agents of this run's namespaces count
  std::unordered_map<std::string, bool> running;
  std::size_t running_count = 0;
  struct seen {
    std::int64_t generation = 0;
    steady::time_point at;
  };
  std::unordered_map<std::string, seen> observed;
  struct pending {
    steady::time_point sent;
    std::int64_t generation = -1;  // -1 until the patch's response arrived
  };
  std::unordered_map<std::string, pending> churn;
  std::vector<double> latencies_ms;

  void on_change(const langop::informer::change& c) {
    if (!c.current) return;
    const auto& o = *c.current;
    if (o.ns().rfind(prefix, 0) != 0) return;
    const std::string key = key_of(o.ns(), o.name());
    auto st = o["status"];
    const std::int64_t observed_gen = st.find("observedGeneration").as_int64();
    const bool ok = st.find("phase").as_string() == "Running" && observed_gen == o.generation();
    bool& was = running[key];
    if (ok != was) running_count += ok ? 1 : std::size_t(-1);
    was = ok;
    auto& s = observed[key];
    if (observed_gen > s.generation) s = {observed_gen, steady::now()};
    complete(key);
  }
  void complete(const std::string& key) {
    auto p = churn.find(key);
    if (p == churn.end() || p->second.generation < 0) return;
    auto s = observed.find(key);
    if (s == observed.end() || s->second.generation < p->second.generation) return;
    latencies_ms.push_back(std::chrono::duration<double, std::milli>(s->second.at - p->second.sent).count());
    churn.erase(p);
  }
};

class run {
 public:
  run(environment& env, operator_process& op, const driver_options& o, std::size_t agents)
      : env_(env), op_(op), o_(o), n_(agents) {
    r_.agents = agents;
    r_.concurrency = o.concurrency;
    r_.server = env.local() ? "langop-localapi (child process, simulated workloads)" : "kubeconfig " + env.kubeconfig();
    mix_options mo;
    mo.agents = agents;
    mo.agents_per_namespace = o.agents_per_namespace;
    mo.namespace_prefix = o.namespace_prefix;
    mix_ = build_mix(mo);
    r_.namespaces = mix_.namespaces.size();
    tracker_.prefix = o.namespace_prefix + "-";
    // The client's own limit is above the workers' count: the workers decide the concurrency.
    client_ = client_from_kubeconfig(ioc_, env.kubeconfig(), o.concurrency + 16);
  }

  // A phase that fails ends the run; what was measured so far is kept, with a note.
  run_result go() {
    try {
      phases();
    } catch (const std::exception& e) {
      r_.notes.push_back(std::string("run aborted: ") + e.what());
      progress(n_, r_.notes.back());
    }
    if (informer_) informer_->stop();
    ioc_.restart();
    ioc_.run_for(std::chrono::milliseconds(100));  // let cancelled operations unwind
    return r_;
  }

 private:
  void phases() {
    install_crds();
    create_all(mix_.prerequisites, "prerequisites");
    if (op_.attached()) {
      start_informer();
      t0_ = steady::now();
      server_cpu0_ = server_cpu();
      create_all(mix_.agents, "agents");
    } else {
      create_all(mix_.agents, "agents");
      start_informer();
      t0_ = steady::now();
      server_cpu0_ = server_cpu();
      op_.start();
    }
    cold_start();
    memory();
    if (!op_.attached()) resync();
    else r_.notes.push_back("no-op resync not measured: the operator is not ours to restart");
    churn();
    if (!op_.attached()) op_.stop();
    informer_->stop();
    floor();
  }

  void install_crds() {
    std::vector<json::value> crds;
    for (const auto& entry : std::filesystem::directory_iterator(o_.crds_dir)) {
      if (entry.path().extension() != ".yaml") continue;
      std::ifstream in(entry.path());
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      auto docs = langop::yaml_documents_to_json(text);
      if (!docs) throw std::runtime_error(entry.path().string() + ": " + docs.error().message);
      for (auto& d : *docs)
        if (d.is_object()) crds.push_back(std::move(d));
    }
    (void)for_each_concurrently(
        ioc_, crds.size(), 4,
        [&](std::size_t i) -> net::awaitable<bool> {
          auto out = co_await client_->create(k_crd, "", crds[i]);
          co_return out || out.error().code == kube::errc::already_exists;
        },
        std::chrono::seconds(60));
    // Served once a list of agents answers.
    bool served = false;
    const auto end = steady::now() + std::chrono::seconds(30);
    while (!served && steady::now() < end) {
      run_one(
          ioc_,
          [&]() -> net::awaitable<void> {
            kube::list_options lo;
            lo.limit = 1;
            served = (co_await client_->list(kinds::agent, "", lo)).has_value();
          },
          std::chrono::seconds(30));
      if (!served) std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    if (!served) throw std::runtime_error("LanguageAgents are not served (CRDs not installed?)");
  }

  void create_all(const std::vector<mix_object>& objects, const char* what) {
    if (std::string(what) == "prerequisites") {
      std::vector<json::value> nss;
      for (const auto& ns : mix_.namespaces) nss.push_back(namespace_object(ns));
      const auto failed = for_each_concurrently(
          ioc_, nss.size(), o_.concurrency,
          [&](std::size_t i) -> net::awaitable<bool> {
            auto out = co_await client_->create(kinds::namespaces, "", nss[i]);
            co_return out || out.error().code == kube::errc::already_exists;
          },
          o_.phase_timeout);
      if (failed) throw std::runtime_error("cannot create the benchmark namespaces");
    }
    std::string first_error;
    const auto t = steady::now();
    const auto failed = for_each_concurrently(
        ioc_, objects.size(), o_.concurrency,
        [&](std::size_t i) -> net::awaitable<bool> {
          const auto& m = objects[i];
          auto out = co_await client_->create(resource_named(m.resource), m.ns, m.body);
          if (out) co_return true;
          if (first_error.empty()) first_error = out.error().message;
          co_return false;
        },
        o_.phase_timeout);
    if (failed) throw std::runtime_error(std::to_string(failed) + " " + what + " not created: " + first_error);
    char buf[128];
    std::snprintf(buf, sizeof buf, "created %zu %s in %.2f s", objects.size(), what, since(t));
    progress(n_, buf);
  }

  void start_informer() {
    langop::informer::informer_options io;
    io.label_selector = k_bench_selector;
    informer_ = std::make_unique<langop::informer::informer>(
        ioc_.get_executor(), *client_, kinds::agent, "", langop::cjson::key_table::create_for_kubernetes(), io,
        langop::log::logger(langop::log::level::warn, langop::log::format::text));
    informer_->add_handler([this](const langop::informer::change& c) { tracker_.on_change(c); });
    informer_->start();
    if (!run_until(ioc_, [&] { return informer_->synced(); }, std::chrono::seconds(120)))
      throw std::runtime_error("the driver's agent informer did not sync");
  }

  void cold_start() {
    auto last_report = steady::now();
    const bool ok = run_until(
        ioc_,
        [&] {
          if (steady::now() - last_report > std::chrono::seconds(10)) {
            last_report = steady::now();
            progress(n_, std::to_string(tracker_.running_count) + " Running after " + std::to_string(since(t0_)) + " s");
          }
          return tracker_.running_count == n_ || !op_.running();
        },
        o_.phase_timeout);
    r_.converge_s = since(t0_);
    r_.running = tracker_.running_count;
    r_.converged = ok && tracker_.running_count == n_;
    if (!r_.converged) {
      r_.notes.push_back("cold start did not converge: " + std::to_string(r_.running) + " of " + std::to_string(n_) +
                         " Running" + (op_.running() ? "" : " (the operator exited: " + op_.log_tail(600) + ")"));
    }
    r_.server_cpu_cold_s = server_cpu() - server_cpu0_;
    const auto p = op_.proc();
    r_.operator_cpu_s = p.cpu_seconds;
    r_.operator_peak_rss = p.peak_rss;
    r_.operator_rss = p.rss;
    const auto m = parse_operator_metrics(op_.metrics());
    r_.requests_by_verb = m.requests_by_verb;
    r_.informer_objects = m.cached_objects;
    r_.informer_cache_bytes = m.cache_bytes;
    r_.informer_raw_bytes = m.raw_bytes;
    r_.reconciles_by_controller = m.reconciles_by_controller;
    count_events();
    progress(n_, "cold start: " + std::to_string(r_.running) + " Running in " + std::to_string(r_.converge_s) + " s");
    if (!r_.converged) throw std::runtime_error(r_.notes.back());
  }

  // The Events the operator wrote during the cold start (each one is a create).
  void count_events() {
    for (const auto& ns : mix_.namespaces)
      run_one(
          ioc_,
          [&]() -> net::awaitable<void> {
            const kube::list_options all;
            auto page = co_await client_->list(kinds::events, ns, all);
            if (!page) co_return;
            for (const auto& e : page->items) r_.events_by_reason[reason_of(e)] += 1;
          },
          std::chrono::seconds(120));
  }

  // Raw JSON of what the operator caches: every object of the kinds it watches (children
  // by its managed-by label), as one unpaged list each.
  void memory() {
    const std::vector<std::pair<const kube::resource*, std::string>> watched{
        {&kinds::cluster, ""},  {&kinds::model, ""},   {&kinds::tool, ""},          {&kinds::persona, ""},
        {&kinds::agent, ""},    {&kinds::client, ""},  {&kinds::namespaces, ""},    {&kinds::secrets, ""},
        {&kinds::configmaps, "m"}, {&kinds::services, "m"}, {&kinds::deployments, "m"}, {&kinds::cronjobs, "m"},
        {&kinds::jobs, "m"},    {&kinds::pvcs, "m"},   {&kinds::network_policies, "m"}, {&kinds::ingresses, "m"},
        {&kinds::hpas, "m"},    {&kinds::pdbs, "m"},   {&kinds::resource_quotas, "m"}, {&kinds::limit_ranges, "m"}};
    r_.cached_objects = 0;
    r_.cached_raw_json_bytes = 0;
    for (const auto& [type, selector] : watched) {
      kube::list_options lo;
      if (!selector.empty()) lo.label_selector = "app.kubernetes.io/managed-by=langop";
      run_one(
          ioc_,
          [&]() -> net::awaitable<void> {
            auto page = co_await client_->list(*type, "", lo);
            if (!page) co_return;
            for (const auto& item : page->items) {
              ++r_.cached_objects;
              r_.cached_raw_json_bytes += boost::json::serialize(item).size();
            }
          },
          std::chrono::seconds(120));
    }
  }

  // Restart the operator on the converged state: it lists everything again and reconciles
  // every object once; none of that may write.
  void resync() {
    const double server_writes_before = server_writes();
    op_.stop();
    op_.start();
    const auto t = steady::now();
    while (!op_.ready()) {
      if (!op_.running() || since(t) > static_cast<double>(o_.phase_timeout.count()))
        throw std::runtime_error("the restarted operator did not become ready: " + op_.log_tail(600));
      ioc_.restart();
      ioc_.run_for(std::chrono::milliseconds(5));
    }
    const double cpu_ready = op_.proc().cpu_seconds;
    // Done: every agent reconciled, queues empty, nothing in flight, and no new reconcile
    // for a second (requeues would show).
    double last_total = -1;
    auto quiet_since = steady::now();
    operator_metrics m;
    while (since(t) < static_cast<double>(o_.phase_timeout.count())) {
      ioc_.restart();
      ioc_.run_for(std::chrono::milliseconds(100));
      m = parse_operator_metrics(op_.metrics());
      const double agent_reconciles = m.reconciles_by_controller["languageagent"];
      if (m.reconciles != last_total) {
        last_total = m.reconciles;
        quiet_since = steady::now();
      }
      if (agent_reconciles >= static_cast<double>(n_) && m.queue_depth == 0 && m.in_flight == 0 &&
          steady::now() - quiet_since > std::chrono::seconds(1))
        break;
    }
    const auto p = op_.proc();
    r_.resync_writes = m.writes();
    r_.resync_reconciles = m.reconciles;
    r_.resync_cpu_s = p.cpu_seconds - cpu_ready;
    r_.resync_total_cpu_s = p.cpu_seconds;
    if (const double after = server_writes(); after >= 0 && server_writes_before >= 0)
      r_.resync_server_writes = after - server_writes_before;
    progress(n_, "no-op resync: " + std::to_string(m.reconciles) + " reconciles, " + std::to_string(m.writes()) +
                     " operator writes");
  }

  // Committed writes counted by langop-localapi (GET /admin/stats); -1 elsewhere.
  double server_writes() {
    if (!env_.local()) return -1;
    double writes = -1;
    run_one(
        ioc_,
        [&]() -> net::awaitable<void> {
          auto v = co_await client_->send(kube::api_call("get", "GET", "/admin/stats"));
          if (v && v->is_object())
            if (const auto* w = v->as_object().if_contains("writes"); w && w->is_number()) writes = w->to_number<double>();
        },
        std::chrono::seconds(30));
    return writes;
  }

  // `churn_percent` of the agents get a spec change every second for `steady` seconds;
  // latency = patch sent -> status.observedGeneration at the new generation (driver's watch).
  void churn() {
    if (o_.steady.count() == 0 || o_.churn_percent <= 0) {
      r_.notes.push_back("churn not measured (--steady-seconds 0 or --churn-percent 0)");
      return;
    }
    const std::size_t per_second =
        std::max<std::size_t>(1, static_cast<std::size_t>(std::llround(static_cast<double>(n_) * o_.churn_percent / 100)));
    const std::size_t rounds = static_cast<std::size_t>(o_.steady.count());
    std::size_t sent = 0, answered = 0, failed = 0;
    auto patch_one = [&](std::size_t idx, std::size_t round) -> net::awaitable<void> {
      const auto& m = mix_.agents[idx];
      const std::string name = name_of(m.body);
      const std::string key = key_of(m.ns, name);
      const json::value body = churn_patch(round);
      tracker_.churn[key] = {steady::now(), -1};
      auto out = co_await client_->patch(kinds::agent, m.ns, name, kube::patch_type::merge, body);
      ++answered;
      if (!out) {
        ++failed;
        tracker_.churn.erase(key);
        co_return;
      }
      tracker_.churn[key].generation = generation_of(*out);
      tracker_.complete(key);
    };
    auto ticker = [&]() -> net::awaitable<void> {
      net::steady_timer timer(co_await net::this_coro::executor);
      const auto start = steady::now();
      for (std::size_t round = 0; round < rounds; ++round) {
        timer.expires_at(start + std::chrono::seconds(round));
        co_await timer.async_wait(net::use_awaitable);
        for (std::size_t j = 0; j < per_second; ++j) {
          ++sent;
          net::co_spawn(ioc_, patch_one((round * per_second + j) % n_, round), net::detached);
        }
      }
    };
    const auto t = steady::now();
    run_one(ioc_, ticker, o_.steady + std::chrono::seconds(30));
    const double send_s = since(t);
    // Then wait (bounded) for the last changes to show in status.
    run_until(ioc_, [&] { return answered == sent && tracker_.churn.empty(); }, std::chrono::seconds(30));
    r_.churn = summarize_latencies(tracker_.latencies_ms, tracker_.churn.size() + failed);
    r_.churn_changes_per_s = send_s > 0 ? static_cast<double>(sent) / send_s : 0;
    if (failed) r_.notes.push_back(std::to_string(failed) + " churn patches failed");
    progress(n_, "churn: " + std::to_string(r_.churn.samples) + " changes, p99 " + std::to_string(r_.churn.p99_ms) +
                     " ms");
  }

  // CPU seconds of the langop-localapi child so far (0 for another server).
  double server_cpu() const { return env_.local() ? read_proc(env_.server_pid()).cpu_seconds : 0; }

  void floor() {
    const double cpu0 = server_cpu();
    const auto f = write_floor(ioc_, *client_, mix_.namespaces, o_.concurrency, !op_.attached(), o_.phase_timeout);
    r_.floor_s = f.seconds;
    r_.server_cpu_floor_s = server_cpu() - cpu0;  // includes the untimed copies of the langop objects
    r_.floor_objects = f.objects;
    r_.floor_status_writes = f.status_writes;
    r_.floor_errors = f.errors;
    r_.children_by_kind = f.children_by_kind;
    r_.floor_events = f.events;
    r_.floor_events_s = f.events_seconds;
    if (f.errors) r_.notes.push_back("write floor: " + std::to_string(f.errors) + " errors, first: " + f.first_error);
    if (op_.attached())
      r_.notes.push_back("write floor without status writes: the running operator would reconcile copied objects");
    progress(n_, "write floor: " + std::to_string(f.objects) + " objects + " + std::to_string(f.status_writes) +
                     " status writes in " + std::to_string(f.seconds) + " s");
  }

  environment& env_;
  operator_process& op_;
  const driver_options& o_;
  std::size_t n_;
  run_result r_;
  object_mix mix_;
  net::io_context ioc_{1};
  std::unique_ptr<kube::client> client_;
  std::unique_ptr<langop::informer::informer> informer_;
  agent_tracker tracker_;
  steady::time_point t0_;
  double server_cpu0_ = 0;
};

}  // namespace

run_result run_benchmark(environment& env, operator_process& op, const driver_options& o, std::size_t agents) {
  run r(env, op, o, agents);
  return r.go();
}

}  // namespace bench::converge
