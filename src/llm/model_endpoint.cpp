#include "langop/llm/model_endpoint.hpp"

#include "langop/llm/errc.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <cctype>

namespace langop::llm {
namespace {

struct base_url {
  std::string origin;  // scheme://authority
  std::string path;    // "" or "/prefix" without trailing '/'
  [[nodiscard]] std::string full() const { return origin + path; }
};

result<base_url> split_url(std::string_view provider, std::string_view url) {
  auto parsed = boost::urls::parse_uri(url);
  // The URL is not echoed when it carries user info (it might hold a password).
  const std::string shown = parsed && parsed->has_userinfo() ? std::string("(redacted)") : std::string(url);
  const std::string where = std::string(provider) + " endpoint \"" + shown + "\"";
  if (!parsed) return make_error(errc::bad_request, where + " is not a URL (want http(s)://host[:port][/path])");
  const auto& u = *parsed;
  if (u.scheme() != "http" && u.scheme() != "https") return make_error(errc::bad_request, where + ": scheme must be http or https");
  if (u.host_address().empty()) return make_error(errc::bad_request, where + " has no host");
  if (u.has_userinfo() || u.has_query() || u.has_fragment())
    return make_error(errc::bad_request, where + ": user info, query and fragment are not allowed");
  base_url out;
  out.origin = std::string(u.scheme()) + "://" + std::string(u.encoded_authority());
  out.path = std::string(u.encoded_path());
  while (!out.path.empty() && out.path.back() == '/') out.path.pop_back();
  return out;
}

std::string with_v1(std::string path) {
  if (!path.ends_with("/v1")) path += "/v1";
  return path;
}

bool safe_query_value(std::string_view v) {
  for (char c : v)
    if (!std::isalnum(static_cast<unsigned char>(c)) && c != '-' && c != '.' && c != '_') return false;
  return !v.empty();
}

std::string encode_segment(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  for (unsigned char c : s) {
    if (std::isalnum(c) || c == '-' || c == '.' || c == '_' || c == '~') {
      out += static_cast<char>(c);
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

result<model_endpoint> resolve_azure(const model_config& cfg, model_endpoint ep) {
  if (cfg.endpoint.empty())
    return make_error(errc::bad_request,
                      "provider azure needs spec.endpoint (https://<resource>.openai.azure.com)");
  auto url = split_url("azure", cfg.endpoint);
  if (!url) return url.error();
  ep.auth = auth_style::api_key;
  if (url->path.ends_with("/openai/v1")) {  // the v1 API: OpenAI paths, no api-version
    ep.base_url = url->full();
    ep.chat_path = "/chat/completions";
    ep.models_path = "/models";
    return ep;
  }
  std::string deployment = cfg.model;
  std::string prefix = url->path;
  if (auto at = prefix.find("/openai/deployments/"); at != std::string::npos) {
    deployment = prefix.substr(at + 20);
    deployment = deployment.substr(0, deployment.find('/'));
    prefix.resize(at);
  } else if (prefix.ends_with("/openai")) {
    prefix.resize(prefix.size() - 7);
  }
  if (deployment.empty())
    return make_error(errc::bad_request, "provider azure needs spec.model: the name of the deployment");
  const std::string version = cfg.api_version.empty() ? std::string(default_azure_api_version) : cfg.api_version;
  if (!safe_query_value(version)) return make_error(errc::bad_request, "azure api-version \"" + version + "\" is not valid");
  ep.base_url = url->origin + prefix;
  ep.chat_path = "/openai/deployments/" + encode_segment(deployment) + "/chat/completions?api-version=" + version;
  ep.models_path = "/openai/models?api-version=" + version;
  return ep;
}

}  // namespace

result<model_endpoint> resolve_endpoint(const model_config& cfg) {
  auto p = parse_provider(cfg.provider);
  if (!p)
    return make_error(errc::unsupported_provider,
                      "unknown provider \"" + cfg.provider +
                          "\" (want openai, anthropic, azure, bedrock, vertex, ollama, openai-compatible or custom)");
  model_endpoint ep;
  ep.provider = *p;
  ep.model = cfg.model;
  ep.chat_path = "/chat/completions";
  ep.models_path = "/models";
  const std::string_view name = to_string(*p);

  switch (*p) {
    case provider::openai: {
      ep.use_max_completion_tokens = true;
      if (cfg.endpoint.empty()) {
        ep.base_url = "https://api.openai.com/v1";
        return ep;
      }
      auto url = split_url(name, cfg.endpoint);
      if (!url) return url.error();
      ep.base_url = url->full();
      return ep;
    }
    case provider::anthropic: {
      ep.wire = wire_format::anthropic;
      ep.auth = auth_style::x_api_key;
      ep.chat_path = "/messages";
      if (cfg.endpoint.empty()) {
        ep.base_url = "https://api.anthropic.com/v1";
        return ep;
      }
      auto url = split_url(name, cfg.endpoint);
      if (!url) return url.error();
      ep.base_url = url->origin + with_v1(url->path);  // Anthropic SDKs take the base without /v1
      return ep;
    }
    case provider::azure: return resolve_azure(cfg, std::move(ep));
    case provider::ollama: {
      ep.key_required = false;
      if (cfg.endpoint.empty()) {
        ep.base_url = "http://localhost:11434/v1";
        return ep;
      }
      auto url = split_url(name, cfg.endpoint);
      if (!url) return url.error();
      ep.base_url = url->origin + with_v1(url->path);  // Ollama's OpenAI API lives under /v1
      return ep;
    }
    case provider::bedrock:
    case provider::vertex:
    case provider::openai_compatible:
    case provider::custom: {
      ep.key_required = false;
      if (cfg.endpoint.empty()) {
        if (*p == provider::bedrock || *p == provider::vertex)
          return make_error(errc::unsupported_provider,
                            "provider " + std::string(name) +
                                " is reached through an OpenAI-compatible gateway: set spec.endpoint to its URL "
                                "(e.g. the LanguageModel's LiteLLM proxy, http://<name>.<namespace>.svc:8000)");
        return make_error(errc::unsupported_provider,
                          "provider " + std::string(name) + " needs spec.endpoint: the base URL of the OpenAI-compatible API");
      }
      auto url = split_url(name, cfg.endpoint);
      if (!url) return url.error();
      ep.base_url = url->full();
      return ep;
    }
  }
  return make_error(errc::unsupported_provider, "unknown provider \"" + cfg.provider + "\"");
}

http::header_list request_headers(const model_endpoint& ep, std::string_view api_key) {
  http::header_list h;
  h.add("Content-Type", "application/json");
  h.add("Accept", "application/json");
  if (ep.wire == wire_format::anthropic) h.add("anthropic-version", std::string(anthropic_api_version));
  if (!api_key.empty()) {
    switch (ep.auth) {
      case auth_style::bearer: h.add("Authorization", "Bearer " + std::string(api_key)); break;
      case auth_style::api_key: h.add("api-key", std::string(api_key)); break;
      case auth_style::x_api_key: h.add("x-api-key", std::string(api_key)); break;
    }
  }
  return h;
}

}  // namespace langop::llm
