#include "langop/http/line_splitter.hpp"

namespace langop::http {

std::optional<std::string> line_splitter::next_line() {
  if (overflowed_) return std::nullopt;
  auto nl = buf_.find('\n', scan_ > pos_ ? scan_ : pos_);
  if (nl == std::string::npos) {
    scan_ = buf_.size();
    if (buf_.size() - pos_ > max_line_) overflowed_ = true;
    return std::nullopt;
  }
  std::size_t end = nl;
  if (end > pos_ && buf_[end - 1] == '\r') --end;
  if (end - pos_ > max_line_) {
    overflowed_ = true;
    return std::nullopt;
  }
  std::string line = buf_.substr(pos_, end - pos_);
  pos_ = nl + 1;
  scan_ = pos_;
  // Compact once the consumed prefix dominates, so the buffer stays O(largest line)
  // without moving bytes on every line.
  if (pos_ == buf_.size()) {
    buf_.clear();
    pos_ = scan_ = 0;
  } else if (pos_ > 64 * 1024 && pos_ > buf_.size() / 2) {
    buf_.erase(0, pos_);
    scan_ -= pos_;
    pos_ = 0;
  }
  return line;
}

std::optional<std::string> line_splitter::finish() {
  if (overflowed_ || pos_ >= buf_.size()) return std::nullopt;
  std::string rest = buf_.substr(pos_);
  if (!rest.empty() && rest.back() == '\r') rest.pop_back();
  buf_.clear();
  pos_ = scan_ = 0;
  return rest;
}

}  // namespace langop::http
