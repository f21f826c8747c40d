#include "support/test_http_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl/context.hpp>
#include <boost/asio/ssl/stream.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/write.hpp>
#include <boost/beast/core/flat_buffer.hpp>
#include <boost/beast/http/read.hpp>
#include <boost/beast/http/string_body.hpp>

#include <openssl/ssl.h>
#include <openssl/x509.h>

#include <map>

namespace langop::test {

scripted_reply json_reply(int status, std::string body) {
  scripted_reply r;
  r.status = status;
  r.headers = {{"Content-Type", "application/json"}};
  r.body = std::move(body);
  return r;
}

namespace asio = boost::asio;
namespace beast = boost::beast;
namespace bhttp = boost::beast::http;
using asio::ip::tcp;

namespace {
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

std::string reason_for(int status) {
  switch (status) {
    case 200: return "OK";
    case 201: return "Created";
    case 404: return "Not Found";
    case 410: return "Gone";
    case 429: return "Too Many Requests";
    case 500: return "Internal Server Error";
    default: return "Status";
  }
}

std::string chunk_frame(const std::string& data) {
  char hex[32];
  std::snprintf(hex, sizeof hex, "%zx\r\n", data.size());
  return std::string(hex) + data + "\r\n";
}
}  // namespace

struct test_http_server::impl : std::enable_shared_from_this<impl> {
  impl(asio::any_io_executor e, handler h, std::optional<server_tls> t, listen_options l)
      : ex(e),
        on_request(std::move(h)),
        listen(std::move(l)),
        acceptor(e, tcp::endpoint(asio::ip::make_address(listen.address), listen.port)) {
    if (t) {
      tls.emplace(asio::ssl::context::tls_server);
      tls->use_certificate_chain(asio::buffer(t->cert_pem));
      tls->use_private_key(asio::buffer(t->key_pem), asio::ssl::context::pem);
      if (t->require_client_cert) {
        tls->add_certificate_authority(asio::buffer(t->client_ca_pem));
        tls->set_verify_mode(asio::ssl::verify_peer | asio::ssl::verify_fail_if_no_peer_cert);
      }
    }
  }

  asio::any_io_executor ex;
  handler on_request;
  listen_options listen;
  tcp::acceptor acceptor;
  std::optional<asio::ssl::context> tls;
  std::map<std::size_t, tcp::socket*> open_sockets;
  std::size_t accepted = 0, handshake_failures = 0, active = 0, peak = 0;
  std::vector<seen_request> seen;
  bool stopped = false;
  std::uint16_t bound_port = acceptor.local_endpoint().port();

  asio::awaitable<void> accept_loop() {
    auto self = shared_from_this();
    for (;;) {
      auto [ec, sock] = co_await acceptor.async_accept(use_tuple);
      if (ec || stopped) co_return;
      std::size_t id = ++accepted;
      if (tls) {
        asio::co_spawn(ex, self->serve_tls(std::move(sock), id), asio::detached);
      } else {
        asio::co_spawn(ex, self->serve_plain(std::move(sock), id), asio::detached);
      }
    }
  }

  // Registers the raw socket so stop() can close it; unregisters when the session ends.
  struct registration {
    impl& s;
    std::size_t id;
    registration(impl& server, std::size_t i, tcp::socket& sock) : s(server), id(i) { s.open_sockets[id] = &sock; }
    ~registration() { s.open_sockets.erase(id); }
  };

  asio::awaitable<void> serve_plain(tcp::socket sock, std::size_t id) {
    auto self = shared_from_this();
    registration reg(*this, id, sock);
    co_await serve(sock, sock, id, "", "");
  }

  asio::awaitable<void> serve_tls(tcp::socket sock, std::size_t id) {
    auto self = shared_from_this();
    asio::ssl::stream<tcp::socket> s(std::move(sock), *tls);
    registration reg(*this, id, s.next_layer());
    auto [ec] = co_await s.async_handshake(asio::ssl::stream_base::server, use_tuple);
    if (ec) {
      ++handshake_failures;
      co_return;
    }
    const char* sni = SSL_get_servername(s.native_handle(), TLSEXT_NAMETYPE_host_name);
    std::string cn;
    if (X509* peer = SSL_get0_peer_certificate(s.native_handle())) {
      char buf[256] = {};
      X509_NAME_get_text_by_NID(X509_get_subject_name(peer), NID_commonName, buf, sizeof buf);
      cn = buf;
    }
    co_await serve(s, s.next_layer(), id, sni ? sni : "", cn);
  }

  template <class Stream>
  asio::awaitable<void> hold_until_peer_closes(Stream& s) {
    char buf[512];
    for (;;) {
      auto [ec, n] = co_await s.async_read_some(asio::buffer(buf), use_tuple);
      if (ec) co_return;
    }
  }

  template <class Stream>
  asio::awaitable<bool> send(Stream& s, const std::string& bytes) {
    auto [ec, n] = co_await asio::async_write(s, asio::buffer(bytes), use_tuple);
    co_return !ec;
  }

  template <class Stream>
  asio::awaitable<void> serve(Stream& s, tcp::socket& raw, std::size_t id, std::string sni, std::string cn) {
    beast::flat_buffer buffer;
    asio::steady_timer timer(ex);
    for (std::size_t n = 1;; ++n) {
      bhttp::request_parser<bhttp::string_body> parser;
      parser.body_limit(16 * 1024 * 1024);
      auto [ec, bytes] = co_await bhttp::async_read(s, buffer, parser, use_tuple);
      if (ec) co_return;
      auto msg = parser.release();
      seen_request req;
      req.method = std::string(msg.method_string());
      req.target = std::string(msg.target());
      req.body = msg.body();
      for (const auto& f : msg) req.headers.add(std::string(f.name_string()), std::string(f.value()));
      req.connection = id;
      req.index_on_connection = n;
      req.sni = sni;
      req.client_cn = cn;
      if (listen.max_seen != 0 && seen.size() >= listen.max_seen)
        seen.erase(seen.begin(), seen.begin() + static_cast<std::ptrdiff_t>(seen.size() / 2));
      seen.push_back(req);
      scripted_reply reply = on_request(req);

      ++active;
      peak = std::max(peak, active);
      struct active_guard {
        std::size_t& a;
        ~active_guard() { --a; }
      } guard{active};

      if (reply.drop) co_return;  // the socket closes as the frame unwinds
      if (reply.never_answer) {
        co_await hold_until_peer_closes(s);
        co_return;
      }
      if (reply.delay.count() > 0) {
        timer.expires_after(reply.delay);
        co_await timer.async_wait(use_tuple);
      }
      if (!reply.raw.empty()) {
        co_await send(s, reply.raw);
        co_return;
      }
      std::string head = "HTTP/1.1 " + std::to_string(reply.status) + " " + reason_for(reply.status) + "\r\n";
      for (const auto& [k, v] : reply.headers) head += k + ": " + v + "\r\n";
      if (reply.chunks) {
        head += "Transfer-Encoding: chunked\r\n\r\n";
        if (!co_await send(s, head)) co_return;
        for (const auto& c : *reply.chunks) {
          if (c.delay.count() > 0) {
            timer.expires_after(c.delay);
            co_await timer.async_wait(use_tuple);
          }
          if (!co_await send(s, chunk_frame(c.data))) co_return;
        }
        if (!reply.end_chunks) {
          co_await hold_until_peer_closes(s);
          co_return;
        }
        if (!co_await send(s, std::string("0\r\n\r\n"))) co_return;
      } else {
        head += "Content-Length: " + std::to_string(reply.body.size()) + "\r\n\r\n";
        std::string all = head + (req.method == "HEAD" ? std::string() : reply.body);
        if (reply.cut_after) {
          all.resize(std::min(all.size(), *reply.cut_after));
          co_await send(s, all);
          co_return;
        }
        if (!co_await send(s, all)) co_return;
      }
      if (reply.close_after || !msg.keep_alive()) {
        boost::system::error_code ignored;
        raw.shutdown(tcp::socket::shutdown_both, ignored);
        co_return;
      }
    }
  }
};

test_http_server::test_http_server(asio::any_io_executor ex, handler h, std::optional<server_tls> tls)
    : test_http_server(std::move(ex), std::move(h), std::move(tls), listen_options{}) {}

test_http_server::test_http_server(asio::any_io_executor ex, handler h, std::optional<server_tls> tls,
                                   listen_options listen)
    : impl_(std::make_shared<impl>(ex, std::move(h), std::move(tls), std::move(listen))) {
  asio::co_spawn(ex, impl_->accept_loop(), asio::detached);
}

test_http_server::~test_http_server() { stop(); }

void test_http_server::stop() {
  impl_->stopped = true;
  boost::system::error_code ignored;
  impl_->acceptor.close(ignored);
  for (auto& [id, sock] : impl_->open_sockets) sock->close(ignored);
}

std::uint16_t test_http_server::port() const { return impl_->bound_port; }
std::string test_http_server::url() const {
  const std::string& a = impl_->listen.address;
  const std::string host = a.find(':') != std::string::npos ? "[" + a + "]" : a;
  return std::string(impl_->tls ? "https" : "http") + "://" + host + ":" + std::to_string(port());
}
std::size_t test_http_server::connections() const { return impl_->accepted; }
std::size_t test_http_server::tls_failures() const { return impl_->handshake_failures; }
std::size_t test_http_server::peak_concurrent() const { return impl_->peak; }
const std::vector<seen_request>& test_http_server::seen() const { return impl_->seen; }

}  // namespace langop::test
