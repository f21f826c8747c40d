// PURE pieces of the transport: line splitting, the retry rule, header lookup,
// Retry-After parsing, endpoint URL parsing.
#include "langop/http/endpoint.hpp"
#include "langop/http/errc.hpp"
#include "langop/http/header_list.hpp"
#include "langop/http/line_splitter.hpp"
#include "langop/http/request.hpp"
#include "langop/http/response.hpp"
#include "langop/http/retry_rule.hpp"

#include "support/result_printing.hpp"

#include <catch2/catch.hpp>

using namespace langop;
using namespace std::chrono_literals;

TEST_CASE("line_splitter joins lines across arbitrary chunk boundaries", "[http]") {
  http::line_splitter s(1024);
  s.feed("{\"a\":");
  CHECK_FALSE(s.next_line());
  s.feed("1}\n{\"b\"");
  CHECK(s.next_line() == "{\"a\":1}");
  CHECK_FALSE(s.next_line());
  s.feed(":2}\r\n\n{\"c\":3}\n{\"d\"");
  CHECK(s.next_line() == "{\"b\":2}");
  CHECK(s.next_line() == "");  // empty lines are delivered (SSE delimiters)
  CHECK(s.next_line() == "{\"c\":3}");
  CHECK_FALSE(s.next_line());
  CHECK(s.finish() == "{\"d\"");
  CHECK_FALSE(s.finish());
}

TEST_CASE("line_splitter bounds memory when no newline arrives", "[http]") {
  SECTION("unterminated tail") {
    http::line_splitter s(8);
    s.feed("123456789");
    CHECK_FALSE(s.next_line());
    CHECK(s.overflowed());
  }
  SECTION("complete but long line") {
    http::line_splitter s(4);
    s.feed("ok\n123456\n");
    CHECK(s.next_line() == "ok");
    CHECK_FALSE(s.next_line());
    CHECK(s.overflowed());
  }
  SECTION("many lines through a compacting buffer") {
    http::line_splitter s(100);
    std::string big;
    for (int i = 0; i < 20000; ++i) big += std::to_string(i) + "\n";
    s.feed(big);
    int n = 0;
    while (auto l = s.next_line()) CHECK(*l == std::to_string(n++));
    CHECK(n == 20000);
    CHECK(s.buffered() == 0);
  }
}

TEST_CASE("retry rule: only a stale reused connection, before any response byte", "[http]") {
  using http::attempt_facts;
  using http::errc;
  using http::method;
  attempt_facts stale{.reused_connection = true, .request_bytes_written = 120, .response_bytes_received = false,
                      .failure = errc::connection_closed};
  CHECK(should_retry_on_fresh_connection(method::get, stale));
  CHECK(should_retry_on_fresh_connection(method::put, stale));
  CHECK(should_retry_on_fresh_connection(method::delete_, stale));
  CHECK_FALSE(should_retry_on_fresh_connection(method::post, stale));
  CHECK_FALSE(should_retry_on_fresh_connection(method::patch, stale));

  auto nothing_written = stale;
  nothing_written.request_bytes_written = 0;
  CHECK(should_retry_on_fresh_connection(method::post, nothing_written));

  auto fresh = stale;
  fresh.reused_connection = false;
  CHECK_FALSE(should_retry_on_fresh_connection(method::get, fresh));

  auto answered = stale;
  answered.response_bytes_received = true;
  CHECK_FALSE(should_retry_on_fresh_connection(method::get, answered));

  for (errc e : {errc::timeout, errc::cancelled, errc::tls_handshake_failed, errc::malformed_response}) {
    auto other = stale;
    other.failure = e;
    CHECK_FALSE(should_retry_on_fresh_connection(method::get, other));
  }
}

TEST_CASE("request validation rejects header injection without echoing values", "[http]") {
  http::request ok(http::method::get, "/api/v1/pods?watch=1", {{"Accept", "application/json"}});
  CHECK(http::validate(ok));
  http::request evil(http::method::get, "/x", {{"Authorization", "Bearer s3cr3t\r\nX-Injected: 1"}});
  auto r = http::validate(evil);
  REQUIRE_FALSE(r);
  CHECK(r.error().message.find("Authorization") != std::string::npos);
  CHECK(r.error().message.find("s3cr3t") == std::string::npos);
  CHECK_FALSE(http::validate(http::request(http::method::get, "relative")));
  CHECK_FALSE(http::validate(http::request(http::method::get, "/a b")));
  CHECK_FALSE(http::validate(http::request(http::method::get, "/", {{"Bad:Name", "v"}})));
}

TEST_CASE("header_list is case-insensitive and keeps repeats", "[http]") {
  http::header_list h{{"Content-Type", "application/json"}, {"Warning", "299 - \"a\""}, {"warning", "299 - \"b\""}};
  CHECK(h.get("content-type") == "application/json");
  CHECK(h.get_all("WARNING").size() == 2);
  h.set("CONTENT-TYPE", "text/plain");
  CHECK(h.get("Content-Type") == "text/plain");
  CHECK(h.get_all("content-type").size() == 1);
  h.remove("warning");
  CHECK_FALSE(h.contains("Warning"));
}

TEST_CASE("Retry-After as seconds or an HTTP date", "[http]") {
  using namespace std::chrono;
  const sys_days day = year{1994} / November / 6;
  const system_clock::time_point now = day + 8h + 49min + 30s;
  CHECK(http::parse_retry_after("3", now) == 3s);
  CHECK(http::parse_retry_after(" 120 ", now) == 120s);
  CHECK(http::parse_retry_after("Sun, 06 Nov 1994 08:49:37 GMT", now) == 7s);
  CHECK(http::parse_retry_after("Sun, 06 Nov 1994 08:49:00 GMT", now) == 0s);
  CHECK_FALSE(http::parse_retry_after("", now));
  CHECK_FALSE(http::parse_retry_after("-1", now));
  CHECK_FALSE(http::parse_retry_after("soon", now));
  CHECK_FALSE(http::parse_retry_after("Sun, 06 Foo 1994 08:49:37 GMT", now));
  http::response r;
  r.headers.add("retry-after", "5");
  CHECK(r.retry_after(now) == 5s);
}

TEST_CASE("endpoint::from_url", "[http]") {
  SECTION("defaults and base path") {
    auto ep = http::endpoint::from_url("http://example.test/k8s/clusters/c1/");
    REQUIRE(ep);
    CHECK_FALSE(ep->is_tls());
    CHECK(ep->port() == 80);
    CHECK(ep->base_path() == "/k8s/clusters/c1");
    CHECK(ep->authority() == "example.test:80");
  }
  SECTION("https with IPv6 and server name override") {
    http::tls_options tls;
    tls.server_name = "kubernetes.default.svc";
    auto ep = http::endpoint::from_url("https://[::1]:6443", tls);
    REQUIRE(ep);
    CHECK(ep->is_tls());
    CHECK(ep->host() == "::1");
    CHECK(ep->port() == 6443);
    CHECK(ep->authority() == "[::1]:6443");
    CHECK(ep->verify_name() == "kubernetes.default.svc");
    CHECK(ep->ssl_context() != nullptr);
  }
  SECTION("rejections") {
    for (const char* bad : {"ftp://h", "https://", "not a url", "https://h:0", "https://h:99999", "https://u:p@h/",
                            "https://h/?q=1"}) {
      INFO(bad);
      auto ep = http::endpoint::from_url(bad);
      REQUIRE_FALSE(ep);
      CHECK(ep.error().code == http::errc::invalid_argument);
    }
  }
  SECTION("password in a URL is never echoed") {
    for (const char* bad : {"https://user:hunter2@h/", "https://user:hun ter2@h/", "https://user:hunter2@h:x/"}) {
      INFO(bad);
      auto ep = http::endpoint::from_url(bad);
      REQUIRE_FALSE(ep);
      CHECK(ep.error().message.find("hunter2") == std::string::npos);
      CHECK(ep.error().message.find("hun ter2") == std::string::npos);
    }
  }
  SECTION("garbage CA") {
    http::tls_options tls;
    tls.ca_pem = "not a certificate";
    auto ep = http::endpoint::from_url("https://h", tls);
    REQUIRE_FALSE(ep);
    CHECK(ep.error().message.find("CA bundle") != std::string::npos);
  }
  SECTION("client cert without key") {
    http::tls_options tls;
    tls.insecure_skip_verify = true;
    tls.client_cert_pem = "x";
    auto ep = http::endpoint::from_url("https://h", tls);
    REQUIRE_FALSE(ep);
    CHECK(ep.error().message.find("together") != std::string::npos);
  }
}
