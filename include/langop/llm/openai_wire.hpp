// OpenAI chat completions wire format (PURE): request body from the neutral model and
// the response back to it. Spoken by OpenAI, Azure OpenAI, Ollama's /v1, LiteLLM and
// every "OpenAI-compatible" gateway.
#pragma once

#include "langop/core/error.hpp"
#include "langop/core/json.hpp"
#include "langop/llm/conversation.hpp"

#include <string>
#include <string_view>

namespace langop::llm {

struct openai_body_options {
  bool use_max_completion_tokens = false;  // see model_endpoint
};

// POST .../chat/completions body: model, messages (system/user/assistant with
// tool_calls/tool with tool_call_id), tools [{type: function, function: {name,
// description, parameters}}], tool_choice, temperature, top_p, max_(completion_)tokens.
// `model` replaces req.model when req.model is empty.
[[nodiscard]] json::object openai_chat_body(const chat_request& req, std::string_view model,
                                            const openai_body_options& opts = {});

// A 2xx chat completion: choices[0].message {content (string, null or text parts),
// tool_calls [{id, function {name, arguments}}]}, finish_reason, usage {prompt_tokens,
// completion_tokens}. Arguments given as an object (some gateways) are serialized.
// A 2xx body carrying {"error": ...} (some gateways) is reported as that error.
// Errors: malformed_response (not JSON, no choices, no message), or the embedded error.
[[nodiscard]] result<chat_response> parse_openai_chat(std::string_view body);

}  // namespace langop::llm
