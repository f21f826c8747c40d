// Error values shared by every area: an error_code for the program, plus the
// diagnostics a user needs (HTTP status, Kubernetes reason, a human message).
#pragma once

#include <boost/system/error_code.hpp>
#include <boost/system/result.hpp>

#include <stdexcept>
#include <string>
#include <utility>

namespace langop {

// An expected failure, carried as a value. `message` is shown to users (status,
// events, logs) and therefore must never contain secret material.
struct error {
  boost::system::error_code code;
  std::string message;
  int http_status = 0;  // 0 when the failure did not come from an HTTP exchange
  std::string reason;   // Kubernetes Status reason (NotFound, Conflict, ...) when known

  error() = default;
  error(boost::system::error_code c, std::string msg = {}, int status = 0, std::string why = {})
      : code(c), message(std::move(msg)), http_status(status), reason(std::move(why)) {}

  // "message (code-name)" for logs; falls back to the code's own text.
  [[nodiscard]] std::string describe() const;
};

// Thrown only by result<T>::value() on a broken invariant; normal flow inspects the result.
class error_exception : public std::runtime_error {
 public:
  explicit error_exception(const error& e) : std::runtime_error(e.describe()), error_(e) {}
  [[nodiscard]] const error& err() const noexcept { return error_; }

 private:
  error error_;
};

[[noreturn]] void throw_exception_from_error(const error& e, const boost::source_location& loc);

template <class T>
using result = boost::system::result<T, error>;

}  // namespace langop
