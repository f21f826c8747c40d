// Socket-level settings for every client connection, and the proxy to tunnel through (PURE data).
#pragma once

#include "langop/http/proxy.hpp"

#include <chrono>
#include <cstdint>
#include <optional>

namespace langop::http {

struct connection_options {
  // TCP keepalive probes find a peer that vanished without FIN (node died, NAT dropped
  // state) on long-idle watch connections: idle time, probe interval, probe count.
  std::chrono::seconds keepalive_idle{30};
  std::chrono::seconds keepalive_interval{10};
  int keepalive_probes = 3;
  std::uint32_t max_header_bytes = 64 * 1024;  // Warning headers can be long
  // https connections go through this proxy with an HTTP CONNECT tunnel (TLS stays end
  // to end); the caller decides per endpoint (proxy_settings::for_target). Ignored for
  // plain http endpoints.
  std::optional<proxy_server> proxy;
};

}  // namespace langop::http
