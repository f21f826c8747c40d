#include "langop/http/stream.hpp"

#include "langop/http/errc.hpp"

namespace langop::http {

namespace asio = boost::asio;

stream::stream(std::shared_ptr<connection> conn, response head, std::size_t max_line)
    : st_(std::make_shared<state>(state{std::move(conn), std::move(head), line_splitter(max_line), false, {}})) {}

stream& stream::operator=(stream&& o) noexcept {
  if (this != &o) {
    close();
    st_ = std::move(o.st_);
  }
  return *this;
}

stream::~stream() { close(); }

void stream::close() noexcept {
  if (st_ && st_->conn) st_->conn->close();
}

asio::awaitable<result<std::string>> stream::read_line(deadline d) {
  auto st = st_;  // keeps the state alive if the stream is closed or destroyed meanwhile
  for (;;) {
    if (auto line = st->lines.next_line()) co_return std::move(*line);
    if (st->lines.overflowed() && !st->failed) {
      st->conn->close();
      st->failed = make_error(errc::line_too_long, "streamed line from " + st->conn->target().authority() +
                                                       " exceeds the line limit");
    }
    if (st->failed) co_return *st->failed;
    if (st->body_done) {
      if (auto rest = st->lines.finish()) co_return std::move(*rest);
      co_return make_error(errc::end_of_stream, "stream from " + st->conn->target().authority() + " ended");
    }
    auto bytes = co_await st->conn->read_body_some(d);
    if (!bytes) {
      st->failed = bytes.error();
      co_return bytes.error();
    }
    if (bytes->empty())
      st->body_done = true;
    else
      st->lines.feed(*bytes);
  }
}

asio::awaitable<result<std::string>> stream::read_all(deadline d, std::size_t max_bytes) {
  auto st = st_;
  std::string out;
  // Bytes already split into lines but not consumed come first.
  while (auto line = st->lines.next_line()) {
    out += *line;
    out += '\n';
  }
  if (auto rest = st->lines.finish()) out += *rest;
  for (;;) {
    if (st->failed) co_return *st->failed;
    if (st->body_done) co_return out;
    auto bytes = co_await st->conn->read_body_some(d);
    if (!bytes) {
      st->failed = bytes.error();
      co_return bytes.error();
    }
    if (bytes->empty()) {
      st->body_done = true;
      continue;
    }
    if (out.size() + bytes->size() > max_bytes) {
      st->conn->close();
      st->failed = make_error(errc::body_too_large, "response body from " + st->conn->target().authority() +
                                                        " exceeds " + std::to_string(max_bytes) + " bytes");
      continue;
    }
    out.append(*bytes);
  }
}

}  // namespace langop::http
