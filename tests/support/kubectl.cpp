#include "support/kubectl.hpp"

namespace langop::test {

std::vector<std::string> kubectl_env(const local_cluster& cluster) {
  return {"KUBECONFIG=" + cluster.kubeconfig_path(), "HOME=" + cluster.dir(), "KUBECTL_INTERACTIVE_DELETE=false"};
}

command_result kubectl(const local_cluster& cluster, std::vector<std::string> args, const std::string& stdin_data,
                       std::chrono::milliseconds timeout) {
  args.insert(args.begin(), "kubectl");
  return run_command(args, timeout, kubectl_env(cluster), stdin_data);
}

std::string fixture_path(const std::string& relative) {
  return std::string(LANGOP_SOURCE_DIR) + "/tests/fixtures/" + relative;
}

}  // namespace langop::test
