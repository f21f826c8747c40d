// Direct calls into an in-process apiserver (no sockets) for unit tests.
#pragma once

#include "langop/core/json.hpp"
#include "langop/localapi/apiserver.hpp"

#include <string>
#include <utility>
#include <vector>

namespace langop::test {

// Splits "path?a=b&c=d" into path and (undecoded) query pairs.
localapi::api_request make_request(std::string method, const std::string& target, std::string body = {},
                                   std::string content_type = "application/json");
localapi::api_response call(localapi::apiserver& api, std::string method, const std::string& target,
                            std::string body = {}, std::string content_type = "application/json");
// The response body parsed as JSON (an empty object when not JSON).
json::object body_of(const localapi::api_response& r);
// A fixture file under tests/fixtures (YAML or JSON) as compact JSON text.
std::string fixture_json(const std::string& relative_path);
std::string read_file(const std::string& path);

}  // namespace langop::test
