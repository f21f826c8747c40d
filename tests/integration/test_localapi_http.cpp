// The local API server over real sockets: auth, chunked watches with bookmarks and
// timeouts, fault injection, oversized and malformed bodies, a simulated restart.
#include "support/local_cluster.hpp"
#include "support/test_http.hpp"

#include "langop/core/json.hpp"

#include <catch2/catch.hpp>

#include <thread>

using namespace langop;
using namespace langop::test;
using namespace std::chrono_literals;

namespace {
const std::string k_cm = "/api/v1/namespaces/default/configmaps";
std::string configmap(const std::string& name) {
  return R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":")" + name + R"("},"data":{"a":"b"}})";
}
}  // namespace

TEST_CASE("a bearer token is required except for health checks", "[localapi][http]") {
  local_cluster cluster({.token = "s3cret"});
  test_http anonymous("127.0.0.1", cluster.port());
  auto denied = anonymous.request("GET", k_cm);
  CHECK(denied.status == 401);
  CHECK(denied.body.find("\"reason\":\"Unauthorized\"") != std::string::npos);
  CHECK(anonymous.request("GET", "/healthz").status == 200);
  CHECK(anonymous.request("GET", "/version").status == 200);
  test_http wrong("127.0.0.1", cluster.port(), "s3creT");
  CHECK(wrong.request("GET", k_cm).status == 401);
  test_http right("127.0.0.1", cluster.port(), "s3cret");
  CHECK(right.request("GET", k_cm).status == 200);
}

TEST_CASE("watches stream chunked JSON lines with bookmarks and end at timeoutSeconds", "[localapi][http][watch]") {
  local_cluster cluster({.bookmark_interval = 1s});
  test_http client("127.0.0.1", cluster.port());
  auto w = client.open_stream(k_cm + "?watch=true&allowWatchBookmarks=true&timeoutSeconds=3");
  REQUIRE(w->status() == 200);
  REQUIRE(client.request("POST", k_cm, configmap("a")).status == 201);
  auto line = w->next_line(5s);
  REQUIRE(line);
  CHECK(line->find("\"type\":\"ADDED\"") != std::string::npos);
  bool bookmark = false;
  for (int i = 0; i < 5 && !bookmark; ++i) {
    auto l = w->next_line(3s);
    if (!l) break;
    bookmark = l->find("\"type\":\"BOOKMARK\"") != std::string::npos;
  }
  CHECK(bookmark);
  // timeoutSeconds=3: the server ends the stream normally.
  while (w->next_line(5s)) {
  }
  CHECK(w->ended());
}

TEST_CASE("admin fault injection: 429 with Retry-After, 500, dropped watches", "[localapi][http][faults]") {
  local_cluster cluster;
  test_http client("127.0.0.1", cluster.port());
  REQUIRE(client.request("PUT", "/admin/faults", R"({"throttleRate":1,"retryAfterSeconds":2})").status == 200);
  auto throttled = client.request("GET", k_cm);
  CHECK(throttled.status == 429);
  CHECK(throttled.header("Retry-After") == "2");
  REQUIRE(client.request("PUT", "/admin/faults", R"({"throttleRate":0,"errorRate":1})").status == 200);
  CHECK(client.request("GET", k_cm).status == 500);
  REQUIRE(client.request("PUT", "/admin/faults", R"({"errorRate":0})").status == 200);
  CHECK(client.request("GET", k_cm).status == 200);
  CHECK(client.request("PUT", "/admin/faults", R"({"errorRate":2})").status == 400);

  auto w = client.open_stream(k_cm + "?watch=true");
  REQUIRE(w->status() == 200);
  REQUIRE(client.request("POST", "/admin/watches/drop").status == 200);
  CHECK_FALSE(w->next_line(3s));
  CHECK(w->ended());

  REQUIRE(client.request("POST", "/admin/watches/fail?count=1").status == 200);
  auto failed = client.open_stream(k_cm + "?watch=true&resourceVersion=1");
  auto err = failed->next_line(3s);
  REQUIRE(err);
  CHECK(err->find("\"code\":410") != std::string::npos);
}

TEST_CASE("oversized and malformed bodies get a Status and the server keeps serving", "[localapi][http][errors]") {
  local_cluster cluster;
  test_http client("127.0.0.1", cluster.port());
  auto big = client.request("POST", k_cm, std::string(3 * 1024 * 1024 + 10, 'x'));
  CHECK(big.status == 413);
  CHECK(big.body.find("RequestEntityTooLarge") != std::string::npos);
  auto bad = client.request("POST", k_cm, "{\"apiVersion\":");
  CHECK(bad.status == 400);
  CHECK(client.request("POST", k_cm, configmap("ok")).status == 201);
  auto stats = jsonu::parse(client.request("GET", "/admin/stats").body);
  REQUIRE(stats);
  CHECK(jsonu::get_int(*stats, {"requests", "create"}).value_or(0) >= 2);
}

TEST_CASE("a simulated restart refuses connections, then serves the same data", "[localapi][http]") {
  local_cluster cluster;
  test_http client("127.0.0.1", cluster.port());
  REQUIRE(client.request("POST", k_cm, configmap("kept")).status == 201);
  REQUIRE(client.request("POST", "/admin/restart?downMs=500").status == 200);
  std::this_thread::sleep_for(150ms);
  CHECK(client.request("GET", k_cm + "/kept", "", "application/json", 1s).status == 0);
  int status = 0;
  for (int i = 0; i < 50 && status != 200; ++i) {
    std::this_thread::sleep_for(100ms);
    status = client.request("GET", k_cm + "/kept", "", "application/json", 1s).status;
  }
  CHECK(status == 200);
}

TEST_CASE("workload simulation makes Deployments ready, PVCs bound and CronJobs run Jobs", "[localapi][http][simulation]") {
  local_cluster cluster({.simulate_workloads = true, .ready_delay = 10ms});
  test_http client("127.0.0.1", cluster.port());
  REQUIRE(client.request("POST", "/apis/apps/v1/namespaces/default/deployments",
                         R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},"spec":{"replicas":2,
                            "selector":{"matchLabels":{"a":"b"}},"template":{"metadata":{"labels":{"a":"b"}},
                            "spec":{"containers":[{"name":"c","image":"busybox"}]}}}})")
              .status == 201);
  REQUIRE(client.request("POST", "/api/v1/namespaces/default/persistentvolumeclaims",
                         R"({"apiVersion":"v1","kind":"PersistentVolumeClaim","metadata":{"name":"p"},
                            "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}})")
              .status == 201);
  REQUIRE(client.request("POST", "/apis/batch/v1/namespaces/default/cronjobs",
                         R"({"apiVersion":"batch/v1","kind":"CronJob","metadata":{"name":"cj"},"spec":{"schedule":"*/5 * * * *",
                            "jobTemplate":{"spec":{"template":{"spec":{"restartPolicy":"Never",
                            "containers":[{"name":"c","image":"busybox"}]}}}}}})")
              .status == 201);
  std::int64_t ready = 0;
  std::string phase;
  for (int i = 0; i < 100 && (ready != 2 || phase != "Bound"); ++i) {
    std::this_thread::sleep_for(20ms);
    auto d = jsonu::parse(client.request("GET", "/apis/apps/v1/namespaces/default/deployments/d").body);
    auto p = jsonu::parse(client.request("GET", "/api/v1/namespaces/default/persistentvolumeclaims/p").body);
    ready = jsonu::get_int(*d, {"status", "readyReplicas"}).value_or(0);
    phase = std::string(jsonu::get_string(*p, {"status", "phase"}));
  }
  CHECK(ready == 2);
  CHECK(phase == "Bound");
  auto run = client.request("POST", "/admin/cronjobs/default/cj/run?outcome=succeeded");
  REQUIRE(run.status == 201);
  std::string last_success;
  for (int i = 0; i < 100 && last_success.empty(); ++i) {
    std::this_thread::sleep_for(20ms);
    auto cj = jsonu::parse(client.request("GET", "/apis/batch/v1/namespaces/default/cronjobs/cj").body);
    last_success = std::string(jsonu::get_string(*cj, {"status", "lastSuccessfulTime"}));
  }
  CHECK_FALSE(last_success.empty());
}
