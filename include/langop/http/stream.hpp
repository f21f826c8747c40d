// A streamed HTTP response on its own connection (watches, server-sent events): the
// head first, then the body as newline-delimited lines. Not pooled, never reused.
#pragma once

#include "langop/core/error.hpp"
#include "langop/http/connection.hpp"
#include "langop/http/deadline.hpp"
#include "langop/http/line_splitter.hpp"
#include "langop/http/response.hpp"

#include <boost/asio/awaitable.hpp>

#include <memory>
#include <optional>
#include <string>

namespace langop::http {

class stream final {
 public:
  stream(std::shared_ptr<connection> conn, response head, std::size_t max_line);
  stream(stream&&) noexcept = default;
  stream& operator=(stream&& o) noexcept;
  stream(const stream&) = delete;
  stream& operator=(const stream&) = delete;
  ~stream();  // closes the connection

  // Status and headers (body empty). Any status is delivered: a watcher reads the
  // Status object of a 410 with read_all().
  [[nodiscard]] const response& head() const noexcept { return st_->head; }
  [[nodiscard]] int status() const noexcept { return st_->head.status; }

  // The next line of the body, without "\n"/"\r\n"; chunk boundaries do not matter.
  // `d` is an idle deadline: pass now + expected heartbeat (watch bookmark period) +
  // margin, so a silently dead peer is noticed. Empty lines are returned (SSE uses them).
  // Errors: end_of_stream (body ended cleanly; a final unterminated line is returned
  // first), timeout (no complete line by `d`), line_too_long, connection_closed,
  // malformed_response, cancelled (close() or per-operation cancellation). After any
  // error the stream is closed and later calls repeat that error.
  [[nodiscard]] boost::asio::awaitable<result<std::string>> read_line(deadline d);
  // The rest of the body, at most `max_bytes` (errc::body_too_large beyond). For error
  // statuses, whose body is one JSON Status object.
  [[nodiscard]] boost::asio::awaitable<result<std::string>> read_all(deadline d, std::size_t max_bytes);

  // Closes the connection now; a pending read_line completes promptly with errc::cancelled.
  // Safe to call from another coroutine while a read is pending, and more than once.
  void close() noexcept;

 private:
  struct state {
    std::shared_ptr<connection> conn;
    response head;
    line_splitter lines;
    bool body_done = false;
    std::optional<error> failed;  // sticky: a stream is not usable after an error
  };
  // Shared with pending reads so close() or destruction mid-read is safe.
  std::shared_ptr<state> st_;
};

}  // namespace langop::http
