// Anthropic messages mapping (PURE): golden request body (system hoisted, tool_use and
// tool_result blocks, merged turns), responses, and malformed bodies.
#include "langop/llm/anthropic_wire.hpp"
#include "langop/llm/errc.hpp"

#include "llm_fixtures.hpp"
#include "support/result_printing.hpp"

#include <catch2/catch.hpp>

using namespace langop;

TEST_CASE("anthropic: the golden conversation maps to the documented request body", "[llm]") {
  auto body = llm::anthropic_chat_body(test::golden_conversation(), "claude-sonnet-4-5");
  CHECK(json::value(body) == test::load_llm_fixture("anthropic_request_tools.json"));
}

TEST_CASE("anthropic: request rules", "[llm]") {
  llm::chat_request req;
  SECTION("max_tokens is always sent; no system without system turns") {
    req.messages.push_back(llm::message::user("hi"));
    auto body = llm::anthropic_chat_body(req, "claude");
    CHECK(body.at("max_tokens") == llm::anthropic_default_max_tokens);
    CHECK_FALSE(body.contains("system"));
    CHECK(jsonu::dump(body.at("messages")) == R"([{"role":"user","content":"hi"}])");
  }
  SECTION("parallel tool results become one user turn; text and tool_use share the assistant turn") {
    req.messages.push_back(llm::message::user("time and sum?"));
    req.messages.push_back(llm::message::assistant("Checking.", {{"t1", "time", "{}"}, {"t2", "calculator", "not json"}}));
    req.messages.push_back(llm::message::tool_result("t1", "noon"));
    req.messages.push_back(llm::message::tool_result("t2", "5"));
    auto body = llm::anthropic_chat_body(req, "claude");
    const auto& msgs = body.at("messages").as_array();
    REQUIRE(msgs.size() == 3);
    CHECK(jsonu::dump(msgs[1]) ==
          R"({"role":"assistant","content":[{"type":"text","text":"Checking."},)"
          R"({"type":"tool_use","id":"t1","name":"time","input":{}},)"
          R"({"type":"tool_use","id":"t2","name":"calculator","input":{}}]})");
    CHECK(jsonu::dump(msgs[2]) ==
          R"({"role":"user","content":[{"type":"tool_result","tool_use_id":"t1","content":"noon"},)"
          R"({"type":"tool_result","tool_use_id":"t2","content":"5"}]})");
  }
  SECTION("tool_choice mapping") {
    req.messages.push_back(llm::message::user("x"));
    req.tools.push_back({"calculator", "", test::calculator_schema()});
    const std::pair<const char*, const char*> cases[] = {{"auto", R"({"type":"auto"})"},
                                                         {"required", R"({"type":"any"})"},
                                                         {"none", R"({"type":"none"})"},
                                                         {"calculator", R"({"type":"tool","name":"calculator"})"}};
    for (const auto& [choice, want] : cases) {
      req.tool_choice = choice;
      CHECK(jsonu::dump(llm::anthropic_chat_body(req, "c").at("tool_choice")) == want);
    }
  }
}

TEST_CASE("anthropic: a tool_use response maps to the neutral model", "[llm]") {
  auto r = llm::parse_anthropic_chat(test::fixture_text("anthropic_response_tool_use.json"));
  REQUIRE(r);
  CHECK(r->id == "msg_01");
  CHECK(r->content == "Let me calculate.");
  CHECK(r->finish_reason == "tool_calls");
  REQUIRE(r->tool_calls.size() == 1);
  CHECK(r->tool_calls[0].id == "toolu_01");
  CHECK(r->tool_calls[0].name == "calculator");
  CHECK(r->tool_calls[0].arguments == R"({"expression":"6*7"})");
  CHECK(r->usage.prompt_tokens == 100);  // input + cache reads
  CHECK(r->usage.completion_tokens == 30);
}

TEST_CASE("anthropic: stop reasons map to OpenAI's vocabulary", "[llm]") {
  const std::pair<const char*, const char*> cases[] = {
      {"end_turn", "stop"}, {"stop_sequence", "stop"}, {"max_tokens", "length"}, {"tool_use", "tool_calls"},
      {"pause_turn", "pause_turn"}};
  for (const auto& [stop, want] : cases) {
    auto r = llm::parse_anthropic_chat(std::string(R"({"content":[{"type":"text","text":"x"}],"stop_reason":")") +
                                       stop + "\"}");
    REQUIRE(r);
    CHECK(r->finish_reason == want);
  }
}

TEST_CASE("anthropic: errors and malformed bodies", "[llm]") {
  SECTION("an error object") {
    auto r = llm::parse_anthropic_chat(R"({"type":"error","error":{"type":"overloaded_error","message":"Overloaded"}})");
    REQUIRE_FALSE(r);
    CHECK(llm::is(r.error(), llm::errc::server_error));
    CHECK(r.error().reason == "overloaded_error");
  }
  const char* bodies[] = {"{", R"({"content":"text"})", R"({"content":[{"type":"tool_use","name":"f"}]})"};
  for (const char* body : bodies) {
    INFO(body);
    auto r = llm::parse_anthropic_chat(body);
    REQUIRE_FALSE(r);
    CHECK(llm::is(r.error(), llm::errc::malformed_response));
  }
}
