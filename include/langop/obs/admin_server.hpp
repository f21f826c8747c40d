// The admin HTTP server: /metrics, /healthz, /readyz on the operator's io_context.
#pragma once

#include "langop/core/error.hpp"
#include "langop/core/log.hpp"
#include "langop/obs/health.hpp"
#include "langop/obs/registry.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>

namespace langop::obs {

// What a server exposes; unset routes answer 404. The objects are not owned and must
// outlive the server (the server stops using them in stop()).
struct admin_routes {
  const registry* metrics = nullptr;     // GET /metrics (text format 0.0.4)
  const check_set* liveness = nullptr;   // GET /healthz, /healthz/<check>
  const check_set* readiness = nullptr;  // GET /readyz, /readyz/<check>; ?verbose, ?exclude=<check>
};

struct admin_server_options {
  std::string bind_address = ":8080";  // see parse_bind_address; "0" disables the server
  // Deadline for reading one request (including the keep-alive wait before it) and for
  // writing its response; a slow or idle client is disconnected after it.
  std::chrono::milliseconds request_timeout{10'000};
  std::size_t max_connections = 64;  // more are accepted and closed at once
  log::logger log;
};

// HTTP/1.1 with keep-alive; GET and HEAD (other methods: 405). Single-threaded on the
// executor's io_context; no handler ever blocks (a scrape renders from memory).
class admin_server final {
 public:
  admin_server(boost::asio::any_io_executor ex, admin_routes routes, admin_server_options options = {});
  ~admin_server();  // stop()
  admin_server(const admin_server&) = delete;
  admin_server& operator=(const admin_server&) = delete;

  // Binds and starts serving. A disabled server ("0") succeeds without listening.
  // Errors: invalid bind address (errc::invalid_argument), bind/listen failures (the
  // system error, e.g. address in use), message naming the address. Idempotent.
  [[nodiscard]] result<void> start();
  // Closes the listener and every open connection (in-flight responses are dropped);
  // the routes' objects are not touched afterwards. Idempotent.
  void stop();

  [[nodiscard]] bool enabled() const noexcept;
  [[nodiscard]] std::uint16_t port() const noexcept;  // the bound port; 0 before start or when disabled
  [[nodiscard]] std::size_t connections() const noexcept;

  struct state;  // opaque; shared with the accept loop and connections

 private:
  std::shared_ptr<state> state_;
};

}  // namespace langop::obs
