// Helpers shared by the patch unit tests.
#pragma once

#include "langop/core/json.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <string_view>

namespace langop::test {

inline json::value parse_json(std::string_view text) {
  std::string err;
  auto v = jsonu::parse(text, &err);
  INFO("fixture is not JSON: " << text << ": " << err);
  REQUIRE(v);
  return *v;
}

// Serialized form: member order and list order both count.
inline std::string dump(const json::value& v) { return jsonu::dump(v); }
inline std::string canon(std::string_view text) { return jsonu::dump(parse_json(text)); }

}  // namespace langop::test
