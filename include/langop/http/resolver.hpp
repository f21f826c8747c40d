// Asynchronous name resolution behind a small interface, so the c-ares resolver can
// replace the default (Asio's resolver, which runs getaddrinfo off the loop thread).
#pragma once

#include "langop/core/error.hpp"
#include "langop/http/deadline.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <cstdint>
#include <memory>
#include <string>
#include <vector>

namespace langop::http {

class resolver {
 public:
  virtual ~resolver() = default;

  // Addresses for host:port; an IP literal resolves to itself without a lookup.
  // Errors: errc::resolve_failed (no such host, empty answer), errc::timeout at `d`,
  // errc::cancelled on per-operation cancellation. Must not block the loop thread.
  [[nodiscard]] virtual boost::asio::awaitable<result<std::vector<boost::asio::ip::tcp::endpoint>>> resolve(
      std::string host, std::uint16_t port, deadline d) = 0;
};

// The default: boost::asio::ip::tcp::resolver, bounded by the deadline.
[[nodiscard]] std::shared_ptr<resolver> make_system_resolver(boost::asio::any_io_executor ex);

}  // namespace langop::http
