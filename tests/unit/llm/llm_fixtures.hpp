// Shared inputs of the [llm] tests: the golden conversation and fixture loading.
#pragma once

#include "langop/core/json.hpp"
#include "langop/llm/conversation.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

namespace langop::test {

inline json::value load_llm_fixture(const std::string& name) {
  std::ifstream in(std::string(LANGOP_SOURCE_DIR) + "/tests/fixtures/llm/" + name);
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  auto v = jsonu::parse(ss.str());
  REQUIRE(v);
  return *v;
}

inline std::string fixture_text(const std::string& name) { return jsonu::dump(load_llm_fixture(name)); }

inline json::object calculator_schema() {
  auto v = jsonu::parse(R"({"type":"object","properties":{"expression":{"type":"string"}},"required":["expression"]})");
  return v->get_object();
}

// system ×2, user, assistant tool call, tool result, user: every mapping rule at once.
inline llm::chat_request golden_conversation() {
  llm::chat_request req;
  req.messages.push_back(llm::message::system("You are a calculator agent."));
  req.messages.push_back(llm::message::system("Answer briefly."));
  req.messages.push_back(llm::message::user("What is 2+3?"));
  req.messages.push_back(llm::message::assistant("", {{"call_1", "calculator", R"({"expression":"2+3"})"}}));
  req.messages.push_back(llm::message::tool_result("call_1", "5"));
  req.messages.push_back(llm::message::user("Thanks. And now?"));
  req.tools.push_back({"calculator", "Evaluates arithmetic", calculator_schema()});
  req.tools.push_back({"time", "Current time", {}});
  req.tool_choice = "auto";
  req.temperature = 0.2;
  req.max_tokens = 256;
  return req;
}

}  // namespace langop::test
