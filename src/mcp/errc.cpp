#include "langop/mcp/errc.hpp"

#include "langop/http/errc.hpp"

namespace langop::mcp {
namespace {

class category_impl final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "langop.mcp"; }
  std::string message(int ev) const override {
    switch (static_cast<errc>(ev)) {
      case errc::http_error: return "MCP server answered an HTTP error";
      case errc::rpc_error: return "MCP server answered a JSON-RPC error";
      case errc::malformed_response: return "malformed MCP response";
      case errc::timeout: return "timed out";
      case errc::network: return "network error";
      case errc::too_many_pages: return "too many tools/list pages";
      case errc::cancelled: return "cancelled";
    }
    return "unknown mcp error";
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

error from_http_error(const error& transport, std::string_view what) {
  errc code = errc::network;
  switch (http::classify(transport)) {
    case http::failure_kind::timeout: code = errc::timeout; break;
    case http::failure_kind::cancelled: code = errc::cancelled; break;
    // An unparseable or oversized answer is the server's fault, not the network's.
    case http::failure_kind::bad_response: code = errc::malformed_response; break;
    case http::failure_kind::bad_input:
    case http::failure_kind::network: break;
  }
  return make_error(code, std::string(what) + ": " + transport.message, transport.http_status);
}

}  // namespace langop::mcp
