#include "langop/http/connection.hpp"

#include "langop/http/errc.hpp"

#include "proxy_tunnel.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/ssl/error.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/core/tcp_stream.hpp>
#include <boost/beast/http/buffer_body.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>
#include <boost/beast/http/write.hpp>
#include <boost/beast/ssl/ssl_stream.hpp>

#include <openssl/ssl.h>
#include <openssl/x509v3.h>

#include <netinet/in.h>
#include <netinet/tcp.h>
#include <sys/socket.h>

#include <array>
#include <cerrno>
#include <optional>
#include <variant>

namespace langop::http {

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;

namespace {

constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

bool is_ip_literal(const std::string& host) {
  boost::system::error_code ec;
  (void)asio::ip::make_address(host, ec);
  return !ec;
}

bhttp::verb to_verb(method m) {
  switch (m) {
    case method::get: return bhttp::verb::get;
    case method::head: return bhttp::verb::head;
    case method::post: return bhttp::verb::post;
    case method::put: return bhttp::verb::put;
    case method::patch: return bhttp::verb::patch;
    case method::delete_: return bhttp::verb::delete_;
    case method::options: return bhttp::verb::options;
  }
  return bhttp::verb::get;
}

result<bhttp::request<bhttp::string_body>> to_beast(const request& req) {
  if (auto v = validate(req); !v) return v.error();
  bhttp::request<bhttp::string_body> r{to_verb(req.verb), req.target, 11};
  for (const auto& [name, value] : req.headers.fields()) r.insert(name, value);
  r.body() = req.body;
  r.prepare_payload();
  return r;
}

template <class Fields>
header_list to_headers(const Fields& fields) {
  header_list out;
  for (const auto& f : fields) out.add(std::string(f.name_string()), std::string(f.value()));
  return out;
}

}  // namespace

struct connection::impl {
  using plain_stream = beast::tcp_stream;
  using tls_stream = beast::ssl_stream<beast::tcp_stream>;

  using any_stream = std::variant<plain_stream, tls_stream>;

  impl(asio::any_io_executor ex, const endpoint& e, const connection_options& o)
      : ep(e), opts(o), stream(make_stream(std::move(ex), e)) {}

  // Returned as a prvalue so the (non-movable once in use) stream is built in place.
  static any_stream make_stream(asio::any_io_executor ex, const endpoint& e) {
    if (auto* ctx = e.ssl_context()) return any_stream(std::in_place_type<tls_stream>, std::move(ex), *ctx);
    return any_stream(std::in_place_type<plain_stream>, std::move(ex));
  }

  endpoint ep;
  connection_options opts;
  any_stream stream;
  beast::flat_buffer buffer;
  std::optional<bhttp::response_parser<bhttp::buffer_body>> stream_parser;
  std::array<char, 16 * 1024> chunk{};
  bool reusable = false;
  bool closed_by_user = false;

  beast::tcp_stream& lowest() {
    if (auto* t = std::get_if<tls_stream>(&stream)) return beast::get_lowest_layer(*t);
    return std::get<plain_stream>(stream);
  }
  const beast::tcp_stream& lowest() const { return const_cast<impl*>(this)->lowest(); }

  // Classifies an I/O failure; `doing` reads like "reading the response from".
  error fail(boost::system::error_code ec, std::string_view doing) {
    reusable = false;
    // After our own close() the socket reports aborted/bad-descriptor: that is cancellation.
    const bool user_closed = closed_by_user;
    lowest().close();
    std::string where = std::string(doing) + ' ' + ep.authority();
    if (user_closed || ec == asio::error::operation_aborted) return make_error(errc::cancelled, where + ": cancelled");
    if (ec == beast::error::timeout) return make_error(errc::timeout, where + ": deadline exceeded");
    if (ec == bhttp::error::body_limit) return make_error(errc::body_too_large, where + ": response body too large");
    if (ec == bhttp::error::end_of_stream || ec == bhttp::error::partial_message || ec == asio::error::eof ||
        ec == asio::error::connection_reset || ec == asio::error::broken_pipe ||
        ec == asio::error::connection_aborted || ec == asio::ssl::error::stream_truncated)
      return make_error(errc::connection_closed, where + ": connection closed by peer (" + ec.message() + ")");
    if (ec.category() == bhttp::make_error_code(bhttp::error::bad_version).category())
      return make_error(errc::malformed_response, where + ": malformed HTTP response (" + ec.message() + ")");
    if (ec.category() == asio::error::get_ssl_category())
      return make_error(errc::tls_handshake_failed, where + ": TLS error: " + ec.message());
    return make_error(errc::connection_closed, where + ": " + ec.message());
  }

  void done_op() {
    // Idle pooled connections must not carry an armed deadline into their next use.
    lowest().expires_never();
  }

  template <class Stream>
  asio::awaitable<result<void>> write_on(Stream& s, const request& req, deadline d, attempt_facts& facts) {
    auto msg = to_beast(req);
    if (!msg) co_return msg.error();
    reusable = false;
    lowest().expires_at(d);
    auto [ec, n] = co_await bhttp::async_write(s, *msg, use_tuple);
    facts.request_bytes_written += n;
    if (ec) co_return fail(ec, "sending the request to");
    done_op();
    co_return result<void>{};
  }

  template <class Stream>
  asio::awaitable<result<response>> exchange_on(Stream& s, const request& req, deadline d, std::size_t max_body,
                                                attempt_facts& facts) {
    if (auto w = co_await write_on(s, req, d, facts); !w) co_return w.error();
    bhttp::response_parser<bhttp::string_body> parser;
    parser.header_limit(opts.max_header_bytes);
    parser.body_limit(max_body);
    if (req.verb == method::head) parser.skip(true);  // HEAD responses carry no body
    lowest().expires_at(d);
    auto [ec, n] = co_await bhttp::async_read(s, buffer, parser, use_tuple);
    if (ec) {
      facts.response_bytes_received = parser.got_some() || buffer.size() > 0;
      co_return fail(ec, "reading the response from");
    }
    facts.response_bytes_received = true;
    done_op();
    // Leftover bytes after a complete response would be parsed as the next response:
    // never reuse such a connection (we never pipeline).
    reusable = parser.keep_alive() && buffer.size() == 0;
    auto msg = parser.release();
    response out;
    out.status = static_cast<int>(msg.result_int());
    out.headers = to_headers(msg.base());
    out.body = std::move(msg.body());
    co_return out;
  }

  template <class Stream>
  asio::awaitable<result<response>> read_head_on(Stream& s, deadline d) {
    stream_parser.emplace();
    stream_parser->header_limit(opts.max_header_bytes);
    stream_parser->body_limit(boost::none);  // streams are bounded per line by the reader
    lowest().expires_at(d);
    auto [ec, n] = co_await bhttp::async_read_header(s, buffer, *stream_parser, use_tuple);
    if (ec) co_return fail(ec, "reading the response head from");
    done_op();
    response out;
    out.status = static_cast<int>(stream_parser->get().result_int());
    out.headers = to_headers(stream_parser->get().base());
    co_return out;
  }

  template <class Stream>
  asio::awaitable<result<std::string_view>> read_body_some_on(Stream& s, deadline d) {
    if (!stream_parser) co_return make_error(errc::invalid_argument, "read_body_some before read_head");
    lowest().expires_at(d);
    // async_read_some may parse only framing (a chunk header) and deliver no body bytes:
    // keep reading until bytes arrive, the body ends, or the deadline passes.
    while (!stream_parser->is_done()) {
      auto& body = stream_parser->get().body();
      body.data = chunk.data();
      body.size = chunk.size();
      auto [ec, n] = co_await bhttp::async_read_some(s, buffer, *stream_parser, use_tuple);
      if (ec == bhttp::error::need_buffer) ec = {};
      if (ec) co_return fail(ec, "reading the response body from");
      std::size_t got = chunk.size() - stream_parser->get().body().size;
      if (got > 0) {
        done_op();
        co_return std::string_view(chunk.data(), got);
      }
    }
    done_op();
    co_return std::string_view{};
  }
};

connection::connection(private_tag, asio::any_io_executor ex, const endpoint& ep, const connection_options& opts)
    : impl_(std::make_unique<impl>(std::move(ex), ep, opts)) {}

connection::~connection() = default;

asio::awaitable<result<std::shared_ptr<connection>>> connection::open(const endpoint& ep, resolver& dns, deadline d,
                                                                      const connection_options& opts) {
  // Through a proxy, only the proxy's name is resolved here: the proxy resolves the target.
  const proxy_server* proxy = ep.is_tls() && opts.proxy ? &*opts.proxy : nullptr;
  std::string dial_host = proxy ? proxy->host : ep.host();
  const std::uint16_t dial_port = proxy ? proxy->port : ep.port();
  auto addresses = co_await dns.resolve(std::move(dial_host), dial_port, d);
  if (!addresses) co_return addresses.error();

  auto conn = std::make_shared<connection>(private_tag{}, co_await asio::this_coro::executor, ep, opts);
  impl& im = *conn->impl_;
  auto& tcp_layer = im.lowest();
  tcp_layer.expires_at(d);
  auto [ec, connected_to] = co_await tcp_layer.async_connect(*addresses, use_tuple);
  if (ec) {
    tcp_layer.close();
    const std::string peer = proxy ? "proxy " + proxy->authority() : ep.authority();
    if (ec == beast::error::timeout) co_return make_error(errc::timeout, "connecting to " + peer + ": deadline exceeded");
    if (ec == asio::error::operation_aborted) co_return make_error(errc::cancelled, "connecting to " + peer + ": cancelled");
    co_return make_error(errc::connect_failed, "connecting to " + peer + ": " + ec.message());
  }

  // Best effort: failing to tune a socket is not a reason to fail the request.
  auto& sock = tcp_layer.socket();
  boost::system::error_code opt_ec;
  sock.set_option(tcp::no_delay(true), opt_ec);
  sock.set_option(asio::socket_base::keep_alive(true), opt_ec);
#ifdef TCP_KEEPIDLE
  const int fd = sock.native_handle();
  const int idle = static_cast<int>(opts.keepalive_idle.count());
  const int interval = static_cast<int>(opts.keepalive_interval.count());
  const int probes = opts.keepalive_probes;
  (void)::setsockopt(fd, IPPROTO_TCP, TCP_KEEPIDLE, &idle, sizeof idle);
  (void)::setsockopt(fd, IPPROTO_TCP, TCP_KEEPINTVL, &interval, sizeof interval);
  (void)::setsockopt(fd, IPPROTO_TCP, TCP_KEEPCNT, &probes, sizeof probes);
#endif

  if (proxy) {
    if (auto t = co_await detail::open_tunnel(tcp_layer, *proxy, ep.authority(), d); !t) co_return t.error();
  }

  if (auto* tls = std::get_if<impl::tls_stream>(&im.stream)) {
    SSL* ssl = tls->native_handle();
    const std::string& name = ep.verify_name();
    const bool ip = is_ip_literal(name);
    // SNI must be a DNS name (RFC 6066 §3); for an IP the certificate's IP SAN is checked.
    if (!ip && SSL_set_tlsext_host_name(ssl, name.c_str()) != 1)
      co_return make_error(errc::invalid_argument, "TLS: cannot set SNI \"" + name + "\"");
    if (!ep.insecure_skip_verify()) {
      int set = ip ? X509_VERIFY_PARAM_set1_ip_asc(SSL_get0_param(ssl), name.c_str()) : SSL_set1_host(ssl, name.c_str());
      if (set != 1) co_return make_error(errc::invalid_argument, "TLS: cannot verify against name \"" + name + "\"");
    }
    tcp_layer.expires_at(d);
    auto [hec] = co_await tls->async_handshake(asio::ssl::stream_base::client, use_tuple);
    if (hec) {
      long verify = SSL_get_verify_result(ssl);
      tcp_layer.close();
      std::string where = "TLS handshake with " + ep.authority();
      if (hec == beast::error::timeout) co_return make_error(errc::timeout, where + ": deadline exceeded");
      if (hec == asio::error::operation_aborted) co_return make_error(errc::cancelled, where + ": cancelled");
      if (verify != X509_V_OK)
        co_return make_error(errc::tls_handshake_failed, where + " failed: certificate verify failed: " +
                                                             X509_verify_cert_error_string(verify) + " (verifying \"" +
                                                             name + "\")");
      co_return make_error(errc::tls_handshake_failed, where + " failed: " + hec.message());
    }
  }
  im.done_op();
  co_return conn;
}

asio::awaitable<result<response>> connection::exchange(const request& req, deadline d, std::size_t max_body,
                                                       attempt_facts& facts) {
  impl& im = *impl_;
  if (auto* t = std::get_if<impl::tls_stream>(&im.stream)) co_return co_await im.exchange_on(*t, req, d, max_body, facts);
  co_return co_await im.exchange_on(std::get<impl::plain_stream>(im.stream), req, d, max_body, facts);
}

asio::awaitable<result<void>> connection::write(const request& req, deadline d, attempt_facts& facts) {
  impl& im = *impl_;
  if (auto* t = std::get_if<impl::tls_stream>(&im.stream)) co_return co_await im.write_on(*t, req, d, facts);
  co_return co_await im.write_on(std::get<impl::plain_stream>(im.stream), req, d, facts);
}

asio::awaitable<result<response>> connection::read_head(deadline d) {
  impl& im = *impl_;
  if (auto* t = std::get_if<impl::tls_stream>(&im.stream)) co_return co_await im.read_head_on(*t, d);
  co_return co_await im.read_head_on(std::get<impl::plain_stream>(im.stream), d);
}

asio::awaitable<result<std::string_view>> connection::read_body_some(deadline d) {
  impl& im = *impl_;
  if (auto* t = std::get_if<impl::tls_stream>(&im.stream)) co_return co_await im.read_body_some_on(*t, d);
  co_return co_await im.read_body_some_on(std::get<impl::plain_stream>(im.stream), d);
}

bool connection::reusable() const noexcept { return impl_->reusable && is_open(); }

bool connection::peer_closed() const noexcept {
  if (!is_open() || impl_->buffer.size() > 0) return true;
  char byte;
  // Any outcome other than "would block" means the connection is unusable: 0 is FIN,
  // >0 is data nobody asked for (after a complete response, typically close_notify).
  ssize_t n = ::recv(impl_->lowest().socket().native_handle(), &byte, 1, MSG_PEEK | MSG_DONTWAIT);
  if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) return false;
  return true;
}

void connection::close() noexcept {
  impl_->closed_by_user = true;
  impl_->reusable = false;
  impl_->lowest().close();
}

bool connection::is_open() const noexcept { return impl_->lowest().socket().is_open(); }

const endpoint& connection::target() const noexcept { return impl_->ep; }

}  // namespace langop::http
