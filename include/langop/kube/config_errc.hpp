// Why a Kubernetes client configuration could not be loaded (kubeconfig, in-cluster).
// The langop::error message says which file, context, cluster, user and field.
#pragma once

#include "langop/core/error.hpp"

#include <string>
#include <type_traits>

namespace langop::kube {

enum class config_errc {
  no_configuration = 1,  // no --kubeconfig, KUBECONFIG, in-cluster environment or ~/.kube/config
  file_unreadable,       // a kubeconfig, CA, certificate, key or token file cannot be read
  malformed,             // YAML syntax, wrong types, bad base64, bad PEM, bad server URL
  missing_entry,         // current-context unset; context/cluster/user not defined; no server
  unsupported,           // exec / auth-provider plugins, basic auth, proxies
  conflicting,           // e.g. insecure-skip-tls-verify together with a CA
};

[[nodiscard]] const boost::system::error_category& config_category() noexcept;

[[nodiscard]] inline boost::system::error_code make_error_code(config_errc e) noexcept {
  return {static_cast<int>(e), config_category()};
}

[[nodiscard]] inline error make_config_error(config_errc e, std::string message) {
  return error{make_error_code(e), std::move(message)};
}

}  // namespace langop::kube

template <>
struct boost::system::is_error_code_enum<langop::kube::config_errc> : std::true_type {};
