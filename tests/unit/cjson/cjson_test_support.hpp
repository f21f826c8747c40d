// Shared helpers for the cjson tests: fixtures and the boost::json reference.
#pragma once

#include "langop/cjson/cjson.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>

namespace cjson_test {

inline std::string read_fixture(const std::string& name) {
  std::ifstream in(std::string(LANGOP_SOURCE_DIR) + "/tests/fixtures/cache/" + name);
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// The options cjson::parse uses, so the reference parser accepts the same inputs.
inline boost::json::parse_options reference_options() {
  boost::json::parse_options po;
  po.max_depth = 512;
  po.allow_invalid_utf8 = true;
  return po;
}

inline boost::json::value reference_parse(std::string_view text) {
  boost::system::error_code ec;
  auto v = boost::json::parse(boost::json::string_view(text.data(), text.size()), ec, {}, reference_options());
  INFO(ec.message() << " in " << text.substr(0, 200));
  REQUIRE_FALSE(ec);
  return v;
}

inline langop::cjson::document must_parse(std::string_view text, langop::cjson::key_table& keys,
                                          const langop::cjson::encode_options& opt = {}) {
  auto r = langop::cjson::parse(text, keys, opt);
  INFO((r.has_error() ? r.error().describe() : std::string()) << " in " << text.substr(0, 200));
  REQUIRE(r.has_value());
  return std::move(*r);
}

}  // namespace cjson_test
