// http::client over real loopback sockets against the scripted test server.
#include "langop/http/client.hpp"
#include "langop/http/errc.hpp"
#include "langop/http/in_flight_limiter.hpp"
#include "langop/http/tls_certs.hpp"

#include "support/async_test.hpp"
#include "support/test_http_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>

#include <catch2/catch.hpp>

using namespace langop;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using test::run_async;
using test::scripted_reply;
using test::seen_request;

namespace {

scripted_reply ok_reply(const seen_request& r) {
  scripted_reply rep;
  rep.headers = {{"Content-Type", "text/plain"}};
  rep.body = "hello " + r.target;
  return rep;
}

http::endpoint plain_endpoint(const test::test_http_server& s) {
  auto ep = http::endpoint::from_url(s.url());
  REQUIRE(ep);
  return *ep;
}

const http::generated_certs& shared_certs() {
  static const http::generated_certs certs = [] {
    http::cert_request req;
    req.dns_names = {"localhost", "api.langop.test"};
    req.client_common_name = "langop-test-user";
    auto c = http::generate_certs(req);
    REQUIRE(c);
    return *c;
  }();
  return certs;
}

test::server_tls server_tls_for(const http::generated_certs& c) { return {c.server_cert_pem, c.server_key_pem, {}, false}; }

http::request get(std::string target) { return http::request{http::method::get, std::move(target), {}, {}}; }

}  // namespace

TEST_CASE("keep-alive: sequential requests share one connection", "[http]") {
  asio::io_context io;
  const bool tls = GENERATE(false, true);
  INFO("tls=" << tls);
  std::optional<test::server_tls> stls;
  if (tls) stls = server_tls_for(shared_certs());
  test::test_http_server server(io.get_executor(), ok_reply, stls);
  http::tls_options topts;
  topts.ca_pem = shared_certs().ca_cert_pem;
  auto ep = http::endpoint::from_url(server.url(), topts);
  REQUIRE(ep);

  run_async(io, [&]() -> asio::awaitable<void> {
    http::client c(io.get_executor(), *ep);
    for (int i = 0; i < 5; ++i) {
      auto r = co_await c.request(http::method::get, "/n/" + std::to_string(i), {}, {}, http::after(5s));
      REQUIRE(r);
      CHECK(r->status == 200);
      CHECK(r->body == "hello /n/" + std::to_string(i));
      CHECK(r->content_type() == "text/plain");
    }
    CHECK(c.connections_opened() == 1);
    CHECK(c.idle_connections() == 1);
    server.stop();
  }());
  CHECK(server.connections() == 1);
  REQUIRE(server.seen().size() == 5);
  CHECK(server.seen().back().index_on_connection == 5);
  CHECK(server.seen().front().headers.get("Host") == "127.0.0.1:" + std::to_string(server.port()));
  CHECK(server.seen().front().headers.get("User-Agent") == "langop/0.1");
}

TEST_CASE("the in-flight cap is respected and every queued request completes", "[http]") {
  asio::io_context io;
  test::test_http_server server(io.get_executor(), [](const seen_request& r) {
    auto rep = ok_reply(r);
    rep.delay = 20ms;
    return rep;
  });
  http::client_options opts;
  opts.max_requests_in_flight = 2;
  run_async(io, [&]() -> asio::awaitable<void> {
    http::client c(io.get_executor(), plain_endpoint(server), opts);
    int done = 0, ok = 0;
    for (int i = 0; i < 7; ++i) {
      asio::co_spawn(
          io,
          [&, i]() -> asio::awaitable<void> {
            auto r = co_await c.send(get("/" + std::to_string(i)), http::after(10s));
            if (r && r->status == 200) ++ok;
            ++done;
          },
          asio::detached);
    }
    while (done < 7) co_await test::sleep_for(5ms);
    CHECK(ok == 7);
    CHECK(c.connections_opened() <= 2);
    server.stop();
  }());
  CHECK(server.peak_concurrent() <= 2);
  CHECK(server.peak_concurrent() >= 1);
  CHECK(server.seen().size() == 7);
}

TEST_CASE("in_flight_limiter grants slots in arrival order", "[http]") {
  asio::io_context io;
  run_async(io, [&]() -> asio::awaitable<void> {
    http::in_flight_limiter lim(1);
    auto first = co_await lim.acquire(http::after(1s));
    REQUIRE(first);
    std::vector<int> order;
    int finished = 0;
    for (int i = 0; i < 4; ++i) {
      asio::co_spawn(
          io,
          [&, i]() -> asio::awaitable<void> {
            auto p = co_await lim.acquire(http::after(5s));
            if (p) order.push_back(i);
            co_await test::sleep_for(1ms);
            ++finished;
          },
          asio::detached);
    }
    co_await test::sleep_for(5ms);
    CHECK(lim.waiting() == 4);
    first->reset();
    while (finished < 4) co_await test::sleep_for(2ms);
    CHECK(order == std::vector<int>{0, 1, 2, 3});
    CHECK(lim.in_flight() == 0);
    CHECK(lim.waiting() == 0);
  }());
}

namespace {
scripted_reply silent_or_ok(const seen_request& r) {
  if (r.target == "/silent") {
    scripted_reply rep;
    rep.never_answer = true;
    return rep;
  }
  return ok_reply(r);
}
}  // namespace

TEST_CASE("deadline: a silent server yields a timeout, not a hang", "[http]") {
  asio::io_context io;
  test::test_http_server server(io.get_executor(), silent_or_ok);
  run_async(io, [&]() -> asio::awaitable<void> {
    http::client c(io.get_executor(), plain_endpoint(server));
    auto r = co_await c.send(get("/silent"), http::after(150ms));
    REQUIRE_FALSE(r);
    CHECK(r.error().code == http::errc::timeout);
    CHECK(r.error().message.find("GET /silent") != std::string::npos);
    // The timed-out connection is discarded; the next request works on a new one.
    auto next = co_await c.send(get("/after"), http::after(5s));
    REQUIRE(next);
    CHECK(next->status == 200);
    CHECK(c.connections_opened() == 2);
    server.stop();
  }());
}

TEST_CASE("deadline: waiting for a request slot times out", "[http]") {
  asio::io_context io;
  test::test_http_server server(io.get_executor(), silent_or_ok);
  http::client_options opts;
  opts.max_requests_in_flight = 1;
  run_async(io, [&]() -> asio::awaitable<void> {
    http::client c(io.get_executor(), plain_endpoint(server), opts);
    bool hung_done = false;
    asio::co_spawn(
        io,
        [&]() -> asio::awaitable<void> {
          auto r = co_await c.send(get("/silent"), http::after(2s));
          CHECK_FALSE(r);
          hung_done = true;
        },
        asio::detached);
    while (c.in_flight() == 0) co_await test::sleep_for(5ms);
    auto r = co_await c.send(get("/queued"), http::after(100ms));
    REQUIRE_FALSE(r);
    CHECK(r.error().code == http::errc::timeout);
    CHECK(r.error().message.find("request slot") != std::string::npos);
    while (!hung_done) co_await test::sleep_for(10ms);
    server.stop();
  }());
  CHECK(server.seen().size() == 1);  // the queued request never reached the wire
}

TEST_CASE("connecting to a closed port fails with connect_failed", "[http]") {
  asio::io_context io;
  std::uint16_t port;
  {
    asio::ip::tcp::acceptor probe(io, {asio::ip::make_address("127.0.0.1"), 0});
    port = probe.local_endpoint().port();
  }
  auto ep = http::endpoint::make(false, "127.0.0.1", port);
  REQUIRE(ep);
  run_async(io, [&]() -> asio::awaitable<void> {
    http::client c(io.get_executor(), *ep);
    auto r = co_await c.send(get("/"), http::after(5s));
    REQUIRE_FALSE(r);
    CHECK(r.error().code == http::errc::connect_failed);
    CHECK(r.error().message.find("127.0.0.1:" + std::to_string(port)) != std::string::npos);
  }());
}

TEST_CASE("a server closing an idle pooled connection is transparent", "[http]") {
  asio::io_context io;
  test::test_http_server server(io.get_executor(), [](const seen_request& r) {
    auto rep = ok_reply(r);
    rep.close_after = r.target == "/first";  // keep-alive advertised, then closed
    return rep;
  });
  run_async(io, [&]() -> asio::awaitable<void> {
    http::client c(io.get_executor(), plain_endpoint(server));
    auto a = co_await c.send(get("/first"), http::after(5s));
    REQUIRE(a);
    co_await test::sleep_for(20ms);  // the FIN reaches us while the connection idles
    auto b = co_await c.send(http::request{http::method::post, "/second", {}, "{}"}, http::after(5s));
    REQUIRE(b);
    CHECK(b->status == 200);
    server.stop();
  }());
  CHECK(server.connections() == 2);
  CHECK(server.seen().size() == 2);  // the stale connection was never written to
}

TEST_CASE("a reused connection dropped before any response byte: retry rule", "[http]") {
  asio::io_context io;
  // The second request on connection 1 is read and then dropped without an answer —
  // the race where the server closes an idle connection as the client reuses it.
  test::test_http_server server(io.get_executor(), [](const seen_request& r) {
    auto rep = ok_reply(r);
    rep.drop = r.connection == 1 && r.index_on_connection == 2;
    return rep;
  });
  const bool idempotent = GENERATE(true, false);
  INFO("idempotent=" << idempotent);
  run_async(io, [&]() -> asio::awaitable<void> {
    http::client c(io.get_executor(), plain_endpoint(server));
    auto a = co_await c.send(get("/warm"), http::after(5s));
    REQUIRE(a);
    http::request second{idempotent ? http::method::put : http::method::post, "/x", {}, "{}"};
    auto b = co_await c.send(second, http::after(5s));
    if (idempotent) {
      REQUIRE(b);  // retried once on a fresh connection
      CHECK(b->status == 200);
      CHECK(c.connections_opened() == 2);
    } else {
      // The server may have acted on a POST: never resent, the caller decides.
      REQUIRE_FALSE(b);
      CHECK(b.error().code == http::errc::connection_closed);
      CHECK(c.connections_opened() == 1);
    }
    server.stop();
  }());
  CHECK(server.seen().size() == (idempotent ? 3u : 2u));
}

TEST_CASE("responses: status, Retry-After, Warning, malformed, cut, too large", "[http]") {
  asio::io_context io;
  test::test_http_server server(io.get_executor(), [](const seen_request& r) {
    scripted_reply rep;
    if (r.target == "/throttled") {
      rep.status = 429;
      rep.headers = {{"Retry-After", "3"}, {"Content-Type", "application/json"},
                     {"Warning", "299 - \"v1beta1 is deprecated\""}, {"Warning", "299 - \"second\""}};
      rep.body = R"({"kind":"Status","code":429})";
    } else if (r.target == "/garbage") {
      rep.raw = "SMTP ready\r\n\r\n";
    } else if (r.target == "/cut") {
      rep.body = std::string(1000, 'x');
      rep.cut_after = 100;
    } else if (r.target == "/big") {
      rep.body = std::string(4096, 'x');
    } else if (r.target == "/head") {
      rep.body = "ignored";
    }
    return rep;
  });
  http::client_options opts;
  opts.max_response_body = 1024;
  run_async(io, [&]() -> asio::awaitable<void> {
    http::client c(io.get_executor(), plain_endpoint(server), opts);
    auto t = co_await c.send(get("/throttled"), http::after(5s));
    REQUIRE(t);  // an HTTP error status is a response, not a transport error
    CHECK(t->status == 429);
    CHECK(t->retry_after() == 3s);
    CHECK(t->warnings().size() == 2);
    CHECK(t->content_type() == "application/json");

    auto g = co_await c.send(get("/garbage"), http::after(5s));
    REQUIRE_FALSE(g);
    CHECK(g.error().code == http::errc::malformed_response);

    auto cut = co_await c.send(get("/cut"), http::after(5s));
    REQUIRE_FALSE(cut);
    CHECK(cut.error().code == http::errc::connection_closed);

    auto big = co_await c.send(get("/big"), http::after(5s));
    REQUIRE_FALSE(big);
    CHECK(big.error().code == http::errc::body_too_large);

    auto head = co_await c.send(http::request{http::method::head, "/head", {}, {}}, http::after(5s));
    REQUIRE(head);
    CHECK(head->body.empty());

    http::request evil = get("/x");
    evil.headers.add("X-Evil", "a\r\nInjected: 1");
    auto bad = co_await c.send(evil, http::after(5s));
    REQUIRE_FALSE(bad);
    CHECK(bad.error().code == http::errc::invalid_argument);
    server.stop();
  }());
}

TEST_CASE("bearer provider: fresh token per request, never in error messages", "[http]") {
  asio::io_context io;
  test::test_http_server server(io.get_executor(), [](const seen_request& r) {
    if (r.target == "/silent") {
      scripted_reply rep;
      rep.never_answer = true;
      return rep;
    }
    return ok_reply(r);
  });
  int calls = 0;
  bool fail = false;
  http::client_options opts;
  opts.bearer = [&]() -> result<std::string> {
    if (fail) return http::make_error(http::errc::credentials_unavailable, "token file unreadable");
    return "tok-secret-" + std::to_string(++calls);
  };
  run_async(io, [&]() -> asio::awaitable<void> {
    http::client c(io.get_executor(), plain_endpoint(server), opts);
    auto a = co_await c.send(get("/a"), http::after(5s));
    REQUIRE(a);
    auto b = co_await c.send(get("/b"), http::after(5s));
    REQUIRE(b);
    auto t = co_await c.send(get("/silent"), http::after(100ms));
    REQUIRE_FALSE(t);
    CHECK(t.error().message.find("tok-secret") == std::string::npos);
    CHECK(t.error().describe().find("tok-secret") == std::string::npos);
    fail = true;
    auto f = co_await c.send(get("/c"), http::after(5s));
    REQUIRE_FALSE(f);
    CHECK(f.error().code == http::errc::credentials_unavailable);
    server.stop();
  }());
  REQUIRE(server.seen().size() == 3);  // the credential failure sent nothing
  CHECK(server.seen()[0].headers.get("Authorization") == "Bearer tok-secret-1");
  CHECK(server.seen()[1].headers.get("Authorization") == "Bearer tok-secret-2");
}

TEST_CASE("base path of the endpoint prefixes every target", "[http]") {
  asio::io_context io;
  test::test_http_server server(io.get_executor(), ok_reply);
  auto ep = http::endpoint::from_url(server.url() + "/k8s/clusters/c1");
  REQUIRE(ep);
  run_async(io, [&]() -> asio::awaitable<void> {
    http::client c(io.get_executor(), *ep);
    auto r = co_await c.send(get("/api/v1/pods?limit=5"), http::after(5s));
    REQUIRE(r);
    server.stop();
  }());
  REQUIRE(server.seen().size() == 1);
  CHECK(server.seen()[0].target == "/k8s/clusters/c1/api/v1/pods?limit=5");
}

namespace {
// A resolver that fails or stalls on demand: the c-ares resolver will plug in the same way.
class scripted_resolver final : public http::resolver {
 public:
  explicit scripted_resolver(bool stall) : stall_(stall) {}
  asio::awaitable<result<std::vector<asio::ip::tcp::endpoint>>> resolve(std::string host, std::uint16_t,
                                                                        http::deadline d) override {
    ++calls;
    if (!stall_) co_return http::make_error(http::errc::resolve_failed, "resolving " + host + ": NXDOMAIN");
    asio::steady_timer t(co_await asio::this_coro::executor, d);
    co_await t.async_wait(asio::as_tuple(asio::use_awaitable));
    co_return http::make_error(http::errc::timeout, "resolving " + host + ": deadline exceeded");
  }
  int calls = 0;

 private:
  bool stall_;
};
}  // namespace

TEST_CASE("the resolver is pluggable, its failures surface as values", "[http]") {
  asio::io_context io;
  auto ep = http::endpoint::make(false, "api.cluster.invalid", 6443);
  REQUIRE(ep);
  const bool stall = GENERATE(false, true);
  auto dns = std::make_shared<scripted_resolver>(stall);
  run_async(io, [&]() -> asio::awaitable<void> {
    http::client c(io.get_executor(), *ep, {}, dns);
    auto r = co_await c.send(get("/"), http::after(100ms));
    REQUIRE_FALSE(r);
    CHECK(r.error().code == (stall ? http::errc::timeout : http::errc::resolve_failed));
    CHECK(r.error().message.find("api.cluster.invalid") != std::string::npos);
  }());
  CHECK(dns->calls == 1);
}

TEST_CASE("the system resolver resolves localhost", "[http]") {
  asio::io_context io;
  test::test_http_server server(io.get_executor(), ok_reply);
  auto ep = http::endpoint::make(false, "localhost", server.port());
  REQUIRE(ep);
  run_async(io, [&]() -> asio::awaitable<void> {
    http::client c(io.get_executor(), *ep);
    // localhost may resolve to ::1 first; the connect moves on to 127.0.0.1.
    auto r = co_await c.send(get("/named"), http::after(5s));
    REQUIRE(r);
    CHECK(r->status == 200);
    server.stop();
  }());
}

TEST_CASE("per-operation cancellation (awaitable ||) abandons a request promptly", "[http]") {
  using namespace asio::experimental::awaitable_operators;
  asio::io_context io;
  test::test_http_server server(io.get_executor(), silent_or_ok);
  run_async(
      io,
      [&]() -> asio::awaitable<void> {
        http::client c(io.get_executor(), plain_endpoint(server));
        auto winner = co_await (c.send(get("/silent"), http::after(60s)) || test::sleep_for(50ms));
        CHECK(winner.index() == 1);
        CHECK(c.in_flight() == 0);        // the slot came back
        CHECK(c.idle_connections() == 0);  // the abandoned connection was not pooled
        auto next = co_await c.send(get("/after"), http::after(5s));
        REQUIRE(next);
        CHECK(next->status == 200);
        server.stop();
      }(),
      5s);
}
