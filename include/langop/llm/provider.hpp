// LanguageModel providers and the wire format each one speaks (PURE).
#pragma once

#include <optional>
#include <string_view>

namespace langop::llm {

enum class provider { openai, anthropic, azure, bedrock, vertex, ollama, openai_compatible, custom };

// The two request/response formats: OpenAI chat completions (which every gateway,
// Azure, Ollama and LiteLLM speak) and Anthropic messages.
enum class wire_format { openai, anthropic };

// The CRD spelling ("openai-compatible"); nullopt for anything else.
[[nodiscard]] std::optional<provider> parse_provider(std::string_view text) noexcept;
[[nodiscard]] std::string_view to_string(provider p) noexcept;
[[nodiscard]] std::string_view to_string(wire_format w) noexcept;

}  // namespace langop::llm
