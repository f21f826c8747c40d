// Finds the Kubernetes client configuration with the operator's precedence:
// --kubeconfig flag > KUBECONFIG > in-cluster service account > ~/.kube/config.
// Blocking file reads: start-up only.
#pragma once

#include "langop/core/error.hpp"
#include "langop/kube/config.hpp"

#include <functional>
#include <optional>
#include <string>

namespace langop::kube {

struct load_options {
  std::string kubeconfig_flag;  // --kubeconfig; a missing file is an error
  std::string context;          // --context (kubeconfig only)
  // Environment lookup (KUBECONFIG, KUBERNETES_SERVICE_HOST/PORT, HOME); injectable for
  // tests. Empty function: the process environment.
  std::function<std::optional<std::string>(const std::string&)> getenv;
  std::string service_account_dir = "/var/run/secrets/kubernetes.io/serviceaccount";
};

// Errors: those of load_kubeconfig / load_in_cluster from the source that was chosen
// (a broken higher-precedence source is reported, never silently skipped), or
// config_errc::no_configuration listing what was tried.
[[nodiscard]] result<cluster_config> load_cluster_config(const load_options& opts);

}  // namespace langop::kube
