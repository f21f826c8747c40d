// OpenAI chat completions mapping (PURE): golden request body, responses with text,
// tool calls, content parts, gateway quirks, and malformed bodies.
#include "langop/llm/errc.hpp"
#include "langop/llm/openai_wire.hpp"

#include "llm_fixtures.hpp"
#include "support/result_printing.hpp"

#include <catch2/catch.hpp>

using namespace langop;

TEST_CASE("openai: the golden conversation maps to the documented request body", "[llm]") {
  auto body = llm::openai_chat_body(test::golden_conversation(), "gpt-4o");
  CHECK(json::value(body) == test::load_llm_fixture("openai_request_tools.json"));
}

TEST_CASE("openai: request options", "[llm]") {
  llm::chat_request req;
  req.messages.push_back(llm::message::user("hi"));
  SECTION("the request's model wins over the endpoint's") {
    req.model = "gpt-4o-mini";
    CHECK(llm::openai_chat_body(req, "gpt-4o").at("model") == "gpt-4o-mini");
  }
  SECTION("api.openai.com takes max_completion_tokens") {
    req.max_tokens = 100;
    llm::openai_body_options o;
    o.use_max_completion_tokens = true;
    auto body = llm::openai_chat_body(req, "o3", o);
    CHECK(body.at("max_completion_tokens") == 100);
    CHECK_FALSE(body.contains("max_tokens"));
  }
  SECTION("no tools: no tools and no tool_choice, even if a choice is set") {
    req.tool_choice = "required";
    auto body = llm::openai_chat_body(req, "m");
    CHECK_FALSE(body.contains("tools"));
    CHECK_FALSE(body.contains("tool_choice"));
    CHECK_FALSE(body.contains("temperature"));
  }
  SECTION("a named tool choice becomes a function object") {
    req.tools.push_back({"calculator", "", test::calculator_schema()});
    req.tool_choice = "calculator";
    auto body = llm::openai_chat_body(req, "m");
    CHECK(jsonu::dump(body.at("tool_choice")) == R"({"type":"function","function":{"name":"calculator"}})");
    CHECK_FALSE(body.at("tools").at(0).at("function").as_object().contains("description"));
  }
  SECTION("an empty arguments string is sent as {}") {
    req.messages.push_back(llm::message::assistant("calling", {{"c1", "time", ""}}));
    auto body = llm::openai_chat_body(req, "m");
    const auto& m = body.at("messages").at(1);
    CHECK(m.at("content") == "calling");
    CHECK(m.at("tool_calls").at(0).at("function").at("arguments") == "{}");
  }
}

TEST_CASE("openai: a tool-call response maps to the neutral model", "[llm]") {
  auto r = llm::parse_openai_chat(test::fixture_text("openai_response_tool_calls.json"));
  REQUIRE(r);
  CHECK(r->id == "chatcmpl-abc");
  CHECK(r->model == "gpt-4o-2024-08-06");
  CHECK(r->content.empty());
  CHECK(r->finish_reason == "tool_calls");
  REQUIRE(r->tool_calls.size() == 2);
  CHECK(r->tool_calls[0].id == "call_9");
  CHECK(r->tool_calls[0].name == "calculator");
  CHECK(r->tool_calls[0].arguments == R"({"expression":"6*7"})");
  CHECK(r->tool_calls[1].name == "time");
  CHECK(r->usage.prompt_tokens == 82);
  CHECK(r->usage.completion_tokens == 17);
  CHECK(r->usage.total() == 99);
  auto m = r->as_message();
  CHECK(m.role == llm::role::assistant);
  CHECK(m.tool_calls.size() == 2);
}

TEST_CASE("openai: response variants", "[llm]") {
  SECTION("plain text") {
    auto r = llm::parse_openai_chat(
        R"({"choices":[{"message":{"role":"assistant","content":"Hello"},"finish_reason":"stop"}],"usage":{"prompt_tokens":3,"completion_tokens":1}})");
    REQUIRE(r);
    CHECK(r->content == "Hello");
    CHECK(r->finish_reason == "stop");
    CHECK(r->tool_calls.empty());
  }
  SECTION("content parts, object arguments, missing ids and finish reason (local servers)") {
    auto r = llm::parse_openai_chat(
        R"({"choices":[{"message":{"content":[{"type":"text","text":"a"},{"type":"text","text":"b"}],
            "tool_calls":[{"function":{"name":"f","arguments":{"x":1}}}]}}]})");
    REQUIRE(r);
    CHECK(r->content == "ab");
    REQUIRE(r->tool_calls.size() == 1);
    CHECK(r->tool_calls[0].id == "call_0");
    CHECK(r->tool_calls[0].arguments == R"({"x":1})");
    CHECK(r->finish_reason == "tool_calls");
    CHECK(r->usage.total() == 0);
  }
  SECTION("a 2xx body that carries an error (gateways)") {
    auto r = llm::parse_openai_chat(R"({"error":{"message":"Rate limit exceeded","code":429}})");
    REQUIRE_FALSE(r);
    CHECK(llm::is(r.error(), llm::errc::rate_limited));
    CHECK(r.error().message.find("Rate limit exceeded") != std::string::npos);
  }
}

TEST_CASE("openai: malformed responses are malformed_response errors", "[llm]") {
  const char* bodies[] = {
      "not json",
      "[]",
      R"({"choices":[]})",
      R"({"choices":[{"finish_reason":"stop"}]})",
      R"({"choices":[{"message":{"content":42}}]})",
      R"({"choices":[{"message":{"content":"x","tool_calls":{}}}]})",
      R"({"choices":[{"message":{"content":"x","tool_calls":[{"id":"1"}]}}]})",
      R"({"choices":[{"message":{"content":"x","tool_calls":[{"id":"1","function":{"arguments":"{}"}}]}}]})",
  };
  for (const char* body : bodies) {
    INFO(body);
    auto r = llm::parse_openai_chat(body);
    REQUIRE_FALSE(r);
    CHECK(llm::is(r.error(), llm::errc::malformed_response));
  }
}
