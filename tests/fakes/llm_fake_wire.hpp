// The fake LLM server's wire side: request views from either dialect, answers and error
// bodies rendered as each provider would send them.
#pragma once

#include "fakes/llm_server.hpp"

#include <string>
#include <string_view>

namespace langop::test::detail {

// A chat completion (OpenAI) or a message (Anthropic) carrying `a`.
[[nodiscard]] std::string render_answer(llm_dialect d, const llm_answer& a, const llm_request_view& req,
                                        std::uint64_t seq);
// The provider's error body: OpenAI {"error": {...}}, Anthropic {"type": "error", ...}.
[[nodiscard]] std::string render_error(llm_dialect d, std::string_view type, std::string_view message,
                                       std::string_view code = {});
// GET .../models in the dialect's shape.
[[nodiscard]] std::string render_models(llm_dialect d, const std::vector<std::string>& ids);

}  // namespace langop::test::detail
