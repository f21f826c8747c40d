// The controllers' calls to the outside world, end to end: MCP tool discovery against fake
// MCP servers (reached through --mcp-discovery-url-template) and LanguageModel live key
// validation against the fake LLM provider, with langop-localapi and simulated workloads.
#include "fakes/llm_server.hpp"
#include "fakes/mcp_server.hpp"
#include "support/controller_fixture.hpp"
#include "support/kubectl.hpp"

#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace langop;
using namespace langop::test;
using namespace std::chrono_literals;

namespace {

std::string port_of(const std::string& url) { return url.substr(url.rfind(':') + 1); }

std::string tool_yaml(const std::string& name, const std::string& port) {
  return "apiVersion: langop.io/v1alpha1\nkind: LanguageTool\nmetadata: {name: " + name +
         ", namespace: tools}\nspec: {image: example.test/mcp:1, port: " + port + "}\n";
}

std::vector<std::string> tool_names(local_cluster& c, const std::string& name) {
  std::vector<std::string> out;
  const auto tool = get_langop(c, "languagetools", "tools", name);
  if (const auto* tools = jsonu::find(tool, {"status", "tools"}); tools && tools->is_array())
    for (const auto& t : tools->as_array()) out.emplace_back(jsonu::get_string(t, {"name"}));
  return out;
}

std::string condition_status(local_cluster& c, const std::string& plural, const std::string& ns,
                              const std::string& name, const std::string& type) {
  return std::string(jsonu::get_string(json::value(condition_of(c, plural, ns, name, type)), {"status"}));
}

std::string condition_reason(local_cluster& c, const std::string& plural, const std::string& ns,
                             const std::string& name, const std::string& type) {
  return std::string(jsonu::get_string(json::value(condition_of(c, plural, ns, name, type)), {"reason"}));
}

}  // namespace

TEST_CASE("controllers: MCP tools are discovered when ready, again on a spec change, and failures are reported",
          "[controllers][discovery]") {
  operator_fixture f(std::chrono::seconds(30), [](controllers::controllers_options& o) {
    o.mcp_discovery_url_template = "http://127.0.0.1:{port}{path}";
    o.mcp_discovery_timeout = 20s;  // the silent server below must not be what unblocks the others
    o.concurrency = 1;              // one tool worker: a discovery holding it would stall every tool
    o.checks_in_flight = 2;         // the silent server holds one slot: the others take turns
  });
  auto& c = f.cluster;
  auto& op = f.op;
  auto& ioc = op.side.ioc;

  fake_mcp_options first;
  first.tools = sample_mcp_tools(3);
  fake_mcp_server server_a(ioc.get_executor(), first);
  fake_mcp_options second;
  second.tools = {fake_mcp_tool("alpha", "First letter", *jsonu::parse(R"({"type":"object"})")),
                  fake_mcp_tool("beta", "", *jsonu::parse(R"({"type":"object","properties":{"x":{"type":"string"}}})"))};
  second.sse = true;
  fake_mcp_server server_b(ioc.get_executor(), second);
  fake_mcp_options broken;
  broken.fault = mcp_fault::http_500;
  fake_mcp_server server_broken(ioc.get_executor(), broken);
  fake_mcp_options silent;
  silent.fault = mcp_fault::never_answer;
  silent.fault_method = "initialize";
  fake_mcp_server server_silent(ioc.get_executor(), silent);

  REQUIRE(op.side.start());
  kubectl_ok(c, {"create", "namespace", "tools"});
  // A silent server first: its discovery waits for the 20 s timeout, beside the reconciles.
  kubectl_ok(c, {"apply", "-f", "-"}, tool_yaml("silent", port_of(server_silent.url())));
  REQUIRE(op.side.run_until([&] { return phase(c, "languagetools", "tools", "silent") == "Running"; }, 20s));

  // Two at once, one free slot: one waits for the other and is woken when it finishes.
  kubectl_ok(c, {"apply", "-f", "-"},
             tool_yaml("search", port_of(server_a.url())) + "---\n" + tool_yaml("broken", port_of(server_broken.url())));
  REQUIRE(op.side.run_until([&] { return tool_names(c, "search").size() == 3; }, 10s));
  REQUIRE(op.side.run_until(
      [&] { return condition_status(c, "languagetools", "tools", "broken", "ToolsDiscovered") == "False"; }, 10s));
  CHECK(phase(c, "languagetools", "tools", "search") == "Running");
  CHECK(condition_status(c, "languagetools", "tools", "search", "ToolsDiscovered") == "True");
  const auto search = json::serialize(get_langop(c, "languagetools", "tools", "search"));
  CHECK(contains(search, "inputSchema"));
  CHECK(contains(search, "description"));
  CHECK(phase(c, "languagetools", "tools", "silent") == "Running");  // still waiting for its server
  CHECK(condition_of(c, "languagetools", "tools", "silent", "ToolsDiscovered").empty());

  // A spec change (the server moves to another port): discovered again.
  kubectl_ok(c, {"patch", "ltool", "search", "-n", "tools", "--type=merge", "-p",
                 R"({"spec":{"port":)" + port_of(server_b.url()) + "}}"});
  REQUIRE(op.side.run_until([&] { return tool_names(c, "search") == std::vector<std::string>{"alpha", "beta"}; }, 10s));

  // The failing server: the tool still runs; the condition and a Warning event say why.
  CHECK(condition_reason(c, "languagetools", "tools", "broken", "ToolsDiscovered") == "HTTPError");
  CHECK(phase(c, "languagetools", "tools", "broken") == "Running");
  CHECK(tool_names(c, "broken").empty());
  REQUIRE(op.side.run_until(
      [&] { return contains(json::serialize(get(c, "/api/v1/namespaces/tools/events")), "ToolDiscoveryFailed"); },
      10s));
  CHECK(contains(op.log->text, "background check failed"));
  // ... and the other tools are unaffected.
  CHECK(tool_names(c, "search") == std::vector<std::string>{"alpha", "beta"});

  // A discovered tool whose server starts failing keeps its last tools.
  kubectl_ok(c, {"patch", "ltool", "search", "-n", "tools", "--type=merge", "-p",
                 R"({"spec":{"port":)" + port_of(server_broken.url()) + "}}"});
  REQUIRE(op.side.run_until(
      [&] { return condition_status(c, "languagetools", "tools", "search", "ToolsDiscovered") == "False"; }, 10s));
  CHECK(tool_names(c, "search") == std::vector<std::string>{"alpha", "beta"});
  CHECK(phase(c, "languagetools", "tools", "search") == "Running");
}

TEST_CASE("controllers: a silent MCP server times out, discoveries over the cap wait their turn",
          "[controllers][discovery]") {
  operator_fixture f(std::chrono::seconds(30), [](controllers::controllers_options& o) {
    o.mcp_discovery_url_template = "http://127.0.0.1:{port}{path}";
    o.mcp_discovery_timeout = 2s;
    o.checks_in_flight = 1;
  });
  auto& c = f.cluster;
  auto& op = f.op;
  fake_mcp_options silent;
  silent.fault = mcp_fault::never_answer;
  silent.fault_method = "initialize";
  fake_mcp_server server_silent(op.side.ioc.get_executor(), silent);
  fake_mcp_options good;
  good.tools = sample_mcp_tools(2);
  fake_mcp_server server_good(op.side.ioc.get_executor(), good);

  REQUIRE(op.side.start());
  kubectl_ok(c, {"create", "namespace", "tools"});
  kubectl_ok(c, {"apply", "-f", "-"}, tool_yaml("silent", port_of(server_silent.url())));
  REQUIRE(op.side.run_until([&] { return phase(c, "languagetools", "tools", "silent") == "Running"; }, 20s));
  kubectl_ok(c, {"apply", "-f", "-"}, tool_yaml("late", port_of(server_good.url())));
  // Its reconcile is not held up (Running) while its discovery waits for the only slot.
  REQUIRE(op.side.run_until([&] { return phase(c, "languagetools", "tools", "late") == "Running"; }, 20s));
  // Read in this order: while the silent check still holds the slot, "late" has no tools.
  const auto late_tools = tool_names(c, "late");
  if (condition_of(c, "languagetools", "tools", "silent", "ToolsDiscovered").empty()) CHECK(late_tools.empty());
  REQUIRE(op.side.run_until([&] { return tool_names(c, "late").size() == 2; }, 10s));
  REQUIRE(op.side.run_until(
      [&] { return condition_reason(c, "languagetools", "tools", "silent", "ToolsDiscovered") == "Timeout"; }, 10s));
  CHECK(condition_status(c, "languagetools", "tools", "silent", "ToolsDiscovered") == "False");
}

TEST_CASE("controllers: live key validation sets KeyValid, degrades on a refused key, recovers, never shows the key",
          "[controllers][keyvalidation]") {
  operator_fixture f(std::chrono::seconds(30), [](controllers::controllers_options& o) {
    o.check_retry_base = 200ms;
    o.check_retry_max = 1s;
  });
  auto& c = f.cluster;
  auto& op = f.op;
  const std::string right = "sk-right-4f1c9a7e2b", wrong = "sk-wrong-0d3e8b6a15";
  fake_llm_options lo;
  lo.api_key = right;
  fake_llm_server llm(op.side.ioc.get_executor(), lo);

  REQUIRE(op.side.start());
  kubectl_ok(c, {"create", "namespace", "keys"});
  kubectl_ok(c, {"create", "secret", "generic", "good", "-n", "keys", "--from-literal=api-key=" + right});
  kubectl_ok(c, {"create", "secret", "generic", "bad", "-n", "keys", "--from-literal=api-key=" + wrong});
  auto model = [&](const std::string& name, const std::string& secret) {
    return "apiVersion: langop.io/v1alpha1\nkind: LanguageModel\nmetadata: {name: " + name +
           ", namespace: keys}\nspec:\n  provider: openai-compatible\n  model: fake-model\n  endpoint: " +
           llm.base_url() + "\n  apiKeySecretRef: {name: " + secret + "}\n  validation: {live: true, interval: 1h}\n";
  };
  kubectl_ok(c, {"apply", "-f", "-"}, model("trusted", "good") + "---\n" + model("refused", "bad"));

  REQUIRE(op.side.run_until([&] { return phase(c, "languagemodels", "keys", "trusted") == "Ready"; }, 20s));
  REQUIRE(op.side.run_until(
      [&] { return condition_status(c, "languagemodels", "keys", "trusted", "KeyValid") == "True"; }, 20s));
  REQUIRE(op.side.run_until([&] { return phase(c, "languagemodels", "keys", "refused") == "Degraded"; }, 20s));
  CHECK(condition_status(c, "languagemodels", "keys", "refused", "KeyValid") == "False");
  CHECK(condition_reason(c, "languagemodels", "keys", "refused", "KeyValid") == "Unauthorized");
  REQUIRE(op.side.run_until(
      [&] { return contains(json::serialize(get(c, "/api/v1/namespaces/keys/events")), "KeyValidationFailed"); }, 10s));
  CHECK(llm.rejected_keys() >= 1);

  // The user fixes the Secret: the Secret watch brings the model back, the key passes.
  {
    auto yaml = kubectl(c, {"create", "secret", "generic", "bad", "-n", "keys", "--from-literal=api-key=" + right,
                            "--dry-run=client", "-o", "yaml"});
    REQUIRE(yaml.exit_code == 0);
    kubectl_ok(c, {"apply", "-f", "-"}, yaml.out);
  }
  REQUIRE(op.side.run_until([&] { return phase(c, "languagemodels", "keys", "refused") == "Ready"; }, 20s));
  CHECK(condition_status(c, "languagemodels", "keys", "refused", "KeyValid") == "True");

  // A transient provider failure (5xx through all of the client's attempts) is retried
  // with backoff until it passes: a spec change triggers a new validation.
  llm.fail_next(llm_fault::server_error, 3);
  kubectl_ok(c, {"patch", "lmodel", "trusted", "-n", "keys", "--type=merge", "-p",
                 R"({"spec":{"parameters":{"temperature":0.5}}})"});
  REQUIRE(op.side.run_until(
      [&] { return condition_reason(c, "languagemodels", "keys", "trusted", "KeyValid") == "ProviderError"; }, 30s));
  REQUIRE(op.side.run_until(
      [&] { return condition_status(c, "languagemodels", "keys", "trusted", "KeyValid") == "True"; }, 30s));
  CHECK(phase(c, "languagemodels", "keys", "trusted") == "Ready");

  // The key is nowhere but in its Secret.
  for (const auto& path : {"/api/v1/namespaces/keys/events", "/api/v1/namespaces/keys/configmaps",
                           "/apis/apps/v1/namespaces/keys/deployments",
                           "/apis/langop.io/v1alpha1/namespaces/keys/languagemodels"}) {
    const auto text = json::serialize(get(c, path));
    CHECK_FALSE(contains(text, right));
    CHECK_FALSE(contains(text, wrong));
  }
  CHECK_FALSE(contains(op.log->text, right));
  CHECK_FALSE(contains(op.log->text, wrong));
}
