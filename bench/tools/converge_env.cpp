#include "converge_env.hpp"

#include "converge_mix.hpp"
#include "support/dns_server.hpp"

#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <filesystem>
#include <fstream>
#include <stdexcept>
#include <thread>

namespace bench::converge {

namespace net = boost::asio;

// The responder runs on its own thread, so it answers while the driver's loop is busy or
// blocked (process start/stop, metrics reads).
struct environment::dns {
  net::io_context io{1};
  langop::test::dns_server server{io};
  std::thread thread;

  dns() {
    // TEST-NET-3 addresses: never routed, fine for NetworkPolicy ipBlocks.
    int k = 1;
    for (const auto& name : mix_dns_names()) server.set(name, {{"203.0.113." + std::to_string(k++), 300}});
    thread = std::thread([this] {
      auto guard = net::make_work_guard(io);
      io.run();
    });
  }
  ~dns() {
    net::post(io, [this] {
      server.stop();
      io.stop();
    });
    if (thread.joinable()) thread.join();
  }
};

environment::environment(const environment_options& o) {
  dns_ = std::make_unique<dns>();
  if (!o.kubeconfig.empty()) {
    kubeconfig_ = o.kubeconfig;
    return;
  }
  kubeconfig_ = o.work_dir + "/localapi.kubeconfig";
  std::filesystem::remove(kubeconfig_);
  server_ = std::make_unique<child_process>(
      std::vector<std::string>{o.localapi_binary, "--port=0", "--kubeconfig-out=" + kubeconfig_, "--simulate-workloads",
                               "--simulate-ready-delay=" + std::to_string(o.ready_delay.count()) + "ms",
                               "--history-size=" + std::to_string(o.history_size), "--log-level=warn",
                               "--log-format=text"},
      o.work_dir + "/localapi.log");
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (!std::filesystem::exists(kubeconfig_)) {
    if (!server_->running()) throw std::runtime_error("langop-localapi exited at start; see " + o.work_dir + "/localapi.log");
    if (std::chrono::steady_clock::now() > deadline) throw std::runtime_error("langop-localapi did not start in 30 s");
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

environment::~environment() {
  if (server_) (void)server_->stop(std::chrono::milliseconds(10000));
}

std::string environment::dns_address() const { return dns_->server.address(); }

operator_process::operator_process(operator_options o) : opts_(std::move(o)) {
  if (attached()) metrics_port_ = opts_.attach_metrics_port;
}

operator_process::~operator_process() { (void)stop(); }

void operator_process::start() {
  if (attached()) return;
  if (child_ && child_->running()) throw std::runtime_error("operator already running");
  metrics_port_ = free_port();
  health_port_ = free_port();
  std::vector<std::string> argv{opts_.binary,
                                "--kubeconfig=" + opts_.kubeconfig,
                                "--metrics-bind-address=127.0.0.1:" + std::to_string(metrics_port_),
                                "--health-probe-bind-address=127.0.0.1:" + std::to_string(health_port_),
                                "--max-requests-in-flight=" + std::to_string(opts_.max_requests_in_flight),
                                "--log-level=warn",
                                "--log-format=text"};
  if (!opts_.dns_servers.empty()) argv.push_back("--dns-servers=" + opts_.dns_servers);
  child_ = std::make_unique<child_process>(argv, opts_.log_path);
}

int operator_process::stop() {
  if (attached() || !child_) return 0;
  const int rc = child_->stop(std::chrono::milliseconds(15000));
  child_.reset();
  return rc;
}

int operator_process::pid() const noexcept { return attached() ? opts_.attach_pid : child_ ? child_->pid() : -1; }

bool operator_process::running() { return attached() || (child_ && child_->running()); }

bool operator_process::ready() {
  if (attached()) return true;
  return health_port_ && http_get(health_port_, "/readyz", std::chrono::milliseconds(1000)).status == 200;
}

std::string operator_process::metrics() {
  if (!metrics_port_) return {};
  auto r = http_get(metrics_port_, "/metrics");
  return r.status == 200 ? r.body : std::string();
}

std::string operator_process::log_tail(std::size_t bytes) const {
  std::ifstream in(opts_.log_path);
  std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
  return text.size() > bytes ? text.substr(text.size() - bytes) : text;
}

double operator_metrics::writes() const {
  double n = 0;
  for (const auto& [verb, count] : requests_by_verb)
    if (verb != "get" && verb != "list" && verb != "watch") n += count;
  return n;
}

operator_metrics parse_operator_metrics(const std::string& text) {
  operator_metrics m;
  m.requests_by_verb = prom_sum_by(text, "langop_api_requests_total", "verb");
  m.reconciles_by_controller = prom_sum_by(text, "langop_reconcile_total", "controller");
  for (const auto& [k, v] : m.reconciles_by_controller) m.reconciles += v;
  m.queue_depth = prom_total(text, "langop_workqueue_depth");
  m.in_flight = prom_total(text, "langop_reconcile_in_flight");
  m.cached_objects = prom_total(text, "langop_informer_objects");
  m.cache_bytes = prom_total(text, "langop_informer_cache_bytes");
  m.raw_bytes = prom_total(text, "langop_informer_raw_bytes");
  return m;
}

}  // namespace bench::converge
