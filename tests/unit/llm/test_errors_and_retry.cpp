// Provider error bodies → typed errors, key redaction, transport mapping, and the retry
// policy (PURE).
#include "langop/http/errc.hpp"
#include "langop/llm/errc.hpp"
#include "langop/llm/model_list.hpp"
#include "langop/llm/provider_error.hpp"
#include "langop/llm/retry_policy.hpp"

#include "support/result_printing.hpp"

#include <catch2/catch.hpp>

using namespace langop;
using namespace std::chrono_literals;

TEST_CASE("provider errors: status codes map to llm::errc", "[llm]") {
  const std::pair<int, llm::errc> cases[] = {
      {400, llm::errc::bad_request},  {401, llm::errc::unauthorized}, {403, llm::errc::unauthorized},
      {404, llm::errc::bad_request},  {408, llm::errc::timeout},      {413, llm::errc::bad_request},
      {422, llm::errc::bad_request},  {429, llm::errc::rate_limited}, {500, llm::errc::server_error},
      {502, llm::errc::server_error}, {503, llm::errc::server_error}, {529, llm::errc::server_error}};
  for (const auto& [status, want] : cases) {
    INFO(status);
    CHECK(llm::code_for_status(status) == want);
  }
}

TEST_CASE("provider errors: the provider's message and type are kept", "[llm]") {
  SECTION("OpenAI") {
    auto e = llm::status_error(
        404, R"({"error":{"message":"The model `gpt-9` does not exist","type":"invalid_request_error","code":"model_not_found"}})",
        "openai chat gpt-9", "");
    CHECK(llm::is(e, llm::errc::bad_request));
    CHECK(e.http_status == 404);
    CHECK(e.reason == "model_not_found");
    CHECK(e.message == "openai chat gpt-9: HTTP 404: The model `gpt-9` does not exist");
  }
  SECTION("Anthropic") {
    auto e = llm::status_error(529, R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})",
                               "anthropic chat claude", "");
    CHECK(llm::is(e, llm::errc::server_error));
    CHECK(e.reason == "overloaded_error");
    CHECK(e.message == "anthropic chat claude: HTTP 529: Overloaded");
  }
  SECTION("gateway detail, or no body at all") {
    CHECK(llm::status_error(400, R"({"detail":"bad model"})", "w", "").message == "w: HTTP 400: bad model");
    CHECK(llm::status_error(502, "<html>bad gateway</html>", "w", "").message == "w: HTTP 502");
  }
}

TEST_CASE("provider errors: the API key never survives into a message", "[llm]") {
  const std::string key = "sk-proj-abcdef0123456789SECRET";
  auto e = llm::status_error(
      401, R"({"error":{"message":"Incorrect API key provided: )" + key + R"(. See docs.","code":"invalid_api_key"}})",
      "openai chat m", key);
  CHECK(llm::is(e, llm::errc::unauthorized));
  CHECK(e.message.find(key) == std::string::npos);
  CHECK(e.message.find("SECRET") == std::string::npos);
  CHECK(e.message.find("[redacted]") != std::string::npos);
  SECTION("masked keys and keys that do not look like keys") {
    CHECK(llm::redact("Incorrect API key provided: sk-abc***xyz.", "") == "Incorrect API key provided: [redacted].");
    CHECK(llm::redact("bad key my-own-gateway-key!", "my-own-gateway-key") == "bad key [redacted]!");
    CHECK(llm::redact("a risk-free task-sk-1 desk", "") == "a risk-free task-sk-1 desk");
    CHECK(llm::redact(std::string(2000, 'x'), "").size() < 600);
  }
}

TEST_CASE("transport failures map to llm::errc", "[llm]") {
  const std::pair<http::errc, llm::errc> cases[] = {
      {http::errc::timeout, llm::errc::timeout},
      {http::errc::cancelled, llm::errc::cancelled},
      {http::errc::connect_failed, llm::errc::network},
      {http::errc::resolve_failed, llm::errc::network},
      {http::errc::connection_closed, llm::errc::network},
      {http::errc::tls_handshake_failed, llm::errc::network},
      {http::errc::malformed_response, llm::errc::malformed_response},
      {http::errc::body_too_large, llm::errc::malformed_response},
      {http::errc::invalid_argument, llm::errc::bad_request}};
  for (const auto& [in, want] : cases) {
    auto e = llm::from_http_error(http::make_error(in, "POST /v1/chat/completions: boom"), "openai chat m");
    CHECK(llm::is(e, want));
    CHECK(e.message == "openai chat m: POST /v1/chat/completions: boom");
  }
  CHECK(llm::to_string(llm::errc::rate_limited) == "rate_limited");
}

TEST_CASE("retry policy", "[llm]") {
  llm::retry_policy p;  // 3 attempts, 1s initial, 30s max
  SECTION("not retryable, or attempts exhausted") {
    CHECK_FALSE(llm::retry_delay(p, 1, llm::errc::unauthorized, std::nullopt, 0.0));
    CHECK_FALSE(llm::retry_delay(p, 1, llm::errc::bad_request, std::nullopt, 0.0));
    CHECK_FALSE(llm::retry_delay(p, 1, llm::errc::malformed_response, std::nullopt, 0.0));
    CHECK_FALSE(llm::retry_delay(p, 1, llm::errc::cancelled, std::nullopt, 0.0));
    CHECK_FALSE(llm::retry_delay(p, 3, llm::errc::server_error, std::nullopt, 0.0));
  }
  SECTION("exponential, capped, jitter only shortens") {
    p.max_attempts = 10;
    CHECK(llm::retry_delay(p, 1, llm::errc::server_error, std::nullopt, 0.0) == 1000ms);
    CHECK(llm::retry_delay(p, 2, llm::errc::timeout, std::nullopt, 0.0) == 2000ms);
    CHECK(llm::retry_delay(p, 3, llm::errc::network, std::nullopt, 0.0) == 4000ms);
    CHECK(llm::retry_delay(p, 9, llm::errc::network, std::nullopt, 0.0) == 30000ms);
    CHECK(llm::retry_delay(p, 2, llm::errc::server_error, std::nullopt, 0.999).value() > 1000ms);
    CHECK(llm::retry_delay(p, 2, llm::errc::server_error, std::nullopt, 0.999).value() <= 2000ms);
  }
  SECTION("Retry-After is honoured exactly, up to the cap") {
    CHECK(llm::retry_delay(p, 1, llm::errc::rate_limited, 7s, 0.9) == 7000ms);
    CHECK(llm::retry_delay(p, 1, llm::errc::server_error, 0s, 0.9) == 0ms);
    CHECK_FALSE(llm::retry_delay(p, 1, llm::errc::rate_limited, 120s, 0.0));  // over the 60s cap
    CHECK(llm::retry_delay(p, 1, llm::errc::rate_limited, std::nullopt, 0.0) == 1000ms);
  }
}

TEST_CASE("model lists", "[llm]") {
  auto openai = llm::parse_model_list(R"({"object":"list","data":[{"id":"gpt-4o","object":"model"},{"id":"o3"}]})");
  REQUIRE(openai);
  CHECK(*openai == std::vector<std::string>{"gpt-4o", "o3"});
  auto anthropic = llm::parse_model_list(R"({"data":[{"type":"model","id":"claude-sonnet-4-5"}],"has_more":false})");
  REQUIRE(anthropic);
  CHECK(anthropic->size() == 1);
  CHECK_FALSE(llm::parse_model_list(R"({"models":[]})"));
  CHECK_FALSE(llm::parse_model_list("nope"));
}
