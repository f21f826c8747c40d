#include "langop/kube/in_cluster.hpp"

#include "config_util.hpp"
#include "langop/kube/config_errc.hpp"

#include <charconv>
#include <filesystem>

namespace langop::kube {

namespace fs = std::filesystem;

namespace {
std::string trim(std::string s) {
  while (!s.empty() && (s.back() == '\n' || s.back() == '\r' || s.back() == ' ' || s.back() == '\t')) s.pop_back();
  std::size_t i = 0;
  while (i < s.size() && (s[i] == ' ' || s[i] == '\t' || s[i] == '\n')) ++i;
  return s.substr(i);
}
}  // namespace

result<cluster_config> load_in_cluster(const in_cluster_options& opts) {
  const std::string where = "in-cluster configuration";
  if (opts.host.empty())
    return make_config_error(config_errc::missing_entry, where + ": KUBERNETES_SERVICE_HOST is not set");
  if (opts.port.empty())
    return make_config_error(config_errc::missing_entry, where + ": KUBERNETES_SERVICE_PORT is not set");
  unsigned port = 0;
  auto [p, ec] = std::from_chars(opts.port.data(), opts.port.data() + opts.port.size(), port);
  if (ec != std::errc{} || p != opts.port.data() + opts.port.size() || port == 0 || port > 65535)
    return make_config_error(config_errc::malformed,
                             where + ": KUBERNETES_SERVICE_PORT \"" + opts.port + "\" is not a port number");

  const fs::path root(opts.service_account_dir);
  const fs::path token_path = root / "token";
  auto token = detail::read_file(token_path, "service account token");
  if (!token) {
    error e = token.error();
    e.message = where + ": " + e.message;
    return e;
  }
  if (trim(std::move(*token)).empty())
    return make_config_error(config_errc::malformed, where + ": service account token \"" + token_path.string() + "\" is empty");

  const fs::path ca_path = root / "ca.crt";
  auto ca = detail::read_file(ca_path, "service account CA bundle");
  if (!ca) {
    error e = ca.error();
    e.message = where + ": " + e.message;
    return e;
  }
  if (!detail::pem_has_certificate(*ca))
    return make_config_error(config_errc::malformed, where + ": \"" + ca_path.string() + "\" does not contain a PEM certificate");

  const bool v6 = opts.host.find(':') != std::string::npos;
  auto url = detail::parse_server_url("https://" + (v6 ? "[" + opts.host + "]" : opts.host) + ":" + opts.port, where);
  if (!url) return url.error();

  cluster_config cfg;
  cfg.server = std::move(*url);
  cfg.ca_pem = std::move(*ca);
  cfg.token_file = token_path.string();
  std::error_code fec;
  if (fs::exists(root / "namespace", fec)) {
    auto ns = detail::read_file(root / "namespace", "service account namespace");
    if (ns && !trim(*ns).empty()) cfg.default_namespace = trim(*ns);
  }
  cfg.source = "in-cluster";
  return cfg;
}

}  // namespace langop::kube
