// Anthropic messages wire format (PURE): request body from the neutral model and the
// response back to it. System turns become the top-level "system"; tool calls are
// tool_use blocks; tool results are tool_result blocks in a user turn.
#pragma once

#include "langop/core/error.hpp"
#include "langop/core/json.hpp"
#include "langop/llm/conversation.hpp"

#include <cstdint>
#include <string_view>

namespace langop::llm {

inline constexpr std::int64_t anthropic_default_max_tokens = 4096;

// POST /v1/messages body: model, max_tokens (required by the API), system, messages
// (consecutive turns of one role merged, since the API alternates user/assistant;
// assistant tool calls → tool_use {id, name, input}; tool results → user tool_result
// {tool_use_id, content}), tools [{name, description, input_schema}], tool_choice
// ({type: auto|any|none|tool}), temperature, top_p. Tool-call arguments that are not a
// JSON object are sent as {}: the API requires an object for tool_use.input.
[[nodiscard]] json::object anthropic_chat_body(const chat_request& req, std::string_view model);

// A 2xx message: content blocks (text joined, tool_use → tool_call with the input
// serialized as arguments), stop_reason mapped to OpenAI's vocabulary (end_turn and
// stop_sequence → stop, tool_use → tool_calls, max_tokens → length), usage
// {input_tokens, output_tokens}. Errors: malformed_response, or an embedded error.
[[nodiscard]] result<chat_response> parse_anthropic_chat(std::string_view body);

}  // namespace langop::llm
