// The controllers end to end: langop-localapi (in process, workloads simulated), the
// CRDs and the demo samples applied with kubectl, the operator's controllers on the test
// thread and a scripted DNS server for egress names. Checks convergence, the children and
// their wiring, zero writes once converged and across a restart, references that appear
// late, and bad input reported in status.
#include "support/api_calls.hpp"
#include "support/dns_server.hpp"
#include "support/kubectl.hpp"
#include "support/operator_side.hpp"

#include "langop/controllers/controllers.hpp"
#include "langop/core/json.hpp"

#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

#include <memory>
#include <string>
#include <vector>

using namespace langop;
using namespace langop::test;
using namespace std::chrono_literals;

namespace {

std::string source_path(const std::string& relative) { return std::string(LANGOP_SOURCE_DIR) + "/" + relative; }

void kubectl_ok(const local_cluster& c, const std::vector<std::string>& args, const std::string& in = {}) {
  auto r = kubectl(c, args, in);
  INFO("kubectl stdout: " << r.out << "\nstderr: " << r.err);
  REQUIRE_FALSE(r.timed_out);
  REQUIRE(r.exit_code == 0);
}

json::value get(local_cluster& c, const std::string& path) {
  return c.run([&](localapi::apiserver& api, localapi::server&) { return json::value(body_of(call(api, "GET", path))); });
}

json::value get_langop(local_cluster& c, const std::string& plural, const std::string& ns, const std::string& name) {
  return get(c, "/apis/langop.io/v1alpha1/" + (ns.empty() ? "" : "namespaces/" + ns + "/") + plural + "/" + name);
}

std::string phase(local_cluster& c, const std::string& plural, const std::string& ns, const std::string& name) {
  return std::string(jsonu::get_string(get_langop(c, plural, ns, name), {"status", "phase"}));
}

std::uint64_t writes(local_cluster& c) {
  return c.run([](localapi::apiserver& api, localapi::server&) { return api.stats().writes; });
}

runtime::manager_options quiet_manager() {
  runtime::manager_options m;
  m.metrics_bind_address = "0";
  m.health_bind_address = "0";
  return m;
}

// One operator process, in the test: manager + controllers, egress DNS from `dns`.
struct running_operator {
  explicit running_operator(local_cluster& c) : side(c, quiet_manager()), dns(side.ioc) {
    dns.set("export.arxiv.org", {{"192.0.2.10", 60}});
    dns.set("api.github.com", {{"192.0.2.20", 60}}, {{"2001:db8::20", 60}});
    controllers::controllers_options o;
    o.dns_servers = {dns.address()};
    o.dns_timeout = std::chrono::seconds(2);
    reconcilers = std::make_unique<controllers::operator_controllers>(
        side.ioc.get_executor(), *side.manager, o, log::logger(log::level::error, log::format::text));
  }
  operator_side side;
  dns_server dns;
  std::unique_ptr<controllers::operator_controllers> reconcilers;
};

struct expected_phase {
  std::string plural, ns, name, phase;
};
const std::vector<expected_phase> k_demo_ready = {
    {"languageclusters", "", "demo", "Ready"},          {"languagemodels", "demo", "gpt-4o", "Ready"},
    {"languagetools", "demo", "web-search", "Running"}, {"languagetools", "demo", "workspace-files", "Running"},
    {"languagepersonas", "demo", "analyst", "Ready"},   {"languageagents", "demo", "researcher", "Running"},
    {"languageagents", "demo", "news-digest", "Running"}};

bool demo_ready(local_cluster& c) {
  for (const auto& e : k_demo_ready)
    if (phase(c, e.plural, e.ns, e.name) != e.phase) return false;
  return true;
}

void show_phases(local_cluster& c) {
  for (const auto& e : k_demo_ready) {
    auto o = get_langop(c, e.plural, e.ns, e.name);
    WARN(e.plural << "/" << e.name << ": " << jsonu::get_string(o, {"status", "phase"}) << " - "
                  << jsonu::get_string(o, {"status", "message"}));
  }
}

bool contains(const std::string& text, const std::string& part) { return text.find(part) != std::string::npos; }

local_cluster_options simulated() {
  local_cluster_options o;
  o.simulate_workloads = true;
  return o;
}

void install_crds(local_cluster& c) {
  kubectl_ok(c, {"apply", "-f", source_path("crds")});
  kubectl_ok(c, {"wait", "--for=condition=established", "--timeout=30s", "crd/languageagents.langop.io",
                 "crd/languageclusters.langop.io", "crd/languagemodels.langop.io", "crd/languagetools.langop.io",
                 "crd/languagepersonas.langop.io", "crd/languageclients.langop.io"});
}

}  // namespace

TEST_CASE("controllers: the demo converges with wired children, then writes nothing, also after a restart",
          "[controllers]") {
  local_cluster c(simulated());
  install_crds(c);
  std::uint64_t converged_writes = 0;
  {
    running_operator op(c);
    REQUIRE(op.side.start());
    kubectl_ok(c, {"apply", "-f", source_path("samples/demo/00-cluster.yaml")});
    REQUIRE(op.side.run_until([&] { return phase(c, "languageclusters", "", "demo") == "Ready"; }, 20s));
    CHECK(jsonu::get_string(get(c, "/api/v1/namespaces/demo"), {"metadata", "labels", "langop.io/cluster"}) == "demo");

    kubectl_ok(c, {"apply", "-k", source_path("samples/demo")});
    const bool converged = op.side.run_until([&] { return demo_ready(c); }, 60s);
    if (!converged) show_phases(c);
    REQUIRE(converged);

    const auto dep = json::serialize(get(c, "/apis/apps/v1/namespaces/demo/deployments/researcher"));
    CHECK(contains(dep, "\"ownerReferences\""));
    CHECK(contains(dep, "MODEL_ENDPOINTS"));
    CHECK(contains(dep, "http://gpt-4o.demo.svc.cluster.local:8000"));
    CHECK(contains(dep, "langop.io/config-hash"));
    CHECK(contains(dep, "git.theryans.io/langop/doc-tool:latest"));  // the sidecar tool
    CHECK(jsonu::get_string(get(c, "/apis/batch/v1/namespaces/demo/cronjobs/news-digest"), {"spec", "schedule"}) ==
          "0 7 * * 1-5");
    CHECK(jsonu::get_string(get(c, "/api/v1/namespaces/demo/persistentvolumeclaims/researcher-workspace"),
                            {"spec", "resources", "requests", "storage"}) == "10Gi");
    const auto np = json::serialize(get(c, "/apis/networking.k8s.io/v1/namespaces/demo/networkpolicies/researcher-egress"));
    CHECK(contains(np, "192.0.2.10/32"));
    CHECK(contains(np, "2001:db8::20/128"));
    CHECK(contains(np, "10.20.0.0/16"));
    CHECK(contains(json::serialize(get(c, "/api/v1/namespaces/demo/configmaps/gpt-4o-model")), "os.environ/"));
    CHECK(contains(json::serialize(get(c, "/apis/apps/v1/namespaces/demo/deployments/gpt-4o-proxy")), "secretKeyRef"));
    CHECK(jsonu::get_int(get_langop(c, "languageagents", "demo", "researcher"), {"status", "readyReplicas"})
              .value_or(0) == 1);
    CHECK(contains(json::serialize(get(c, "/api/v1/namespaces/demo/events")), "Created"));

    // Converged: nothing changes, so nothing is written.
    op.side.run_for(1500ms);
    converged_writes = writes(c);
    op.side.run_for(2000ms);
    CHECK(writes(c) == converged_writes);
  }
  // A new operator (empty caches, new event recorder) finds everything in place.
  converged_writes = writes(c);
  {
    running_operator op(c);
    REQUIRE(op.side.start());
    op.side.run_for(3000ms);
    CHECK(writes(c) == converged_writes);
    CHECK(demo_ready(c));
  }
}

TEST_CASE("controllers: missing references wait, appear later, and bad input is reported", "[controllers]") {
  local_cluster c(simulated());
  install_crds(c);
  running_operator op(c);
  REQUIRE(op.side.start());
  kubectl_ok(c, {"create", "namespace", "team"});
  kubectl_ok(c, {"apply", "-f", "-"}, R"(
apiVersion: langop.io/v1alpha1
kind: LanguageAgent
metadata: {name: waiting, namespace: team}
spec:
  instructions: Say hello.
  modelRefs: [{name: late-model}]
---
apiVersion: langop.io/v1alpha1
kind: LanguagePersona
metadata: {name: a, namespace: team}
spec: {systemPrompt: A, parentRef: {name: b}}
---
apiVersion: langop.io/v1alpha1
kind: LanguagePersona
metadata: {name: b, namespace: team}
spec: {systemPrompt: B, parentRef: {name: a}}
)");
  REQUIRE(op.side.run_until([&] { return phase(c, "languageagents", "team", "waiting") == "Pending"; }, 20s));
  CHECK(contains(std::string(jsonu::get_string(get_langop(c, "languageagents", "team", "waiting"),
                                               {"status", "message"})),
                 "late-model"));
  REQUIRE(op.side.run_until([&] { return phase(c, "languagepersonas", "team", "a") == "Error"; }, 20s));
  CHECK(contains(std::string(jsonu::get_string(get_langop(c, "languagepersonas", "team", "a"), {"status", "message"})),
                 "cycle"));

  // The model and its Secret appear: the agent runs, without any timer-driven retry.
  kubectl_ok(c, {"apply", "-f", "-"}, R"(
apiVersion: v1
kind: Secret
metadata: {name: key, namespace: team}
stringData: {api-key: sk-test-not-a-real-key}
---
apiVersion: langop.io/v1alpha1
kind: LanguageModel
metadata: {name: late-model, namespace: team}
spec: {provider: openai, model: gpt-4o-mini, apiKeySecretRef: {name: key}}
)");
  REQUIRE(op.side.run_until([&] { return phase(c, "languageagents", "team", "waiting") == "Running"; }, 30s));

  // The key never leaves the Secret.
  for (const auto& path : {"/api/v1/namespaces/team/configmaps", "/apis/apps/v1/namespaces/team/deployments",
                           "/api/v1/namespaces/team/events", "/apis/langop.io/v1alpha1/namespaces/team/languagemodels"})
    CHECK_FALSE(contains(json::serialize(get(c, path)), "sk-test-not-a-real-key"));
}
