// Watch semantics of the local API server, in-process: initial state, resume,
// selector transitions, bookmarks, 410 past the history, fault injection.
#include "langop/localapi/apiserver.hpp"
#include "support/api_calls.hpp"

#include <catch2/catch.hpp>

using namespace langop;
using namespace langop::test;
using langop::localapi::apiserver;

namespace {

const std::string k_cm = "/api/v1/namespaces/default/configmaps";

std::string configmap(const std::string& name, const std::string& labels = "{}") {
  return R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":")" + name + R"(","labels":)" + labels + "}}";
}

// Parsed watch events pending on a session: (type, name, rv).
struct event {
  std::string type, name, rv;
};
std::vector<event> drain(localapi::watch_session& s) {
  std::vector<event> out;
  auto text = s.take_pending();
  std::size_t pos = 0;
  while (pos < text.size()) {
    auto nl = text.find('\n', pos);
    auto v = jsonu::parse(text.substr(pos, nl - pos));
    pos = nl + 1;
    REQUIRE(v);
    out.push_back({std::string(jsonu::get_string(*v, {"type"})),
                   std::string(jsonu::get_string(*v, {"object", "metadata", "name"})),
                   std::string(jsonu::get_string(*v, {"object", "metadata", "resourceVersion"}))});
  }
  return out;
}

std::string rv_of(const localapi::api_response& r) {
  return std::string(jsonu::get_string(json::value(body_of(r)), {"metadata", "resourceVersion"}));
}

}  // namespace

TEST_CASE("watch from 0 sends current objects, then live changes", "[watch]") {
  apiserver api;
  REQUIRE(call(api, "POST", k_cm, configmap("a")).status == 201);
  auto w = call(api, "GET", k_cm + "?watch=true&resourceVersion=0");
  REQUIRE(w.watch);
  auto initial = drain(*w.watch);
  REQUIRE(initial.size() == 1);
  CHECK(initial[0].type == "ADDED");
  CHECK(initial[0].name == "a");
  REQUIRE(call(api, "POST", k_cm, configmap("b")).status == 201);
  REQUIRE(call(api, "DELETE", k_cm + "/a").status == 200);
  auto live = drain(*w.watch);
  REQUIRE(live.size() == 2);
  CHECK(live[0].type == "ADDED");
  CHECK(live[1].type == "DELETED");
  CHECK(live[1].name == "a");
  CHECK(std::stoull(live[1].rv) > std::stoull(live[0].rv));
}

TEST_CASE("watch resumes from a resourceVersion without repeating events", "[watch]") {
  apiserver api;
  auto a = call(api, "POST", k_cm, configmap("a"));
  const std::string after_a = rv_of(a);
  REQUIRE(call(api, "POST", k_cm, configmap("b")).status == 201);
  REQUIRE(call(api, "POST", k_cm, configmap("c")).status == 201);
  auto w = call(api, "GET", k_cm + "?watch=1&resourceVersion=" + after_a);
  auto events = drain(*w.watch);
  REQUIRE(events.size() == 2);
  CHECK(events[0].name == "b");
  CHECK(events[1].name == "c");
}

TEST_CASE("a resourceVersion older than the history gets 410 Expired as an ERROR event", "[watch]") {
  localapi::apiserver_options opts;
  opts.history_size = 3;
  apiserver api(opts);
  auto first = call(api, "POST", k_cm, configmap("a"));
  for (int i = 0; i < 5; ++i) REQUIRE(call(api, "POST", k_cm, configmap("x" + std::to_string(i))).status == 201);
  auto w = call(api, "GET", k_cm + "?watch=true&resourceVersion=" + rv_of(first));
  REQUIRE(w.status == 200);
  auto text = w.watch->take_pending();
  CHECK(text.find("\"type\":\"ERROR\"") != std::string::npos);
  CHECK(text.find("\"code\":410") != std::string::npos);
  CHECK(text.find("\"reason\":\"Expired\"") != std::string::npos);
  CHECK(w.watch->finished());
  auto future = call(api, "GET", k_cm + "?watch=true&resourceVersion=999999");
  CHECK(future.status == 504);
}

TEST_CASE("label-selected watches see objects enter and leave the selection", "[watch]") {
  apiserver api;
  auto w = call(api, "GET", k_cm + "?watch=true&labelSelector=app%3Dweb");
  REQUIRE(call(api, "POST", k_cm, configmap("a", R"({"app":"db"})")).status == 201);
  CHECK(drain(*w.watch).empty());
  REQUIRE(call(api, "PATCH", k_cm + "/a", R"({"metadata":{"labels":{"app":"web"}}})", "application/merge-patch+json")
              .status == 200);
  auto in = drain(*w.watch);
  REQUIRE(in.size() == 1);
  CHECK(in[0].type == "ADDED");
  REQUIRE(call(api, "PATCH", k_cm + "/a", R"({"metadata":{"labels":{"app":"db"}}})", "application/merge-patch+json")
              .status == 200);
  auto out = drain(*w.watch);
  REQUIRE(out.size() == 1);
  CHECK(out[0].type == "DELETED");
}

TEST_CASE("bookmarks carry the current resourceVersion only when allowed", "[watch]") {
  apiserver api;
  auto with = call(api, "GET", k_cm + "?watch=true&allowWatchBookmarks=true");
  auto without = call(api, "GET", k_cm + "?watch=true");
  (void)with.watch->take_pending();
  REQUIRE(call(api, "POST", k_cm, configmap("a")).status == 201);
  (void)with.watch->take_pending();
  api.send_bookmarks();
  auto b = drain(*with.watch);
  REQUIRE(b.size() == 1);
  CHECK(b[0].type == "BOOKMARK");
  CHECK(b[0].rv == std::to_string(api.store().current_rv()));
  (void)without.watch->take_pending();
  api.send_bookmarks();
  CHECK(drain(*without.watch).empty());
}

TEST_CASE("finalizer removal and garbage collection show up as DELETED events", "[watch]") {
  apiserver api;
  auto w = call(api, "GET", k_cm + "?watch=true");
  auto owner = body_of(call(api, "POST", k_cm, configmap("owner")));
  const std::string uid(owner.at("metadata").at("uid").as_string());
  REQUIRE(call(api, "POST", k_cm,
               R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"dep","finalizers":["x/y"],
                  "ownerReferences":[{"apiVersion":"v1","kind":"ConfigMap","name":"owner","uid":")" + uid + R"("}]}})")
              .status == 201);
  (void)w.watch->take_pending();
  REQUIRE(call(api, "DELETE", k_cm + "/owner").status == 200);
  api.run_background_until_idle();
  auto events = drain(*w.watch);
  REQUIRE(events.size() == 2);
  CHECK(events[0].type == "DELETED");  // the owner
  CHECK(events[1].type == "MODIFIED");  // the dependent gets deletionTimestamp (finalizer pending)
  REQUIRE(call(api, "PATCH", k_cm + "/dep", R"({"metadata":{"finalizers":[]}})", "application/merge-patch+json")
              .status == 200);
  auto gone = drain(*w.watch);
  REQUIRE(gone.size() == 2);
  CHECK(gone[0].type == "MODIFIED");
  CHECK(gone[1].type == "DELETED");
  CHECK(gone[1].name == "dep");
}

TEST_CASE("fault injection answers the next watches with 410", "[watch]") {
  apiserver api;
  api.fail_next_watches(1);
  auto w1 = call(api, "GET", k_cm + "?watch=true&resourceVersion=1");
  CHECK(w1.watch->take_pending().find("\"code\":410") != std::string::npos);
  auto w2 = call(api, "GET", k_cm + "?watch=true");
  CHECK_FALSE(w2.watch->finished());
  api.close_all_watches();
  CHECK(w2.watch->finished());
}
