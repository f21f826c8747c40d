#include "yaml_fixture.hpp"
#include "langop/resources/model.hpp"

#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

using namespace langop;
using namespace langop::resources;
using langop::test::from_yaml;

namespace {

json::object primary() {
  return from_yaml(R"(
apiVersion: langop.io/v1alpha1
kind: LanguageModel
metadata: {name: gpt-4o, namespace: team-a, uid: u-1}
spec:
  provider: openai
  model: gpt-4o
  apiKeySecretRef: {name: openai-credentials, key: api-key}
  parameters: {temperature: 0.2, maxTokens: 4096, topP: 1}
  timeout: 90s
  retryPolicy: {maxAttempts: 4}
  fallbacks: [claude-sonnet, missing-model, gpt-4o]
  loadBalancing:
    strategy: least-busy
    endpoints: [https://api.openai.com/v1]
  caching: {enabled: true, ttl: 15m}
  rateLimits: {rpm: 500, tpm: 300000}
  proxy: {replicas: 2, port: 8000}
)");
}

json::object fallback() {
  return from_yaml(R"(
apiVersion: langop.io/v1alpha1
kind: LanguageModel
metadata: {name: claude-sonnet, namespace: team-a, uid: u-2}
spec:
  provider: anthropic
  model: claude-sonnet-4-5
  apiKeySecretRef: {name: anthropic-credentials}
  timeout: 1.5s
)");
}

const json::object& obj(const json::value& v) { return v.as_object(); }

}  // namespace

TEST_CASE("model config.yaml with fallbacks is LiteLLM config, exactly", "[resources]") {
  const std::string expected = R"(model_list:
- model_name: "gpt-4o"
  litellm_params:
    model: "openai/gpt-4o"
    api_base: "https://api.openai.com/v1"
    api_key: "os.environ/LANGOP_API_KEY"
    rpm: 500
    tpm: 300000
    timeout: 90
    temperature: 0.2
    max_tokens: 4096
    top_p: 1
- model_name: "claude-sonnet"
  litellm_params:
    model: "anthropic/claude-sonnet-4-5"
    api_key: "os.environ/LANGOP_FALLBACK_1_API_KEY"
    timeout: 1.5
router_settings:
  routing_strategy: "least-busy"
  num_retries: 3
  timeout: 90
  fallbacks:
  - "gpt-4o":
    - "claude-sonnet"
litellm_settings:
  cache: true
  cache_params:
    type: "local"
    ttl: 900
)";
  CHECK(litellm_config_yaml(primary(), {fallback()}) == expected);
}

TEST_CASE("model config.yaml round-trips through a YAML parser", "[resources]") {
  const std::string text = litellm_config_yaml(primary(), {fallback()});
  auto parsed = yaml_to_json(text);
  REQUIRE(parsed.has_value());
  CHECK(*parsed == json::value(litellm_config(primary(), {fallback()})));
}

TEST_CASE("model YAML quotes hostile strings safely", "[resources]") {
  json::object v{{"k: x", "a\"b\\c\nd\t#e: - [x] {y} &z *w !t %p @q `r'"}, {"true", "yes"}, {"num", 1.0}, {"e", 1e21}};
  const std::string y = to_yaml(v);
  auto back = yaml_to_json(y);
  REQUIRE(back.has_value());
  CHECK(back->as_object().at("k: x") == v.at("k: x"));
  CHECK(back->as_object().at("true") == "yes");
  CHECK(y.find("\"true\": \"yes\"") != std::string::npos);  // YAML 1.1 keywords stay quoted
  CHECK(y.find("num: 1.0\n") != std::string::npos);             // floats keep a '.' for PyYAML
  CHECK(y.find("e: 1.0e+21\n") != std::string::npos);
  CHECK(to_yaml(json::object{}) == "{}\n");
  CHECK(to_yaml(json::object{{"a", json::array{}}, {"b", json::object{}}}) == "a: []\nb: {}\n");
}

TEST_CASE("model routes, defaults and the modelName alias", "[resources]") {
  CHECK(litellm_route("vertex", "gemini-pro") == "vertex_ai/gemini-pro");
  CHECK(litellm_route("openai-compatible", "m") == "openai/m");
  CHECK(litellm_route("custom", "together_ai/llama") == "together_ai/llama");
  CHECK(litellm_route("ollama", "llama3.1:8b") == "ollama/llama3.1:8b");

  const auto m = from_yaml(R"(
metadata: {name: llama, namespace: ns}
spec: {provider: ollama, modelName: llama3.1:8b, endpoint: "http://ollama:11434", timeout: bogus}
)");
  CHECK(model_identifier(m) == "llama3.1:8b");
  const auto c = litellm_config(m, {});
  const auto& entry = obj(c.at("model_list").as_array().at(0));
  CHECK(entry.at("model_name") == "llama");
  CHECK(obj(entry.at("litellm_params")).at("model") == "ollama/llama3.1:8b");
  CHECK(obj(entry.at("litellm_params")).at("api_base") == "http://ollama:11434");
  CHECK_FALSE(obj(entry.at("litellm_params")).contains("api_key"));   // no secret, no key
  CHECK(obj(entry.at("litellm_params")).at("timeout") == 60);          // malformed → default
  const auto& router = obj(c.at("router_settings"));
  CHECK(router.at("routing_strategy") == "simple-shuffle");
  CHECK(router.at("num_retries") == 2);
  CHECK_FALSE(router.contains("fallbacks"));
  CHECK(obj(router.at("model_group_alias")).at("llama3.1:8b") == "llama");
  CHECK_FALSE(c.contains("litellm_settings"));
}

TEST_CASE("model deployment wires keys only through secretKeyRef", "[resources]") {
  const auto d = model_deployment(primary(), {fallback()}, json::object{{"openai-credentials", "42"}});
  CHECK(d.at("metadata").at("name") == "gpt-4o-proxy");
  CHECK(d.at("metadata").at("ownerReferences").at(0).at("uid") == "u-1");
  CHECK(d.at("spec").at("replicas") == 2);
  CHECK(d.at("spec").at("selector").at("matchLabels") == json::object{{"langop.io/model", "gpt-4o"}});
  const auto& tmpl = d.at("spec").at("template");
  CHECK(tmpl.at("metadata").at("labels").at("langop.io/model") == "gpt-4o");
  const auto& c = tmpl.at("spec").at("containers").at(0);
  CHECK(c.at("image").as_string() == default_litellm_image);
  CHECK(c.at("args") == json::array{"--config", "/etc/litellm/config.yaml", "--port", "8000"});
  const auto& env = c.at("env").as_array();
  REQUIRE(env.size() == 2);
  CHECK(env[0].at("name") == "LANGOP_API_KEY");
  CHECK(env[0].at("valueFrom").at("secretKeyRef") == json::object{{"name", "openai-credentials"}, {"key", "api-key"}});
  CHECK(env[1].at("name") == "LANGOP_FALLBACK_1_API_KEY");
  CHECK(env[1].at("valueFrom").at("secretKeyRef") == json::object{{"name", "anthropic-credentials"}, {"key", "api-key"}});
  CHECK(tmpl.at("spec").at("volumes").at(0).at("configMap").at("name") == "gpt-4o-model");
  CHECK(c.at("volumeMounts").at(0).at("mountPath") == "/etc/litellm");

  // The config hash moves with the config and with a rotated Secret.
  const auto hash = [](const json::object& dep) {
    return dep.at("spec").at("template").at("metadata").at("annotations").at("langop.io/config-hash");
  };
  CHECK(hash(d) != hash(model_deployment(primary(), {fallback()}, json::object{{"openai-credentials", "43"}})));
  CHECK(hash(d) != hash(model_deployment(primary(), {}, json::object{{"openai-credentials", "42"}})));
  CHECK(model_secret_names(primary(), {fallback()}) == std::vector<std::string>{"anthropic-credentials", "openai-credentials"});
}

TEST_CASE("model children never contain a secret value", "[resources]") {
  // The Secret the model references; its value must not reach any child.
  const std::string secret_value = "sk-THIS-IS-THE-SECRET-4711";
  const auto secret = from_yaml(R"(
apiVersion: v1
kind: Secret
metadata: {name: openai-credentials, namespace: team-a, resourceVersion: "7"}
stringData: {api-key: sk-THIS-IS-THE-SECRET-4711}
)");
  REQUIRE(secret.at("stringData").at("api-key").as_string() == secret_value);
  const json::object versions{{"openai-credentials", secret.at("metadata").at("resourceVersion")}};
  for (const auto& child : model_children(primary(), {fallback()}, versions)) {
    const std::string text = json::serialize(child);
    CHECK(text.find(secret_value) == std::string::npos);
    CHECK(text.find("SECRET") == std::string::npos);
  }
}

TEST_CASE("model service, endpoint and deterministic output", "[resources]") {
  const auto s = model_service(primary());
  CHECK(s.at("metadata").at("name") == "gpt-4o");
  CHECK(s.at("spec").at("ports").at(0).at("port") == 8000);
  CHECK(s.at("spec").at("selector") == json::object{{"langop.io/model", "gpt-4o"}});
  CHECK(model_endpoint_url(primary()) == "http://gpt-4o.team-a.svc.cluster.local:8000");

  const auto a = model_children(primary(), {fallback()});
  const auto b = model_children(primary(), {fallback()});
  REQUIRE(a.size() == 3);
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(json::serialize(a[i]) == json::serialize(b[i]));
  CHECK(a[0].at("metadata").at("name") == "gpt-4o-model");
  CHECK(a[0].at("data").at("config.yaml").as_string() == litellm_config_yaml(primary(), {fallback()}));
}

TEST_CASE("model builders survive odd input", "[resources]") {
  const json::object empty;
  const auto odd = from_yaml(R"(
metadata: {name: m}
spec: {provider: 7, fallbacks: "x", proxy: {port: 99999, replicas: -1}, loadBalancing: {endpoints: [1, ""]}, apiKeySecretRef: {key: k}}
)");
  for (const auto* m : {&empty, &odd}) {
    CHECK_NOTHROW(model_children(*m, {*m, empty}));
    CHECK_NOTHROW(litellm_config_yaml(*m, {}));
  }
  const auto d = model_deployment(odd, {});
  CHECK(d.at("spec").at("replicas") == 1);
  CHECK_FALSE(d.at("spec").at("template").at("spec").at("containers").at(0).as_object().contains("env"));
  CHECK(model_endpoint_url(odd) == "http://m..svc.cluster.local:8000");
}
