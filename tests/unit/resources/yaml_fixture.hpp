// Test inputs written as YAML manifests, as users write them.
#pragma once

#include "langop/core/json.hpp"
#include "langop/core/yaml.hpp"

#include <catch2/catch.hpp>

#include <string_view>

namespace langop::test {

// The manifest as a JSON object; fails the test when it is not one.
inline json::object from_yaml(std::string_view text) {
  auto v = yaml_to_json(text);
  REQUIRE(v.has_value());
  REQUIRE(v->is_object());
  return v->get_object();
}

}  // namespace langop::test
