// The Kubernetes client against langop-localapi over real sockets: verbs, typed errors
// with the server's message, 429 Retry-After retries, watch streams and idle deadlines.
#include "support/local_cluster.hpp"
#include "support/operator_side.hpp"
#include "support/result_printing.hpp"
#include "support/test_http.hpp"

#include "langop/http/errc.hpp"
#include "langop/kube/errc.hpp"

#include <boost/asio/co_spawn.hpp>
#include <catch2/catch.hpp>

using namespace langop;
using namespace langop::test;
using namespace std::chrono_literals;

namespace {

const kube::resource k_cm{"", "v1", "configmaps", "ConfigMap", true};

json::value configmap(const std::string& name, const std::string& value) {
  return json::object{{"apiVersion", "v1"},
                      {"kind", "ConfigMap"},
                      {"metadata", json::object{{"name", name}, {"namespace", "default"}}},
                      {"data", json::object{{"k", value}}}};
}

// Outside the coroutines: GCC 12 cannot keep initializer_list temporaries in a frame.
json::value data_patch() { return json::object{{"data", json::object{{"p", "q"}}}}; }

// Runs `body` as a coroutine on the operator side's loop, bounded by `limit`.
template <class F>
void run(operator_side& op, F body, std::chrono::milliseconds limit = 20s) {
  bool done = false;
  std::exception_ptr failure;
  boost::asio::co_spawn(op.ioc, body(), [&](std::exception_ptr e) {
    failure = e;
    done = true;
  });
  REQUIRE(op.run_until([&] { return done; }, limit));
  if (failure) std::rethrow_exception(failure);
}

}  // namespace

TEST_CASE("client verbs and typed errors", "[kube][client][integration]") {
  local_cluster cluster;
  operator_side op(cluster);
  kube::client& c = *op.client;
  result<json::value> created = json::value(), missing = json::value(), dup = json::value(), stale = json::value(),
                      invalid = json::value(), patched = json::value(), applied = json::value(),
                      removed = json::value();
  result<kube::list_page> listed = kube::list_page{};
  run(op, [&]() -> boost::asio::awaitable<void> {
    created = co_await c.create(k_cm, "default", configmap("a", "1"));
    missing = co_await c.get(k_cm, "default", "nope");
    dup = co_await c.create(k_cm, "default", configmap("a", "1"));
    json::value old = *created;
    json::value next = *created;
    next.as_object()["data"].as_object()["k"] = "2";
    (void)co_await c.update(k_cm, next);
    stale = co_await c.update(k_cm, old);  // the resourceVersion moved on
    invalid = co_await c.create(k_cm, "default", configmap("Bad_Name", "x"));
    patched = co_await c.patch(k_cm, "default", "a", kube::patch_type::merge, data_patch());
    kube::patch_options po;
    po.field_manager = "tests";
    applied = co_await c.apply(k_cm, configmap("b", "applied"), po);
    kube::list_options lo;
    lo.limit = 1;
    listed = co_await c.list(k_cm, "default", lo);
    removed = co_await c.remove(k_cm, "default", "a");
  });
  REQUIRE(created);
  CHECK(jsonu::get_string(*created, {"metadata", "uid"}).size() == 36);
  REQUIRE_FALSE(missing);
  CHECK(kube::is(missing.error(), kube::errc::not_found));
  CHECK(missing.error().message == "configmaps \"nope\" not found");
  REQUIRE_FALSE(dup);
  CHECK(kube::is(dup.error(), kube::errc::already_exists));
  REQUIRE_FALSE(stale);
  CHECK(kube::is(stale.error(), kube::errc::conflict));
  REQUIRE_FALSE(invalid);
  CHECK(kube::is(invalid.error(), kube::errc::invalid));
  CHECK(invalid.error().message.find("metadata.name") != std::string::npos);
  REQUIRE(patched);
  CHECK(jsonu::get_string(*patched, {"data", "p"}) == "q");
  REQUIRE(applied);
  CHECK(jsonu::get_string(*applied, {"data", "k"}) == "applied");
  REQUIRE(listed.has_value());
  CHECK(listed->items.size() == 1);
  CHECK_FALSE(listed->continue_token.empty());
  CHECK(removed);
}

TEST_CASE("429 with Retry-After is retried, errors without it are returned at once", "[kube][client][integration]") {
  local_cluster cluster;
  test_http admin("127.0.0.1", cluster.port());
  operator_side op(cluster);
  REQUIRE(admin.request("PUT", "/admin/faults", R"({"throttleRate":0.5,"retryAfterSeconds":0,"seed":7})").status == 200);
  int ok = 0, throttled = 0;
  run(op, [&]() -> boost::asio::awaitable<void> {
    for (int i = 0; i < 20; ++i) {
      auto r = co_await op.client->get(k_cm, "default", "x");
      if (r || kube::is(r.error(), kube::errc::not_found)) ++ok;
      else if (kube::is(r.error(), kube::errc::throttled)) ++throttled;
    }
  });
  // Half the answers are 429; three retries make a final 429 rare (1 in 16).
  CHECK(ok >= 14);
  CHECK(ok + throttled == 20);
  REQUIRE(admin.request("PUT", "/admin/faults", R"({"throttleRate":0,"errorRate":1})").status == 200);
  result<json::value> failed = json::value();
  run(op, [&]() -> boost::asio::awaitable<void> { failed = co_await op.client->get(k_cm, "default", "x"); });
  REQUIRE_FALSE(failed);
  CHECK(kube::is(failed.error(), kube::errc::server_error));
  CHECK(failed.error().message.find("injected fault") != std::string::npos);
}

TEST_CASE("watch streams deliver events, a silent stream hits its idle deadline", "[kube][client][integration]") {
  local_cluster cluster;
  operator_side op(cluster);
  std::vector<std::string> lines;
  error idle_error;
  run(op, [&]() -> boost::asio::awaitable<void> {
    kube::watch_options wo;
    wo.allow_bookmarks = false;
    auto w = co_await op.client->watch(k_cm, "default", wo);
    if (!w) co_return;
    (void)co_await op.client->create(k_cm, "default", configmap("w1", "1"));
    (void)co_await op.client->create(k_cm, "default", configmap("w2", "1"));
    for (int i = 0; i < 2; ++i) {
      auto line = co_await w->next_line(http::after(5s));
      if (line) lines.push_back(*line);
    }
    auto silent = co_await w->next_line(http::after(300ms));
    if (!silent) idle_error = silent.error();
  });
  REQUIRE(lines.size() == 2);
  CHECK(lines[0].find("\"type\":\"ADDED\"") != std::string::npos);
  CHECK(lines[1].find("\"w2\"") != std::string::npos);
  CHECK(idle_error.code == http::make_error_code(http::errc::timeout));

  result<kube::watch_stream> gone = error();
  run(op, [&]() -> boost::asio::awaitable<void> {
    kube::watch_options wo;
    wo.resource_version = "999999";
    gone = co_await op.client->watch(k_cm, "default", wo);
  });
  REQUIRE_FALSE(gone.has_value());
  CHECK(kube::is(gone.error(), kube::errc::server_timeout));  // "Too large resource version"
}
