#include "langop/llm/client.hpp"

#include "langop/http/client.hpp"
#include "langop/http/endpoint.hpp"
#include "langop/llm/anthropic_wire.hpp"
#include "langop/llm/errc.hpp"
#include "langop/llm/model_list.hpp"
#include "langop/llm/openai_wire.hpp"
#include "langop/llm/provider_error.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>

#include <random>

namespace langop::llm {

namespace asio = boost::asio;
using std::chrono::milliseconds;

namespace {

http::client_options transport_options(const client_options& opts, std::optional<http::proxy_server> proxy) {
  http::client_options o;
  o.max_requests_in_flight = opts.max_requests_in_flight;
  o.max_response_body = opts.max_response_body;
  o.user_agent = opts.user_agent;
  o.connection.proxy = std::move(proxy);
  return o;
}

std::uint64_t seed_for(const client_options& opts) {
  if (opts.jitter_seed != 0) return opts.jitter_seed;
  std::random_device rd;
  return (static_cast<std::uint64_t>(rd()) << 32) ^ rd();
}

}  // namespace

struct client::state {
  state(asio::any_io_executor e, model_endpoint m, client_options o, http::endpoint hep,
        std::optional<http::proxy_server> proxy)
      : ex(e),
        ep(std::move(m)),
        opts(std::move(o)),
        proxied(proxy.has_value()),
        http(e, std::move(hep), transport_options(opts, std::move(proxy)), opts.dns),
        rng(seed_for(opts)) {}

  asio::any_io_executor ex;
  model_endpoint ep;
  client_options opts;
  bool proxied;
  http::client http;
  std::mt19937_64 rng;

  // Sends until a 2xx arrives or the retry policy / deadline says stop. `rec` collects
  // attempts, the last status and Retry-After for the metrics hook.
  asio::awaitable<result<http::response>> exchange(http::method m, const std::string& target, const std::string& body,
                                                   const std::string& key, http::deadline d, const std::string& what,
                                                   call_record& rec) {
    asio::steady_timer timer(ex);
    for (int attempt = 1;; ++attempt) {
      rec.attempts = attempt;
      const auto now = http::clock::now();
      const http::deadline attempt_deadline =
          opts.attempt_timeout.count() > 0 ? http::earliest(d, now + opts.attempt_timeout) : d;
      auto r = co_await http.send(http::request(m, target, request_headers(ep, key), body), attempt_deadline);
      if (r && r->ok()) {
        rec.http_status = r->status;
        co_return std::move(*r);
      }
      error err;
      std::optional<std::chrono::seconds> retry_after;
      if (r) {
        rec.http_status = r->status;
        err = status_error(r->status, r->body, what, key);
        retry_after = r->retry_after();
        if (retry_after) {
          rec.retry_after = retry_after;
          err.message += " (the provider asked to retry after " + std::to_string(retry_after->count()) + "s)";
        }
      } else {
        err = from_http_error(r.error(), what);
      }
      const errc code = code_of(err).value_or(errc::network);
      if (code == errc::cancelled) co_return err;
      if (http::clock::now() >= d) co_return err;  // the deadline passed: nothing to add

      const double u = std::uniform_real_distribution<double>(0.0, 1.0)(rng);
      auto delay = retry_delay(opts.retry, attempt, code, retry_after, u);
      if (!delay) {
        if (attempt > 1) err.message += " (gave up after " + std::to_string(attempt) + " attempts)";
        co_return err;
      }
      if (http::clock::now() + *delay >= d) {
        err.message += " (not retried: the call's deadline comes first)";
        co_return err;
      }
      timer.expires_after(*delay);
      auto [ec] = co_await timer.async_wait(asio::as_tuple(asio::use_awaitable));
      if (ec) co_return make_error(errc::cancelled, what + ": cancelled while waiting to retry");
    }
  }

  // Fills in the outcome, reports the call, and scrubs the key from any error once more
  // (a provider may echo it in a 2xx error body too).
  template <class T>
  void finish(result<T>& out, call_record& rec, http::clock::time_point started, const std::string& key) {
    if (!out) {
      // result::error() returns a copy: rebuild the error and store it back.
      error e = out.error();
      e.message = redact(e.message, key);
      e.reason = redact(e.reason, key);
      out = std::move(e);
    }
    rec.outcome = out ? "ok" : std::string(to_string(code_of(out.error()).value_or(errc::network)));
    rec.latency = std::chrono::duration_cast<milliseconds>(http::clock::now() - started);
    if (!opts.on_call) return;
    try {
      opts.on_call(rec);
    } catch (...) {
      // A metrics failure must not turn a finished call into an exception.
    }
  }

  result<void> check_key(const std::string& key, const std::string& what) const {
    if (ep.key_required && key.empty())
      return make_error(errc::unauthorized,
                        what + ": no API key (set the LanguageModel's apiKeySecretRef to a Secret holding the key)");
    return {};
  }
};

result<client> client::make(asio::any_io_executor ex, const model_config& cfg, client_options opts) {
  auto ep = resolve_endpoint(cfg);
  if (!ep) return ep.error();
  return make(std::move(ex), std::move(*ep), std::move(opts));
}

result<client> client::make(asio::any_io_executor ex, model_endpoint ep, client_options opts) {
  auto hep = http::endpoint::from_url(ep.base_url, opts.tls);
  if (!hep) return make_error(errc::bad_request, std::string(to_string(ep.provider)) + " endpoint: " + hep.error().message);
  std::optional<http::proxy_server> proxy;
  if (!opts.proxy) {
    auto env = http::proxy_settings::from_env();
    if (!env) return make_error(errc::bad_request, env.error().message);
    opts.proxy = std::move(*env);
  }
  proxy = opts.proxy->for_target(hep->is_tls(), hep->host(), hep->port());
  return client(std::make_shared<state>(ex, std::move(ep), std::move(opts), std::move(*hep), std::move(proxy)));
}

client::~client() {
  if (st_) st_->http.close_idle();
}

asio::awaitable<result<chat_response>> client::chat(chat_request req, std::string api_key, http::deadline d) {
  auto st = st_;  // the client may be destroyed while this call runs
  const auto started = http::clock::now();
  call_record rec;
  rec.provider = to_string(st->ep.provider);
  rec.model = req.model.empty() ? st->ep.model : req.model;
  rec.operation = "chat";
  const std::string what = rec.provider + " chat " + rec.model;

  std::string body;
  if (st->ep.wire == wire_format::anthropic) {
    body = boost::json::serialize(anthropic_chat_body(req, st->ep.model));
  } else {
    openai_body_options o;
    o.use_max_completion_tokens = st->ep.use_max_completion_tokens;
    body = boost::json::serialize(openai_chat_body(req, st->ep.model, o));
  }

  result<chat_response> out = make_error(errc::network, what);
  if (auto k = st->check_key(api_key, what); !k) {
    out = k.error();
  } else if (auto resp = co_await st->exchange(http::method::post, st->ep.chat_path, body, api_key, d, what, rec);
             !resp) {
    out = resp.error();
  } else {
    out = st->ep.wire == wire_format::anthropic ? parse_anthropic_chat(resp->body) : parse_openai_chat(resp->body);
    if (out) {
      rec.usage = out->usage;
    } else {
      error e = out.error();
      e.message = what + ": " + e.message;
      e.http_status = resp->status;
      out = std::move(e);
    }
  }
  st->finish(out, rec, started, api_key);
  co_return out;
}

asio::awaitable<result<std::vector<std::string>>> client::list_models(std::string api_key, http::deadline d) {
  auto st = st_;
  const auto started = http::clock::now();
  call_record rec;
  rec.provider = to_string(st->ep.provider);
  rec.model = st->ep.model;
  rec.operation = "list_models";
  const std::string what = rec.provider + " list models";

  const std::string no_body;
  result<std::vector<std::string>> out = make_error(errc::network, what);
  if (auto k = st->check_key(api_key, what); !k) {
    out = k.error();
  } else if (auto resp = co_await st->exchange(http::method::get, st->ep.models_path, no_body, api_key, d, what, rec);
             !resp) {
    out = resp.error();
  } else {
    out = parse_model_list(resp->body);
    if (!out) {
      error e = out.error();
      e.message = what + ": " + e.message;
      out = std::move(e);
    }
  }
  st->finish(out, rec, started, api_key);
  co_return out;
}

const model_endpoint& client::endpoint() const noexcept { return st_->ep; }
bool client::proxied() const noexcept { return st_->proxied; }
std::size_t client::in_flight() const noexcept { return st_->http.in_flight(); }

}  // namespace langop::llm
