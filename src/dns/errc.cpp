#include "langop/dns/errc.hpp"

namespace langop::dns {
namespace {

class category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "langop.dns"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::not_found: return "no such domain (NXDOMAIN)";
      case errc::no_data: return "no A or AAAA records";
      case errc::timeout: return "timed out";
      case errc::server_failure: return "server failure (SERVFAIL)";
      case errc::refused: return "query refused (REFUSED)";
      case errc::connection_refused: return "no DNS server answered (unreachable, or every server failed or refused)";
      case errc::bad_response: return "malformed DNS response";
      case errc::bad_name: return "invalid host name";
      case errc::cancelled: return "cancelled";
      case errc::resolver_failure: return "resolver failure";
    }
    return "unknown DNS error";
  }
};

}  // namespace

const boost::system::error_category& category() noexcept {
  static const category_impl instance;
  return instance;
}

error make_error(errc e, std::string_view host, std::string_view detail) {
  std::string msg = "resolving ";
  msg += host;
  msg += ": ";
  if (detail.empty()) {
    msg += category().message(static_cast<int>(e));
  } else {
    msg += detail;
  }
  return error{make_error_code(e), std::move(msg)};
}

bool is_transient(errc e) noexcept {
  switch (e) {
    case errc::timeout:
    case errc::server_failure:
    case errc::refused:
    case errc::connection_refused:
    case errc::bad_response:
    case errc::resolver_failure:
      return true;
    case errc::not_found:
    case errc::no_data:
    case errc::bad_name:
    case errc::cancelled:
      return false;
  }
  return false;
}

}  // namespace langop::dns
