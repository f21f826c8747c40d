// TLS behaviour of http::client over loopback: CA and hostname verification, SNI,
// insecure mode, client certificates.
#include "langop/http/client.hpp"
#include "langop/http/errc.hpp"
#include "langop/http/tls_certs.hpp"

#include "support/async_test.hpp"
#include "support/test_http_server.hpp"

#include <catch2/catch.hpp>

using namespace langop;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using test::run_async;
using test::scripted_reply;
using test::seen_request;

namespace {

scripted_reply ok(const seen_request&) {
  scripted_reply r;
  r.body = "ok";
  return r;
}

http::generated_certs make_certs(std::vector<std::string> dns, std::vector<std::string> ips,
                                 std::optional<std::string> client_cn = {}) {
  http::cert_request req;
  req.dns_names = std::move(dns);
  req.ip_addresses = std::move(ips);
  req.client_common_name = std::move(client_cn);
  auto c = http::generate_certs(req);
  REQUIRE(c);
  return *c;
}

// One GET against `server` with `tls`; returns the result.
result<http::response> get_once(asio::io_context& io, test::test_http_server& server, const http::tls_options& tls) {
  auto ep = http::endpoint::from_url(server.url(), tls);
  REQUIRE(ep);
  result<http::response> out = http::make_error(http::errc::cancelled, "not run");
  run_async(io, [&]() -> asio::awaitable<void> {
    http::client c(io.get_executor(), *ep);
    out = co_await c.send(http::request{http::method::get, "/", {}, {}}, http::after(5s));
    server.stop();
  }());
  return out;
}

}  // namespace

TEST_CASE("TLS: IP SAN verified when connecting by IP, no SNI for an IP", "[http][tls]") {
  asio::io_context io;
  auto certs = make_certs({"localhost"}, {"127.0.0.1"});
  test::test_http_server server(io.get_executor(), ok, test::server_tls{certs.server_cert_pem, certs.server_key_pem});
  http::tls_options tls;
  tls.ca_pem = certs.ca_cert_pem;
  auto r = get_once(io, server, tls);
  REQUIRE(r);
  CHECK(r->body == "ok");
  REQUIRE(server.seen().size() == 1);
  CHECK(server.seen()[0].sni.empty());
}

TEST_CASE("TLS: a server certificate from another CA is rejected", "[http][tls]") {
  asio::io_context io;
  auto certs = make_certs({"localhost"}, {"127.0.0.1"});
  auto other = make_certs({"localhost"}, {"127.0.0.1"});
  test::test_http_server server(io.get_executor(), ok, test::server_tls{certs.server_cert_pem, certs.server_key_pem});
  http::tls_options tls;
  tls.ca_pem = other.ca_cert_pem;
  auto r = get_once(io, server, tls);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == http::errc::tls_handshake_failed);
  CHECK(r.error().message.find("certificate verify failed") != std::string::npos);
  CHECK(server.seen().empty());
}

TEST_CASE("TLS: hostname and IP mismatches are rejected", "[http][tls]") {
  asio::io_context io;
  auto certs = make_certs({"other.langop.test"}, {"10.9.8.7"});
  test::test_http_server server(io.get_executor(), ok, test::server_tls{certs.server_cert_pem, certs.server_key_pem});
  http::tls_options tls;
  tls.ca_pem = certs.ca_cert_pem;
  const bool by_name = GENERATE(true, false);
  if (by_name) tls.server_name = "localhost";
  INFO("by_name=" << by_name);
  auto r = get_once(io, server, tls);
  REQUIRE_FALSE(r);
  CHECK(r.error().code == http::errc::tls_handshake_failed);
  CHECK(r.error().message.find(by_name ? "hostname mismatch" : "IP address mismatch") != std::string::npos);
}

TEST_CASE("TLS: tls-server-name is verified and sent as SNI", "[http][tls]") {
  asio::io_context io;
  auto certs = make_certs({"api.langop.test"}, {});
  test::test_http_server server(io.get_executor(), ok, test::server_tls{certs.server_cert_pem, certs.server_key_pem});
  http::tls_options tls;
  tls.ca_pem = certs.ca_cert_pem;
  tls.server_name = "api.langop.test";
  auto r = get_once(io, server, tls);
  REQUIRE(r);
  REQUIRE(server.seen().size() == 1);
  CHECK(server.seen()[0].sni == "api.langop.test");
}

TEST_CASE("TLS: insecure-skip-verify accepts an unknown CA", "[http][tls]") {
  asio::io_context io;
  auto certs = make_certs({"x.invalid"}, {});
  test::test_http_server server(io.get_executor(), ok, test::server_tls{certs.server_cert_pem, certs.server_key_pem});
  http::tls_options tls;
  tls.insecure_skip_verify = true;
  auto r = get_once(io, server, tls);
  REQUIRE(r);
  CHECK(r->status == 200);
}

TEST_CASE("TLS: client certificate authentication", "[http][tls]") {
  asio::io_context io;
  auto certs = make_certs({"localhost"}, {"127.0.0.1"}, "langop-client");
  test::test_http_server server(
      io.get_executor(), ok,
      test::server_tls{certs.server_cert_pem, certs.server_key_pem, certs.ca_cert_pem, /*require_client_cert=*/true});
  http::tls_options tls;
  tls.ca_pem = certs.ca_cert_pem;
  const bool with_cert = GENERATE(true, false);
  INFO("with_cert=" << with_cert);
  if (with_cert) {
    tls.client_cert_pem = certs.client_cert_pem;
    tls.client_key_pem = certs.client_key_pem;
  }
  auto r = get_once(io, server, tls);
  if (with_cert) {
    REQUIRE(r);
    REQUIRE(server.seen().size() == 1);
    CHECK(server.seen()[0].client_cn == "langop-client");
  } else {
    REQUIRE_FALSE(r);
    // TLS 1.3 reports the server's "certificate required" alert on the first read.
    CHECK(r.error().code == http::errc::tls_handshake_failed);
    CHECK(server.seen().empty());
    CHECK(server.tls_failures() == 1);
  }
}

TEST_CASE("TLS: a mismatched client key is rejected before connecting", "[http][tls]") {
  auto a = make_certs({"localhost"}, {}, "a");
  auto b = make_certs({"localhost"}, {}, "b");
  http::tls_options tls;
  tls.ca_pem = a.ca_cert_pem;
  tls.client_cert_pem = a.client_cert_pem;
  tls.client_key_pem = b.client_key_pem;
  auto ep = http::endpoint::from_url("https://127.0.0.1:1", tls);
  REQUIRE_FALSE(ep);
  CHECK(ep.error().message.find("does not match") != std::string::npos);
  CHECK(ep.error().message.find("PRIVATE KEY") == std::string::npos);
}
