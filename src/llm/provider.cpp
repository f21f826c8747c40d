#include "langop/llm/provider.hpp"

namespace langop::llm {

std::optional<provider> parse_provider(std::string_view text) noexcept {
  if (text == "openai") return provider::openai;
  if (text == "anthropic") return provider::anthropic;
  if (text == "azure") return provider::azure;
  if (text == "bedrock") return provider::bedrock;
  if (text == "vertex") return provider::vertex;
  if (text == "ollama") return provider::ollama;
  if (text == "openai-compatible") return provider::openai_compatible;
  if (text == "custom") return provider::custom;
  return std::nullopt;
}

std::string_view to_string(provider p) noexcept {
  switch (p) {
    case provider::openai: return "openai";
    case provider::anthropic: return "anthropic";
    case provider::azure: return "azure";
    case provider::bedrock: return "bedrock";
    case provider::vertex: return "vertex";
    case provider::ollama: return "ollama";
    case provider::openai_compatible: return "openai-compatible";
    case provider::custom: return "custom";
  }
  return "custom";
}

std::string_view to_string(wire_format w) noexcept { return w == wire_format::anthropic ? "anthropic" : "openai"; }

}  // namespace langop::llm
