#include "langop/http/errc.hpp"

namespace langop::http {
namespace {

class category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "langop.http"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::invalid_argument: return "invalid argument";
      case errc::resolve_failed: return "name resolution failed";
      case errc::connect_failed: return "connect failed";
      case errc::tls_handshake_failed: return "TLS handshake failed";
      case errc::timeout: return "timed out";
      case errc::connection_closed: return "connection closed";
      case errc::malformed_response: return "malformed response";
      case errc::body_too_large: return "response body too large";
      case errc::line_too_long: return "streamed line too long";
      case errc::end_of_stream: return "end of stream";
      case errc::cancelled: return "cancelled";
      case errc::credentials_unavailable: return "credentials unavailable";
    }
    return "unknown http error";
  }
};

}  // namespace

const boost::system::error_category& category() noexcept {
  static const category_impl instance;
  return instance;
}

failure_kind classify(const error& e) noexcept {
  if (e.code.category() != category()) return failure_kind::network;
  switch (static_cast<errc>(e.code.value())) {
    case errc::timeout: return failure_kind::timeout;
    case errc::cancelled: return failure_kind::cancelled;
    case errc::malformed_response:
    case errc::body_too_large: return failure_kind::bad_response;
    case errc::invalid_argument:
    case errc::credentials_unavailable: return failure_kind::bad_input;
    default: return failure_kind::network;
  }
}

}  // namespace langop::http
