// langop-operator: flags, wiring, signals. Everything else lives in the library.
#include "langop/controllers/controllers.hpp"
#include "langop/core/flags.hpp"
#include "langop/core/log.hpp"
#include "langop/kube/client.hpp"
#include "langop/kube/config_loader.hpp"
#include "langop/llm/model_endpoint.hpp"
#include "langop/obs/registry.hpp"
#include "langop/runtime/manager.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/signal_set.hpp>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <string>
#include <vector>

namespace {

struct operator_flags {
  std::string kubeconfig;
  std::string context;
  std::string watch_namespace;
  std::string metrics_bind = ":8080";
  std::string health_bind = ":8081";
  bool leader_elect = false;
  std::string leader_namespace;
  std::string leader_id = "langop-operator";
  std::chrono::milliseconds lease_duration{15000};
  std::chrono::milliseconds renew_deadline{10000};
  std::chrono::milliseconds retry_period{2000};
  long long concurrency = 16;
  long long max_in_flight = 64;
  std::string log_level = "info";
  std::string log_format = "json";
  std::chrono::milliseconds shutdown_grace{10000};
  std::chrono::milliseconds connect_timeout{60000};
  std::chrono::milliseconds dns_min_refresh{30000};
  std::string dns_servers;
  // Synthesis (SPEC 1.9): disabled while no model is set. The key comes from a file or
  // SYNTHESIS_API_KEY only (a flag value would show in `ps`).
  std::string synthesis_model;
  std::string synthesis_provider = "openai";
  std::string synthesis_endpoint;
  std::string synthesis_api_key_file;
  long long synthesis_concurrency = 4;
  long long synthesis_max_attempts = 3;
  std::chrono::milliseconds synthesis_timeout{120000};
  std::string mcp_discovery_url_template = "http://{name}.{namespace}.svc.cluster.local:{port}{path}";
};

void define(langop::flag_set& f, operator_flags& o) {
  f.add_string("kubeconfig", &o.kubeconfig,
               "path to a kubeconfig (else $KUBECONFIG, else the in-cluster service account, else ~/.kube/config)");
  f.add_string("context", &o.context, "kubeconfig context to use (default: current-context)");
  f.add_string("namespace", &o.watch_namespace, "watch only this namespace (default: all namespaces)",
               "WATCH_NAMESPACE");
  f.add_string("metrics-bind-address", &o.metrics_bind, "address for /metrics (\"0\" disables)");
  f.add_string("health-probe-bind-address", &o.health_bind, "address for /healthz and /readyz (\"0\" disables)");
  f.add_bool("leader-elect", &o.leader_elect, "elect a leader on a Lease so only one replica reconciles");
  f.add_string("leader-election-namespace", &o.leader_namespace,
               "namespace of the leader Lease (default: the in-cluster namespace, else \"default\")",
               "POD_NAMESPACE");
  f.add_string("leader-election-id", &o.leader_id, "name of the leader Lease");
  f.add_duration("leader-election-lease-duration", &o.lease_duration, "how long a lease is valid without renewal");
  f.add_duration("leader-election-renew-deadline", &o.renew_deadline, "how long the leader retries renewing");
  f.add_duration("leader-election-retry-period", &o.retry_period, "time between election attempts");
  f.add_int("concurrency", &o.concurrency, "reconciles in flight per kind");
  f.add_int("max-requests-in-flight", &o.max_in_flight, "API requests in flight at once (watches excluded)");
  f.add_string("log-level", &o.log_level, "debug, info, warn or error", "LOG_LEVEL");
  f.add_string("log-format", &o.log_format, "json or text", "LOG_FORMAT");
  f.add_duration("shutdown-grace", &o.shutdown_grace, "how long SIGTERM waits for reconciles in flight");
  f.add_duration("connect-timeout", &o.connect_timeout, "how long start-up waits for the API server");
  f.add_duration("dns-min-refresh", &o.dns_min_refresh,
                 "shortest interval between lookups of an egress DNS name (records' TTLs are honoured above it)");
  f.add_string("dns-servers", &o.dns_servers,
               "comma-separated DNS servers (ip[:port]) for egress names (default: /etc/resolv.conf)", "LANGOP_DNS_SERVERS");
  f.add_string("synthesis-model", &o.synthesis_model, "model that writes agent code from instructions (empty: synthesis off)",
               "SYNTHESIS_MODEL");
  f.add_string("synthesis-provider", &o.synthesis_provider,
               "provider of the synthesis model (openai, anthropic, azure, ollama, openai-compatible, ...)",
               "SYNTHESIS_PROVIDER");
  f.add_string("synthesis-endpoint", &o.synthesis_endpoint, "base URL of the synthesis model (default: the provider's API)",
               "SYNTHESIS_ENDPOINT");
  f.add_string("synthesis-api-key-file", &o.synthesis_api_key_file,
               "file holding the synthesis API key (else env SYNTHESIS_API_KEY)");
  f.add_int("synthesis-concurrency", &o.synthesis_concurrency, "synthesis LLM calls in flight at once");
  f.add_int("synthesis-max-attempts", &o.synthesis_max_attempts, "answers asked for per synthesis (invalid code is retried)");
  f.add_duration("synthesis-timeout", &o.synthesis_timeout, "deadline of one synthesis LLM call, its retries included");
  f.add_string("mcp-discovery-url-template", &o.mcp_discovery_url_template,
               "where MCP tool discovery reaches a service-mode LanguageTool; {name}, {namespace}, {port} and {path} "
               "are the tool's (an aid for running outside the cluster and for tests; \"\" turns discovery off)");
}

// The synthesis settings, the key read from its file or SYNTHESIS_API_KEY. An error names
// the file, never its contents.
langop::result<langop::controllers::synthesis_settings> synthesis_settings(const operator_flags& o) {
  langop::controllers::synthesis_settings s;
  s.model = o.synthesis_model;
  s.provider = o.synthesis_provider;
  s.endpoint = o.synthesis_endpoint;
  s.concurrency = static_cast<std::size_t>(std::max(1LL, o.synthesis_concurrency));
  s.max_attempts = static_cast<int>(std::clamp(o.synthesis_max_attempts, 1LL, 20LL));
  s.timeout = o.synthesis_timeout;
  if (!o.synthesis_api_key_file.empty()) {
    std::ifstream in(o.synthesis_api_key_file);
    if (!in) return langop::error({}, "cannot read --synthesis-api-key-file " + o.synthesis_api_key_file);
    std::getline(in, s.api_key);
    while (!s.api_key.empty() && std::isspace(static_cast<unsigned char>(s.api_key.back()))) s.api_key.pop_back();
  } else if (const char* key = std::getenv("SYNTHESIS_API_KEY")) {
    s.api_key = key;
  }
  if (s.enabled()) {
    langop::llm::model_config m;
    m.provider = s.provider;
    m.model = s.model;
    m.endpoint = s.endpoint;
    if (auto ep = langop::llm::resolve_endpoint(m); !ep) return langop::error({}, "synthesis: " + ep.error().message);
  }
  return s;
}

// "a,b,,c" -> {a, b, c}
std::vector<std::string> comma_separated(const std::string& list) {
  std::vector<std::string> out;
  for (std::size_t start = 0; start < list.size();) {
    auto comma = list.find(',', start);
    if (comma == std::string::npos) comma = list.size();
    if (comma > start) out.push_back(list.substr(start, comma - start));
    start = comma + 1;
  }
  return out;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace langop;
  operator_flags o;
  flag_set flags("langop-operator",
                 "Runs AI agents, LLM gateways and MCP tool servers as Kubernetes resources (langop.io/v1alpha1).");
  define(flags, o);
  if (auto r = flags.parse(std::vector<std::string>(argv + 1, argv + argc)); !r) {
    std::cerr << "langop-operator: " << r.error().message << "\n";
    return 2;
  }
  if (flags.help_requested()) {
    std::cout << flags.usage();
    return 0;
  }
  log::level level;
  log::format format;
  if (!log::parse_level(o.log_level, level) || !log::parse_format(o.log_format, format)) {
    std::cerr << "langop-operator: --log-level must be debug|info|warn|error, --log-format json|text\n";
    return 2;
  }
  if (o.concurrency < 1 || o.max_in_flight < 1) {
    std::cerr << "langop-operator: --concurrency and --max-requests-in-flight must be at least 1\n";
    return 2;
  }
  log::logger logger(level, format);
  auto synthesis = synthesis_settings(o);
  if (!synthesis) {
    std::cerr << "langop-operator: " << synthesis.error().message << "\n";
    return 2;
  }

  kube::load_options load;
  load.kubeconfig_flag = o.kubeconfig;
  load.context = o.context;
  auto cfg = kube::load_cluster_config(load);
  if (!cfg) {
    logger.error("cannot configure the Kubernetes client", {{"error", cfg.error().message}});
    return 1;
  }

  boost::asio::io_context ioc{1};
  obs::registry metrics;
  kube::client_options client_opts;
  client_opts.max_requests_in_flight = static_cast<std::size_t>(o.max_in_flight);
  client_opts.observer = runtime::api_request_metrics(metrics);
  auto client = kube::client::create(ioc.get_executor(), *cfg, client_opts);
  if (!client) {
    logger.error("cannot configure the Kubernetes client", {{"error", client.error().message}});
    return 1;
  }

  runtime::manager_options mo;
  mo.watch_namespace = o.watch_namespace;
  mo.metrics_bind_address = o.metrics_bind;
  mo.health_bind_address = o.health_bind;
  mo.leader_elect = o.leader_elect;
  mo.leader.lease_name = o.leader_id;
  mo.leader.lease_namespace = !o.leader_namespace.empty() ? o.leader_namespace
                              : cfg->default_namespace.empty() ? "default"
                                                               : cfg->default_namespace;
  mo.leader.config.identity = runtime::default_identity();
  mo.leader.config.lease_duration = std::chrono::duration_cast<std::chrono::seconds>(o.lease_duration);
  mo.leader.config.renew_deadline = std::chrono::duration_cast<std::chrono::seconds>(o.renew_deadline);
  mo.leader.config.retry_period = std::chrono::duration_cast<std::chrono::seconds>(o.retry_period);
  if (auto why = runtime::validate(mo.leader.config); why && o.leader_elect) {
    std::cerr << "langop-operator: leader election settings: " << *why << "\n";
    return 2;
  }
  mo.shutdown_grace = o.shutdown_grace;
  runtime::manager mgr(ioc.get_executor(), **client, metrics, mo, logger);
  controllers::controllers_options co;
  co.concurrency = static_cast<std::size_t>(o.concurrency);
  co.dns_min_refresh = std::chrono::duration_cast<std::chrono::seconds>(o.dns_min_refresh);
  co.dns_servers = comma_separated(o.dns_servers);
  co.synthesis = std::move(*synthesis);
  co.mcp_discovery_url_template = o.mcp_discovery_url_template;
  controllers::operator_controllers reconcilers(ioc.get_executor(), mgr, co, logger);

  logger.info("langop-operator starting", {{"apiServer", cfg->source}, {"identity", mo.leader.config.identity}});
  int exit_code = 0;
  boost::asio::co_spawn(
      ioc,
      [&]() -> boost::asio::awaitable<void> {
        auto started = co_await mgr.start(std::chrono::duration_cast<std::chrono::seconds>(o.connect_timeout));
        if (!started) {
          logger.error("langop-operator cannot start", {{"error", started.error().message}});
          exit_code = 1;
          co_await mgr.shutdown();
          ioc.stop();
        }
      },
      boost::asio::detached);

  boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code ec, int sig) {
    if (ec) return;
    logger.info("signal received", {{"signal", sig}});
    boost::asio::co_spawn(
        ioc,
        [&]() -> boost::asio::awaitable<void> {
          co_await mgr.shutdown();
          ioc.stop();
        },
        boost::asio::detached);
  });
  ioc.run();
  return exit_code;
}
