// Loads a cluster_config from kubeconfig files (yaml-cpp), as kubectl does: several
// files merge first-wins, a context is chosen (current-context or an override), and
// its cluster and user are resolved. Blocking file reads: call at start-up only.
#pragma once

#include "langop/core/error.hpp"
#include "langop/kube/config.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace langop::kube {

struct kubeconfig_options {
  // Files in precedence order (KUBECONFIG split on ':'). The first file to define a
  // cluster/user/context name wins it; the first to set current-context wins that.
  std::vector<std::string> files;
  std::string context;  // --context; empty = current-context
  // KUBECONFIG semantics: skip files that do not exist (at least one must). An explicit
  // --kubeconfig sets this false: a missing file is an error.
  bool skip_missing_files = false;
};

// Supported: server, certificate-authority(-data), insecure-skip-tls-verify,
// tls-server-name, token, tokenFile, client-certificate(-data), client-key(-data),
// namespace. Relative file paths resolve against the directory of the kubeconfig file
// that defines the entry. Errors (config_errc): file_unreadable, malformed,
// missing_entry, unsupported (exec/auth-provider plugins, basic auth, proxy-url),
// conflicting — each message names the file, context/cluster/user and field, and
// never includes a token, key or certificate.
[[nodiscard]] result<cluster_config> load_kubeconfig(const kubeconfig_options& opts);

}  // namespace langop::kube
