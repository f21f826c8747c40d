// Streaming responses (watches) over loopback: lines across chunks, idle deadline,
// prompt close(), error statuses.
#include "langop/http/client.hpp"
#include "langop/http/errc.hpp"

#include "support/async_test.hpp"
#include "support/test_http_server.hpp"

#include <boost/asio/detached.hpp>

#include <catch2/catch.hpp>

using namespace langop;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using test::run_async;
using test::scripted_chunk;
using test::scripted_reply;
using test::seen_request;

namespace {

scripted_reply watch_script(const seen_request& r) {
  scripted_reply rep;
  rep.headers = {{"Content-Type", "application/json"}};
  if (r.target.starts_with("/split")) {
    rep.chunks = std::vector<scripted_chunk>{
        {"{\"type\":\"ADDED\",", 0ms}, {"\"n\":1}\n{\"type\"", 5ms}, {":\"MODIFIED\",\"n\":2}\n", 0ms},
        {"{\"n\":3}\n{\"n\":4}\n{\"n\":5}", 5ms}};
  } else if (r.target.starts_with("/idle")) {
    rep.chunks = std::vector<scripted_chunk>{{"{\"n\":1}\n", 0ms}};
    rep.end_chunks = false;  // then silence: a dead watch
  } else if (r.target.starts_with("/gone")) {
    rep.status = 410;
    rep.body = R"({"kind":"Status","reason":"Expired","code":410})";
  } else if (r.target.starts_with("/toolong")) {
    rep.chunks = std::vector<scripted_chunk>{{std::string(300, 'x'), 0ms}, {std::string(300, 'y') + "\n", 0ms}};
  }
  return rep;
}

http::request watch(std::string target) {
  return http::request{http::method::get, std::move(target), {{"Accept", "application/json"}}, {}};
}

}  // namespace

TEST_CASE("stream: lines split across chunks arrive whole, then end_of_stream", "[http]") {
  asio::io_context io;
  test::test_http_server server(io.get_executor(), watch_script);
  auto ep = http::endpoint::from_url(server.url());
  REQUIRE(ep);
  run_async(io, [&]() -> asio::awaitable<void> {
    http::client c(io.get_executor(), *ep);
    auto s = co_await c.open_stream(watch("/split?watch=1"), http::after(5s));
    REQUIRE(s);
    CHECK(s->status() == 200);
    CHECK(s->head().content_type() == "application/json");
    std::vector<std::string> lines;
    for (;;) {
      auto line = co_await s->read_line(http::after(5s));
      if (!line) {
        CHECK(line.error().code == http::errc::end_of_stream);
        break;
      }
      lines.push_back(*line);
    }
    CHECK(lines == std::vector<std::string>{R"({"type":"ADDED","n":1})", R"({"type":"MODIFIED","n":2})", R"({"n":3})",
                                            R"({"n":4})", R"({"n":5})"});
    // The error is sticky.
    auto again = co_await s->read_line(http::after(1s));
    CHECK(again.error().code == http::errc::end_of_stream);
    // Streams do not occupy request slots or pooled connections.
    CHECK(c.in_flight() == 0);
    CHECK(c.idle_connections() == 0);
    server.stop();
  }());
}

TEST_CASE("stream: the idle deadline detects a silent (dead) watch", "[http]") {
  asio::io_context io;
  test::test_http_server server(io.get_executor(), watch_script);
  auto ep = http::endpoint::from_url(server.url());
  REQUIRE(ep);
  run_async(io, [&]() -> asio::awaitable<void> {
    http::client c(io.get_executor(), *ep);
    auto s = co_await c.open_stream(watch("/idle"), http::after(5s));
    REQUIRE(s);
    auto first = co_await s->read_line(http::after(5s));
    REQUIRE(first);
    CHECK(*first == R"({"n":1})");
    auto second = co_await s->read_line(http::after(150ms));
    REQUIRE_FALSE(second);
    CHECK(second.error().code == http::errc::timeout);
    server.stop();
  }());
}

TEST_CASE("stream: close() ends a pending read promptly with cancelled", "[http]") {
  asio::io_context io;
  test::test_http_server server(io.get_executor(), watch_script);
  auto ep = http::endpoint::from_url(server.url());
  REQUIRE(ep);
  // The read's own deadline (60s) is far beyond the harness limit (5s): only close()
  // can end it in time.
  run_async(
      io,
      [&]() -> asio::awaitable<void> {
        http::client c(io.get_executor(), *ep);
        auto s = co_await c.open_stream(watch("/idle"), http::after(5s));
        REQUIRE(s);
        auto first = co_await s->read_line(http::after(5s));
        REQUIRE(first);
        std::optional<result<std::string>> pending;
        asio::co_spawn(
            io, [&]() -> asio::awaitable<void> { pending = co_await s->read_line(http::after(60s)); }, asio::detached);
        co_await test::sleep_for(20ms);
        CHECK_FALSE(pending);
        s->close();
        while (!pending) co_await test::sleep_for(1ms);
        REQUIRE_FALSE(*pending);
        CHECK(pending->error().code == http::errc::cancelled);
        server.stop();
      }(),
      5s);
}

TEST_CASE("stream: destroying the stream mid-read is safe", "[http]") {
  asio::io_context io;
  test::test_http_server server(io.get_executor(), watch_script);
  auto ep = http::endpoint::from_url(server.url());
  REQUIRE(ep);
  run_async(
      io,
      [&]() -> asio::awaitable<void> {
        http::client c(io.get_executor(), *ep);
        auto s = co_await c.open_stream(watch("/idle"), http::after(5s));
        REQUIRE(s);
        std::optional<result<std::string>> pending;
        auto owned = std::make_unique<http::stream>(std::move(*s));
        http::stream* raw = owned.get();
        // Read two lines: the first arrives, the second waits until the stream dies.
        asio::co_spawn(
            io,
            [&, raw]() -> asio::awaitable<void> {
              auto a = co_await raw->read_line(http::after(60s));
              CHECK(a);
              pending = co_await raw->read_line(http::after(60s));
            },
            asio::detached);
        co_await test::sleep_for(20ms);
        owned.reset();  // ~stream closes; the pending read holds the shared state
        while (!pending) co_await test::sleep_for(1ms);
        CHECK(pending->error().code == http::errc::cancelled);
        server.stop();
      }(),
      5s);
}

TEST_CASE("stream: error statuses expose the Status body, long lines are bounded", "[http]") {
  asio::io_context io;
  test::test_http_server server(io.get_executor(), watch_script);
  auto ep = http::endpoint::from_url(server.url());
  REQUIRE(ep);
  http::client_options opts;
  opts.max_stream_line = 256;
  run_async(io, [&]() -> asio::awaitable<void> {
    http::client c(io.get_executor(), *ep, opts);
    auto gone = co_await c.open_stream(watch("/gone"), http::after(5s));
    REQUIRE(gone);
    CHECK(gone->status() == 410);
    auto body = co_await gone->read_all(http::after(5s), 4096);
    REQUIRE(body);
    CHECK(body->find("Expired") != std::string::npos);

    auto longline = co_await c.open_stream(watch("/toolong"), http::after(5s));
    REQUIRE(longline);
    auto l = co_await longline->read_line(http::after(5s));
    REQUIRE_FALSE(l);
    CHECK(l.error().code == http::errc::line_too_long);
    server.stop();
  }());
}
