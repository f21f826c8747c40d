#include "langop/obs/admin_server.hpp"

#include "admin_router.hpp"
#include "langop/obs/bind_address.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ip/v6_only.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/parser.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>

#include <exception>
#include <unordered_set>

namespace langop::obs {
namespace asio = boost::asio;
namespace beast = boost::beast;
namespace http = boost::beast::http;
using tcp = asio::ip::tcp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

// Shared with the accept loop and the sessions, so their frames stay valid after the
// admin_server is destroyed; `stopped` keeps them from touching the routes afterwards.
struct admin_server::state {
  state(asio::any_io_executor e, admin_routes r, admin_server_options o)
      : ex(std::move(e)), acceptor(ex), routes(r), options(std::move(o)) {}

  asio::any_io_executor ex;
  tcp::acceptor acceptor;
  admin_routes routes;
  admin_server_options options;
  bool started = false, stopped = false, disabled = false;
  std::uint16_t port = 0;
  std::unordered_set<beast::tcp_stream*> streams;  // open connections, closed by stop()
};

namespace {

using state_ptr = std::shared_ptr<admin_server::state>;

http::response<http::string_body> respond(const detail::admin_reply& reply, bool head, unsigned version,
                                          bool keep_alive) {
  http::response<http::string_body> res{static_cast<http::status>(reply.status), version};
  res.set(http::field::content_type, reply.content_type);
  res.set("X-Content-Type-Options", "nosniff");
  if (reply.method_not_allowed) res.set(http::field::allow, "GET, HEAD");
  res.keep_alive(keep_alive);
  if (head) {
    res.content_length(reply.body.size());  // what GET would send; no body follows
  } else {
    res.body() = reply.body;
    res.prepare_payload();
  }
  return res;
}

asio::awaitable<void> session(state_ptr s, tcp::socket socket) {
  beast::tcp_stream stream(std::move(socket));
  s->streams.insert(&stream);
  struct untrack {
    admin_server::state& s;
    beast::tcp_stream* stream;
    ~untrack() { s.streams.erase(stream); }
  } guard{*s, &stream};

  beast::flat_buffer buffer;
  for (;;) {
    http::request_parser<http::string_body> parser;
    parser.header_limit(16 * 1024);
    parser.body_limit(16 * 1024);  // probes and scrapes send no body
    stream.expires_after(s->options.request_timeout);
    auto [rec, rn] = co_await http::async_read(stream, buffer, parser, use_tuple);
    if (s->stopped) break;
    if (rec) {
      // A malformed request gets a 400; timeouts, resets and EOF just end the connection.
      if (rec.category() == http::make_error_code(http::error::bad_target).category()) {
        detail::admin_reply bad{400, "text/plain; charset=utf-8", "bad request\n", false};
        auto res = respond(bad, false, 11, false);
        stream.expires_after(s->options.request_timeout);
        co_await http::async_write(stream, res, use_tuple);
      }
      break;
    }
    const auto& req = parser.get();
    const bool head = req.method() == http::verb::head;
    const auto reply = detail::route(s->routes, req.method_string(), req.target());
    auto res = respond(reply, head, req.version(), req.keep_alive());
    stream.expires_after(s->options.request_timeout);
    auto [wec, wn] = co_await http::async_write(stream, res, use_tuple);
    if (wec || s->stopped || !res.keep_alive()) break;
  }
  boost::system::error_code ignored;
  stream.socket().shutdown(tcp::socket::shutdown_both, ignored);
  stream.socket().close(ignored);
}

asio::awaitable<void> accept_loop(state_ptr s) {
  asio::steady_timer backoff(s->ex);
  for (;;) {
    auto [ec, socket] = co_await s->acceptor.async_accept(use_tuple);
    if (s->stopped) co_return;
    if (ec) {
      if (ec == asio::error::operation_aborted) co_return;
      // EMFILE and friends: pause instead of spinning on an error that persists.
      s->options.log.warn("admin server accept failed", {{"error", ec.message()}, {"port", s->port}});
      backoff.expires_after(std::chrono::milliseconds(100));
      co_await backoff.async_wait(use_tuple);
      if (s->stopped) co_return;
      continue;
    }
    if (s->streams.size() >= s->options.max_connections) {
      boost::system::error_code ignored;
      socket.close(ignored);
      continue;
    }
    asio::co_spawn(s->ex, session(s, std::move(socket)), [log = s->options.log](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        log.error("admin server connection failed", {{"error", ex.what()}});
      }
    });
  }
}

result<void> listen(admin_server::state& s, const bind_address& where) {
  auto fail = [&](std::string_view step, const boost::system::error_code& ec) -> result<void> {
    std::string msg = "admin server: cannot ";
    msg += step;
    msg += ' ' + s.options.bind_address + ": " + ec.message();
    boost::system::error_code ignored;
    s.acceptor.close(ignored);
    return error{ec, std::move(msg)};
  };
  boost::system::error_code ec;
  tcp::endpoint ep;
  if (where.host.empty()) {
    // Every interface, dual-stack like Go's ":8080"; IPv4 only where IPv6 is unavailable.
    ep = tcp::endpoint(tcp::v6(), where.port);
    s.acceptor.open(tcp::v6(), ec);
    if (!ec) s.acceptor.set_option(asio::ip::v6_only(false), ec);
    if (ec) {
      s.acceptor.close(ec);
      ep = tcp::endpoint(tcp::v4(), where.port);
      s.acceptor.open(tcp::v4(), ec);
    }
  } else {
    ep = tcp::endpoint(asio::ip::make_address(where.host), where.port);
    s.acceptor.open(ep.protocol(), ec);
  }
  if (ec) return fail("open a socket for", ec);
  s.acceptor.set_option(asio::socket_base::reuse_address(true), ec);
  s.acceptor.bind(ep, ec);
  if (ec) return fail("bind", ec);
  s.acceptor.listen(asio::socket_base::max_listen_connections, ec);
  if (ec) return fail("listen on", ec);
  s.port = s.acceptor.local_endpoint(ec).port();
  return {};
}

}  // namespace

admin_server::admin_server(asio::any_io_executor ex, admin_routes routes, admin_server_options options)
    : state_(std::make_shared<state>(std::move(ex), routes, std::move(options))) {}

admin_server::~admin_server() { stop(); }

result<void> admin_server::start() {
  if (state_->started) return {};
  if (state_->stopped) {
    return error{make_error_code(boost::system::errc::operation_not_permitted), "admin server: already stopped"};
  }
  auto where = parse_bind_address(state_->options.bind_address);
  if (!where) return where.error();
  state_->started = true;
  if (!*where) {
    state_->disabled = true;
    return {};
  }
  if (auto r = listen(*state_, **where); !r) {
    state_->started = false;
    return r;
  }
  asio::co_spawn(state_->ex, accept_loop(state_), [log = state_->options.log](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      log.error("admin server stopped accepting", {{"error", ex.what()}});
    }
  });
  state_->options.log.info("admin server listening",
                           {{"address", state_->options.bind_address}, {"port", state_->port}});
  return {};
}

void admin_server::stop() {
  if (state_->stopped) return;
  state_->stopped = true;
  boost::system::error_code ignored;
  state_->acceptor.close(ignored);
  // Sessions wake with operation_aborted and unregister themselves; copy first.
  const std::vector<beast::tcp_stream*> open(state_->streams.begin(), state_->streams.end());
  for (auto* stream : open) {
    stream->socket().shutdown(tcp::socket::shutdown_both, ignored);
    stream->socket().close(ignored);
  }
  state_->port = 0;
}

bool admin_server::enabled() const noexcept { return !state_->disabled; }
std::uint16_t admin_server::port() const noexcept { return state_->port; }
std::size_t admin_server::connections() const noexcept { return state_->streams.size(); }

}  // namespace langop::obs
