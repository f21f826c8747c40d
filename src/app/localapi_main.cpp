// langop-localapi: flags, wiring, signals. Everything else lives in src/localapi.
#include "langop/core/base64.hpp"
#include "langop/core/flags.hpp"
#include "langop/core/log.hpp"
#include "langop/localapi/apiserver.hpp"
#include "langop/localapi/server.hpp"
#include "langop/localapi/simulation.hpp"
#include "langop/http/tls_certs.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/signal_set.hpp>

#include <cstdio>
#include <fstream>
#include <iostream>

namespace {

std::string kubeconfig_text(const std::string& url, const std::string& ca_pem, const std::string& token) {
  std::string out = "apiVersion: v1\nkind: Config\nclusters:\n- name: langop-local\n  cluster:\n    server: " + url + "\n";
  if (!ca_pem.empty()) out += "    certificate-authority-data: " + langop::base64_encode(ca_pem) + "\n";
  out += "users:\n- name: langop-local\n  user:";
  out += token.empty() ? " {}\n" : "\n    token: " + token + "\n";
  out += "contexts:\n- name: langop-local\n  context:\n    cluster: langop-local\n    user: langop-local\n"
         "    namespace: default\ncurrent-context: langop-local\n";
  return out;
}

bool write_file_atomically(const std::string& path, const std::string& text) {
  const std::string tmp = path + ".tmp";
  {
    std::ofstream f(tmp, std::ios::trunc);
    if (!f) return false;
    f << text;
    if (!f) return false;
  }
  return std::rename(tmp.c_str(), path.c_str()) == 0;
}

}  // namespace

int main(int argc, char** argv) {
  using namespace langop;
  std::string address = "127.0.0.1";
  long long port = 6443;
  bool tls = false;
  std::string token;
  std::string kubeconfig_out;
  long long history = 10000;
  std::chrono::milliseconds bookmark_interval{60000};
  bool simulate = false;
  std::chrono::milliseconds ready_delay{500};
  std::string log_level = "info", log_format = "json";
  double throttle = 0, errors = 0, cut = 0;
  std::chrono::milliseconds latency{0};
  long long seed = 42;

  flag_set flags("langop-localapi",
                 "An in-memory stand-in for kube-apiserver: the API that langop's tests, demo and benchmarks run "
                 "against, and that kubectl works against.");
  flags.add_string("address", &address, "IP address to listen on");
  flags.add_int("port", &port, "TCP port to listen on (0 picks a free one; see --kubeconfig-out)");
  flags.add_bool("tls", &tls, "serve HTTPS with a freshly generated self-signed CA");
  flags.add_string("token", &token, "require this bearer token on every request but health checks",
                   "LANGOP_LOCALAPI_TOKEN");
  flags.add_string("kubeconfig-out", &kubeconfig_out,
                   "write a kubeconfig for this server here once it listens (CA and token included)");
  flags.add_int("history-size", &history, "watch events retained per resource; older resourceVersions get 410");
  flags.add_duration("bookmark-interval", &bookmark_interval, "BOOKMARK period on watches that allow them");
  flags.add_bool("simulate-workloads", &simulate,
                 "act as kubelet/controllers: Deployments become ready, PVCs bind, Jobs complete");
  flags.add_duration("simulate-ready-delay", &ready_delay, "how long simulated workloads take to become ready");
  flags.add_string("log-level", &log_level, "debug, info, warn or error");
  flags.add_string("log-format", &log_format, "json or text");
  flags.add_double("fault-throttle-rate", &throttle, "share of requests answered 429 + Retry-After (0..1)");
  flags.add_double("fault-error-rate", &errors, "share of requests answered 500 (0..1)");
  flags.add_double("fault-cut-rate", &cut, "share of responses cut mid-body (0..1)");
  flags.add_duration("fault-latency", &latency, "latency added to every request");
  flags.add_int("fault-seed", &seed, "seed of the fault injection's random choices");

  std::vector<std::string> args(argv + 1, argv + argc);
  if (auto r = flags.parse(args); !r) {
    std::cerr << "langop-localapi: " << r.error().message << "\n";
    return 2;
  }
  if (flags.help_requested()) {
    std::cout << flags.usage();
    return 0;
  }
  log::level lvl;
  log::format fmt;
  if (!log::parse_level(log_level, lvl) || !log::parse_format(log_format, fmt)) {
    std::cerr << "langop-localapi: --log-level must be debug|info|warn|error and --log-format json|text\n";
    return 2;
  }
  if (port < 0 || port > 65535 || history < 1 || throttle < 0 || throttle > 1 || errors < 0 || errors > 1 ||
      cut < 0 || cut > 1) {
    std::cerr << "langop-localapi: --port, --history-size or a fault rate is out of range\n";
    return 2;
  }
  log::logger logger(lvl, fmt);

  localapi::apiserver_options api_opts;
  api_opts.history_size = static_cast<std::size_t>(history);
  api_opts.bookmark_interval = std::chrono::duration_cast<std::chrono::seconds>(bookmark_interval);
  localapi::apiserver api(api_opts);

  localapi::server_options srv_opts;
  srv_opts.address = address;
  srv_opts.port = static_cast<unsigned short>(port);
  srv_opts.token = token;
  srv_opts.bookmark_interval = std::max(std::chrono::seconds(1),
                                        std::chrono::duration_cast<std::chrono::seconds>(bookmark_interval));
  srv_opts.faults.throttle_rate = throttle;
  srv_opts.faults.error_rate = errors;
  srv_opts.faults.cut_rate = cut;
  srv_opts.faults.latency = latency;
  srv_opts.faults.seed = static_cast<std::uint64_t>(seed);
  std::string ca_pem;
  if (tls) {
    http::cert_request req;
    boost::system::error_code not_ip;
    (void)boost::asio::ip::make_address(address, not_ip);
    if (not_ip) req.dns_names.push_back(address);
    else if (address != "127.0.0.1" && address != "::1") req.ip_addresses.push_back(address);
    auto certs = http::generate_certs(req);
    if (!certs) {
      std::cerr << "langop-localapi: " << certs.error().message << "\n";
      return 1;
    }
    srv_opts.tls = true;
    srv_opts.cert_pem = certs->server_cert_pem;
    srv_opts.key_pem = certs->server_key_pem;
    ca_pem = certs->ca_cert_pem;
  }

  boost::asio::io_context ioc{1};
  localapi::server srv(ioc, api, srv_opts, logger);
  try {
    srv.start();
  } catch (const std::exception& ex) {
    std::cerr << "langop-localapi: cannot listen on " << address << ":" << port << ": " << ex.what() << "\n";
    return 1;
  }
  std::unique_ptr<localapi::workload_simulator> sim;
  if (simulate) {
    sim = std::make_unique<localapi::workload_simulator>(ioc, api, ready_delay, logger);
    srv.set_admin_extension([&sim](const localapi::api_request& r) { return sim->admin(r); });
  }

  const std::string url = std::string(tls ? "https" : "http") + "://" + address + ":" + std::to_string(srv.port());
  if (!kubeconfig_out.empty() && !write_file_atomically(kubeconfig_out, kubeconfig_text(url, ca_pem, token))) {
    std::cerr << "langop-localapi: cannot write " << kubeconfig_out << "\n";
    return 1;
  }
  logger.info("langop-localapi serving", {{"url", url}, {"tls", tls}, {"simulateWorkloads", simulate}});

  boost::asio::signal_set signals(ioc, SIGINT, SIGTERM);
  signals.async_wait([&](boost::system::error_code, int sig) {
    logger.info("langop-localapi stopping", {{"signal", sig}});
    srv.stop();
    if (sim) sim->stop();
    ioc.stop();
  });
  ioc.run();
  return 0;
}
