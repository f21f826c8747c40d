// When a failed request may be sent again on a fresh connection (PURE).
//
// Keep-alive races: a server may close an idle connection just as the client reuses it.
// The request then fails with EOF/reset before any response byte. The rule, after
// Go's net/http: retry ONCE, on a new connection, when all of these hold:
//   - the connection came from the idle pool (a fresh connection failing is a real failure);
//   - no byte of the response arrived (otherwise the server processed the request);
//   - the failure is a closed/reset connection (never a timeout, TLS, parse or cancel);
//   - the method is idempotent, OR not one byte of the request was written (the server
//     cannot have seen it, so even POST/PATCH are safe).
#pragma once

#include "langop/http/errc.hpp"
#include "langop/http/method.hpp"

#include <cstddef>

namespace langop::http {

struct attempt_facts {
  bool reused_connection = false;
  std::size_t request_bytes_written = 0;
  bool response_bytes_received = false;
  errc failure = errc::connection_closed;
};

[[nodiscard]] constexpr bool should_retry_on_fresh_connection(method m, const attempt_facts& f) noexcept {
  return f.reused_connection && !f.response_bytes_received && f.failure == errc::connection_closed &&
         (is_idempotent(m) || f.request_bytes_written == 0);
}

}  // namespace langop::http
