// The runtime end to end: a small controller (ConfigMaps labelled mirror=true get a
// "<name>-mirror" copy owned by them) run by the manager against langop-localapi over
// real sockets, through dropped watches, 410s, 429s, 500s, latency, cut responses and an
// API server restart. It must end with exactly the expected objects, never reconcile one
// key twice at once, and lose no event.
#include "support/api_calls.hpp"
#include "support/local_cluster.hpp"
#include "support/operator_side.hpp"
#include "support/test_http.hpp"

#include "langop/cjson/serialize.hpp"
#include "langop/informer/informer.hpp"
#include "langop/kube/errc.hpp"

#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

#include <map>
#include <set>

using namespace langop;
using namespace langop::test;
using namespace std::chrono_literals;

namespace {

const kube::resource k_configmaps{"", "v1", "configmaps", "ConfigMap", true};
constexpr std::string_view k_suffix = "-mirror";

// name -> data (compact JSON), as the API server holds them.
using state_map = std::map<std::string, std::string>;

class mirror_controller {
 public:
  mirror_controller(operator_side& op) : op_(op), cms_(op.manager->informer_for(k_configmaps)) {
    runtime::controller_options o;
    o.name = "mirror";
    o.concurrency = 4;
    auto& ctl = op.manager->add_controller(o, [this](std::string key) { return reconcile(std::move(key)); });
    ctl.watch_primary(cms_);
    // A mirror's change (edited or deleted by someone else) wakes its source.
    ctl.watch(cms_, [](const informer::change& c, const auto& emit) {
      const auto& obj = c.current ? c.current : c.previous;
      if (obj && obj->name().ends_with(k_suffix)) {
        auto name = obj->name();
        name.remove_suffix(k_suffix.size());
        emit(std::string(obj->ns()) + "/" + std::string(name));
      }
    });
  }

  // Reconciles in flight point into this object: stop them before it goes.
  ~mirror_controller() { op_.shutdown(); }
  mirror_controller(const mirror_controller&) = delete;
  mirror_controller& operator=(const mirror_controller&) = delete;

  bool overlapped = false;
  int reconciles = 0;

 private:
  boost::asio::awaitable<result<runtime::action>> reconcile(std::string key) {
    ++reconciles;
    if (!active_.insert(key).second) overlapped = true;
    auto r = co_await converge(key);
    active_.erase(key);
    co_return r;
  }

  boost::asio::awaitable<result<runtime::action>> converge(const std::string& key) {
    const auto slash = key.find('/');
    const std::string ns = key.substr(0, slash), name = key.substr(slash + 1);
    if (std::string_view(name).ends_with(k_suffix)) co_return runtime::action::done();
    auto source = cms_.store().get(ns, name);
    auto mirror = cms_.store().get(ns, name + std::string(k_suffix));
    const bool wanted = source && !source->deleting() && source->labels().find("mirror").as_string() == "true";
    if (!wanted) {
      // A deleted source's mirror goes with it (ownerReference); an unlabelled one is removed here.
      if (source && mirror) {
        auto r = co_await op_.client->remove(k_configmaps, ns, name + std::string(k_suffix));
        if (!r && !kube::is(r.error(), kube::errc::not_found)) co_return r.error();
      }
      co_return runtime::action::done();
    }
    const auto data = source->root().find("data");
    if (mirror && cjson::serialize(mirror->root().find("data")) == cjson::serialize(data))
      co_return runtime::action::done();  // compare, then write only when needed
    json::object desired;
    desired["apiVersion"] = "v1";
    desired["kind"] = "ConfigMap";
    desired["metadata"] = json::object{
        {"name", name + std::string(k_suffix)},
        {"namespace", ns},
        {"ownerReferences", json::array{json::object{{"apiVersion", "v1"}, {"kind", "ConfigMap"}, {"name", name},
                                                     {"uid", source->uid()}, {"controller", true}}}}};
    desired["data"] = data.exists() ? cjson::to_json(data) : json::value(json::object());
    kube::patch_options po;
    po.field_manager = "mirror";
    po.force = true;
    auto r = co_await op_.client->apply(k_configmaps, desired, po);
    if (!r) co_return r.error();
    co_return runtime::action::done();
  }

  operator_side& op_;
  informer::informer& cms_;
  std::set<std::string> active_;
};

std::string source_json(const std::string& name, const std::string& value, bool labelled) {
  return R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":")" + name + R"(","labels":{"mirror":")" +
         (labelled ? "true" : "false") + R"("}},"data":{"v":")" + value + R"("}})";
}

// Writes straight into the server (bypassing the HTTP faults the operator suffers).
void write(local_cluster& c, const std::string& method, const std::string& path, const std::string& body = {},
           const std::string& type = "application/json") {
  auto code = c.run([&](localapi::apiserver& api, localapi::server&) {
    auto r = api.handle(make_request(method, path, body, type));
    api.run_background_until_idle();
    return r.status;
  });
  REQUIRE(code < 300);
}

state_map server_configmaps(local_cluster& c) {
  return c.run([](localapi::apiserver& api, localapi::server&) {
    state_map out;
    api.store().at("/configmaps").for_each("default", "", [&](const localapi::object_ptr& o) {
      auto it = o->object.find("data");
      out[std::string(jsonu::get_string(o->object.at("metadata").as_object(), "name"))] =
          it == o->object.end() ? "{}" : json::serialize(it->value());
      return true;
    });
    return out;
  });
}

// What the server must hold: every source, plus a mirror with the same data for each
// labelled one, and nothing else.
state_map expected(const std::map<std::string, std::pair<std::string, bool>>& sources) {
  state_map out;
  for (const auto& [name, v] : sources) {
    out[name] = R"({"v":")" + v.first + "\"}";
    if (v.second) out[name + std::string(k_suffix)] = out[name];
  }
  return out;
}

}  // namespace

TEST_CASE("a controller converges and survives every API server fault", "[runtime][integration]") {
  local_cluster cluster({.bookmark_interval = 1s});
  runtime::manager_options mo;
  mo.informer.idle_timeout = 5s;
  operator_side op(cluster, mo);
  mirror_controller mirror(op);
  REQUIRE(op.start());

  const std::string path = "/api/v1/namespaces/default/configmaps";
  std::map<std::string, std::pair<std::string, bool>> sources;
  auto put = [&](const std::string& name, const std::string& value, bool labelled) {
    const bool exists = sources.count(name) > 0;
    sources[name] = {value, labelled};
    if (exists)
      write(cluster, "PATCH", path + "/" + name,
            R"({"metadata":{"labels":{"mirror":")" + std::string(labelled ? "true" : "false") +
                R"("}},"data":{"v":")" + value + "\"}}",
            "application/merge-patch+json");
    else
      write(cluster, "POST", path, source_json(name, value, labelled));
  };
  auto drop = [&](const std::string& name) {
    sources.erase(name);
    write(cluster, "DELETE", path + "/" + name);
  };
  auto converged = [&] { return server_configmaps(cluster) == expected(sources); };
  auto settle = [&](const char* phase) {
    INFO("phase: " << phase);
    bool ok = op.run_until(converged, 30s);
    if (!ok) {
      auto want = expected(sources), got = server_configmaps(cluster);
      for (auto& [k, v] : want)
        if (!got.count(k) || got[k] != v) UNSCOPED_INFO("want " << k << "=" << v << " got " << (got.count(k) ? got[k] : "(missing)"));
      for (auto& [k, v] : got)
        if (!want.count(k)) UNSCOPED_INFO("unexpected " << k << "=" << v);
    }
    REQUIRE(ok);
  };

  for (int i = 0; i < 30; ++i) put("src" + std::to_string(i), "0", i % 6 != 5);
  settle("converge from empty");

  test_http admin("127.0.0.1", cluster.port());
  auto fault = [&](const char* body) { REQUIRE(admin.request("PUT", "/admin/faults", body).status == 200); };
  int round = 0;
  auto churn = [&] {
    ++round;
    const std::string v = std::to_string(round);
    for (int i = round % 3; i < 30; i += 3)
      if (sources.count("src" + std::to_string(i))) put("src" + std::to_string(i), v, (i + round) % 5 != 0);
    put("new" + std::to_string(round), v, true);
    if (sources.count("src" + std::to_string(round))) drop("src" + std::to_string(round));
  };

  SECTION("dropped watches, 410 at watch start and mid-stream") {
    churn();
    REQUIRE(admin.request("POST", "/admin/watches/drop").status == 200);
    op.run_for(300ms);
    churn();
    REQUIRE(admin.request("POST", "/admin/watches/fail?count=3").status == 200);
    REQUIRE(admin.request("POST", "/admin/compact").status == 200);
    REQUIRE(admin.request("POST", "/admin/watches/close").status == 200);
    churn();
    settle("after watch faults");
  }
  SECTION("429 with Retry-After, 500s, latency and cut responses") {
    fault(R"({"throttleRate":0.3,"retryAfterSeconds":0,"errorRate":0.2,"latencyMs":20,"cutRate":0.05})");
    for (int i = 0; i < 4; ++i) {
      churn();
      op.run_for(400ms);
    }
    REQUIRE(admin.request("POST", "/admin/watches/drop").status == 200);
    op.run_for(500ms);
    fault(R"({"throttleRate":0,"errorRate":0,"latencyMs":0,"cutRate":0})");
    settle("after request faults");
  }
  SECTION("an API server restart") {
    REQUIRE(admin.request("POST", "/admin/restart?downMs=1500").status == 200);
    op.run_for(300ms);
    churn();  // written while the server refuses connections
    op.run_for(500ms);
    churn();
    settle("after restart");
  }
  CHECK_FALSE(mirror.overlapped);
  CHECK(mirror.reconciles > 0);
  CHECK(op.manager->caches_synced());
}
