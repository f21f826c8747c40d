// What the controller integration tests share: langop-localapi in process (workloads
// simulated) with the CRDs installed, the operator's controllers on the test thread with
// a scripted DNS server for egress names, and small readers of the API server's state.
#pragma once

#include "support/dns_server.hpp"
#include "support/local_cluster.hpp"
#include "support/operator_side.hpp"

#include "langop/controllers/controllers.hpp"
#include "langop/core/json.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>
#include <vector>

namespace langop::test {

std::string source_path(const std::string& relative);
// kubectl `args` (stdin `in`) must succeed (REQUIREd, with its output on failure).
void kubectl_ok(const local_cluster& c, const std::vector<std::string>& args, const std::string& in = {});

json::value get(local_cluster& c, const std::string& path);
json::value get_langop(local_cluster& c, const std::string& plural, const std::string& ns, const std::string& name);
std::string phase(local_cluster& c, const std::string& plural, const std::string& ns, const std::string& name);
// The condition `type` of a langop object ({} when absent).
json::object condition_of(local_cluster& c, const std::string& plural, const std::string& ns, const std::string& name,
                          const std::string& type);
std::uint64_t writes(local_cluster& c);
bool contains(const std::string& text, const std::string& part);

local_cluster_options simulated();
void install_crds(local_cluster& c);

// Test settings for the controllers: egress DNS from the scripted server; MCP discovery
// off (service-mode tools have no server behind them here) unless a test turns it on.
controllers::controllers_options test_controller_options();

// Keeps every log line (tests look for what must never be logged).
struct captured_log final : log::sink {
  void write(std::string_view line) override { text.append(line).append("\n"); }
  std::string text;
};

// One operator process, in the test: manager + controllers, egress DNS from `dns`.
// `tweak` adjusts the controllers' options (DNS servers are set before it runs).
struct running_operator {
  explicit running_operator(local_cluster& c, std::chrono::seconds dns_min_refresh = std::chrono::seconds(30),
                            const std::function<void(controllers::controllers_options&)>& tweak = {});
  operator_side side;
  dns_server dns;
  // The controllers' log lines (debug and up); also on stderr with LANGOP_TEST_LOG=1.
  std::shared_ptr<captured_log> log = std::make_shared<captured_log>();
  std::unique_ptr<controllers::operator_controllers> reconcilers;
};

// A local API server (workloads simulated) with the CRDs, and an operator on it.
struct operator_fixture {
  explicit operator_fixture(std::chrono::seconds dns_min_refresh = std::chrono::seconds(30),
                            const std::function<void(controllers::controllers_options&)>& tweak = {});
  local_cluster cluster{simulated()};
  bool crds_installed;
  running_operator op;
};

}  // namespace langop::test
