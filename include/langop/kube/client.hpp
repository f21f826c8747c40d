// The Kubernetes REST client on the event loop: typed verbs over the HTTP/TLS
// transport's keep-alive pool, a deadline on every request, bounded retries of 429 and
// of 5xx that carry Retry-After, typed errors (errc.hpp) that keep the server's Status
// message, and a dedicated connection per watch stream.
#pragma once

#include "langop/core/error.hpp"
#include "langop/core/json.hpp"
#include "langop/http/client.hpp"
#include "langop/http/stream.hpp"
#include "langop/kube/api_call.hpp"
#include "langop/kube/config.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <string_view>

namespace langop::kube {

// Called once per HTTP exchange (each retry counts): verb, HTTP status (0 when no
// response arrived) and latency. The manager turns it into metrics.
using request_observer = std::function<void(std::string_view verb, int code, std::chrono::nanoseconds latency)>;

struct client_options {
  std::size_t max_requests_in_flight = 64;
  std::chrono::seconds request_timeout{30};
  int max_retries = 3;                          // for 429, and 5xx with Retry-After
  std::chrono::seconds max_retry_after{30};     // a longer Retry-After fails the request instead
  std::chrono::seconds default_retry_after{1};  // 429 without the header
  std::string user_agent = "langop/0.1";
  request_observer observer;
};

struct list_page {
  json::array items;
  std::string resource_version;
  std::string continue_token;
};

// An open watch: newline-delimited JSON events. Closing (or destroying) it ends the
// connection; a pending next_line() then completes with http::errc::cancelled.
class watch_stream final {
 public:
  explicit watch_stream(http::stream s) : stream_(std::move(s)) {}
  // The next event line. `idle` bounds the wait for it (bookmark period + margin): a
  // silent dead connection becomes http::errc::timeout. A normal end of stream is
  // http::errc::end_of_stream.
  [[nodiscard]] boost::asio::awaitable<result<std::string>> next_line(http::deadline idle) {
    return stream_.read_line(idle);
  }
  void close() noexcept { stream_.close(); }

 private:
  http::stream stream_;
};

class client final {
 public:
  // Builds the transport for `cfg` (TLS material, bearer token source). Errors name the
  // configuration source; nothing is connected until the first request.
  [[nodiscard]] static result<std::unique_ptr<client>> create(boost::asio::any_io_executor ex,
                                                              const cluster_config& cfg, client_options opts = {});
  client(boost::asio::any_io_executor ex, http::endpoint ep, http::client_options http_opts, client_options opts);
  ~client();
  client(const client&) = delete;
  client& operator=(const client&) = delete;

  // Any call; the parsed JSON body of a 2xx, or the typed error. Cancellation (the
  // awaiting coroutine cancelled) abandons the request: http::errc::cancelled.
  [[nodiscard]] boost::asio::awaitable<result<json::value>> send(api_call call);
  // The same, returning the body text of the 2xx unparsed (informers decode it straight
  // into their cache representation).
  [[nodiscard]] boost::asio::awaitable<result<std::string>> send_raw(api_call call);

  [[nodiscard]] boost::asio::awaitable<result<json::value>> get(const resource& r, std::string_view ns,
                                                                std::string_view name,
                                                                std::string_view subresource = {});
  [[nodiscard]] boost::asio::awaitable<result<list_page>> list(const resource& r, std::string_view ns,
                                                               list_options o = {});
  [[nodiscard]] boost::asio::awaitable<result<json::value>> create(const resource& r, std::string_view ns,
                                                                   const json::value& object, write_options o = {});
  // PUT of `object` (its metadata carries name, namespace and resourceVersion).
  [[nodiscard]] boost::asio::awaitable<result<json::value>> update(const resource& r, const json::value& object,
                                                                   write_options o = {},
                                                                   std::string_view subresource = {});
  [[nodiscard]] boost::asio::awaitable<result<json::value>> patch(const resource& r, std::string_view ns,
                                                                  std::string_view name, patch_type type,
                                                                  const json::value& body, patch_options o = {},
                                                                  std::string_view subresource = {});
  // Server-side apply of `object` (apiVersion, kind, metadata.name[/namespace] set).
  [[nodiscard]] boost::asio::awaitable<result<json::value>> apply(const resource& r, const json::value& object,
                                                                  patch_options o = {},
                                                                  std::string_view subresource = {});
  // The deleted (or deletion-pending) object. A 404 is errc::not_found.
  [[nodiscard]] boost::asio::awaitable<result<json::value>> remove(const resource& r, std::string_view ns,
                                                                   std::string_view name, delete_options o = {});
  // Opens a watch. A non-2xx answer (e.g. 410 for a too old resourceVersion) is the
  // typed error of its Status body.
  [[nodiscard]] boost::asio::awaitable<result<watch_stream>> watch(const resource& r, std::string_view ns,
                                                                   watch_options o);

  [[nodiscard]] const client_options& options() const noexcept { return opts_; }
  [[nodiscard]] http::client& transport() noexcept { return *http_; }

 private:
  boost::asio::any_io_executor ex_;
  client_options opts_;
  std::unique_ptr<http::client> http_;
};

}  // namespace langop::kube
