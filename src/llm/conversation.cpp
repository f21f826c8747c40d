#include "langop/llm/conversation.hpp"

namespace langop::llm {

std::string_view to_string(role r) noexcept {
  switch (r) {
    case role::system: return "system";
    case role::user: return "user";
    case role::assistant: return "assistant";
    case role::tool: return "tool";
  }
  return "user";
}

std::optional<role> parse_role(std::string_view text) noexcept {
  if (text == "system") return role::system;
  if (text == "user") return role::user;
  if (text == "assistant") return role::assistant;
  if (text == "tool") return role::tool;
  return std::nullopt;
}

message message::system(std::string text) {
  message m;
  m.role = role::system;
  m.content = std::move(text);
  return m;
}

message message::user(std::string text) {
  message m;
  m.role = role::user;
  m.content = std::move(text);
  return m;
}

message message::assistant(std::string text, std::vector<tool_call> calls) {
  message m;
  m.role = role::assistant;
  m.content = std::move(text);
  m.tool_calls = std::move(calls);
  return m;
}

message message::tool_result(std::string call_id, std::string result) {
  message m;
  m.role = role::tool;
  m.tool_call_id = std::move(call_id);
  m.content = std::move(result);
  return m;
}

message chat_response::as_message() const { return message::assistant(content, tool_calls); }

}  // namespace langop::llm
