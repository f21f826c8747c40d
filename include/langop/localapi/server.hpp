// The HTTP(S) front of langop-localapi on Boost.Beast: keep-alive request handling,
// chunked watch streams with BOOKMARKs, bearer-token auth, fault injection and a
// small admin API. All semantics live in apiserver; this file only moves bytes.
#pragma once

#include "langop/core/log.hpp"
#include "langop/localapi/apiserver.hpp"

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <optional>
#include <memory>
#include <string>

namespace langop::localapi {

// Faults applied to client requests (never to /admin or health endpoints).
struct fault_settings {
  double throttle_rate = 0;        // share of requests answered 429 + Retry-After
  int retry_after_seconds = 1;
  double error_rate = 0;           // share of requests answered 500
  std::chrono::milliseconds latency{0};  // added before every response
  double cut_rate = 0;             // share of responses cut mid-body (connection closed)
  std::uint64_t seed = 42;         // the random choices are reproducible
};

struct server_options {
  std::string address = "127.0.0.1";
  unsigned short port = 0;  // 0: an ephemeral port (see server::port())
  bool tls = false;
  std::string cert_pem, key_pem;  // required when tls
  std::string token;              // when set, every non-health request needs "Bearer <token>"
  std::chrono::seconds bookmark_interval{60};
  std::chrono::seconds idle_timeout{300};  // keep-alive connections idle longer are closed
  fault_settings faults;
};

class server final {
 public:
  server(boost::asio::io_context& ioc, apiserver& api, server_options options, log::logger logger = {});
  ~server();
  server(const server&) = delete;
  server& operator=(const server&) = delete;

  // Binds and starts accepting; throws std::system_error when the address is unusable.
  void start();
  // Stops accepting and closes every connection (watch streams end abruptly).
  void stop();
  [[nodiscard]] unsigned short port() const noexcept { return port_; }
  [[nodiscard]] bool running() const noexcept;

  [[nodiscard]] fault_settings& faults() noexcept;
  // Closes every open watch connection without a final chunk (a network drop).
  void drop_watch_connections();
  // Simulates an API server restart: all connections closed, refusing connections for
  // `down`, then serving again on the same port with the same data.
  void restart(std::chrono::milliseconds down);
  // Routes under /admin/ not handled by the server itself (workload simulation).
  void set_admin_extension(std::function<std::optional<api_response>(const api_request&)> extension);

  struct impl;

 private:
  std::shared_ptr<impl> impl_;
  unsigned short port_ = 0;
};

}  // namespace langop::localapi
