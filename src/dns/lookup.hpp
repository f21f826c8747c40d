// One resolve() call's shared state (internal to dns).
#pragma once

#include "langop/dns/answer.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/steady_timer.hpp>

#include <memory>
#include <string>

namespace langop::dns::detail {

// Owned by the awaiting coroutine and by each query c-ares still holds, so late answers
// (after a deadline or cancellation) land in live memory. The channel's admission queue
// holds only weak references.
struct lookup {
  lookup(boost::asio::any_io_executor ex, std::string h) : host(std::move(h)), wake(std::move(ex)) {}
  std::string host;
  // Expires at the caller's deadline; cancelled to wake the coroutine when both answers
  // are in, or when the channel admits the lookup from its queue.
  boost::asio::steady_timer wake;
  family_outcome a, aaaa;
  int pending = 0;        // queries not answered yet
  bool admitted = false;  // the channel reserved query slots for this lookup
};

}  // namespace langop::dns::detail
