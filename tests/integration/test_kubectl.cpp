// kubectl, the independent client, against langop-localapi: if kubectl is happy, the
// server behaves like kube-apiserver where it matters.
#include "support/kubectl.hpp"

#include "langop/core/json.hpp"

#include <catch2/catch.hpp>

#include <thread>

using namespace langop;
using namespace langop::test;
using namespace std::chrono_literals;

namespace {

// Runs kubectl and requires success, showing its output on failure.
std::string ok(const local_cluster& c, std::vector<std::string> args, const std::string& in = {}) {
  auto r = kubectl(c, args, in);
  INFO("kubectl " << [&] { std::string s; for (auto& a : args) s += a + " "; return s; }());
  INFO("stdout: " << r.out);
  INFO("stderr: " << r.err);
  REQUIRE_FALSE(r.timed_out);
  REQUIRE(r.exit_code == 0);
  return r.out;
}

json::value ok_json(const local_cluster& c, std::vector<std::string> args) {
  auto text = ok(c, std::move(args));
  auto v = jsonu::parse(text);
  REQUIRE(v);
  return *v;
}

void install_widgets(const local_cluster& c) {
  ok(c, {"apply", "-f", fixture_path("localapi/widgets-crd.yaml")});
  ok(c, {"wait", "--for=condition=established", "crd/widgets.example.com", "--timeout=20s"});
}

}  // namespace

TEST_CASE("kubectl: namespaces, config maps, api-resources, version", "[kubectl]") {
  local_cluster c;
  ok(c, {"create", "namespace", "demo"});
  auto ns = ok_json(c, {"get", "namespace", "demo", "-o", "json"});
  CHECK(jsonu::get_string(ns, {"status", "phase"}) == "Active");
  ok(c, {"-n", "demo", "create", "configmap", "settings", "--from-literal=mode=fast"});
  auto table = ok(c, {"-n", "demo", "get", "cm"});
  CHECK(table.find("settings") != std::string::npos);
  CHECK(table.find("DATA") != std::string::npos);
  auto resources = ok(c, {"api-resources"});
  CHECK(resources.find("deployments") != std::string::npos);
  CHECK(resources.find("customresourcedefinitions") != std::string::npos);
  ok(c, {"version"});
}

TEST_CASE("kubectl: CRDs, client-side and server-side apply, printer columns, categories", "[kubectl]") {
  local_cluster c;
  install_widgets(c);
  auto applied = ok(c, {"apply", "-f", fixture_path("localapi/widget.yaml")});
  CHECK(applied.find("widget.example.com/first created") != std::string::npos);
  auto again = ok(c, {"apply", "-f", fixture_path("localapi/widget.yaml")});
  CHECK(again.find("unchanged") != std::string::npos);
  auto obj = ok_json(c, {"get", "widget", "first", "-o", "json"});
  CHECK(jsonu::get_int(obj, {"spec", "size"}) == 3);  // schema default

  const std::string second = R"(apiVersion: example.com/v1
kind: Widget
metadata:
  name: second
spec:
  name: Second
  size: 8
)";
  auto ssa = ok(c, {"apply", "--server-side", "-f", "-"}, second);
  CHECK(ssa.find("serverside-applied") != std::string::npos);
  auto ssa_again = ok(c, {"apply", "--server-side", "-f", "-"}, second);
  CHECK(ssa_again.find("serverside-applied") != std::string::npos);

  auto columns = ok(c, {"get", "wd"});
  CHECK(columns.find("SIZE") != std::string::npos);
  CHECK(columns.find("PHASE") != std::string::npos);
  CHECK(columns.find("second") != std::string::npos);
  auto by_category = ok(c, {"get", "examples"});
  CHECK(by_category.find("first") != std::string::npos);

  auto bad = kubectl(c, {"apply", "-f", "-"}, "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: bad\nspec:\n  color: pink\n");
  CHECK(bad.exit_code != 0);
  CHECK(bad.err.find("spec.color") != std::string::npos);
  auto unknown = kubectl(c, {"apply", "-f", "-"},
                         "apiVersion: example.com/v1\nkind: Widget\nmetadata:\n  name: typo\nspec:\n  name: x\n  sise: 2\n");
  CHECK(unknown.exit_code != 0);
  CHECK(unknown.err.find("unknown field \"spec.sise\"") != std::string::npos);
}

TEST_CASE("kubectl: patch merge/json/status, wait for a condition, explain", "[kubectl]") {
  local_cluster c;
  install_widgets(c);
  ok(c, {"apply", "-f", fixture_path("localapi/widget.yaml")});
  ok(c, {"patch", "widget", "first", "--type=merge", "-p", R"({"spec":{"size":5}})"});
  ok(c, {"patch", "widget", "first", "--type=json", "-p", R"([{"op":"add","path":"/spec/tags","value":["x"]}])"});
  auto obj = ok_json(c, {"get", "widget", "first", "-o", "json"});
  CHECK(jsonu::get_int(obj, {"spec", "size"}) == 5);
  CHECK(jsonu::find(obj, {"spec", "tags"})->as_array().size() == 1);

  ok(c, {"patch", "widget", "first", "--subresource=status", "--type=merge", "-p",
         R"({"status":{"phase":"Ready","conditions":[{"type":"Ready","status":"True","reason":"Done","message":"ok","lastTransitionTime":"2024-01-01T00:00:00Z"}]}})"});
  ok(c, {"wait", "--for=condition=Ready", "widget/first", "--timeout=20s"});
  ok(c, {"wait", "--for=jsonpath={.status.phase}=Ready", "widget/first", "--timeout=20s"});
  auto explained = ok(c, {"explain", "widgets.spec"});
  CHECK(explained.find("What the widget should be") != std::string::npos);
  CHECK(explained.find("size") != std::string::npos);
}

TEST_CASE("kubectl: delete waits on finalizers, watch sees changes", "[kubectl]") {
  local_cluster c;
  install_widgets(c);
  ok(c, {"apply", "-f", fixture_path("localapi/widget.yaml")});
  ok(c, {"patch", "widget", "first", "--type=merge", "-p", R"({"metadata":{"finalizers":["example.com/hold"]}})"});
  ok(c, {"delete", "widget", "first", "--wait=false"});
  auto obj = ok_json(c, {"get", "widget", "first", "-o", "json"});
  CHECK_FALSE(jsonu::get_string(obj, {"metadata", "deletionTimestamp"}).empty());

  background_process watcher({"kubectl", "get", "widgets", "--watch", "--output-watch-events", "--request-timeout=30s"},
                             kubectl_env(c));
  std::this_thread::sleep_for(1500ms);
  ok(c, {"patch", "widget", "first", "--type=merge", "-p", R"({"metadata":{"finalizers":null}})"});
  auto gone = kubectl(c, {"get", "widget", "first"});
  CHECK(gone.exit_code != 0);
  CHECK(gone.err.find("NotFound") != std::string::npos);
  std::string seen;
  for (int i = 0; i < 50 && seen.find("DELETED") == std::string::npos; ++i) {
    std::this_thread::sleep_for(100ms);
    seen = watcher.output();
  }
  watcher.stop();
  CHECK(seen.find("DELETED") != std::string::npos);
}

TEST_CASE("kubectl: Deployments through client-side apply use strategic merge patches", "[kubectl]") {
  local_cluster c;
  const std::string v1 = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  selector:
    matchLabels: {app: web}
  template:
    metadata:
      labels: {app: web}
    spec:
      containers:
      - name: main
        image: nginx:1.25
        env:
        - {name: A, value: "1"}
        - {name: B, value: "2"}
)";
  ok(c, {"apply", "-f", "-"}, v1);
  std::string v2 = v1;
  v2.replace(v2.find("        - {name: B, value: \"2\"}\n"), 32, "        - {name: C, value: \"3\"}\n");
  v2.replace(v2.find("nginx:1.25"), 10, "nginx:1.26");
  ok(c, {"apply", "-f", "-"}, v2);
  auto d = ok_json(c, {"get", "deploy", "web", "-o", "json"});
  const auto& container = jsonu::find(d, {"spec", "template", "spec", "containers"})->as_array().at(0);
  CHECK(jsonu::get_string(container, {"image"}) == "nginx:1.26");
  std::vector<std::string> names;
  for (const auto& e : container.at("env").as_array()) names.emplace_back(e.at("name").as_string());
  CHECK(names == std::vector<std::string>{"A", "C"});
  CHECK(jsonu::get_int(d, {"metadata", "generation"}) == 2);
  ok(c, {"scale", "deploy", "web", "--replicas=3"});
  CHECK(jsonu::get_int(ok_json(c, {"get", "deploy", "web", "-o", "json"}), {"spec", "replicas"}) == 3);
}

TEST_CASE("kubectl over TLS with a bearer token, a wrong token is refused", "[kubectl][tls]") {
  local_cluster c({.tls = true, .token = "t0ken"});
  ok(c, {"get", "namespaces"});
  auto r = kubectl(c, {"--token=wrong", "get", "namespaces"});
  CHECK(r.exit_code != 0);
  CHECK(r.err.find("Unauthorized") != std::string::npos);
}
