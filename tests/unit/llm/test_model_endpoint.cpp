// Endpoint resolution from a LanguageModel-like config and per-provider headers (PURE).
#include "langop/llm/errc.hpp"
#include "langop/llm/model_endpoint.hpp"

#include "support/result_printing.hpp"

#include <catch2/catch.hpp>

using namespace langop;

namespace {

llm::model_config cfg(std::string provider, std::string model, std::string endpoint = {}) {
  llm::model_config c;
  c.provider = std::move(provider);
  c.model = std::move(model);
  c.endpoint = std::move(endpoint);
  return c;
}

}  // namespace

TEST_CASE("endpoint resolution: provider defaults", "[llm]") {
  struct row {
    const char* provider;
    const char* base;
    const char* chat;
    llm::wire_format wire;
    llm::auth_style auth;
  };
  const row rows[] = {
      {"openai", "https://api.openai.com/v1", "/chat/completions", llm::wire_format::openai, llm::auth_style::bearer},
      {"anthropic", "https://api.anthropic.com/v1", "/messages", llm::wire_format::anthropic, llm::auth_style::x_api_key},
      {"ollama", "http://localhost:11434/v1", "/chat/completions", llm::wire_format::openai, llm::auth_style::bearer},
  };
  for (const auto& r : rows) {
    INFO(r.provider);
    auto ep = llm::resolve_endpoint(cfg(r.provider, "m"));
    REQUIRE(ep);
    CHECK(ep->base_url == r.base);
    CHECK(ep->chat_path == r.chat);
    CHECK(ep->models_path == "/models");
    CHECK(ep->wire == r.wire);
    CHECK(ep->auth == r.auth);
    CHECK(ep->model == "m");
  }
  CHECK(llm::resolve_endpoint(cfg("openai", "m"))->use_max_completion_tokens);
  CHECK_FALSE(llm::resolve_endpoint(cfg("ollama", "m"))->key_required);
}

TEST_CASE("endpoint resolution: custom endpoints", "[llm]") {
  SECTION("OpenAI-compatible gateways are used as given (the LanguageModel's LiteLLM proxy)") {
    auto ep = llm::resolve_endpoint(cfg("openai-compatible", "gpt-4o", "http://m.ns.svc.cluster.local:8000/"));
    REQUIRE(ep);
    CHECK(ep->base_url == "http://m.ns.svc.cluster.local:8000");
    CHECK(ep->wire == llm::wire_format::openai);
    CHECK_FALSE(ep->use_max_completion_tokens);
  }
  SECTION("bedrock and vertex through a gateway URL") {
    for (const char* p : {"bedrock", "vertex", "custom"}) {
      auto ep = llm::resolve_endpoint(cfg(p, "x", "https://gw.example.com/v1"));
      REQUIRE(ep);
      CHECK(ep->base_url == "https://gw.example.com/v1");
    }
  }
  SECTION("Anthropic and Ollama get /v1 appended when missing") {
    CHECK(llm::resolve_endpoint(cfg("anthropic", "c", "https://proxy.example.com"))->base_url ==
          "https://proxy.example.com/v1");
    CHECK(llm::resolve_endpoint(cfg("anthropic", "c", "https://proxy.example.com/v1/"))->base_url ==
          "https://proxy.example.com/v1");
    CHECK(llm::resolve_endpoint(cfg("ollama", "llama3", "http://ollama:11434"))->base_url == "http://ollama:11434/v1");
  }
  SECTION("Azure: deployment path, api-version, api-key header") {
    auto ep = llm::resolve_endpoint(cfg("azure", "gpt4o-prod", "https://res.openai.azure.com/"));
    REQUIRE(ep);
    CHECK(ep->base_url == "https://res.openai.azure.com");
    CHECK(ep->chat_path == "/openai/deployments/gpt4o-prod/chat/completions?api-version=2024-10-21");
    CHECK(ep->models_path == "/openai/models?api-version=2024-10-21");
    CHECK(ep->auth == llm::auth_style::api_key);

    auto c = cfg("azure", "ignored", "https://res.openai.azure.com/openai/deployments/dep-1");
    c.api_version = "2025-01-01-preview";
    auto named = llm::resolve_endpoint(c);
    REQUIRE(named);
    CHECK(named->base_url == "https://res.openai.azure.com");
    CHECK(named->chat_path == "/openai/deployments/dep-1/chat/completions?api-version=2025-01-01-preview");

    auto v1 = llm::resolve_endpoint(cfg("azure", "gpt-4o", "https://res.openai.azure.com/openai/v1"));
    REQUIRE(v1);
    CHECK(v1->base_url == "https://res.openai.azure.com/openai/v1");
    CHECK(v1->chat_path == "/chat/completions");
  }
}

TEST_CASE("endpoint resolution: clear errors", "[llm]") {
  struct row {
    llm::model_config c;
    llm::errc code;
    const char* says;
  };
  const row rows[] = {
      {cfg("gemini", "m"), llm::errc::unsupported_provider, "unknown provider \"gemini\""},
      {cfg("bedrock", "m"), llm::errc::unsupported_provider, "OpenAI-compatible gateway"},
      {cfg("vertex", "m"), llm::errc::unsupported_provider, "spec.endpoint"},
      {cfg("openai-compatible", "m"), llm::errc::unsupported_provider, "spec.endpoint"},
      {cfg("azure", "m"), llm::errc::bad_request, "spec.endpoint"},
      {cfg("azure", "", "https://r.openai.azure.com"), llm::errc::bad_request, "deployment"},
      {cfg("openai", "m", "ftp://x"), llm::errc::bad_request, "scheme"},
      {cfg("openai", "m", "https://gw/?a=b"), llm::errc::bad_request, "query"},
      {cfg("openai", "m", "https://user:pw@gw/"), llm::errc::bad_request, "(redacted)"},
  };
  for (const auto& r : rows) {
    auto ep = llm::resolve_endpoint(r.c);
    REQUIRE_FALSE(ep);
    INFO(ep.error().message);
    CHECK(llm::is(ep.error(), r.code));
    CHECK(ep.error().message.find(r.says) != std::string::npos);
    CHECK(ep.error().message.find("pw") == std::string::npos);
  }
}

TEST_CASE("request headers per provider", "[llm]") {
  auto openai = llm::request_headers(*llm::resolve_endpoint(cfg("openai", "m")), "sk-1");
  CHECK(openai.get("Authorization") == "Bearer sk-1");
  CHECK(openai.get("Content-Type") == "application/json");
  CHECK_FALSE(openai.contains("anthropic-version"));

  auto anthropic = llm::request_headers(*llm::resolve_endpoint(cfg("anthropic", "m")), "k");
  CHECK(anthropic.get("x-api-key") == "k");
  CHECK(anthropic.get("anthropic-version") == "2023-06-01");
  CHECK_FALSE(anthropic.contains("Authorization"));

  auto azure = llm::request_headers(*llm::resolve_endpoint(cfg("azure", "d", "https://r.openai.azure.com")), "k");
  CHECK(azure.get("api-key") == "k");
  CHECK_FALSE(azure.contains("Authorization"));

  auto keyless = llm::request_headers(*llm::resolve_endpoint(cfg("ollama", "m")), "");
  CHECK_FALSE(keyless.contains("Authorization"));
}
