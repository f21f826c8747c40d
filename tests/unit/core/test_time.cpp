#include "langop/core/time.hpp"

#include <catch2/catch.hpp>

using namespace langop;
using namespace std::chrono;

TEST_CASE("rfc3339 round trip and offsets", "[core][time]") {
  auto t = parse_rfc3339("2024-02-29T23:59:58Z");
  REQUIRE(t);
  CHECK(format_rfc3339(*t) == "2024-02-29T23:59:58Z");
  auto off = parse_rfc3339("2024-03-01T01:59:58+02:00");
  REQUIRE(off);
  CHECK(*off == *t);
  auto micro = parse_rfc3339("2024-02-29T23:59:58.123456Z");
  REQUIRE(micro);
  CHECK(format_rfc3339_micro(*micro) == "2024-02-29T23:59:58.123456Z");
  CHECK(format_rfc3339(langop::sys_time{}) == "1970-01-01T00:00:00Z");
}

TEST_CASE("rfc3339 rejects malformed text", "[core][time]") {
  for (const char* bad : {"", "2024-02-29", "2024-13-01T00:00:00Z", "2024-02-29T23:59:58", "2024-02-29T23:59:58.Z",
                          "2024-02-29T23:59:58Zjunk", "x024-02-29T23:59:58Z"}) {
    INFO(bad);
    CHECK_FALSE(parse_rfc3339(bad));
  }
}

TEST_CASE("go durations", "[core][time]") {
  CHECK(parse_duration("10m") == minutes(10));
  CHECK(parse_duration("1h30m") == minutes(90));
  CHECK(parse_duration("1.5s") == milliseconds(1500));
  CHECK(parse_duration("250ms") == milliseconds(250));
  CHECK(parse_duration("0") == nanoseconds(0));
  CHECK(parse_duration("-2s") == seconds(-2));
  CHECK_FALSE(parse_duration(""));
  CHECK_FALSE(parse_duration("10"));
  CHECK_FALSE(parse_duration("10x"));
  CHECK_FALSE(parse_duration("h"));
  CHECK(format_duration(minutes(90)) == "1h30m0s");
  CHECK(format_duration(milliseconds(250)) == "250ms");
  CHECK(format_duration(milliseconds(1500)) == "1.5s");
  CHECK(format_duration(seconds(0)) == "0s");
}
