// Provider error responses as typed errors (PURE): status → llm::errc, the provider's
// own message and type from the body (OpenAI {"error": {message, type, code}},
// Anthropic {"type": "error", "error": {type, message}}, gateway {"detail": ...}), and
// redaction so an API key echoed by a provider never reaches a message.
#pragma once

#include "langop/core/error.hpp"
#include "langop/core/json.hpp"
#include "langop/llm/errc.hpp"

#include <string>
#include <string_view>

namespace langop::llm {

// 401/403 unauthorized; 429 rate_limited; 408 timeout; 5xx (and 529) server_error;
// other 4xx bad_request.
[[nodiscard]] errc code_for_status(int status) noexcept;

// The error for a non-2xx response: "<what>: HTTP <status>: <provider message>", the
// HTTP status, and reason = the provider's error type/code ("invalid_api_key",
// "rate_limit_error"). `secret` (the API key) is redacted from everything kept.
[[nodiscard]] error status_error(int status, std::string_view body, std::string_view what, std::string_view secret);

// An error object inside a 2xx body (some gateways answer 200 {"error": {...}}): its
// numeric "code" (an HTTP status) picks the errc when present, else server_error.
[[nodiscard]] error embedded_error(const json::value& err, std::string_view what);

// The provider's error message and type from an error body; empty when none.
struct provider_error_fields {
  std::string message;
  std::string type;
};
[[nodiscard]] provider_error_fields parse_error_body(std::string_view body);

// Replaces every occurrence of `secret` (when at least 4 bytes long) and every
// key-looking token ("sk-…", "sk-ant-…") with "[redacted]", and bounds the length.
[[nodiscard]] std::string redact(std::string_view text, std::string_view secret);

}  // namespace langop::llm
