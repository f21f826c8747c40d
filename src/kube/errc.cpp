#include "langop/kube/errc.hpp"

#include "langop/core/json.hpp"

#include <charconv>

namespace langop::kube {
namespace {

class category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "kube"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::bad_request: return "bad request";
      case errc::unauthorized: return "unauthorized";
      case errc::forbidden: return "forbidden";
      case errc::not_found: return "not found";
      case errc::method_not_allowed: return "method not allowed";
      case errc::conflict: return "conflict";
      case errc::already_exists: return "already exists";
      case errc::gone: return "resource version too old";
      case errc::request_too_large: return "request too large";
      case errc::unsupported_media_type: return "unsupported media type";
      case errc::invalid: return "invalid";
      case errc::throttled: return "too many requests";
      case errc::server_error: return "server error";
      case errc::server_timeout: return "server timeout";
      case errc::unexpected_status: return "unexpected status";
      case errc::malformed_response: return "malformed response";
    }
    return "unknown kube error";
  }
};

errc code_for(int status, std::string_view reason) {
  if (reason == "AlreadyExists") return errc::already_exists;
  if (reason == "Expired" || reason == "Gone") return errc::gone;
  if (reason == "Timeout" || reason == "ServerTimeout") return errc::server_timeout;
  switch (status) {
    case 400: return errc::bad_request;
    case 401: return errc::unauthorized;
    case 403: return errc::forbidden;
    case 404: return errc::not_found;
    case 405: return errc::method_not_allowed;
    case 409: return errc::conflict;
    case 410: return errc::gone;
    case 413: return errc::request_too_large;
    case 415: return errc::unsupported_media_type;
    case 422: return errc::invalid;
    case 429: return errc::throttled;
    case 500:
    case 502:
    case 503: return errc::server_error;
    case 504: return errc::server_timeout;
    default: return errc::unexpected_status;
  }
}

}  // namespace

const boost::system::error_category& category() noexcept {
  static const category_impl c;
  return c;
}

error status_error(int http_status, std::string_view body, std::string_view what) {
  std::string reason, message;
  if (auto v = jsonu::parse(body); v && v->is_object() && jsonu::get_string(*v, {"kind"}) == "Status") {
    reason = jsonu::get_string(*v, {"reason"});
    message = jsonu::get_string(*v, {"message"});
  }
  if (message.empty()) {
    message = std::string(what) + ": the server responded with HTTP " + std::to_string(http_status);
    if (!reason.empty()) message += " (" + reason + ")";
  }
  const errc code = code_for(http_status, reason);  // before `reason` is moved below
  return error(make_error_code(code), std::move(message), http_status, std::move(reason));
}

bool is(const error& e, errc code) noexcept { return e.code == make_error_code(code); }

bool is_retryable(const error& e) noexcept {
  if (e.code.category() != category()) return false;
  auto c = static_cast<errc>(e.code.value());
  return c == errc::throttled || c == errc::server_error || c == errc::server_timeout;
}

std::optional<std::chrono::seconds> parse_retry_after(std::string_view header) {
  while (!header.empty() && header.front() == ' ') header.remove_prefix(1);
  long long secs = 0;
  auto [p, ec] = std::from_chars(header.data(), header.data() + header.size(), secs);
  if (ec != std::errc() || p == header.data() || secs < 0) return std::nullopt;
  return std::chrono::seconds(std::min<long long>(secs, 3600));
}

}  // namespace langop::kube
