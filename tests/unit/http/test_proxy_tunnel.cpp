// https through an HTTP CONNECT proxy over loopback: a minimal proxy in the test
// tunnels to the TLS test server (TLS end to end), or refuses with 407.
#include "langop/http/client.hpp"
#include "langop/http/errc.hpp"
#include "langop/http/tls_certs.hpp"

#include "support/async_test.hpp"
#include "support/test_http_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/read_until.hpp>
#include <boost/asio/write.hpp>

#include <catch2/catch.hpp>

using namespace langop;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using asio::ip::tcp;
using test::run_async;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// Accepts one connection, reads the CONNECT head, answers `status`, and on 200 splices
// bytes both ways to 127.0.0.1:<target_port>.
struct connect_proxy {
  connect_proxy(asio::io_context& io, int answer, std::uint16_t target_port)
      : acceptor(io, tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0)), status(answer), target(target_port) {
    asio::co_spawn(io, serve(), asio::detached);
  }

  static asio::awaitable<void> pump(std::shared_ptr<tcp::socket> from, std::shared_ptr<tcp::socket> to) {
    std::array<char, 8192> buf{};
    for (;;) {
      auto [ec, n] = co_await from->async_read_some(asio::buffer(buf), use_tuple);
      if (ec) break;
      auto [wec, w] = co_await asio::async_write(*to, asio::buffer(buf.data(), n), use_tuple);
      if (wec) break;
    }
    boost::system::error_code ignored;
    to->shutdown(tcp::socket::shutdown_send, ignored);
  }

  asio::awaitable<void> serve() {
    auto client = std::make_shared<tcp::socket>(acceptor.get_executor());
    if (auto [ec] = co_await acceptor.async_accept(*client, use_tuple); ec) co_return;
    std::string head;
    auto [ec, n] = co_await asio::async_read_until(*client, asio::dynamic_buffer(head), "\r\n\r\n", use_tuple);
    if (ec) co_return;
    request_head = head.substr(0, n);
    if (status != 200) {
      const std::string reply = "HTTP/1.1 " + std::to_string(status) + " Nope\r\nContent-Length: 0\r\n\r\n";
      co_await asio::async_write(*client, asio::buffer(reply), use_tuple);
      co_return;
    }
    auto upstream = std::make_shared<tcp::socket>(acceptor.get_executor());
    if (auto [cec] = co_await upstream->async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), target), use_tuple);
        cec)
      co_return;
    const std::string ok = "HTTP/1.1 200 Connection established\r\n\r\n";
    if (auto [wec, w] = co_await asio::async_write(*client, asio::buffer(ok), use_tuple); wec) co_return;
    asio::co_spawn(acceptor.get_executor(), pump(client, upstream), asio::detached);
    asio::co_spawn(acceptor.get_executor(), pump(upstream, client), asio::detached);
  }

  tcp::acceptor acceptor;
  int status;
  std::uint16_t target;
  std::string request_head;
};

test::scripted_reply ok(const test::seen_request&) {
  test::scripted_reply r;
  r.body = "through the tunnel";
  return r;
}

}  // namespace

TEST_CASE("proxy tunnel: https goes through CONNECT with TLS end to end", "[http]") {
  asio::io_context io;
  http::cert_request creq;
  creq.dns_names = {"localhost"};
  creq.ip_addresses = {"127.0.0.1"};
  auto certs = http::generate_certs(creq);
  REQUIRE(certs);
  test::test_http_server server(io.get_executor(), ok, test::server_tls{certs->server_cert_pem, certs->server_key_pem});
  const int status = GENERATE(200, 407);
  INFO(status);
  connect_proxy proxy(io, status, server.port());

  http::tls_options tls;
  tls.ca_pem = certs->ca_cert_pem;
  auto ep = http::endpoint::from_url(server.url(), tls);
  REQUIRE(ep);
  http::client_options opts;
  opts.connection.proxy = http::proxy_server{"127.0.0.1", proxy.acceptor.local_endpoint().port(), "Basic c2VjcmV0OnB3"};
  result<http::response> out = http::make_error(http::errc::cancelled, "not run");
  run_async(io, [&]() -> asio::awaitable<void> {
    http::client c(io.get_executor(), *ep, opts);
    http::request req(http::method::get, "/hello", {}, {});
    out = co_await c.send(std::move(req), http::after(5s));
    server.stop();
  }());

  const std::string authority = "127.0.0.1:" + std::to_string(server.port());
  CHECK(proxy.request_head.starts_with("CONNECT " + authority + " HTTP/1.1\r\n"));
  CHECK(proxy.request_head.find("Proxy-Authorization: Basic c2VjcmV0OnB3\r\n") != std::string::npos);
  if (status == 200) {
    REQUIRE(out);
    CHECK(out->body == "through the tunnel");
    REQUIRE(server.seen().size() == 1);
    CHECK(server.seen()[0].target == "/hello");
  } else {
    REQUIRE_FALSE(out);
    CHECK(out.error().code == http::errc::connect_failed);
    CHECK(out.error().message.find("407") != std::string::npos);
    CHECK(out.error().message.find("c2VjcmV0OnB3") == std::string::npos);
    CHECK(server.seen().empty());
  }
}
