// The models endpoint response (PURE): OpenAI, Azure, Ollama and Anthropic all answer
// GET .../models with {"data": [{"id": ...}, ...]}.
#pragma once

#include "langop/core/error.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace langop::llm {

// The model ids in order. Errors: malformed_response (not JSON, no "data" array).
[[nodiscard]] result<std::vector<std::string>> parse_model_list(std::string_view body);

}  // namespace langop::llm
