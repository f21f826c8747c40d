// Parsing of --metrics-bind-address / --health-probe-bind-address values (PURE).
#pragma once

#include "langop/core/error.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace langop::obs {

struct bind_address {
  std::string host;  // an IP literal; empty: every interface
  std::uint16_t port = 0;  // 0: an ephemeral port (tests)
};

// controller-runtime's syntax: ":8080" (every interface), "127.0.0.1:0", "[::1]:9090",
// "localhost:8081" (127.0.0.1), and "0" to disable the server (nullopt). Host names other
// than localhost are rejected: resolving them would need DNS before the loop runs.
// Error: boost::system::errc::invalid_argument, message quoting the value.
[[nodiscard]] result<std::optional<bind_address>> parse_bind_address(std::string_view text);

}  // namespace langop::obs
