#include "langop/localapi/server.hpp"

#include "server_admin.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/post.hpp>
#include <boost/asio/ssl.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/asio/as_tuple.hpp>
#include <boost/beast/core.hpp>
#include <boost/beast/http.hpp>
#include <boost/beast/ssl.hpp>
#include <boost/url/parse.hpp>

#include <array>
#include <map>
#include <random>
#include <sstream>

namespace langop::localapi {

namespace net = boost::asio;
namespace beast = boost::beast;
namespace http = beast::http;
using tcp = net::ip::tcp;
using namespace net::experimental::awaitable_operators;

namespace {

constexpr auto use_tuple = net::as_tuple(net::use_awaitable);

bool is_health_path(std::string_view p) {
  return p == "/healthz" || p == "/livez" || p == "/readyz" || p == "/version" || p.starts_with("/healthz/") ||
         p.starts_with("/livez/") || p.starts_with("/readyz/");
}

// Takes the body out of `req` (the caller only reads its header afterwards).
api_request to_api_request(http::request<http::string_body>& req) {
  api_request ar;
  ar.method = std::string(req.method_string());
  std::string_view target = req.target();
  auto parsed = boost::urls::parse_origin_form(target);
  if (parsed) {
    ar.path = parsed->path();
    for (auto p : parsed->params()) ar.query.emplace_back(p.key, p.value);
  } else {
    ar.path = std::string(target.substr(0, target.find('?')));
  }
  if (auto it = req.find(http::field::content_type); it != req.end()) ar.content_type = it->value();
  if (auto it = req.find(http::field::accept); it != req.end()) ar.accept = it->value();
  if (auto it = req.find(http::field::user_agent); it != req.end()) ar.user_agent = it->value();
  ar.body = std::move(req.body());
  return ar;
}

bool token_matches(std::string_view header, const std::string& token) {
  constexpr std::string_view prefix = "Bearer ";
  if (!header.starts_with(prefix)) return false;
  header.remove_prefix(prefix.size());
  if (header.size() != token.size()) return false;
  unsigned char diff = 0;  // constant time in the token length
  for (std::size_t i = 0; i < token.size(); ++i) diff |= static_cast<unsigned char>(header[i] ^ token[i]);
  return diff == 0;
}

// Statuses whose response carries a Content-Length and a body (response_head's shape).
bool simple_head_ok(int status) { return status >= 200 && status != 204 && status != 304; }

// The status line and header fields of a response, byte for byte what beast's serializer
// writes for http::response<string_body> with these fields set in this order, then
// keep_alive() and prepare_payload(). Written by hand: beast's serializer machinery cost
// more than handling a typical write.
std::string response_head(const api_response& resp, unsigned version, bool keep) {
  std::string head;
  head.reserve(128 + resp.content_type.size());
  head += "HTTP/";
  head += static_cast<char>('0' + version / 10);
  head += '.';
  head += static_cast<char>('0' + version % 10);
  head += ' ';
  head += std::to_string(resp.status);
  head += ' ';
  auto reason = http::obsolete_reason(http::status(resp.status));
  head.append(reason.data(), reason.size());
  head += "\r\nContent-Type: ";
  head += resp.content_type;
  head += "\r\nCache-Control: no-cache, private\r\n";
  for (const auto& [k, v] : resp.headers) head.append(k).append(": ").append(v).append("\r\n");
  if (version >= 11 && !keep) head += "Connection: close\r\n";
  if (version < 11 && keep) head += "Connection: keep-alive\r\n";
  head += "Content-Length: ";
  head += std::to_string(resp.body.size());
  head += "\r\n\r\n";
  return head;
}

template <class Stream>
auto& lowest(Stream& s) {
  return beast::get_lowest_layer(s);
}

}  // namespace

struct server::impl final : admin_target, std::enable_shared_from_this<impl> {
  impl(net::io_context& c, apiserver& a, server_options o, log::logger l)
      : ioc(c), api(a), opts(std::move(o)), log(std::move(l)), rng(opts.faults.seed) {}

  net::io_context& ioc;
  apiserver& api;
  server_options opts;
  log::logger log;
  std::unique_ptr<net::ssl::context> ssl;
  std::unique_ptr<tcp::acceptor> acceptor;
  std::mt19937_64 rng;
  unsigned short bound_port = 0;
  bool running = false;
  bool gc_running = false;
  std::uint64_t next_id = 0;
  struct connection {
    std::function<void()> close;
    bool watching = false;
  };
  std::map<std::uint64_t, connection> connections;

  void listen() {
    auto addr = net::ip::make_address(opts.address);
    acceptor = std::make_unique<tcp::acceptor>(ioc);
    tcp::endpoint ep(addr, bound_port ? bound_port : opts.port);
    acceptor->open(ep.protocol());
    acceptor->set_option(net::socket_base::reuse_address(true));
    acceptor->bind(ep);
    acceptor->listen(net::socket_base::max_listen_connections);
    bound_port = acceptor->local_endpoint().port();
    running = true;
    net::co_spawn(ioc, accept_loop(shared_from_this()), net::detached);
  }

  void close_all() {
    running = false;
    if (acceptor) {
      boost::system::error_code ec;
      acceptor->close(ec);
    }
    auto copy = connections;
    for (auto& [id, c] : copy) c.close();
  }

  // admin_target
  apiserver& backend() override { return api; }
  fault_settings& fault_config() override { return opts.faults; }
  void drop_watches() override {
    auto copy = connections;
    for (auto& [id, c] : copy)
      if (c.watching) c.close();
  }
  void restart_after(std::chrono::milliseconds down) override {
    // Let the admin response go out before every connection is cut.
    auto timer = std::make_shared<net::steady_timer>(ioc, std::chrono::milliseconds(20));
    timer->async_wait([self = shared_from_this(), timer, down](boost::system::error_code) { self->restart(down); });
  }
  std::optional<api_response> extra_admin(const api_request& request) override {
    if (admin_extension) return admin_extension(request);
    return std::nullopt;
  }
  std::function<std::optional<api_response>(const api_request&)> admin_extension;

  void restart(std::chrono::milliseconds down) {
    close_all();
    auto timer = std::make_shared<net::steady_timer>(ioc, down);
    timer->async_wait([self = shared_from_this(), timer](boost::system::error_code) {
      try {
        self->listen();
        self->log.info("localapi serving again after restart", {{"port", static_cast<int>(self->bound_port)}});
      } catch (const std::exception& ex) {
        self->log.error("localapi could not listen again after restart", {{"error", ex.what()}});
      }
    });
  }

  double random_share() { return std::uniform_real_distribution<double>(0.0, 1.0)(rng); }

  static net::awaitable<void> accept_loop(std::shared_ptr<impl> self) {
    auto* acc = self->acceptor.get();
    while (self->running && acc->is_open()) {
      auto [ec, socket] = co_await acc->async_accept(use_tuple);
      if (ec) {
        if (ec == net::error::operation_aborted || !acc->is_open()) co_return;
        continue;
      }
      socket.set_option(tcp::no_delay(true), ec);
      std::uint64_t id = ++self->next_id;
      if (self->opts.tls) {
        net::co_spawn(self->ioc,
                      serve_tls(self, beast::ssl_stream<beast::tcp_stream>(beast::tcp_stream(std::move(socket)), *self->ssl), id),
                      net::detached);
      } else {
        net::co_spawn(self->ioc, serve_plain(self, beast::tcp_stream(std::move(socket)), id), net::detached);
      }
    }
  }

  static net::awaitable<void> serve_plain(std::shared_ptr<impl> self, beast::tcp_stream stream, std::uint64_t id) {
    co_await self->serve(stream, id);
    boost::system::error_code ec;
    stream.socket().shutdown(tcp::socket::shutdown_send, ec);
  }

  static net::awaitable<void> serve_tls(std::shared_ptr<impl> self, beast::ssl_stream<beast::tcp_stream> stream,
                                        std::uint64_t id) {
    lowest(stream).expires_after(std::chrono::seconds(10));
    auto [ec] = co_await stream.async_handshake(net::ssl::stream_base::server, use_tuple);
    if (ec) co_return;
    co_await self->serve(stream, id);
    lowest(stream).expires_after(std::chrono::seconds(2));
    (void)co_await stream.async_shutdown(use_tuple);
  }

  // Runs garbage collection / namespace cleanup steps on the loop, yielding between
  // batches so a large cascade never stalls other requests.
  void schedule_background() {
    if (gc_running || !api.has_background_work()) return;
    gc_running = true;
    net::co_spawn(ioc, background(shared_from_this()), net::detached);
  }

  static net::awaitable<void> background(std::shared_ptr<impl> self) {
    while (self->api.has_background_work()) {
      for (int i = 0; i < 64 && self->api.run_background_step(); ++i) {
      }
      co_await net::post(self->ioc, net::use_awaitable);
    }
    self->gc_running = false;
  }

  template <class Stream>
  net::awaitable<void> write_response(Stream& stream, http::response<http::string_body>& res, bool cut) {
    lowest(stream).expires_after(std::chrono::seconds(60));
    if (!cut) {
      (void)co_await http::async_write(stream, res, use_tuple);
      co_return;
    }
    std::ostringstream raw;
    raw << res;
    std::string bytes = raw.str();
    bytes.resize(bytes.size() / 2);
    (void)co_await net::async_write(stream, net::buffer(bytes), use_tuple);
    boost::system::error_code ec;
    lowest(stream).socket().close(ec);
  }

  template <class Stream>
  net::awaitable<bool> stream_watch(Stream& stream, unsigned version, api_response& resp, std::uint64_t id) {
    auto session = resp.watch;
    connections[id].watching = true;
    http::response<http::empty_body> head{http::status::ok, version};
    head.set(http::field::content_type, resp.content_type);
    head.set(http::field::cache_control, "no-cache, private");
    head.chunked(true);
    head.keep_alive(true);
    http::response_serializer<http::empty_body> sr{head};
    lowest(stream).expires_after(std::chrono::seconds(60));
    auto [hec, hn] = co_await http::async_write_header(stream, sr, use_tuple);
    if (hec) co_return false;

    net::steady_timer wake(ioc, net::steady_timer::time_point::max());
    session->set_wake([&wake] { wake.cancel(); });
    const auto start = std::chrono::steady_clock::now();
    const auto deadline = start + session->timeout();
    auto next_bookmark = start + opts.bookmark_interval;
    bool ok = true;

    auto writer = [&]() -> net::awaitable<void> {
      for (;;) {
        if (session->has_pending()) {
          std::string data = session->take_pending();
          lowest(stream).expires_after(std::chrono::seconds(60));
          auto [ec, n] = co_await net::async_write(stream, http::make_chunk(net::buffer(data)), use_tuple);
          lowest(stream).expires_never();
          if (ec) {
            ok = false;
            co_return;
          }
          continue;
        }
        if (session->finished()) co_return;
        auto now = std::chrono::steady_clock::now();
        if (now >= deadline) co_return;
        if (session->bookmarks_allowed() && now >= next_bookmark) {
          session->queue_bookmark();
          next_bookmark = now + opts.bookmark_interval;
          continue;
        }
        wake.expires_at(session->bookmarks_allowed() ? std::min(deadline, next_bookmark) : deadline);
        (void)co_await wake.async_wait(use_tuple);
        // Woken by an event: let the handlers already queued (other requests, often more
        // writes) run first, so one write to the socket carries all their events instead
        // of one system call per event per watcher.
        co_await net::post(ioc, net::use_awaitable);
      }
    };
    // The client hanging up (or sending anything) ends the watch.
    auto disconnect = [&]() -> net::awaitable<void> {
      char byte;
      (void)co_await stream.async_read_some(net::buffer(&byte, 1), use_tuple);
      ok = false;
    };
    lowest(stream).expires_never();
    co_await (writer() || disconnect());
    session->set_wake(nullptr);
    if (auto it = connections.find(id); it != connections.end()) it->second.watching = false;
    if (!ok) co_return false;
    lowest(stream).expires_after(std::chrono::seconds(10));
    auto [ec, n] = co_await net::async_write(stream, http::make_chunk_last(), use_tuple);
    co_return !ec;
  }

  template <class Stream>
  net::awaitable<void> serve(Stream& stream, std::uint64_t id) {
    auto self = shared_from_this();
    connections[id].close = [&stream] {
      boost::system::error_code ec;
      lowest(stream).socket().shutdown(tcp::socket::shutdown_both, ec);
      lowest(stream).socket().close(ec);
    };
    struct erase_on_exit {
      impl* i;
      std::uint64_t id;
      ~erase_on_exit() { i->connections.erase(id); }
    } guard{this, id};

    beast::flat_buffer buffer;
    for (;;) {
      http::request_parser<http::string_body> parser;
      parser.header_limit(64 * 1024);
      parser.body_limit(api.options().max_body_bytes + 1);
      lowest(stream).expires_after(opts.idle_timeout);
      auto [ec, n] = co_await http::async_read(stream, buffer, parser, use_tuple);
      if (ec == http::error::body_limit) {
        api_request too_big;
        too_big.method = "POST";
        too_big.path = "/";
        too_big.body.assign(api.options().max_body_bytes + 1, ' ');
        auto resp = api.handle(too_big);
        http::response<http::string_body> res{http::status(resp.status), 11};
        res.set(http::field::content_type, resp.content_type);
        res.body() = std::move(resp.body);
        res.keep_alive(false);
        res.prepare_payload();
        co_await write_response(stream, res, false);
        co_return;
      }
      if (ec) co_return;
      auto& req = parser.get();
      const bool keep = req.keep_alive();
      api_request ar = to_api_request(req);

      api_response resp;
      bool cut = false;
      auto auth = req.find(http::field::authorization);
      const bool authorized = opts.token.empty() ||
                              (auth != req.end() && token_matches(auth->value(), opts.token));
      if (!authorized && !is_health_path(ar.path)) {
        api_error e = unauthorized();
        resp.status = e.code;
        resp.body = json_text(to_status(e));
      } else if (ar.path.starts_with("/admin/")) {
        resp = handle_admin(*this, ar);
      } else {
        const fault_settings& f = opts.faults;
        if (f.latency.count() > 0) {
          net::steady_timer t(ioc, f.latency);
          (void)co_await t.async_wait(use_tuple);
        }
        if (f.throttle_rate > 0 && random_share() < f.throttle_rate) {
          resp = fault_response(too_many_requests(f.retry_after_seconds));
        } else if (f.error_rate > 0 && random_share() < f.error_rate) {
          resp = fault_response(internal_error("injected fault"));
        } else {
          resp = api.handle(ar);
          schedule_background();
          cut = f.cut_rate > 0 && random_share() < f.cut_rate;
        }
      }
      if (resp.watch) {
        if (cut) co_return;  // a watch cut before its first byte
        if (!co_await stream_watch(stream, req.version(), resp, id)) co_return;
        if (!keep) co_return;
        continue;
      }
      if (!cut && simple_head_ok(resp.status)) {
        const std::string head = response_head(resp, req.version(), keep);
        const std::array<net::const_buffer, 2> bufs{net::buffer(head), net::buffer(resp.body)};
        lowest(stream).expires_after(std::chrono::seconds(60));
        (void)co_await net::async_write(stream, bufs, use_tuple);
        if (!keep) co_return;
        continue;
      }
      http::response<http::string_body> res{http::status(resp.status), req.version()};
      res.set(http::field::content_type, resp.content_type);
      res.set(http::field::cache_control, "no-cache, private");
      for (auto& [k, v] : resp.headers) res.insert(k, v);
      res.body() = std::move(resp.body);
      res.keep_alive(keep);
      res.prepare_payload();
      co_await write_response(stream, res, cut);
      if (cut || !keep) co_return;
    }
  }

  api_response fault_response(const api_error& e) {
    api_response r;
    r.status = e.code;
    r.body = json_text(to_status(e));
    if (e.retry_after_seconds) r.headers.emplace_back("Retry-After", std::to_string(*e.retry_after_seconds));
    return r;
  }
};

server::server(net::io_context& ioc, apiserver& api, server_options options, log::logger logger)
    : impl_(std::make_shared<impl>(ioc, api, std::move(options), std::move(logger))) {
  if (impl_->opts.tls) {
    impl_->ssl = std::make_unique<net::ssl::context>(net::ssl::context::tls_server);
    impl_->ssl->set_options(net::ssl::context::default_workarounds | net::ssl::context::no_sslv2 |
                            net::ssl::context::no_sslv3 | net::ssl::context::no_tlsv1 | net::ssl::context::no_tlsv1_1);
    impl_->ssl->use_certificate_chain(net::buffer(impl_->opts.cert_pem));
    impl_->ssl->use_private_key(net::buffer(impl_->opts.key_pem), net::ssl::context::pem);
  }
}

server::~server() {
  if (impl_) impl_->close_all();
}

void server::start() {
  impl_->listen();
  port_ = impl_->bound_port;
}

void server::stop() { impl_->close_all(); }

bool server::running() const noexcept { return impl_->running; }

fault_settings& server::faults() noexcept { return impl_->opts.faults; }

void server::drop_watch_connections() { impl_->drop_watches(); }

void server::restart(std::chrono::milliseconds down) { impl_->restart(down); }

void server::set_admin_extension(std::function<std::optional<api_response>(const api_request&)> extension) {
  impl_->admin_extension = std::move(extension);
}

}  // namespace langop::localapi
