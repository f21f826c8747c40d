#include "support/test_http.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>

namespace langop::test {
namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
constexpr auto tuple_awaitable = net::as_tuple(net::use_awaitable);

namespace {

// Runs `op` on `ioc` until it completes or `timeout` passes (then cancels it).
template <class Awaitable>
bool run_bounded(net::io_context& ioc, Awaitable op, beast::tcp_stream& s, std::chrono::milliseconds timeout) {
  bool done = false;
  ioc.restart();
  net::co_spawn(ioc, std::move(op), [&](std::exception_ptr) { done = true; });
  ioc.run_for(timeout);
  if (!done) {
    s.cancel();
    boost::system::error_code ec;
    s.socket().close(ec);
    ioc.restart();
    ioc.run_for(std::chrono::seconds(2));
  }
  return done;
}

template <class Request>
void set_common(Request& req, const std::string& host, const std::string& token) {
  req.set(http::field::host, host);
  req.set(http::field::user_agent, "langop-tests/1.0");
  if (!token.empty()) req.set(http::field::authorization, "Bearer " + token);
}

}  // namespace

std::string http_result::header(const std::string& name) const {
  auto it = headers.find(name);
  return it == headers.end() ? std::string() : it->second;
}

test_http::test_http(std::string host, unsigned short port, std::string token)
    : host_(std::move(host)), port_(port), token_(std::move(token)) {}
test_http::~test_http() = default;

http_result test_http::request(const std::string& method, const std::string& target, const std::string& body,
                               const std::string& content_type, std::chrono::milliseconds timeout,
                               const std::string& accept) {
  net::io_context ioc;
  beast::tcp_stream s(ioc);
  http_result out;
  auto op = [&]() -> net::awaitable<void> {
    auto [ec] = co_await s.async_connect(tcp::endpoint(net::ip::make_address(host_), port_), tuple_awaitable);
    if (ec) co_return;
    http::request<http::string_body> req{http::string_to_verb(method), target, 11};
    set_common(req, host_, token_);
    req.set(http::field::accept, accept);
    if (!body.empty() || method == "POST" || method == "PUT" || method == "PATCH") {
      req.set(http::field::content_type, content_type);
      req.body() = body;
    }
    req.prepare_payload();
    auto [wec, wn] = co_await http::async_write(s, req, tuple_awaitable);
    if (wec) co_return;
    beast::flat_buffer buf;
    http::response_parser<http::string_body> parser;
    parser.body_limit(1ull << 30);
    auto [rec, rn] = co_await http::async_read(s, buf, parser, tuple_awaitable);
    if (rec) co_return;
    auto& res = parser.get();
    out.status = res.result_int();
    out.body = res.body();
    for (const auto& f : res) out.headers.emplace(std::string(f.name_string()), std::string(f.value()));
  };
  run_bounded(ioc, op(), s, timeout);
  return out;
}

struct test_http::stream::impl {
  net::io_context ioc;
  beast::tcp_stream s{ioc};
  beast::flat_buffer buf;
  http::response_parser<http::string_body> parser;
  std::size_t consumed = 0;
};

test_http::stream::~stream() = default;

std::unique_ptr<test_http::stream> test_http::open_stream(const std::string& target,
                                                          std::chrono::milliseconds timeout) {
  auto st = std::unique_ptr<stream>(new stream());
  st->impl_ = std::make_unique<stream::impl>();
  auto& im = *st->impl_;
  im.parser.body_limit(1ull << 32);
  auto op = [&]() -> net::awaitable<void> {
    auto [ec] = co_await im.s.async_connect(tcp::endpoint(net::ip::make_address(host_), port_), tuple_awaitable);
    if (ec) co_return;
    http::request<http::empty_body> req{http::verb::get, target, 11};
    set_common(req, host_, token_);
    req.set(http::field::accept, "application/json");
    auto [wec, wn] = co_await http::async_write(im.s, req, tuple_awaitable);
    if (wec) co_return;
    auto [rec, rn] = co_await http::async_read_header(im.s, im.buf, im.parser, tuple_awaitable);
    if (rec) co_return;
    st->status_ = im.parser.get().result_int();
  };
  run_bounded(im.ioc, op(), im.s, timeout);
  if (st->status_ == 0) st->ended_ = true;
  return st;
}

std::optional<std::string> test_http::stream::next_line(std::chrono::milliseconds timeout) {
  auto& im = *impl_;
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  for (;;) {
    auto& body = im.parser.get().body();
    auto nl = body.find('\n', im.consumed);
    if (nl != std::string::npos) {
      std::string line = body.substr(im.consumed, nl - im.consumed);
      im.consumed = nl + 1;
      return line;
    }
    if (ended_ || im.parser.is_done()) {
      ended_ = true;
      if (im.consumed < body.size()) {
        std::string rest = body.substr(im.consumed);
        im.consumed = body.size();
        return rest;
      }
      return std::nullopt;
    }
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) return std::nullopt;
    bool failed = false;
    auto op = [&]() -> net::awaitable<void> {
      auto [ec, n] = co_await http::async_read_some(im.s, im.buf, im.parser, tuple_awaitable);
      if (ec) failed = true;
    };
    // A deadline here does not end the stream: only errors and the last chunk do.
    bool done = false;
    im.ioc.restart();
    net::co_spawn(im.ioc, op(), [&](std::exception_ptr) { done = true; });
    im.ioc.run_for(left);
    if (!done) {
      im.s.cancel();
      im.ioc.restart();
      im.ioc.run_for(std::chrono::seconds(2));
      return std::nullopt;
    }
    if (failed) ended_ = true;
  }
}

}  // namespace langop::test
