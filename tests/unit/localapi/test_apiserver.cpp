// The REST semantics of the local API server, called in-process (no sockets).
#include "langop/localapi/apiserver.hpp"
#include "support/api_calls.hpp"

#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

using namespace langop;
using namespace langop::test;
using langop::localapi::apiserver;

namespace {

const std::string k_cm = "/api/v1/namespaces/default/configmaps";
const std::string k_widgets = "/apis/example.com/v1/namespaces/default/widgets";

std::string configmap(const std::string& name, const std::string& extra_meta = "") {
  return R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":")" + name + "\"" + extra_meta +
         R"(},"data":{"k":"v"}})";
}

std::string rv_of(const localapi::api_response& r) {
  return std::string(jsonu::get_string(json::value(body_of(r)), {"metadata", "resourceVersion"}));
}

void install_widgets(apiserver& api) {
  auto r = call(api, "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions",
                fixture_json("localapi/widgets-crd.yaml"));
  REQUIRE(r.status == 201);
}

std::string widget(const std::string& name, const std::string& spec) {
  return R"({"apiVersion":"example.com/v1","kind":"Widget","metadata":{"name":")" + name + R"("},"spec":)" + spec +
         "}";
}

}  // namespace

TEST_CASE("objects get identity, a global increasing resourceVersion and generation", "[apiserver]") {
  apiserver api;
  auto a = call(api, "POST", k_cm, configmap("a"));
  REQUIRE(a.status == 201);
  auto b = call(api, "POST", k_cm, configmap("b"));
  REQUIRE(b.status == 201);
  CHECK(std::stoull(rv_of(b)) > std::stoull(rv_of(a)));
  auto ma = body_of(a).at("metadata").as_object();
  CHECK(ma.at("uid").as_string().size() == 36);
  CHECK(ma.at("creationTimestamp").is_string());
  CHECK_FALSE(ma.contains("generation"));  // ConfigMaps do not track generation

  auto got = call(api, "GET", k_cm + "/a");
  CHECK(got.status == 200);
  CHECK(rv_of(got) == rv_of(a));
  CHECK(call(api, "POST", k_cm, configmap("a")).status == 409);
  CHECK(body_of(call(api, "POST", k_cm, configmap("a"))).at("reason") == "AlreadyExists");

  auto gen = call(api, "POST", k_cm, R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"generateName":"gen-"}})");
  REQUIRE(gen.status == 201);
  auto gen_name = std::string(body_of(gen).at("metadata").at("name").as_string());
  CHECK(gen_name.size() == 9);
  CHECK(gen_name.starts_with("gen-"));
}

TEST_CASE("updates: optimistic concurrency, no-op writes, immutable identity", "[apiserver]") {
  apiserver api;
  auto created = body_of(call(api, "POST", k_cm, configmap("c")));
  auto stale = created;
  created["data"].as_object()["k"] = "v2";
  auto updated = call(api, "PUT", k_cm + "/c", json::serialize(created));
  REQUIRE(updated.status == 200);
  stale["data"].as_object()["k"] = "v3";
  auto conflict = call(api, "PUT", k_cm + "/c", json::serialize(stale));
  CHECK(conflict.status == 409);
  CHECK(body_of(conflict).at("reason") == "Conflict");

  // The same content again changes nothing: same resourceVersion, counted as a no-op.
  auto current = body_of(updated);
  const auto writes_before = api.stats().writes;
  auto again = call(api, "PUT", k_cm + "/c", json::serialize(current));
  CHECK(again.status == 200);
  CHECK(rv_of(again) == rv_of(updated));
  CHECK(api.stats().writes == writes_before);
  CHECK(api.stats().noop_writes == 1);

  auto renamed = current;
  renamed["metadata"].as_object()["name"] = "other";
  CHECK(call(api, "PUT", k_cm + "/c", json::serialize(renamed)).status == 400);
  CHECK(call(api, "PUT", k_cm + "/missing", configmap("missing")).status == 404);
}

TEST_CASE("custom resources: schema defaults, pruning, validation and status subresource", "[apiserver][crd]") {
  apiserver api;
  install_widgets(api);
  auto crd = body_of(call(api, "GET", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com"));
  bool established = false;
  for (const auto& c : crd.at("status").at("conditions").as_array())
    if (c.at("type") == "Established" && c.at("status") == "True") established = true;
  CHECK(established);

  SECTION("defaults are applied and unknown fields pruned with a warning") {
    auto r = call(api, "POST", k_widgets, widget("w", R"({"name":"x","bogus":1})"));
    REQUIRE(r.status == 201);
    auto obj = body_of(r);
    CHECK(obj.at("spec").at("size").as_int64() == 3);
    CHECK_FALSE(obj.at("spec").as_object().contains("bogus"));
    CHECK(obj.at("metadata").at("generation").as_int64() == 1);
    bool warned = false;
    for (auto& [k, v] : r.headers)
      if (k == "Warning" && v.find("unknown field \"spec.bogus\"") != std::string::npos) warned = true;
    CHECK(warned);
  }
  SECTION("strict field validation rejects unknown fields") {
    auto r = call(api, "POST", k_widgets + "?fieldValidation=Strict", widget("w", R"({"name":"x","bogus":1})"));
    CHECK(r.status == 400);
    CHECK(body_of(r).at("message").as_string().find("unknown field \"spec.bogus\"") != std::string::npos);
  }
  SECTION("enum, minimum and required are enforced with field causes") {
    auto r = call(api, "POST", k_widgets, widget("w", R"({"color":"pink","size":0})"));
    REQUIRE(r.status == 422);
    auto st = body_of(r);
    CHECK(st.at("reason") == "Invalid");
    std::set<std::string> fields;
    for (const auto& c : st.at("details").at("causes").as_array()) fields.insert(std::string(c.at("field").as_string()));
    CHECK(fields.count("spec.color"));
    CHECK(fields.count("spec.size"));
    CHECK(fields.count("spec.name"));
    CHECK(st.at("message").as_string().starts_with("Widget.example.com \"w\" is invalid"));
  }
  SECTION("status is written only through /status; generation follows spec only") {
    auto created = body_of(call(api, "POST", k_widgets, widget("w", R"({"name":"x"})")));
    auto with_status = created;
    with_status["status"] = json::object{{"phase", "Ready"}};
    auto main = call(api, "PUT", k_widgets + "/w", json::serialize(with_status));
    REQUIRE(main.status == 200);
    CHECK_FALSE(body_of(main).contains("status"));
    auto st = call(api, "PUT", k_widgets + "/w/status", json::serialize(with_status));
    REQUIRE(st.status == 200);
    auto after = body_of(st);
    CHECK(after.at("status").at("phase") == "Ready");
    CHECK(after.at("metadata").at("generation").as_int64() == 1);
    after["spec"].as_object()["size"] = 7;
    auto spec = call(api, "PUT", k_widgets + "/w", json::serialize(after));
    REQUIRE(spec.status == 200);
    CHECK(body_of(spec).at("metadata").at("generation").as_int64() == 2);
    CHECK(body_of(spec).at("status").at("phase") == "Ready");
  }
  SECTION("custom resources need a resourceVersion on update") {
    auto created = body_of(call(api, "POST", k_widgets, widget("w", R"({"name":"x"})")));
    created["metadata"].as_object().erase("resourceVersion");
    CHECK(call(api, "PUT", k_widgets + "/w", json::serialize(created)).status == 422);
  }
  SECTION("strategic merge patch is refused for custom resources") {
    (void)call(api, "POST", k_widgets, widget("w", R"({"name":"x"})"));
    auto r = call(api, "PATCH", k_widgets + "/w", R"({"spec":{"size":5}})", "application/strategic-merge-patch+json");
    CHECK(r.status == 415);
    auto m = call(api, "PATCH", k_widgets + "/w", R"({"spec":{"size":5}})", "application/merge-patch+json");
    CHECK(m.status == 200);
    CHECK(body_of(m).at("spec").at("size").as_int64() == 5);
    auto j = call(api, "PATCH", k_widgets + "/w", R"([{"op":"add","path":"/spec/color","value":"blue"}])",
                  "application/json-patch+json");
    CHECK(j.status == 200);
    CHECK(body_of(j).at("spec").at("color") == "blue");
    auto bad = call(api, "PATCH", k_widgets + "/w", R"([{"op":"test","path":"/spec/color","value":"red"}])",
                    "application/json-patch+json");
    CHECK(bad.status == 422);
  }
}

TEST_CASE("server-side apply creates, is idempotent and reports conflicts", "[apiserver][ssa]") {
  apiserver api;
  install_widgets(api);
  const auto cfg = widget("w", R"({"name":"x","size":4})");
  auto first = call(api, "PATCH", k_widgets + "/w?fieldManager=alice", cfg, "application/apply-patch+yaml");
  REQUIRE(first.status == 201);
  auto again = call(api, "PATCH", k_widgets + "/w?fieldManager=alice", cfg, "application/apply-patch+yaml");
  REQUIRE(again.status == 200);
  CHECK(rv_of(again) == rv_of(first));

  auto clash = call(api, "PATCH", k_widgets + "/w?fieldManager=bob", widget("w", R"({"name":"x","size":9})"),
                    "application/apply-patch+yaml");
  CHECK(clash.status == 409);
  auto forced = call(api, "PATCH", k_widgets + "/w?fieldManager=bob&force=true",
                     widget("w", R"({"name":"x","size":9})"), "application/apply-patch+yaml");
  CHECK(forced.status == 200);
  CHECK(body_of(forced).at("spec").at("size").as_int64() == 9);
  CHECK(call(api, "PATCH", k_widgets + "/w", cfg, "application/apply-patch+yaml").status == 400);
}

TEST_CASE("built-in kinds: defaults, strategic merge, generation, service IPs", "[apiserver]") {
  apiserver api;
  const std::string deploy = R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"},
    "spec":{"selector":{"matchLabels":{"app":"d"}},"template":{"metadata":{"labels":{"app":"d"}},
    "spec":{"containers":[{"name":"main","image":"busybox:1.36","env":[{"name":"A","value":"1"}]}]}}}})";
  auto r = call(api, "POST", "/apis/apps/v1/namespaces/default/deployments", deploy);
  REQUIRE(r.status == 201);
  auto d = body_of(r);
  CHECK(d.at("spec").at("replicas").as_int64() == 1);
  CHECK(d.at("metadata").at("generation").as_int64() == 1);
  auto p = call(api, "PATCH", "/apis/apps/v1/namespaces/default/deployments/d",
                R"({"spec":{"template":{"spec":{"containers":[{"name":"main","env":[{"name":"B","value":"2"}]}]}}}})",
                "application/strategic-merge-patch+json");
  REQUIRE(p.status == 200);
  auto env = body_of(p).at("spec").at("template").at("spec").at("containers").at(0).at("env").as_array();
  CHECK(env.size() == 2);
  CHECK(body_of(p).at("metadata").at("generation").as_int64() == 2);

  auto svc = call(api, "POST", "/api/v1/namespaces/default/services",
                  R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},"spec":{"ports":[{"port":80}]}})");
  REQUIRE(svc.status == 201);
  auto s = body_of(svc);
  auto ip = std::string(s.at("spec").at("clusterIP").as_string());
  CHECK(ip.starts_with("10.96."));
  s["spec"].as_object().erase("clusterIP");
  s["spec"].as_object().erase("clusterIPs");
  auto upd = call(api, "PUT", "/api/v1/namespaces/default/services/s", json::serialize(s));
  REQUIRE(upd.status == 200);
  CHECK(body_of(upd).at("spec").at("clusterIP") == ip.c_str());
}

TEST_CASE("finalizers hold deletion until removed", "[apiserver][delete]") {
  apiserver api;
  auto c = call(api, "POST", k_cm, configmap("f", R"(,"finalizers":["example.com/hold"])"));
  REQUIRE(c.status == 201);
  auto d = call(api, "DELETE", k_cm + "/f");
  CHECK(d.status == 202);
  auto obj = body_of(call(api, "GET", k_cm + "/f"));
  CHECK(obj.at("metadata").as_object().contains("deletionTimestamp"));
  auto p = call(api, "PATCH", k_cm + "/f", R"({"metadata":{"finalizers":null}})", "application/merge-patch+json");
  CHECK(p.status == 200);
  CHECK(call(api, "GET", k_cm + "/f").status == 404);
}

TEST_CASE("garbage collection follows ownerReferences with every propagation policy", "[apiserver][gc]") {
  apiserver api;
  auto owner = body_of(call(api, "POST", k_cm, configmap("owner")));
  const std::string uid(owner.at("metadata").at("uid").as_string());
  auto owned = [&](const std::string& name, bool block) {
    return configmap(name, R"(,"ownerReferences":[{"apiVersion":"v1","kind":"ConfigMap","name":"owner","uid":")" +
                               uid + R"(","controller":true,"blockOwnerDeletion":)" + (block ? "true" : "false") +
                               "}]");
  };
  REQUIRE(call(api, "POST", k_cm, owned("child", true)).status == 201);

  SECTION("background deletes dependents after the owner") {
    CHECK(call(api, "DELETE", k_cm + "/owner").status == 200);
    CHECK(call(api, "GET", k_cm + "/child").status == 200);  // the GC runs after the request
    api.run_background_until_idle();
    CHECK(call(api, "GET", k_cm + "/child").status == 404);
  }
  SECTION("foreground keeps the owner until blocking dependents are gone") {
    REQUIRE(call(api, "PATCH", k_cm + "/child", R"({"metadata":{"finalizers":["example.com/hold"]}})",
                 "application/merge-patch+json").status == 200);
    CHECK(call(api, "DELETE", k_cm + "/owner?propagationPolicy=Foreground").status == 202);
    api.run_background_until_idle();
    CHECK(call(api, "GET", k_cm + "/owner").status == 200);
    CHECK(call(api, "PATCH", k_cm + "/child", R"({"metadata":{"finalizers":null}})", "application/merge-patch+json")
              .status == 200);
    api.run_background_until_idle();
    CHECK(call(api, "GET", k_cm + "/child").status == 404);
    CHECK(call(api, "GET", k_cm + "/owner").status == 404);
  }
  SECTION("orphan keeps dependents and drops their reference") {
    CHECK(call(api, "DELETE", k_cm + "/owner?propagationPolicy=Orphan").status == 202);
    api.run_background_until_idle();
    CHECK(call(api, "GET", k_cm + "/owner").status == 404);
    auto child = body_of(call(api, "GET", k_cm + "/child"));
    CHECK_FALSE(child.at("metadata").as_object().contains("ownerReferences"));
  }
}

TEST_CASE("deleting a namespace removes its content, then the namespace", "[apiserver][delete]") {
  apiserver api;
  REQUIRE(call(api, "POST", "/api/v1/namespaces", R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":"t"}})")
              .status == 201);
  REQUIRE(call(api, "POST", "/api/v1/namespaces/t/configmaps", configmap("x")).status == 201);
  CHECK(call(api, "DELETE", "/api/v1/namespaces/t").status == 200);
  auto ns = body_of(call(api, "GET", "/api/v1/namespaces/t"));
  CHECK(ns.at("status").at("phase") == "Terminating");
  auto refused = call(api, "POST", "/api/v1/namespaces/t/configmaps", configmap("y"));
  CHECK(refused.status == 403);
  api.run_background_until_idle();
  CHECK(call(api, "GET", "/api/v1/namespaces/t/configmaps/x").status == 404);
  CHECK(call(api, "GET", "/api/v1/namespaces/t").status == 404);
  CHECK(call(api, "POST", "/api/v1/namespaces/missing/configmaps", configmap("z")).status == 404);
}

TEST_CASE("lists page with limit/continue and filter by selectors", "[apiserver][list]") {
  apiserver api;
  for (int i = 0; i < 5; ++i)
    REQUIRE(call(api, "POST", k_cm,
                 configmap("cm" + std::to_string(i), R"(,"labels":{"tier":")" + std::string(i % 2 ? "a" : "b") + "\"}"))
                .status == 201);
  auto page1 = body_of(call(api, "GET", k_cm + "?limit=2"));
  CHECK(page1.at("items").as_array().size() == 2);
  CHECK(page1.at("metadata").at("remainingItemCount").as_int64() == 3);
  std::string token(page1.at("metadata").at("continue").as_string());
  auto page2 = body_of(call(api, "GET", k_cm + "?limit=2&continue=" + token));
  CHECK(page2.at("items").at(0).at("metadata").at("name") == "cm2");
  CHECK(page2.at("metadata").at("resourceVersion") == page1.at("metadata").at("resourceVersion"));
  auto set_based = body_of(call(api, "GET", k_cm + "?labelSelector=tier%20in%20(a)"));
  CHECK(set_based.at("items").as_array().size() == 2);
  auto by_label = body_of(call(api, "GET", k_cm + "?labelSelector=tier=a"));
  CHECK(by_label.at("items").as_array().size() == 2);
  auto by_field = body_of(call(api, "GET", k_cm + "?fieldSelector=metadata.name=cm3"));
  CHECK(by_field.at("items").as_array().size() == 1);
  CHECK(call(api, "GET", k_cm + "?labelSelector=tier%3D%3D%3Da").status == 400);

  api.compact_history();
  for (int i = 0; i < 1; ++i) REQUIRE(call(api, "POST", k_cm, configmap("later")).status == 201);
  api.compact_history();
  auto expired = call(api, "GET", k_cm + "?limit=2&continue=" + token);
  CHECK(expired.status == 410);
  CHECK(body_of(expired).at("reason") == "Expired");
}

TEST_CASE("bad requests get a proper Status", "[apiserver][errors]") {
  apiserver api;
  auto check = [&](const localapi::api_response& r, int code, const char* reason) {
    INFO(r.body);
    CHECK(r.status == code);
    auto st = body_of(r);
    CHECK(st.at("kind") == "Status");
    CHECK(st.at("reason") == reason);
    CHECK(st.at("code").as_int64() == code);
  };
  check(call(api, "POST", k_cm, "{not json"), 400, "BadRequest");
  check(call(api, "POST", k_cm, configmap("Bad_Name")), 422, "Invalid");
  check(call(api, "GET", "/apis/nope.example.com/v1/things"), 404, "NotFound");
  check(call(api, "POST", k_cm + "/x", configmap("x")), 405, "MethodNotAllowed");
  check(call(api, "POST", k_cm, configmap("x"), "text/plain"), 415, "UnsupportedMediaType");
  check(call(api, "POST", k_cm, std::string(4 * 1024 * 1024, ' ')), 413, "RequestEntityTooLarge");
  check(call(api, "GET", k_cm + "/nope"), 404, "NotFound");
  check(call(api, "POST", k_cm, R"({"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"}})"), 400, "BadRequest");
  // The server keeps serving.
  CHECK(call(api, "POST", k_cm, configmap("fine")).status == 201);
}

TEST_CASE("events.k8s.io/v1 shows core Events under their new field names", "[apiserver]") {
  apiserver api;
  auto r = call(api, "POST", "/api/v1/namespaces/default/events",
                R"({"apiVersion":"v1","kind":"Event","metadata":{"name":"e1"},"involvedObject":{"kind":"ConfigMap","name":"x"},
                    "reason":"Created","message":"hello","type":"Normal"})");
  REQUIRE(r.status == 201);
  auto ev = body_of(call(api, "GET", "/apis/events.k8s.io/v1/namespaces/default/events/e1"));
  CHECK(ev.at("apiVersion") == "events.k8s.io/v1");
  CHECK(ev.at("note") == "hello");
  CHECK(ev.at("regarding").at("name") == "x");
}

TEST_CASE("dependents created for an owner that no longer exists are collected", "[apiserver][gc]") {
  apiserver api;
  auto r = call(api, "POST", "/api/v1/namespaces/default/configmaps",
                R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"late","ownerReferences":[
                   {"apiVersion":"v1","kind":"ConfigMap","name":"gone","uid":"00000000-0000-4000-8000-000000000000"}]}})");
  REQUIRE(r.status == 201);
  api.run_background_until_idle();
  CHECK(call(api, "GET", "/api/v1/namespaces/default/configmaps/late").status == 404);
}
