#include "langop/kube/client.hpp"

#include "langop/http/errc.hpp"
#include "langop/kube/errc.hpp"
#include "langop/kube/token_source.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>

namespace langop::kube {
namespace net = boost::asio;

namespace {

http::method to_method(std::string_view m) {
  if (m == "POST") return http::method::post;
  if (m == "PUT") return http::method::put;
  if (m == "PATCH") return http::method::patch;
  if (m == "DELETE") return http::method::delete_;
  return http::method::get;
}

http::request to_request(const api_call& call) {
  http::header_list headers{{"Accept", "application/json"}};
  if (!call.content_type.empty()) headers.add("Content-Type", call.content_type);
  return http::request(to_method(call.method), call.target, std::move(headers), call.body);
}

// Plain functions on purpose: GCC 12 miscompiles initializer_list temporaries that live
// in a coroutine frame ("array used as initializer").
std::string namespace_of(const json::value& object) { return std::string(jsonu::get_string(object, {"metadata", "namespace"})); }
std::string name_of(const json::value& object) { return std::string(jsonu::get_string(object, {"metadata", "name"})); }

void fill_list_page(json::object& list, list_page& page) {
  if (const auto* meta = list.if_contains("metadata"); meta && meta->is_object()) {
    page.resource_version = jsonu::get_string(meta->get_object(), "resourceVersion");
    page.continue_token = jsonu::get_string(meta->get_object(), "continue");
  }
  if (auto* items = list.if_contains("items"); items && items->is_array()) page.items = std::move(items->get_array());
}

}  // namespace

result<std::unique_ptr<client>> client::create(net::any_io_executor ex, const cluster_config& cfg,
                                               client_options opts) {
  auto ep = make_endpoint(cfg);
  if (!ep) return ep.error();
  http::client_options h;
  h.max_requests_in_flight = opts.max_requests_in_flight;
  h.user_agent = opts.user_agent.empty() ? cfg.user_agent : opts.user_agent;
  if (auto tokens = make_token_source(cfg)) h.bearer = token_source::provider(std::move(tokens));
  return std::make_unique<client>(std::move(ex), std::move(*ep), std::move(h), std::move(opts));
}

client::client(net::any_io_executor ex, http::endpoint ep, http::client_options http_opts, client_options opts)
    : ex_(ex), opts_(std::move(opts)), http_(std::make_unique<http::client>(ex, std::move(ep), std::move(http_opts))) {}

client::~client() = default;

net::awaitable<result<json::value>> client::send(api_call call) {
  auto body = co_await send_raw(call);
  if (!body) co_return body.error();
  if (body->empty()) co_return json::value(json::object());
  std::string err;
  auto v = jsonu::parse(*body, &err);
  if (!v)
    co_return error(make_error_code(errc::malformed_response),
                    call.describe + ": the API server sent malformed JSON (" + err + ")");
  co_return std::move(*v);
}

net::awaitable<result<std::string>> client::send_raw(api_call call) {
  const http::request req = to_request(call);
  for (int attempt = 0;; ++attempt) {
    const auto start = std::chrono::steady_clock::now();
    auto r = co_await http_->send(req, http::after(opts_.request_timeout));
    if (opts_.observer) opts_.observer(call.verb, r ? r->status : 0, std::chrono::steady_clock::now() - start);
    if (!r) {
      error e = r.error();
      e.message = call.describe + ": " + e.message;
      co_return e;
    }
    if (r->ok()) co_return std::move(r->body);
    error err = status_error(r->status, r->body, call.describe);
    // 429 always means "not processed, come back later"; a 5xx only when the server
    // says when (Retry-After) — otherwise the caller's own backoff decides.
    auto retry_after = r->retry_after();
    const bool retryable = r->status == 429 || (r->status >= 500 && retry_after);
    if (!retryable || attempt >= opts_.max_retries) co_return err;
    auto delay = retry_after.value_or(opts_.default_retry_after);
    if (delay > opts_.max_retry_after) co_return err;
    net::steady_timer timer(ex_, delay);
    auto [ec] = co_await timer.async_wait(net::as_tuple(net::use_awaitable));
    if (ec) co_return error(make_error_code(http::errc::cancelled), call.describe + ": cancelled");
  }
}

net::awaitable<result<json::value>> client::get(const resource& r, std::string_view ns, std::string_view name,
                                                std::string_view subresource) {
  co_return co_await send(get_call(r, ns, name, subresource));
}

net::awaitable<result<list_page>> client::list(const resource& r, std::string_view ns, list_options o) {
  auto call = list_call(r, ns, o);
  auto body = co_await send(call);
  if (!body) co_return body.error();
  if (!body->is_object()) co_return error(make_error_code(errc::malformed_response), call.describe + ": not an object");
  list_page page;
  auto& obj = body->get_object();
  fill_list_page(obj, page);
  co_return page;
}

net::awaitable<result<json::value>> client::create(const resource& r, std::string_view ns, const json::value& object,
                                                   write_options o) {
  co_return co_await send(create_call(r, ns, json::serialize(object), o));
}

net::awaitable<result<json::value>> client::update(const resource& r, const json::value& object, write_options o,
                                                   std::string_view subresource) {
  co_return co_await send(update_call(r, namespace_of(object), name_of(object), json::serialize(object), o, subresource));
}

net::awaitable<result<json::value>> client::patch(const resource& r, std::string_view ns, std::string_view name,
                                                  patch_type type, const json::value& body, patch_options o,
                                                  std::string_view subresource) {
  co_return co_await send(patch_call(r, ns, name, type, json::serialize(body), o, subresource));
}

net::awaitable<result<json::value>> client::apply(const resource& r, const json::value& object, patch_options o,
                                                  std::string_view subresource) {
  co_return co_await send(patch_call(r, namespace_of(object), name_of(object), patch_type::apply,
                                     json::serialize(object), o, subresource));
}

net::awaitable<result<json::value>> client::remove(const resource& r, std::string_view ns, std::string_view name,
                                                   delete_options o) {
  co_return co_await send(delete_call(r, ns, name, o));
}

net::awaitable<result<watch_stream>> client::watch(const resource& r, std::string_view ns, watch_options o) {
  auto call = watch_call(r, ns, o);
  const auto start = std::chrono::steady_clock::now();
  auto s = co_await http_->open_stream(to_request(call), http::after(opts_.request_timeout));
  if (opts_.observer) opts_.observer(call.verb, s ? s->status() : 0, std::chrono::steady_clock::now() - start);
  if (!s) {
    error e = s.error();
    e.message = call.describe + ": " + e.message;
    co_return e;
  }
  if (s->status() < 200 || s->status() >= 300) {
    auto body = co_await s->read_all(http::after(opts_.request_timeout), 1 << 20);
    co_return status_error(s->status(), body ? *body : std::string(), call.describe);
  }
  co_return watch_stream(std::move(*s));
}

}  // namespace langop::kube
