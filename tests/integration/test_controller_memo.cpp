// The agent controller skips building its children when nothing it reads changed since
// its last successful pass (shared::agent_children_memo). These are the changes that
// must still get through once the demo has converged: children edited or deleted by
// someone else, a Secret the pods read, a persona up the parentRef chain.
#include "support/controller_fixture.hpp"
#include "support/kubectl.hpp"

#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

#include <string>

using namespace langop;
using namespace langop::test;
using namespace std::chrono_literals;

namespace {

const std::string k_deployment = "/apis/apps/v1/namespaces/demo/deployments/researcher";
const std::string k_config = "/api/v1/namespaces/demo/configmaps/researcher-config";

std::string config_hash(local_cluster& c) {
  return std::string(jsonu::get_string(
      get(c, k_deployment), {"spec", "template", "metadata", "annotations", "langop.io/config-hash"}));
}

std::string config_data(local_cluster& c) { return json::serialize(get(c, k_config)); }

}  // namespace

TEST_CASE("controllers: a converged agent still sees edits of its children, its Secrets and its persona chain",
          "[controllers]") {
  local_cluster c(simulated());
  install_crds(c);
  running_operator op(c);
  REQUIRE(op.side.start());
  kubectl_ok(c, {"apply", "-f", source_path("samples/demo/00-cluster.yaml")});
  REQUIRE(op.side.run_until([&] { return phase(c, "languageclusters", "", "demo") == "Ready"; }, 20s));
  kubectl_ok(c, {"apply", "-k", source_path("samples/demo")});
  REQUIRE(op.side.run_until([&] { return phase(c, "languageagents", "demo", "researcher") == "Running"; }, 60s));
  op.side.run_for(1000ms);  // settle: the memo holds the converged state
  const auto replicas = jsonu::get_int(get(c, k_deployment), {"spec", "replicas"});
  REQUIRE(replicas);

  SECTION("a Deployment edited by someone else is put back") {
    kubectl_ok(c, {"patch", "deployment", "researcher", "-n", "demo", "--type=merge", "-p",
                   R"({"spec":{"replicas":7}})"});
    CHECK(op.side.run_until(
        [&] { return jsonu::get_int(get(c, k_deployment), {"spec", "replicas"}) == replicas; }, 10s));
  }
  SECTION("a label or annotation of the Deployment changed by someone else is put back") {
    kubectl_ok(c, {"patch", "deployment", "researcher", "-n", "demo", "--type=merge", "-p",
                   R"({"metadata":{"labels":{"app.kubernetes.io/instance":"other"},"annotations":{"langop.io/applied-hash":"x"}}})"});
    CHECK(op.side.run_until(
        [&] {
          const auto d = get(c, k_deployment);
          return jsonu::get_string(d, {"metadata", "labels", "app.kubernetes.io/instance"}) == "researcher" &&
                 jsonu::get_string(d, {"metadata", "annotations", "langop.io/applied-hash"}) != "x";
        },
        10s));
  }
  SECTION("a deleted ConfigMap is created again") {
    kubectl_ok(c, {"delete", "configmap", "researcher-config", "-n", "demo"});
    CHECK(op.side.run_until([&] { return get(c, k_config).as_object().contains("data"); }, 10s));
  }
  SECTION("a Secret the pods read rolls them when it changes") {
    kubectl_ok(c, {"create", "secret", "generic", "extra", "-n", "demo", "--from-literal=token=one"});
    kubectl_ok(c, {"patch", "lagent", "researcher", "-n", "demo", "--type=merge", "-p",
                   R"({"spec":{"env":[{"name":"EXTRA","valueFrom":{"secretKeyRef":{"name":"extra","key":"token"}}}]}})"});
    const auto before = config_hash(c);
    REQUIRE(op.side.run_until([&] { return config_hash(c) != before; }, 10s));
    op.side.run_for(500ms);
    const auto with_secret = config_hash(c);
    kubectl_ok(c, {"patch", "secret", "extra", "-n", "demo", "--type=merge", "-p", R"({"stringData":{"token":"two"}})"});
    CHECK(op.side.run_until([&] { return config_hash(c) != with_secret; }, 10s));
  }
  SECTION("a change of the parent persona reaches the agent's config") {
    REQUIRE(contains(config_data(c), R"(\"language\":\"en\")"));
    kubectl_ok(c, {"patch", "lpersona", "helpful-assistant", "-n", "demo", "--type=merge", "-p",
                   R"({"spec":{"language":"fr"}})"});
    CHECK(op.side.run_until([&] { return contains(config_data(c), R"(\"language\":\"fr\")"); }, 10s));
  }
  // Whatever changed, the operator settles again and then writes nothing.
  op.side.run_for(1500ms);
  const auto settled = writes(c);
  op.side.run_for(1500ms);
  CHECK(writes(c) == settled);
}
