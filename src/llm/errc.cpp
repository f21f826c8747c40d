#include "langop/llm/errc.hpp"

#include "langop/http/errc.hpp"

namespace langop::llm {
namespace {

class category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "langop.llm"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::unauthorized: return "unauthorized";
      case errc::rate_limited: return "rate limited";
      case errc::bad_request: return "bad request";
      case errc::server_error: return "provider server error";
      case errc::timeout: return "timed out";
      case errc::malformed_response: return "malformed response";
      case errc::unsupported_provider: return "unsupported provider";
      case errc::network: return "network error";
      case errc::cancelled: return "cancelled";
    }
    return "unknown llm error";
  }
};

}  // namespace

const boost::system::error_category& category() noexcept {
  static const category_impl instance;
  return instance;
}

std::optional<errc> code_of(const error& e) noexcept {
  if (e.code.category() != category()) return std::nullopt;
  return static_cast<errc>(e.code.value());
}

std::string_view to_string(errc e) noexcept {
  switch (e) {
    case errc::unauthorized: return "unauthorized";
    case errc::rate_limited: return "rate_limited";
    case errc::bad_request: return "bad_request";
    case errc::server_error: return "server_error";
    case errc::timeout: return "timeout";
    case errc::malformed_response: return "malformed_response";
    case errc::unsupported_provider: return "unsupported_provider";
    case errc::network: return "network";
    case errc::cancelled: return "cancelled";
  }
  return "unknown";
}

error from_http_error(const error& transport, std::string_view what) {
  errc code = errc::network;
  switch (http::classify(transport)) {
    case http::failure_kind::timeout: code = errc::timeout; break;
    case http::failure_kind::cancelled: code = errc::cancelled; break;
    case http::failure_kind::bad_response: code = errc::malformed_response; break;
    // A header value the transport refuses (e.g. a key with a newline) is the caller's
    // input, not the network's.
    case http::failure_kind::bad_input: code = errc::bad_request; break;
    case http::failure_kind::network: break;
  }
  return make_error(code, std::string(what) + ": " + transport.message, transport.http_status);
}

}  // namespace langop::llm
