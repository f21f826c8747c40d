// The provider-neutral conversation model (PURE data): what the agent task loops and the
// synthesizer build, and what both wire formats (OpenAI, Anthropic) map to and from.
// The types form one model, so they live together.
#pragma once

#include "langop/core/json.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace langop::llm {

enum class role { system, user, assistant, tool };

[[nodiscard]] std::string_view to_string(role r) noexcept;
[[nodiscard]] std::optional<role> parse_role(std::string_view text) noexcept;

// One function call the model asked for.
struct tool_call {
  std::string id;         // the provider's call id; a tool result answers it
  std::string name;       // function name
  std::string arguments;  // a JSON object as text, as the model produced it (may be invalid JSON)
};

struct message {
  llm::role role = llm::role::user;
  std::string content;
  std::vector<tool_call> tool_calls;  // assistant turns that call tools
  std::string tool_call_id;           // role::tool: the call this result answers

  [[nodiscard]] static message system(std::string text);
  [[nodiscard]] static message user(std::string text);
  [[nodiscard]] static message assistant(std::string text, std::vector<tool_call> calls = {});
  [[nodiscard]] static message tool_result(std::string call_id, std::string result);
};

// A function the model may call (OpenAI "function" tool / Anthropic custom tool).
struct tool_def {
  std::string name;
  std::string description;
  json::object parameters;  // JSON Schema of the arguments object; empty: no arguments
};

struct token_usage {
  std::int64_t prompt_tokens = 0;
  std::int64_t completion_tokens = 0;
  [[nodiscard]] std::int64_t total() const noexcept { return prompt_tokens + completion_tokens; }
};

// Not an aggregate on purpose: coroutines take it by value (GCC 12, docs/DEVELOPING.md).
struct chat_request {
  chat_request() = default;

  std::string model;  // empty: the endpoint's configured model
  std::vector<message> messages;
  std::vector<tool_def> tools;
  // "" (provider default), "auto", "none", "required" (must call some tool), or the name
  // of the one tool the model must call.
  std::string tool_choice;
  std::optional<double> temperature;
  std::optional<double> top_p;
  std::optional<std::int64_t> max_tokens;  // Anthropic requires one: 4096 when unset
};

struct chat_response {
  std::string id;
  std::string model;
  std::string content;  // the text of the answer (text blocks joined)
  std::vector<tool_call> tool_calls;
  // OpenAI vocabulary for both providers: "stop", "tool_calls", "length",
  // "content_filter"; other provider values are passed through.
  std::string finish_reason;
  token_usage usage;

  // The assistant turn to append to the conversation before the tool results.
  [[nodiscard]] message as_message() const;
};

}  // namespace langop::llm
