#include "langop/core/base64.hpp"

#include <catch2/catch.hpp>

#include <vector>

using namespace langop;

TEST_CASE("base64 round trip, whitespace, padding rules", "[core][base64]") {
  for (const std::string& s : std::vector<std::string>{"", "f", "fo", "foo", "foob", "fooba", "foobar", std::string("\0\xff\x10", 3)}) {
    INFO(s);
    CHECK(base64_decode(base64_encode(s)) == s);
    CHECK(base64_decode(base64_encode(s), base64_padding::required) == s);
  }
  CHECK(base64_encode("foobar") == "Zm9vYmFy");
  CHECK(base64_decode("Zm9v\nYmFy") == "foobar");
  CHECK(base64_decode("Zm9vYg") == "foob");  // unpadded accepted by default
  CHECK_FALSE(base64_decode("Zm9vYg", base64_padding::required));
  CHECK_FALSE(base64_decode("Zm9v!mFy"));
  CHECK_FALSE(base64_decode("Zg==Zg=="));
  CHECK_FALSE(base64_decode("Z"));
}
