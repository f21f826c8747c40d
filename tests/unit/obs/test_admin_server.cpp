#include "langop/obs/admin_server.hpp"

#include "support/async_test.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/empty_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <catch2/catch.hpp>

#include <sstream>

using namespace langop;
using namespace std::chrono_literals;
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = asio::ip::tcp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

namespace {

struct fixture {
  asio::io_context io;
  obs::registry reg;
  obs::check_set live{"healthz"};
  obs::check_set ready{"readyz"};
  bool synced = false;
  obs::admin_server server;

  fixture()
      : server(io.get_executor(), obs::admin_routes{&reg, &live, &ready}, options()) {
    live.add("ping", [] { return obs::check_status::pass(); });
    ready.add("informers-synced",
              [this] { return synced ? obs::check_status::pass() : obs::check_status::fail("waiting for caches"); });
    reg.counter("requests_total", "Requests.", {"code"}).with({{"code", "200"}}).inc(7);
    reg.histogram("latency_seconds", "Latency.").with({}).observe(0.2);
  }

  static obs::admin_server_options options() {
    obs::admin_server_options o;
    o.bind_address = "127.0.0.1:0";
    o.request_timeout = 2s;
    o.log = log::logger(log::level::warn, log::format::json);
    return o;
  }
};

struct client {
  beast::tcp_stream stream;
  beast::flat_buffer buffer;

  explicit client(asio::io_context& io) : stream(io) {}

  asio::awaitable<boost::system::error_code> connect(std::uint16_t port) {
    stream.expires_after(2s);
    auto [ec] = co_await stream.async_connect(tcp::endpoint(asio::ip::make_address("127.0.0.1"), port), use_tuple);
    co_return ec;
  }

  asio::awaitable<http::response<http::string_body>> request(http::verb verb, std::string target,
                                                             bool keep_alive = true) {
    http::request<http::empty_body> req{verb, target, 11};
    req.set(http::field::host, "localhost");
    req.keep_alive(keep_alive);
    stream.expires_after(2s);
    auto [wec, wn] = co_await http::async_write(stream, req, use_tuple);
    REQUIRE_FALSE(wec);
    http::response_parser<http::string_body> parser;
    parser.skip(verb == http::verb::head);
    auto [rec, rn] = co_await http::async_read(stream, buffer, parser, use_tuple);
    REQUIRE_FALSE(rec);
    co_return parser.release();
  }

  asio::awaitable<http::response<http::string_body>> get(std::string target) {
    return request(http::verb::get, std::move(target));
  }
};

// Every sample line is "name[{labels}] value" with a number Prometheus would accept.
bool parses_as_exposition(const std::string& body) {
  std::istringstream lines(body);
  std::string line;
  int samples = 0;
  while (std::getline(lines, line)) {
    if (line.empty() || line.starts_with("# HELP ") || line.starts_with("# TYPE ")) continue;
    const auto space = line.rfind(' ');
    if (space == std::string::npos) return false;
    const std::string value = line.substr(space + 1);
    if (value != "+Inf" && value != "-Inf" && value != "NaN") {
      std::size_t used = 0;
      (void)std::stod(value, &used);
      if (used != value.size()) return false;
    }
    const std::string name = line.substr(0, std::min(line.find('{'), space));
    if (name.empty()) return false;
    ++samples;
  }
  return samples > 0;
}

}  // namespace

TEST_CASE("admin server serves /metrics, /healthz and /readyz over loopback", "[health][metrics]") {
  fixture f;
  REQUIRE(f.server.start());
  REQUIRE(f.server.port() != 0);
  CHECK(f.server.enabled());
  test::run_async(f.io, [&]() -> asio::awaitable<void> {
    client c(f.io);
    auto ec = co_await c.connect(f.server.port());
    REQUIRE_FALSE(ec);

    auto metrics = co_await c.get("/metrics");
    CHECK(metrics.result() == http::status::ok);
    CHECK(metrics[http::field::content_type] == "text/plain; version=0.0.4; charset=utf-8");
    CHECK(parses_as_exposition(metrics.body()));
    CHECK_THAT(metrics.body(), Catch::Contains("requests_total{code=\"200\"} 7\n"));
    CHECK_THAT(metrics.body(), Catch::Contains("latency_seconds_bucket{le=\"+Inf\"} 1\n"));

    auto health = co_await c.get("/healthz");  // same connection: keep-alive
    CHECK(health.result() == http::status::ok);
    CHECK(health.body() == "ok");

    auto not_ready = co_await c.get("/readyz");
    CHECK(not_ready.result() == http::status::service_unavailable);
    CHECK(not_ready.body() == "[-]informers-synced failed: waiting for caches\nreadyz check failed\n");
    f.synced = true;
    auto ready = co_await c.get("/readyz");
    CHECK(ready.result() == http::status::ok);
    CHECK(ready.body() == "ok");
    auto verbose = co_await c.get("/readyz?verbose");
    CHECK(verbose.body() == "[+]informers-synced ok\nreadyz check passed\n");
    auto single = co_await c.get("/readyz/informers-synced");
    CHECK(single.result() == http::status::ok);

    auto missing = co_await c.get("/nope");
    CHECK(missing.result() == http::status::not_found);
    auto missing_check = co_await c.get("/healthz/nope");
    CHECK(missing_check.result() == http::status::not_found);
    auto post = co_await c.request(http::verb::post, "/metrics");
    CHECK(post.result() == http::status::method_not_allowed);
    CHECK(post[http::field::allow] == "GET, HEAD");
    auto head = co_await c.request(http::verb::head, "/healthz");
    CHECK(head.result() == http::status::ok);
    CHECK(head.body().empty());
    CHECK(head[http::field::content_length] == "2");
    CHECK(f.server.connections() == 1);
  }());
}

TEST_CASE("admin server: stop() closes the listener and open connections", "[health]") {
  fixture f;
  REQUIRE(f.server.start());
  const auto port = f.server.port();
  test::run_async(f.io, [&]() -> asio::awaitable<void> {
    client c(f.io);
    auto ec = co_await c.connect(port);
    REQUIRE_FALSE(ec);
    auto first = co_await c.get("/healthz");
    CHECK(first.result() == http::status::ok);

    f.server.stop();
    f.server.stop();
    CHECK(f.server.port() == 0);
    // The idle keep-alive connection is closed by the server...
    http::response<http::string_body> res;
    c.stream.expires_after(2s);
    auto [rec, rn] = co_await http::async_read(c.stream, c.buffer, res, use_tuple);
    CHECK(rec == http::error::end_of_stream);
    // ...and nobody accepts new ones.
    client late(f.io);
    auto lec = co_await late.connect(port);
    CHECK(lec == asio::error::connection_refused);
    CHECK(f.server.connections() == 0);
  }());
}

TEST_CASE("admin server: disabled with \"0\", errors for bad or busy addresses", "[health]") {
  asio::io_context io;
  obs::registry reg;
  const log::logger quiet(log::level::warn, log::format::json);
  obs::admin_server_options off;
  off.bind_address = "0";
  off.log = quiet;
  obs::admin_server disabled(io.get_executor(), {&reg, nullptr, nullptr}, off);
  REQUIRE(disabled.start());
  CHECK_FALSE(disabled.enabled());
  CHECK(disabled.port() == 0);

  obs::admin_server_options bad;
  bad.bind_address = "nonsense";
  obs::admin_server broken(io.get_executor(), {&reg, nullptr, nullptr}, bad);
  auto r = broken.start();
  REQUIRE_FALSE(r);
  CHECK(r.error().code == boost::system::errc::invalid_argument);

  obs::admin_server_options any;
  any.bind_address = "127.0.0.1:0";
  any.log = quiet;
  obs::admin_server first(io.get_executor(), {&reg, nullptr, nullptr}, any);
  REQUIRE(first.start());
  obs::admin_server_options same;
  same.bind_address = "127.0.0.1:" + std::to_string(first.port());
  obs::admin_server second(io.get_executor(), {&reg, nullptr, nullptr}, same);
  auto busy = second.start();
  REQUIRE_FALSE(busy);
  CHECK(busy.error().code == boost::system::errc::address_in_use);
  CHECK_THAT(busy.error().message, Catch::Contains(same.bind_address));
}

TEST_CASE("admin server: a client that sends nothing is disconnected at the request deadline", "[health]") {
  asio::io_context io;
  obs::registry reg;
  obs::admin_server_options o;
  o.bind_address = "127.0.0.1:0";
  o.request_timeout = 200ms;
  o.log = log::logger(log::level::warn, log::format::json);
  obs::admin_server server(io.get_executor(), {&reg, nullptr, nullptr}, o);
  REQUIRE(server.start());
  test::run_async(io, [&]() -> asio::awaitable<void> {
    client c(io);
    auto ec = co_await c.connect(server.port());
    REQUIRE_FALSE(ec);
    http::response<http::string_body> res;
    c.stream.expires_after(5s);
    auto [rec, rn] = co_await http::async_read(c.stream, c.buffer, res, use_tuple);
    CHECK(rec == http::error::end_of_stream);  // closed by the server, not our 5s timer
    CHECK(server.connections() == 0);
  }());
}

TEST_CASE("admin server: malformed requests get 400", "[health]") {
  fixture f;
  REQUIRE(f.server.start());
  test::run_async(f.io, [&]() -> asio::awaitable<void> {
    client c(f.io);
    auto ec = co_await c.connect(f.server.port());
    REQUIRE_FALSE(ec);
    const std::string junk = "GARBAGE\r\n\r\n";
    c.stream.expires_after(2s);
    auto [wec, wn] = co_await asio::async_write(c.stream, asio::buffer(junk), use_tuple);
    REQUIRE_FALSE(wec);
    http::response<http::string_body> res;
    auto [rec, rn] = co_await http::async_read(c.stream, c.buffer, res, use_tuple);
    REQUIRE_FALSE(rec);
    CHECK(res.result() == http::status::bad_request);
  }());
}
