#include "support/controller_fixture.hpp"

#include "support/api_calls.hpp"
#include "support/kubectl.hpp"

#include <catch2/catch.hpp>

#include <cstdlib>

namespace langop::test {

std::string source_path(const std::string& relative) { return std::string(LANGOP_SOURCE_DIR) + "/" + relative; }

void kubectl_ok(const local_cluster& c, const std::vector<std::string>& args, const std::string& in) {
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

json::object condition_of(local_cluster& c, const std::string& plural, const std::string& ns, const std::string& name,
                          const std::string& type) {
  const auto obj = get_langop(c, plural, ns, name);
  const auto* conds = jsonu::find(obj, {"status", "conditions"});
  if (!conds || !conds->is_array()) return {};
  for (const auto& cond : conds->as_array())
    if (cond.is_object() && jsonu::get_string(cond, {"type"}) == type) return cond.as_object();
  return {};
}

std::uint64_t writes(local_cluster& c) {
  return c.run([](localapi::apiserver& api, localapi::server&) { return api.stats().writes; });
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

controllers::controllers_options test_controller_options() {
  controllers::controllers_options o;
  o.dns_timeout = std::chrono::seconds(2);
  o.mcp_discovery_url_template.clear();
  return o;
}

running_operator::running_operator(local_cluster& c, std::chrono::seconds dns_min_refresh,
                                   const std::function<void(controllers::controllers_options&)>& tweak)
    : side(c, quiet_manager_options()), dns(side.ioc) {
  dns.set("export.arxiv.org", {{"192.0.2.10", 60}});
  dns.set("api.github.com", {{"192.0.2.20", 60}}, {{"2001:db8::20", 60}});
  auto o = test_controller_options();
  o.dns_servers = {dns.address()};
  o.dns_min_refresh = dns_min_refresh;
  if (tweak) tweak(o);
  struct tee final : log::sink {
    std::shared_ptr<log::sink> a, b;
    void write(std::string_view line) override {
      a->write(line);
      if (b) b->write(line);
    }
  };
  auto out = std::make_shared<tee>();
  out->a = log;
  if (std::getenv("LANGOP_TEST_LOG")) out->b = log::stderr_sink();
  reconcilers = std::make_unique<controllers::operator_controllers>(side.ioc.get_executor(), *side.manager, o,
                                                                    log::logger(log::level::debug, log::format::text, out));
}

operator_fixture::operator_fixture(std::chrono::seconds dns_min_refresh,
                                   const std::function<void(controllers::controllers_options&)>& tweak)
    : crds_installed((install_crds(cluster), true)), op(cluster, dns_min_refresh, tweak) {}

}  // namespace langop::test
