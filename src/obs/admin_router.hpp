// Maps an admin request (method, target) to its reply (PURE, internal to obs).
#pragma once

#include "langop/obs/admin_server.hpp"

#include <string>
#include <string_view>

namespace langop::obs::detail {

struct admin_reply {
  int status = 200;
  std::string content_type = "text/plain; charset=utf-8";
  std::string body;
  bool method_not_allowed = false;  // send "Allow: GET, HEAD"
};

[[nodiscard]] admin_reply route(const admin_routes& routes, std::string_view method, std::string_view target);

}  // namespace langop::obs::detail
