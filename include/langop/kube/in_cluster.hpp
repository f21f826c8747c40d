// Loads a cluster_config from a pod's service account: KUBERNETES_SERVICE_HOST/PORT and
// <root>/{token,ca.crt,namespace}. The token is referenced by path (token_file) so a
// rotated projected token is picked up. Blocking file reads: start-up only.
#pragma once

#include "langop/core/error.hpp"
#include "langop/kube/config.hpp"

#include <string>

namespace langop::kube {

struct in_cluster_options {
  std::string host;  // KUBERNETES_SERVICE_HOST (IPv6 allowed, unbracketed)
  std::string port;  // KUBERNETES_SERVICE_PORT
  // Injectable for tests.
  std::string service_account_dir = "/var/run/secrets/kubernetes.io/serviceaccount";
};

// Errors (config_errc): missing_entry (host/port unset), malformed (bad port, CA not PEM,
// empty token), file_unreadable (token or ca.crt). A missing namespace file means "default".
[[nodiscard]] result<cluster_config> load_in_cluster(const in_cluster_options& opts);

}  // namespace langop::kube
