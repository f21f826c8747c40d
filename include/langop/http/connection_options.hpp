// Socket-level settings for every client connection (PURE data).
#pragma once

#include <chrono>
#include <cstdint>

namespace langop::http {

struct connection_options {
  // TCP keepalive probes find a peer that vanished without FIN (node died, NAT dropped
  // state) on long-idle watch connections: idle time, probe interval, probe count.
  std::chrono::seconds keepalive_idle{30};
  std::chrono::seconds keepalive_interval{10};
  int keepalive_probes = 3;
  std::uint32_t max_header_bytes = 64 * 1024;  // Warning headers can be long
};

}  // namespace langop::http
