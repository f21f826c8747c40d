#include "langop/http/client.hpp"

#include "langop/http/errc.hpp"
#include "langop/http/in_flight_limiter.hpp"
#include "langop/http/pool.hpp"
#include "langop/http/retry_rule.hpp"

namespace langop::http {

namespace asio = boost::asio;

struct client::state {
  state(asio::any_io_executor e, endpoint ep, client_options o, std::shared_ptr<resolver> d)
      : ex(std::move(e)),
        opts(std::move(o)),
        dns(d ? std::move(d) : make_system_resolver(ex)),
        limiter(opts.max_requests_in_flight),
        connections(std::move(ep), dns, opts) {}

  asio::any_io_executor ex;
  client_options opts;
  std::shared_ptr<resolver> dns;
  in_flight_limiter limiter;
  pool connections;
  std::uint64_t streams_opened = 0;

  std::string describe(const http::request& req) const {
    // Path only: a query string could carry caller data we do not want in every log line.
    std::string_view path = req.target;
    path = path.substr(0, path.find('?'));
    return std::string(to_string(req.verb)) + ' ' + std::string(path);
  }

  // Fills in what every request needs. The token goes into the header and nowhere else.
  result<void> prepare(http::request& req) const {
    const endpoint& ep = connections.target();
    // Before any connection is touched: a bad header must not cost a pooled connection.
    if (auto v = validate(req); !v) return v;
    req.target.insert(0, ep.base_path());
    req.headers.set("Host", ep.authority());
    if (!req.headers.contains("User-Agent") && !opts.user_agent.empty()) req.headers.add("User-Agent", opts.user_agent);
    if (opts.bearer && !req.headers.contains("Authorization")) {
      auto token = opts.bearer();
      if (!token) return token.error();
      if (token->empty()) return make_error(errc::credentials_unavailable, "the bearer token is empty");
      req.headers.add("Authorization", "Bearer " + *token);
    }
    return {};
  }
};

namespace {

error with_context(const error& e, const std::string& what) {
  error out = e;
  out.message = what + ": " + e.message;
  return out;
}

std::optional<errc> http_errc(const error& e) {
  if (e.code.category() != category()) return std::nullopt;
  return static_cast<errc>(e.code.value());
}

}  // namespace

client::client(asio::any_io_executor ex, endpoint ep, client_options opts, std::shared_ptr<resolver> dns)
    : st_(std::make_shared<state>(std::move(ex), std::move(ep), std::move(opts), std::move(dns))) {}

client::~client() { st_->connections.close_idle(); }

asio::awaitable<result<response>> client::request(method m, std::string target, header_list headers, std::string body,
                                                  deadline d) {
  co_return co_await send(http::request{m, std::move(target), std::move(headers), std::move(body)}, d);
}

asio::awaitable<result<response>> client::send(http::request req, deadline d) {
  auto st = st_;  // the client may be destroyed while this request runs
  const std::string what = st->describe(req);
  if (auto p = st->prepare(req); !p) co_return with_context(p.error(), what);

  auto permit = co_await st->limiter.acquire(d);
  if (!permit) co_return with_context(permit.error(), what);

  for (int attempt = 0;; ++attempt) {
    auto lease = co_await st->connections.checkout(d, /*allow_reuse=*/attempt == 0);
    if (!lease) co_return with_context(lease.error(), what);
    attempt_facts facts;
    facts.reused_connection = lease->reused;
    auto res = co_await lease->conn->exchange(req, d, st->opts.max_response_body, facts);
    if (res) {
      st->connections.checkin(std::move(lease->conn));
      co_return res;
    }
    lease->conn->close();
    if (auto code = http_errc(res.error())) facts.failure = *code;
    if (attempt == 0 && should_retry_on_fresh_connection(req.verb, facts)) {
      // The server closed this idle connection; its siblings are likely stale too.
      st->connections.close_idle();
      continue;
    }
    co_return with_context(res.error(), what);
  }
}

asio::awaitable<result<stream>> client::open_stream(http::request req, deadline d) {
  auto st = st_;
  const std::string what = st->describe(req);
  if (auto p = st->prepare(req); !p) co_return with_context(p.error(), what);
  const endpoint& ep = st->connections.target();
  auto conn = co_await connection::open(ep, *st->dns, earliest(d, clock::now() + st->opts.connect_timeout),
                                        st->opts.connection);
  if (!conn) co_return with_context(conn.error(), what);
  ++st->streams_opened;
  attempt_facts facts;
  if (auto w = co_await (*conn)->write(req, d, facts); !w) co_return with_context(w.error(), what);
  auto head = co_await (*conn)->read_head(d);
  if (!head) co_return with_context(head.error(), what);
  co_return stream(std::move(*conn), std::move(*head), st->opts.max_stream_line);
}

void client::close_idle() noexcept { st_->connections.close_idle(); }

const endpoint& client::target() const noexcept { return st_->connections.target(); }
std::size_t client::in_flight() const noexcept { return st_->limiter.in_flight(); }
std::size_t client::idle_connections() const noexcept { return st_->connections.idle_count(); }
std::uint64_t client::connections_opened() const noexcept {
  return st_->connections.connections_opened() + st_->streams_opened;
}

}  // namespace langop::http
