// Splits a byte stream into newline-delimited lines (PURE). Used for watch streams
// (one JSON event per line) and server-sent events; chunk boundaries are irrelevant.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>

namespace langop::http {

class line_splitter final {
 public:
  // A line (or an unterminated tail) longer than `max_line` bytes is an overflow: it
  // bounds memory when a peer never sends a newline.
  explicit line_splitter(std::size_t max_line) : max_line_(max_line) {}

  void feed(std::string_view bytes) { buf_.append(bytes); }

  // The next complete line without its "\n" (and a preceding "\r"), or nullopt when
  // more bytes are needed or on overflow (check overflowed()). Empty lines are returned:
  // they delimit server-sent events; watch readers skip them.
  [[nodiscard]] std::optional<std::string> next_line();

  // At end of input: the unterminated final line, if any bytes remain.
  [[nodiscard]] std::optional<std::string> finish();

  [[nodiscard]] bool overflowed() const noexcept { return overflowed_; }
  [[nodiscard]] std::size_t buffered() const noexcept { return buf_.size() - pos_; }

 private:
  std::size_t max_line_;
  std::string buf_;
  std::size_t pos_ = 0;   // start of the first unconsumed byte
  std::size_t scan_ = 0;  // bytes before this offset hold no '\n' (avoid rescanning)
  bool overflowed_ = false;
};

}  // namespace langop::http
