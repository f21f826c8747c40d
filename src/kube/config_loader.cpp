#include "langop/kube/config_loader.hpp"

#include "langop/kube/config_errc.hpp"
#include "langop/kube/in_cluster.hpp"
#include "langop/kube/kubeconfig.hpp"

#include <cstdlib>
#include <filesystem>

namespace langop::kube {

result<cluster_config> load_cluster_config(const load_options& opts) {
  auto env = [&](const std::string& name) -> std::string {
    if (opts.getenv) return opts.getenv(name).value_or("");
    const char* v = std::getenv(name.c_str());
    return v ? v : "";
  };

  if (!opts.kubeconfig_flag.empty())
    return load_kubeconfig({.files = {opts.kubeconfig_flag}, .context = opts.context, .skip_missing_files = false});

  if (std::string list = env("KUBECONFIG"); !list.empty()) {
    kubeconfig_options k{.files = {}, .context = opts.context, .skip_missing_files = true};
    std::size_t start = 0;
    while (start <= list.size()) {
      std::size_t end = list.find(':', start);
      if (end == std::string::npos) end = list.size();
      if (end > start) k.files.push_back(list.substr(start, end - start));
      start = end + 1;
    }
    if (!k.files.empty()) return load_kubeconfig(k);
  }

  std::string host = env("KUBERNETES_SERVICE_HOST");
  std::string port = env("KUBERNETES_SERVICE_PORT");
  if (!host.empty() || !port.empty())
    return load_in_cluster({.host = host, .port = port, .service_account_dir = opts.service_account_dir});

  std::string home = env("HOME");
  if (!home.empty()) {
    std::filesystem::path fallback = std::filesystem::path(home) / ".kube" / "config";
    std::error_code ec;
    if (std::filesystem::exists(fallback, ec))
      return load_kubeconfig({.files = {fallback.string()}, .context = opts.context, .skip_missing_files = false});
  }
  return make_config_error(config_errc::no_configuration,
                           "no Kubernetes configuration found: --kubeconfig is not set, KUBECONFIG is not set, "
                           "KUBERNETES_SERVICE_HOST is not set (not in a cluster), and ~/.kube/config does not exist");
}

}  // namespace langop::kube
