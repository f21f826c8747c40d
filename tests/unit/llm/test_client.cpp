// llm::client over loopback sockets against the in-process fake provider: tool calls in
// both dialects, 429 + Retry-After, 5xx retries, deadlines, malformed answers, bad keys,
// and that the key never reaches an error.
#include "langop/llm/client.hpp"
#include "langop/llm/errc.hpp"

#include "fakes/llm_server.hpp"
#include "llm_fixtures.hpp"
#include "support/async_test.hpp"

#include <catch2/catch.hpp>

using namespace langop;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using test::run_async;

namespace {

const std::string test_key = "sk-test-0123456789abcdefSECRET";

// Fast retries so the tests stay short; Retry-After is still honoured as sent.
llm::client_options fast_options(std::vector<llm::call_record>* records = nullptr) {
  llm::client_options o;
  o.retry.initial_backoff = 10ms;
  o.retry.max_backoff = 50ms;
  o.jitter_seed = 42;
  o.proxy = http::proxy_settings{};  // never the environment's proxy in tests
  if (records) o.on_call = [records](const llm::call_record& r) { records->push_back(r); };
  return o;
}

llm::client make_client(asio::io_context& io, const test::fake_llm_server& fake, std::string provider,
                        llm::client_options o) {
  llm::model_config cfg;
  cfg.provider = std::move(provider);
  cfg.model = "fake-model";
  cfg.endpoint = fake.base_url();
  auto c = llm::client::make(io.get_executor(), cfg, std::move(o));
  REQUIRE(c);
  return std::move(*c);
}

llm::chat_request calculator_question() {
  llm::chat_request req;
  req.messages.push_back(llm::message::system("You are a calculator agent."));
  req.messages.push_back(llm::message::user("What is 2+3?"));
  req.tools.push_back({"calculator", "Evaluates arithmetic", test::calculator_schema()});
  return req;
}

llm::chat_request hello() {
  llm::chat_request req;
  req.messages.push_back(llm::message::user("hello"));
  return req;
}

test::llm_answer calculator_call() {
  test::llm_answer a;
  a.tool_calls.push_back({"call_42", "calculator", R"({"expression":"2+3"})"});
  return a;
}

}  // namespace

TEST_CASE("llm client: a tool call comes back, in both dialects", "[llm]") {
  asio::io_context io;
  const std::string provider = GENERATE(std::string("openai-compatible"), std::string("anthropic"));
  INFO(provider);
  test::fake_llm_options fo;
  fo.api_key = test_key;
  test::fake_llm_server fake(io.get_executor(), fo);
  fake.answer_when("2+3", calculator_call());
  std::vector<llm::call_record> records;
  auto c = make_client(io, fake, provider, fast_options(&records));

  run_async(io, [&]() -> asio::awaitable<void> {
    auto r = co_await c.chat(calculator_question(), test_key, http::after(5s));
    REQUIRE(r);
    REQUIRE(r->tool_calls.size() == 1);
    CHECK(r->tool_calls[0].id == "call_42");
    CHECK(r->tool_calls[0].name == "calculator");
    auto args = jsonu::parse(r->tool_calls[0].arguments);
    REQUIRE(args);
    CHECK(jsonu::get_string(*args, {"expression"}) == "2+3");
    CHECK(r->finish_reason == "tool_calls");
    CHECK(r->usage.prompt_tokens > 0);
  }());
  REQUIRE(fake.last_chat());
  CHECK(fake.last_chat()->model == "fake-model");
  CHECK(fake.last_chat()->system.find("You are a calculator agent.") != std::string::npos);
  REQUIRE(fake.last_chat()->tools.size() == 1);
  CHECK(fake.last_chat()->tools[0].name == "calculator");
  // The key travels in exactly one header, as the provider expects it.
  REQUIRE(fake.seen().size() == 1);
  const auto& h = fake.seen()[0].headers;
  if (provider == "anthropic") {
    CHECK(h.get("x-api-key").value_or("") == test_key);
    CHECK_FALSE(h.contains("Authorization"));
    CHECK(h.contains("anthropic-version"));
  } else {
    CHECK(h.get("Authorization").value_or("") == "Bearer " + test_key);
    CHECK_FALSE(h.contains("x-api-key"));
  }
  CHECK(fake.last_body().find(test_key) == std::string::npos);
  REQUIRE(records.size() == 1);
  CHECK(records[0].outcome == "ok");
  CHECK(records[0].operation == "chat");
  CHECK(records[0].attempts == 1);
  CHECK(records[0].http_status == 200);
}

TEST_CASE("llm client: the tool result round trip ends in a final answer", "[llm]") {
  asio::io_context io;
  test::fake_llm_server fake(io.get_executor());
  fake.add_rule([](const test::llm_request_view& v) -> std::optional<test::llm_answer> {
    if (!v.last_tool_result) return std::nullopt;
    test::llm_answer a;
    a.text = "The answer is " + *v.last_tool_result;
    return a;
  });
  fake.answer_when("2+3", calculator_call());
  auto c = make_client(io, fake, "openai-compatible", fast_options());
  auto req = calculator_question();

  run_async(io, [&]() -> asio::awaitable<void> {
    auto first = co_await c.chat(req, test_key, http::after(5s));
    REQUIRE(first);
    REQUIRE(first->tool_calls.size() == 1);
    req.messages.push_back(first->as_message());
    req.messages.push_back(llm::message::tool_result(first->tool_calls[0].id, "5"));
    auto second = co_await c.chat(req, test_key, http::after(5s));
    REQUIRE(second);
    CHECK(second->content == "The answer is 5");
    CHECK(second->finish_reason == "stop");
    CHECK(second->tool_calls.empty());
  }());
  CHECK(fake.chat_calls() == 2);
}

TEST_CASE("llm client: 429 with Retry-After is waited out, then the call succeeds", "[llm]") {
  asio::io_context io;
  test::fake_llm_server fake(io.get_executor());
  fake.set_retry_after(1s);
  fake.fail_next(test::llm_fault::rate_limited);
  std::vector<llm::call_record> records;
  auto c = make_client(io, fake, "openai-compatible", fast_options(&records));

  run_async(io, [&]() -> asio::awaitable<void> {
    const auto started = std::chrono::steady_clock::now();
    auto r = co_await c.chat(hello(), test_key, http::after(10s));
    const auto took = std::chrono::steady_clock::now() - started;
    REQUIRE(r);
    CHECK(r->content == "This is the fake LLM's default answer.");
    CHECK(took >= 950ms);  // the server's 1s, not the 10ms backoff
    CHECK(took < 5s);
  }());
  CHECK(fake.calls() == 2);
  REQUIRE(records.size() == 1);
  CHECK(records[0].attempts == 2);
  CHECK(records[0].retry_after == std::optional<std::chrono::seconds>(1s));
}

TEST_CASE("llm client: a Retry-After beyond the cap fails fast with rate_limited", "[llm]") {
  asio::io_context io;
  test::fake_llm_server fake(io.get_executor());
  fake.set_retry_after(120s);
  fake.fail_next(test::llm_fault::rate_limited);
  auto c = make_client(io, fake, "anthropic", fast_options());

  run_async(io, [&]() -> asio::awaitable<void> {
    auto r = co_await c.chat(hello(), test_key, http::after(10s));
    REQUIRE_FALSE(r);
    CHECK(llm::is(r.error(), llm::errc::rate_limited));
    CHECK(r.error().http_status == 429);
    CHECK(r.error().reason == "rate_limit_error");
    CHECK(r.error().message.find("120s") != std::string::npos);
  }());
  CHECK(fake.calls() == 1);
}

TEST_CASE("llm client: 500s are retried up to max_attempts, then server_error", "[llm]") {
  asio::io_context io;
  test::fake_llm_server fake(io.get_executor());
  fake.fail_next(test::llm_fault::server_error, 5);
  std::vector<llm::call_record> records;
  auto c = make_client(io, fake, "openai-compatible", fast_options(&records));

  run_async(io, [&]() -> asio::awaitable<void> {
    auto r = co_await c.chat(hello(), test_key, http::after(5s));
    REQUIRE_FALSE(r);
    CHECK(llm::is(r.error(), llm::errc::server_error));
    CHECK(r.error().http_status == 500);
    CHECK(r.error().message.find("gave up after 3 attempts") != std::string::npos);
  }());
  CHECK(fake.calls() == 3);
  REQUIRE(records.size() == 1);
  CHECK(records[0].outcome == "server_error");
  CHECK(records[0].attempts == 3);
}

TEST_CASE("llm client: two 500s and then an answer is a success", "[llm]") {
  asio::io_context io;
  test::fake_llm_server fake(io.get_executor());
  fake.fail_next(test::llm_fault::server_error, 2);
  auto c = make_client(io, fake, "anthropic", fast_options());

  run_async(io, [&]() -> asio::awaitable<void> {
    auto r = co_await c.chat(hello(), test_key, http::after(5s));
    REQUIRE(r);
    CHECK(r->content == "This is the fake LLM's default answer.");
  }());
  CHECK(fake.calls() == 3);
}

TEST_CASE("llm client: a slow provider runs into the call's deadline", "[llm]") {
  asio::io_context io;
  test::fake_llm_server fake(io.get_executor());
  fake.set_latency(3s);
  std::vector<llm::call_record> records;
  auto c = make_client(io, fake, "openai-compatible", fast_options(&records));

  run_async(io, [&]() -> asio::awaitable<void> {
    const auto started = std::chrono::steady_clock::now();
    auto r = co_await c.chat(hello(), test_key, http::after(300ms));
    const auto took = std::chrono::steady_clock::now() - started;
    REQUIRE_FALSE(r);
    CHECK(llm::is(r.error(), llm::errc::timeout));
    CHECK(took >= 250ms);
    CHECK(took < 2s);
  }());
  REQUIRE(records.size() == 1);
  CHECK(records[0].outcome == "timeout");
}

TEST_CASE("llm client: an attempt timeout leaves room for a retry inside the deadline", "[llm]") {
  asio::io_context io;
  test::fake_llm_server fake(io.get_executor());
  fake.fail_next(test::llm_fault::never_answer);
  auto o = fast_options();
  o.attempt_timeout = 200ms;
  auto c = make_client(io, fake, "openai-compatible", o);

  run_async(io, [&]() -> asio::awaitable<void> {
    auto r = co_await c.chat(hello(), test_key, http::after(5s));
    REQUIRE(r);
  }());
  CHECK(fake.calls() == 2);
}

TEST_CASE("llm client: a 2xx body that is not JSON is malformed_response, not retried", "[llm]") {
  asio::io_context io;
  test::fake_llm_server fake(io.get_executor());
  fake.fail_next(test::llm_fault::malformed_json, 3);
  auto c = make_client(io, fake, "openai-compatible", fast_options());

  run_async(io, [&]() -> asio::awaitable<void> {
    auto r = co_await c.chat(hello(), test_key, http::after(5s));
    REQUIRE_FALSE(r);
    CHECK(llm::is(r.error(), llm::errc::malformed_response));
    CHECK(r.error().http_status == 200);
  }());
  CHECK(fake.calls() == 1);
}

TEST_CASE("llm client: a wrong key is unauthorized and never echoed", "[llm]") {
  asio::io_context io;
  const std::string provider = GENERATE(std::string("openai-compatible"), std::string("anthropic"));
  INFO(provider);
  test::fake_llm_options fo;
  fo.api_key = "the-right-key-123456";
  test::fake_llm_server fake(io.get_executor(), fo);
  std::vector<llm::call_record> records;
  auto c = make_client(io, fake, provider, fast_options(&records));
  const std::string wrong = "wrong-key-SECRET-987654321";

  run_async(io, [&]() -> asio::awaitable<void> {
    auto r = co_await c.chat(hello(), wrong, http::after(5s));
    REQUIRE_FALSE(r);
    CHECK(llm::is(r.error(), llm::errc::unauthorized));
    CHECK(r.error().http_status == 401);
    // The fake echoes the whole key it got (providers echo part of it): redacted here.
    CHECK(r.error().message.find(wrong) == std::string::npos);
    CHECK(r.error().message.find("SECRET") == std::string::npos);
    CHECK(r.error().reason.find(wrong) == std::string::npos);
    CHECK(r.error().describe().find(wrong) == std::string::npos);

    auto models = co_await c.list_models(wrong, http::after(5s));
    REQUIRE_FALSE(models);
    CHECK(llm::is(models.error(), llm::errc::unauthorized));
    CHECK(models.error().describe().find(wrong) == std::string::npos);
  }());
  CHECK(fake.rejected_keys() == 2);
  CHECK(fake.calls() == 2);  // 401 is not retried
  for (const auto& rec : records) CHECK(rec.outcome == "unauthorized");
}

TEST_CASE("llm client: no failure path puts the key in an error", "[llm]") {
  asio::io_context io;
  test::fake_llm_server fake(io.get_executor());
  const auto fault = GENERATE(test::llm_fault::rate_limited, test::llm_fault::server_error,
                              test::llm_fault::malformed_json, test::llm_fault::truncated_body,
                              test::llm_fault::drop_connection, test::llm_fault::never_answer);
  INFO(static_cast<int>(fault));
  fake.set_retry_after(120s);
  fake.fail_next(fault, 3);
  auto c = make_client(io, fake, "openai-compatible", fast_options());

  run_async(io, [&]() -> asio::awaitable<void> {
    auto r = co_await c.chat(hello(), test_key, http::after(400ms));
    REQUIRE_FALSE(r);
    CHECK(r.error().describe().find(test_key) == std::string::npos);
    CHECK(r.error().reason.find(test_key) == std::string::npos);
  }());
}

TEST_CASE("llm client: a missing key is refused before any request", "[llm]") {
  asio::io_context io;
  test::fake_llm_server fake(io.get_executor());
  auto c = make_client(io, fake, "openai", fast_options());

  run_async(io, [&]() -> asio::awaitable<void> {
    auto r = co_await c.chat(hello(), "", http::after(5s));
    REQUIRE_FALSE(r);
    CHECK(llm::is(r.error(), llm::errc::unauthorized));
    CHECK(r.error().message.find("apiKeySecretRef") != std::string::npos);
  }());
  CHECK(fake.calls() == 0);
}

TEST_CASE("llm client: list_models returns the ids", "[llm]") {
  asio::io_context io;
  const std::string provider = GENERATE(std::string("openai-compatible"), std::string("anthropic"));
  INFO(provider);
  test::fake_llm_server fake(io.get_executor());
  auto c = make_client(io, fake, provider, fast_options());

  run_async(io, [&]() -> asio::awaitable<void> {
    auto r = co_await c.list_models(test_key, http::after(5s));
    REQUIRE(r);
    CHECK(*r == std::vector<std::string>{"fake-model", "fake-model-large"});
  }());
  CHECK(fake.model_list_calls() == 1);
  REQUIRE(fake.seen().size() == 1);
  CHECK(fake.seen()[0].target == "/v1/models");
}
