#include "langop/kube/config.hpp"

#include "langop/kube/config_errc.hpp"

namespace langop::kube {

namespace {
class config_category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "langop.kube.config"; }
  std::string message(int ev) const override {
    switch (static_cast<config_errc>(ev)) {
      case config_errc::no_configuration: return "no Kubernetes configuration found";
      case config_errc::file_unreadable: return "file unreadable";
      case config_errc::malformed: return "malformed configuration";
      case config_errc::missing_entry: return "missing configuration entry";
      case config_errc::unsupported: return "unsupported configuration";
      case config_errc::conflicting: return "conflicting configuration";
    }
    return "unknown configuration error";
  }
};
}  // namespace

const boost::system::error_category& config_category() noexcept {
  static const config_category_impl instance;
  return instance;
}

http::tls_options tls_options_for(const cluster_config& cfg) {
  http::tls_options tls;
  tls.ca_pem = cfg.ca_pem;
  tls.client_cert_pem = cfg.client_cert_pem;
  tls.client_key_pem = cfg.client_key_pem;
  tls.server_name = cfg.tls_server_name;
  tls.insecure_skip_verify = cfg.insecure_skip_tls_verify;
  return tls;
}

result<http::endpoint> make_endpoint(const cluster_config& cfg) {
  auto ep = http::endpoint::from_url(cfg.server.buffer(), tls_options_for(cfg));
  if (!ep) {
    error e = ep.error();
    e.message = cfg.source + ": " + e.message;
    return e;
  }
  return ep;
}

}  // namespace langop::kube
