#include "langop/llm/provider_error.hpp"

#include <cctype>

namespace langop::llm {
namespace {

constexpr std::size_t max_message = 512;

std::string scalar_text(const json::value* v) {
  if (!v) return {};
  if (v->is_string()) return std::string(v->get_string());
  if (v->is_int64() || v->is_uint64()) return jsonu::dump(*v);
  return {};
}

provider_error_fields fields_of(const json::value& err) {
  provider_error_fields out;
  if (err.is_string()) {
    out.message = err.get_string();
    return out;
  }
  out.message = scalar_text(jsonu::find(err, {"message"}));
  out.type = scalar_text(jsonu::find(err, {"type"}));
  if (std::string code = scalar_text(jsonu::find(err, {"code"})); !code.empty() && (out.type.empty() ||
                                                                                   out.type == "invalid_request_error"))
    out.type = code;  // OpenAI: "invalid_api_key" says more than "invalid_request_error"
  return out;
}

bool key_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '*'; }

}  // namespace

errc code_for_status(int status) noexcept {
  if (status == 401 || status == 403) return errc::unauthorized;
  if (status == 429) return errc::rate_limited;
  if (status == 408) return errc::timeout;
  if (status >= 500) return errc::server_error;
  return errc::bad_request;
}

provider_error_fields parse_error_body(std::string_view body) {
  auto doc = jsonu::parse(body);
  if (!doc || !doc->is_object()) return {};
  if (const auto* err = jsonu::find(*doc, {"error"})) return fields_of(*err);
  provider_error_fields out;  // FastAPI-style gateways: {"detail": "..."}; others {"message": "..."}
  out.message = scalar_text(jsonu::find(*doc, {"detail"}));
  if (out.message.empty()) out.message = scalar_text(jsonu::find(*doc, {"message"}));
  return out;
}

std::string redact(std::string_view text_in, std::string_view secret) {
  std::string text(text_in);
  if (secret.size() >= 4) {
    for (auto at = text.find(secret); at != std::string::npos; at = text.find(secret, at))
      text.replace(at, secret.size(), "[redacted]");
  }
  // Providers echo (partly masked) keys: "Incorrect API key provided: sk-abc***xyz".
  for (std::size_t at = text.find("sk-"); at != std::string::npos; at = text.find("sk-", at)) {
    if (at > 0 && key_char(text[at - 1])) {
      at += 3;
      continue;
    }
    std::size_t end = at + 3;
    while (end < text.size() && key_char(text[end])) ++end;
    text.replace(at, end - at, "[redacted]");
  }
  if (text.size() > max_message) {
    text.resize(max_message);
    text += "...";
  }
  return text;
}

error status_error(int status, std::string_view body, std::string_view what, std::string_view secret) {
  auto fields = parse_error_body(body);
  std::string message = std::string(what) + ": HTTP " + std::to_string(status);
  if (!fields.message.empty()) message += ": " + fields.message;
  return make_error(code_for_status(status), redact(message, secret), status, redact(fields.type, secret));
}

error embedded_error(const json::value& err, std::string_view what) {
  auto fields = fields_of(err);
  errc code = errc::server_error;
  int status = 0;
  if (auto c = jsonu::get_int(err, {"code"}); c && *c >= 400 && *c <= 599) {
    status = static_cast<int>(*c);
    code = code_for_status(status);
  }
  std::string message = std::string(what) + ": the provider returned an error";
  if (!fields.message.empty()) message += ": " + fields.message;
  return make_error(code, redact(message, {}), status, redact(fields.type, {}));
}

}  // namespace langop::llm
