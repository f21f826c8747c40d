#include "langop/http/method.hpp"

namespace langop::http {

std::string_view to_string(method m) noexcept {
  switch (m) {
    case method::get: return "GET";
    case method::head: return "HEAD";
    case method::post: return "POST";
    case method::put: return "PUT";
    case method::patch: return "PATCH";
    case method::delete_: return "DELETE";
    case method::options: return "OPTIONS";
  }
  return "GET";
}

}  // namespace langop::http
