// Supplies the bearer token for each request, so a rotating token file is re-read
// (kube::token_source). Called on the loop thread; must not block for long. Its error
// message must not contain the token.
#pragma once

#include "langop/core/error.hpp"

#include <functional>
#include <string>

namespace langop::http {

using bearer_provider = std::function<result<std::string>()>;

}  // namespace langop::http
