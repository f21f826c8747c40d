// The fake LLM provider itself: request views from both dialects, the demo rules
// (synthesis answers a fenced Ruby agent block), latency, and bodies as the client sees them.
#include "langop/llm/client.hpp"

#include "fakes/llm_demo_rules.hpp"
#include "fakes/llm_server.hpp"
#include "support/async_test.hpp"

#include <catch2/catch.hpp>

using namespace langop;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using test::run_async;

namespace {

const char* synthesis_prompt =
    "Synthesize Ruby DSL code for a language agent.\n"
    "Agent name: daily-digest\n"
    "Instructions: Summarize the news every morning\n"
    "Schedule: 0 8 * * *\n";

llm::client demo_client(asio::io_context& io, const test::fake_llm_server& fake, const char* provider) {
  llm::model_config cfg;
  cfg.provider = provider;
  cfg.model = "demo";
  cfg.endpoint = fake.base_url();
  llm::client_options o;
  o.proxy = http::proxy_settings{};
  auto c = llm::client::make(io.get_executor(), cfg, o);
  REQUIRE(c);
  return std::move(*c);
}

}  // namespace

TEST_CASE("fake llm: request views from both dialects", "[llm]") {
  auto openai = test::parse_chat_request(
      test::llm_dialect::openai,
      R"({"model":"m","messages":[{"role":"system","content":"sys"},{"role":"user","content":"hi"},)"
      R"({"role":"assistant","content":null,"tool_calls":[{"id":"c1","type":"function","function":{"name":"t","arguments":"{}"}}]},)"
      R"({"role":"tool","tool_call_id":"c1","content":"42"}],)"
      R"("tools":[{"type":"function","function":{"name":"t","description":"d","parameters":{"type":"object"}}}]})");
  REQUIRE(openai);
  CHECK(openai->model == "m");
  CHECK(openai->system == "sys");
  CHECK(openai->last_user_text == "hi");
  CHECK(openai->last_tool_result == std::optional<std::string>("42"));
  REQUIRE(openai->tools.size() == 1);
  CHECK(openai->tools[0].name == "t");

  auto anthropic = test::parse_chat_request(
      test::llm_dialect::anthropic,
      R"({"model":"c","max_tokens":10,"system":"sys","messages":[{"role":"user","content":[{"type":"text","text":"hello"}]}],)"
      R"("tools":[{"name":"t","input_schema":{"type":"object"}}]})");
  REQUIRE(anthropic);
  CHECK(anthropic->system == "sys");
  CHECK(anthropic->last_user_text == "hello");
  CHECK_FALSE(anthropic->last_tool_result);
  REQUIRE(anthropic->tools.size() == 1);

  CHECK_FALSE(test::parse_chat_request(test::llm_dialect::openai, "not json"));
  CHECK_FALSE(test::parse_chat_request(test::llm_dialect::openai, R"({"model":"m"})"));
}

TEST_CASE("fake llm: agent names in synthesis prompts", "[llm]") {
  CHECK(test::agent_name_from_prompt("Agent name: web-watch\n") == std::optional<std::string>("web-watch"));
  CHECK(test::agent_name_from_prompt("AGENT_NAME=digest") == std::optional<std::string>("digest"));
  CHECK(test::agent_name_from_prompt("write an agent called 'pager'") == std::optional<std::string>("pager"));
  CHECK(test::agent_name_from_prompt("like agent 'a' do end, then agent 'b' do end") ==
        std::optional<std::string>("b"));
  CHECK_FALSE(test::agent_name_from_prompt("no name here"));
}

TEST_CASE("fake llm: demo agent code is a fenced Ruby agent block", "[llm]") {
  auto code = test::demo_agent_code("o'brien", "Say it's fine", "0 8 * * *");
  CHECK(code.starts_with("```ruby\n"));
  CHECK(code.ends_with("end\n```\n"));
  CHECK(code.find("agent 'o\\'brien' do\n") != std::string::npos);
  CHECK(code.find("schedule cron: '0 8 * * *'") != std::string::npos);
  CHECK(code.find("'Say it\\'s fine'") != std::string::npos);
  CHECK(code.find("workflow do") != std::string::npos);
}

TEST_CASE("fake llm: the demo rules answer synthesis, tool use and anything else", "[llm]") {
  asio::io_context io;
  const char* provider = GENERATE("openai-compatible", "anthropic");
  INFO(provider);
  test::fake_llm_server fake(io.get_executor());
  for (auto& rule : test::demo_rules()) fake.add_rule(std::move(rule));
  auto c = demo_client(io, fake, provider);

  llm::chat_request synth;
  synth.messages.push_back(llm::message::system("You write agents in the language_operator Ruby DSL."));
  synth.messages.push_back(llm::message::user(synthesis_prompt));
  llm::chat_request tool_use;
  tool_use.messages.push_back(llm::message::user("Please use the calculator on 6*7"));
  llm::tool_def calc;
  calc.name = "calculator";
  calc.parameters = jsonu::parse(R"({"type":"object","properties":{"expression":{"type":"string"}},"required":["expression"]})")
                        ->get_object();
  tool_use.tools.push_back(calc);
  llm::chat_request chat;
  chat.messages.push_back(llm::message::user("hello there"));

  run_async(io, [&]() -> asio::awaitable<void> {
    auto s = co_await c.chat(synth, "k", http::after(5s));
    REQUIRE(s);
    CHECK(s->content.find("```ruby\n") != std::string::npos);
    CHECK(s->content.find("agent 'daily-digest' do\n") != std::string::npos);
    CHECK(s->content.find("'Summarize the news every morning'") != std::string::npos);
    CHECK(s->content.find("schedule cron: '0 8 * * *'") != std::string::npos);

    auto t = co_await c.chat(tool_use, "k", http::after(5s));
    REQUIRE(t);
    REQUIRE(t->tool_calls.size() == 1);
    CHECK(t->tool_calls[0].name == "calculator");
    CHECK(t->tool_calls[0].arguments == R"({"expression":"6*7"})");
    tool_use.messages.push_back(t->as_message());
    tool_use.messages.push_back(llm::message::tool_result(t->tool_calls[0].id, "42"));
    auto done = co_await c.chat(tool_use, "k", http::after(5s));
    REQUIRE(done);
    CHECK(done->content == "Done. The tool returned: 42");

    auto d = co_await c.chat(chat, "k", http::after(5s));
    REQUIRE(d);
    CHECK(d->content == "(langop demo model) I received: hello there");
  }());
  CHECK(fake.chat_calls() == 4);
}

TEST_CASE("fake llm: fixed latency delays every answer", "[llm]") {
  asio::io_context io;
  test::fake_llm_options fo;
  fo.latency = 150ms;
  test::fake_llm_server fake(io.get_executor(), fo);
  auto c = demo_client(io, fake, "openai-compatible");
  llm::chat_request req;
  req.messages.push_back(llm::message::user("hi"));

  run_async(io, [&]() -> asio::awaitable<void> {
    const auto started = std::chrono::steady_clock::now();
    auto r = co_await c.chat(req, "k", http::after(5s));
    REQUIRE(r);
    CHECK(std::chrono::steady_clock::now() - started >= 140ms);
  }());
}

TEST_CASE("fake llm: requests it cannot serve are answered like a provider would", "[llm]") {
  asio::io_context io;
  test::fake_llm_server fake(io.get_executor());
  auto c = demo_client(io, fake, "anthropic");
  llm::chat_request req;
  req.messages.push_back(llm::message::user("hi"));

  run_async(io, [&]() -> asio::awaitable<void> {
    auto r = co_await c.chat(req, "k", http::after(5s));
    REQUIRE(r);
  }());
  REQUIRE(fake.seen().size() == 1);
  CHECK(fake.seen()[0].target == "/v1/messages");
  auto body = jsonu::parse(fake.last_body());
  REQUIRE(body);
  CHECK(jsonu::find(*body, {"max_tokens"}) != nullptr);
}
