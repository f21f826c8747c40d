// Where and how to call a LanguageModel's provider (PURE): base URL defaults per
// provider, request paths (Azure deployments, Anthropic /v1), auth header style, and the
// headers of one call. Bedrock and Vertex are reached only through an OpenAI-compatible
// gateway URL (e.g. the LanguageModel's own LiteLLM proxy).
#pragma once

#include "langop/core/error.hpp"
#include "langop/http/header_list.hpp"
#include "langop/llm/provider.hpp"

#include <string>
#include <string_view>

namespace langop::llm {

// What a LanguageModel spec says about its endpoint. Not an aggregate (GCC 12 rule).
struct model_config {
  model_config() = default;

  std::string provider;  // spec.provider, CRD spelling
  std::string model;     // spec.model (Azure: the deployment name)
  std::string endpoint;  // spec.endpoint; empty: the provider's public API
  std::string api_version;  // Azure "api-version"; empty: default_azure_api_version
};

inline constexpr std::string_view default_azure_api_version = "2024-10-21";
inline constexpr std::string_view anthropic_api_version = "2023-06-01";

enum class auth_style {
  bearer,     // Authorization: Bearer <key>   (OpenAI and compatible gateways)
  api_key,    // api-key: <key>                 (Azure OpenAI)
  x_api_key,  // x-api-key: <key>               (Anthropic)
};

struct model_endpoint {
  llm::provider provider = llm::provider::openai;
  wire_format wire = wire_format::openai;
  std::string base_url;     // "http(s)://host[:port][/prefix]", no trailing '/'
  std::string model;        // default model for requests that name none
  std::string chat_path;    // appended to base_url, may carry a query ("?api-version=")
  std::string models_path;  // GET: the key validation call
  auth_style auth = auth_style::bearer;
  bool key_required = true;  // Ollama and gateways may run without a key
  // api.openai.com wants max_completion_tokens (o-series reject max_tokens); gateways,
  // Azure (older api-versions) and Ollama understand max_tokens.
  bool use_max_completion_tokens = false;
};

// Resolution rules (a base URL is used as given, OpenAI SDK style, except where noted):
//   openai             default https://api.openai.com/v1
//   anthropic          default https://api.anthropic.com/v1; "/v1" appended when missing
//   azure              endpoint required (https://<res>.openai.azure.com); chat goes to
//                      /openai/deployments/<model>/chat/completions?api-version=...; an
//                      endpoint ending in /openai/deployments/<d> names the deployment;
//                      one ending in /openai/v1 is used OpenAI-style with the api-key header
//   ollama             default http://localhost:11434/v1; "/v1" appended when missing
//   openai-compatible, custom, bedrock, vertex: endpoint required (a gateway URL)
// Errors: unsupported_provider (unknown provider, or a gateway-only provider without
// endpoint — the message says what to set), bad_request (endpoint not an http(s) URL,
// Azure without endpoint or deployment).
[[nodiscard]] result<model_endpoint> resolve_endpoint(const model_config& cfg);

// Content-Type/Accept JSON, the provider's auth header carrying `api_key` (omitted when
// the key is empty) and anthropic-version for Anthropic. The key goes into the header
// list and nowhere else.
[[nodiscard]] http::header_list request_headers(const model_endpoint& ep, std::string_view api_key);

}  // namespace langop::llm
