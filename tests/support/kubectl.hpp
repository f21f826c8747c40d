// Runs kubectl against a local_cluster, with its own HOME (so kubectl's discovery
// cache never leaks between tests) and a deadline.
#pragma once

#include "support/local_cluster.hpp"
#include "support/process.hpp"

#include <string>
#include <vector>

namespace langop::test {

command_result kubectl(const local_cluster& cluster, std::vector<std::string> args, const std::string& stdin_data = {},
                       std::chrono::milliseconds timeout = std::chrono::seconds(60));
// The kubectl environment for `cluster` (KUBECONFIG, HOME), for background kubectl processes.
std::vector<std::string> kubectl_env(const local_cluster& cluster);
// Absolute path of a fixture file.
std::string fixture_path(const std::string& relative);

}  // namespace langop::test
