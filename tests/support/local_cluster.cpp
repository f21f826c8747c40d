#include "support/local_cluster.hpp"

#include "langop/core/base64.hpp"
#include "langop/http/tls_certs.hpp"

#include <boost/asio/executor_work_guard.hpp>

#include <filesystem>
#include <fstream>

namespace langop::test {

local_cluster::local_cluster(local_cluster_options options) : options_(std::move(options)) {
  std::string tmpl = (std::filesystem::temp_directory_path() / "langop-cluster-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  dir_ = tmpl;

  localapi::apiserver_options api_opts;
  api_opts.history_size = options_.history_size;
  api_opts.bookmark_interval = options_.bookmark_interval;
  api_ = std::make_unique<localapi::apiserver>(api_opts);

  localapi::server_options srv;
  srv.token = options_.token;
  srv.bookmark_interval = options_.bookmark_interval;
  if (options_.tls) {
    auto certs = http::generate_certs({});
    if (!certs) throw std::runtime_error(certs.error().message);
    srv.tls = true;
    srv.cert_pem = certs->server_cert_pem;
    srv.key_pem = certs->server_key_pem;
    ca_pem_ = certs->ca_cert_pem;
  }
  log::logger quiet(log::level::warn, log::format::text);
  server_ = std::make_unique<localapi::server>(ioc_, *api_, srv, quiet);
  server_->start();
  port_ = server_->port();
  if (options_.simulate_workloads) {
    sim_ = std::make_unique<localapi::workload_simulator>(ioc_, *api_, options_.ready_delay, quiet);
    server_->set_admin_extension([this](const localapi::api_request& r) { return sim_->admin(r); });
  }

  kubeconfig_ = dir_ + "/kubeconfig";
  std::ofstream kc(kubeconfig_);
  kc << "apiVersion: v1\nkind: Config\nclusters:\n- name: local\n  cluster:\n    server: " << url() << "\n";
  if (!ca_pem_.empty()) kc << "    certificate-authority-data: " << base64_encode(ca_pem_) << "\n";
  kc << "users:\n- name: local\n  user:";
  if (options_.token.empty()) kc << " {}\n";
  else kc << "\n    token: " << options_.token << "\n";
  kc << "contexts:\n- name: local\n  context:\n    cluster: local\n    user: local\n    namespace: default\n"
        "current-context: local\n";
  kc.close();

  thread_ = std::thread([this] {
    auto guard = boost::asio::make_work_guard(ioc_);
    ioc_.run();
  });
}

local_cluster::~local_cluster() {
  boost::asio::post(ioc_, [this] {
    if (sim_) sim_->stop();
    server_->stop();
    ioc_.stop();
  });
  if (thread_.joinable()) thread_.join();
  sim_.reset();
  server_.reset();
  api_.reset();
  std::error_code ec;
  std::filesystem::remove_all(dir_, ec);
}

std::string local_cluster::url() const {
  return std::string(options_.tls ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
}

}  // namespace langop::test
