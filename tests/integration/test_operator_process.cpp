// The langop-operator binary as a process: leader election between two replicas,
// handover after SIGKILL, release on SIGTERM, health/readiness, clean exit codes.
#include "support/kubectl.hpp"
#include "support/local_cluster.hpp"
#include "support/process.hpp"
#include "support/test_http.hpp"

#include "langop/core/json.hpp"

#include <catch2/catch.hpp>

#include <regex>
#include <thread>

using namespace langop;
using namespace langop::test;
using namespace std::chrono_literals;

namespace {

std::vector<std::string> operator_args(const local_cluster& c, std::vector<std::string> extra = {}) {
  std::vector<std::string> args{std::string(LANGOP_BINARY_DIR) + "/langop-operator",
                                "--kubeconfig=" + c.kubeconfig_path(),
                                "--metrics-bind-address=127.0.0.1:0",
                                "--health-probe-bind-address=127.0.0.1:0",
                                "--log-format=text"};
  args.insert(args.end(), extra.begin(), extra.end());
  return args;
}

// "key=value" from the process's log (first match), "" until it appears.
std::string logged(background_process& p, const std::string& key) {
  std::smatch m;
  const std::string out = p.output();
  if (std::regex_search(out, m, std::regex(key + "=([^ \\n]+)"))) return m[1];
  return {};
}

std::string wait_logged(background_process& p, const std::string& key, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  std::string v;
  while ((v = logged(p, key)).empty() && std::chrono::steady_clock::now() < deadline) std::this_thread::sleep_for(50ms);
  return v;
}

std::string lease_holder(const local_cluster& c) {
  test_http client("127.0.0.1", c.port());
  auto r = client.request("GET", "/apis/coordination.k8s.io/v1/namespaces/default/leases/langop-operator");
  if (r.status != 200) return {};
  auto v = jsonu::parse(r.body);
  return v ? std::string(jsonu::get_string(*v, {"spec", "holderIdentity"})) : std::string();
}

template <class Pred>
bool eventually(Pred pred, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!pred()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    std::this_thread::sleep_for(50ms);
  }
  return true;
}

}  // namespace

TEST_CASE("two operators elect one leader, SIGKILL hands over, SIGTERM releases the lease",
          "[runtime][leader][process]") {
  local_cluster cluster;
  // Readiness needs every informer synced, and the langop kinds exist only with the CRDs.
  const auto crds = kubectl(cluster, {"apply", "-f", std::string(LANGOP_SOURCE_DIR) + "/crds"});
  INFO(crds.err);
  REQUIRE(crds.exit_code == 0);
  const std::vector<std::string> election{"--leader-elect", "--leader-election-lease-duration=4s",
                                          "--leader-election-renew-deadline=3s",
                                          "--leader-election-retry-period=1s"};
  auto a = std::make_unique<background_process>(operator_args(cluster, election));
  auto b = std::make_unique<background_process>(operator_args(cluster, election));
  const std::string id_a = wait_logged(*a, "identity", 10s), id_b = wait_logged(*b, "identity", 10s);
  REQUIRE_FALSE(id_a.empty());
  REQUIRE_FALSE(id_b.empty());
  REQUIRE(id_a != id_b);

  REQUIRE(eventually([&] { return !lease_holder(cluster).empty(); }, 15s));
  const std::string first = lease_holder(cluster);
  REQUIRE((first == id_a || first == id_b));
  auto& leader = first == id_a ? a : b;
  auto& standby = first == id_a ? b : a;
  const std::string standby_id = first == id_a ? id_b : id_a;
  std::this_thread::sleep_for(2s);  // a few renewals: the standby must stay a standby
  CHECK(lease_holder(cluster) == first);
  CHECK(standby->output().find("became leader") == std::string::npos);

  // A standby is ready too (warm caches); its health endpoint answers.
  const auto health_port = std::stoi(wait_logged(*standby, "healthPort", 5s));
  test_http health("127.0.0.1", static_cast<unsigned short>(health_port));
  CHECK(health.request("GET", "/healthz").status == 200);
  CHECK(health.request("GET", "/readyz").status == 200);

  // SIGKILL: no release. The standby takes over once the lease expires (4 s) — bounded here
  // by lease duration + two retry periods + slack.
  leader->kill_now();
  CHECK(eventually([&] { return lease_holder(cluster) == standby_id; }, 9s));
  CHECK(standby->output().find("became leader") != std::string::npos);

  // SIGTERM: the new leader releases the lease and exits 0.
  CHECK(standby->stop(10s) == 0);
  CHECK(lease_holder(cluster).empty());
  CHECK(standby->output().find("released leadership") != std::string::npos);
}

TEST_CASE("the operator refuses bad flags and unusable configuration with clear messages", "[runtime][process]") {
  auto bad_flag = run_command({std::string(LANGOP_BINARY_DIR) + "/langop-operator", "--no-such-flag"}, 10s);
  CHECK(bad_flag.exit_code == 2);
  CHECK(bad_flag.err.find("unknown flag --no-such-flag") != std::string::npos);
  auto missing = run_command({std::string(LANGOP_BINARY_DIR) + "/langop-operator", "--kubeconfig=/nonexistent/kc"},
                             10s);
  CHECK(missing.exit_code == 1);
  CHECK(missing.err.find("/nonexistent/kc") != std::string::npos);
  auto help = run_command({std::string(LANGOP_BINARY_DIR) + "/langop-operator", "--help"}, 10s);
  CHECK(help.exit_code == 0);
  CHECK(help.out.find("--leader-elect") != std::string::npos);
}

TEST_CASE("the operator talks TLS with a bearer token and exits cleanly on SIGTERM", "[runtime][process][tls]") {
  local_cluster cluster({.tls = true, .token = "operator-t0ken"});
  background_process op(operator_args(cluster));
  REQUIRE_FALSE(wait_logged(op, "gitVersion", 10s).empty());
  CHECK(op.output().find("operator-t0ken") == std::string::npos);  // the token never reaches a log
  CHECK(op.stop(10s) == 0);
}
