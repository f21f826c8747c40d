// Settings of an http::client: concurrency cap, pooling, limits, identity, credentials.
#pragma once

#include "langop/http/bearer_provider.hpp"
#include "langop/http/connection_options.hpp"

#include <chrono>
#include <cstddef>
#include <string>

namespace langop::http {

struct client_options {
  // Requests in flight at once (--max-requests-in-flight); excess callers queue FIFO.
  // Streams (watches) are not counted: each has its own connection.
  std::size_t max_requests_in_flight = 64;
  // Idle keep-alive connections kept; 0 means max_requests_in_flight.
  std::size_t max_idle_connections = 0;
  // An idle connection older than this is closed instead of reused: servers close idle
  // connections after a while (Go: 90s+), and reusing one at that moment loses the race.
  std::chrono::seconds idle_timeout{45};
  // Bounds resolve + connect + TLS handshake inside the caller's deadline.
  std::chrono::seconds connect_timeout{10};
  std::size_t max_response_body = 256u * 1024 * 1024;  // large LISTs are legitimately big
  std::size_t max_stream_line = 64u * 1024 * 1024;     // one watch event per line
  std::string user_agent = "langop/0.1";
  bearer_provider bearer;  // empty: no Authorization header
  connection_options connection;
};

}  // namespace langop::http
