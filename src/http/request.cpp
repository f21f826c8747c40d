#include "langop/http/request.hpp"

#include "langop/http/errc.hpp"

namespace langop::http {
namespace {
bool has_ctl(std::string_view s) {
  for (char c : s)
    if (c == '\r' || c == '\n' || c == '\0') return true;
  return false;
}
}  // namespace

result<void> validate(const request& req) {
  if (req.target.empty() || req.target.front() != '/' || has_ctl(req.target) ||
      req.target.find(' ') != std::string::npos)
    return make_error(errc::invalid_argument,
                      "request target must be an origin-form path without spaces or control characters");
  for (const auto& [name, value] : req.headers.fields()) {
    if (name.empty() || has_ctl(name) || name.find(':') != std::string::npos || name.find(' ') != std::string::npos)
      return make_error(errc::invalid_argument, "a header name is empty or contains a forbidden character");
    if (has_ctl(value))
      return make_error(errc::invalid_argument, "header \"" + name + "\" contains a control character");
  }
  return {};
}

}  // namespace langop::http
