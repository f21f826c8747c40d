// One HTTP request as the client sends it (PURE data). The client adds Host,
// User-Agent, Authorization and Content-Length; callers supply the rest.
#pragma once

#include "langop/core/error.hpp"
#include "langop/http/header_list.hpp"
#include "langop/http/method.hpp"

#include <string>

namespace langop::http {

// Not an aggregate on purpose: GCC 12 destroys a braced aggregate temporary passed by
// value to a coroutine twice (`co_await c.send(request{...})` double-frees); with a
// constructor the same call is correct.
struct request {
  request() = default;
  request(http::method m, std::string t, header_list h = {}, std::string b = {})
      : verb(m), target(std::move(t)), headers(std::move(h)), body(std::move(b)) {}

  http::method verb = method::get;
  std::string target = "/";  // origin-form: path plus optional query, already percent-encoded
  header_list headers;
  std::string body;
};

// Rejects what would corrupt the wire: a target that is not origin-form, or a header
// name/value with CR, LF or NUL (header injection). errc::invalid_argument; the message
// names the header, never its value.
[[nodiscard]] result<void> validate(const request& req);

}  // namespace langop::http
