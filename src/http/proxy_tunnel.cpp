#include "proxy_tunnel.hpp"

#include "langop/http/errc.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/write.hpp>

namespace langop::http::detail {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;

asio::awaitable<result<void>> open_tunnel(beast::tcp_stream& s, const proxy_server& proxy,
                                         const std::string& target_authority, deadline d) {
  constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);
  const std::string where = "CONNECT " + target_authority + " via proxy " + proxy.authority();
  auto failed = [&](boost::system::error_code ec) -> error {
    s.close();
    if (ec == beast::error::timeout) return make_error(errc::timeout, where + ": deadline exceeded");
    if (ec == asio::error::operation_aborted) return make_error(errc::cancelled, where + ": cancelled");
    if (ec.category() == bhttp::make_error_code(bhttp::error::bad_version).category() &&
        ec != bhttp::error::end_of_stream && ec != bhttp::error::partial_message)
      return make_error(errc::malformed_response, where + ": malformed proxy response (" + ec.message() + ")");
    return make_error(errc::connection_closed, where + ": " + ec.message());
  };

  bhttp::request<bhttp::empty_body> req{bhttp::verb::connect, target_authority, 11};
  req.set(bhttp::field::host, target_authority);
  if (!proxy.authorization.empty()) req.set(bhttp::field::proxy_authorization, proxy.authorization);
  s.expires_at(d);
  if (auto [ec, n] = co_await bhttp::async_write(s, req, use_tuple); ec) co_return failed(ec);

  // A 2xx answer to CONNECT has no body (RFC 9110 §9.3.6): read the head only, and never
  // past it — the next bytes belong to the TLS handshake.
  bhttp::response_parser<bhttp::empty_body> parser;
  parser.skip(true);
  beast::flat_buffer buffer;
  s.expires_at(d);
  if (auto [ec, n] = co_await bhttp::async_read_header(s, buffer, parser, use_tuple); ec) co_return failed(ec);
  s.expires_never();
  const int status = static_cast<int>(parser.get().result_int());
  if (status < 200 || status > 299) {
    s.close();
    std::string msg = where + ": the proxy answered HTTP " + std::to_string(status);
    if (status == 407) msg += " (proxy authentication required: set user:password in HTTPS_PROXY)";
    co_return make_error(errc::connect_failed, std::move(msg));
  }
  if (buffer.size() != 0) {
    s.close();
    co_return make_error(errc::malformed_response, where + ": the proxy sent bytes after its CONNECT answer");
  }
  co_return result<void>{};
}

}  // namespace langop::http::detail
