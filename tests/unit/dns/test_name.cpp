#include "langop/dns/errc.hpp"
#include "langop/dns/name.hpp"
#include "langop/dns/wildcard.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace langop;

TEST_CASE("normalize_host_name accepts RFC 1123 names and lowercases them", "[dns]") {
  CHECK(dns::normalize_host_name("API.Example.COM").value() == "api.example.com");
  CHECK(dns::normalize_host_name("example.com.").value() == "example.com");
  CHECK(dns::normalize_host_name("a-b.c0.example").value() == "a-b.c0.example");
  CHECK(dns::normalize_host_name("localhost").value() == "localhost");
  CHECK(dns::normalize_host_name("3com.com").value() == "3com.com");
  const std::string label63(63, 'a');
  CHECK(dns::normalize_host_name(label63 + ".com").has_value());
  // 253 characters: four 62-character labels plus "a": 62*4 + 4 dots + 1 = 253
  const std::string label62(62, 'b');
  const std::string longest = label62 + "." + label62 + "." + label62 + "." + label62 + ".a";
  REQUIRE(longest.size() == 253);
  CHECK(dns::normalize_host_name(longest).has_value());
  CHECK(dns::normalize_host_name(longest + ".").has_value());
}

TEST_CASE("normalize_host_name rejects what is not a host name, naming the input", "[dns]") {
  struct row {
    std::string name;
    std::string reason;
  };
  const std::string label62(62, 'b');
  const std::vector<row> rows = {
      {"", "empty"},
      {".", "empty"},
      {"a..b", "empty label"},
      {".a.b", "empty label"},
      {"-a.example.com", "starts or ends with '-'"},
      {"a-.example.com", "starts or ends with '-'"},
      {"under_score.example.com", "only letters, digits"},
      {"sp ace.com", "only letters, digits"},
      {"*.example.com", "'*' is only allowed"},
      {"a.*.com", "'*' is only allowed"},
      {"1.2.3.4", "all digits"},
      {"2001:db8::1", "contains ':'"},
      {std::string(64, 'a') + ".com", "label longer than 63"},
      {label62 + "." + label62 + "." + label62 + "." + label62 + ".ab", "longer than 253"},
  };
  for (const auto& r : rows) {
    INFO(r.name);
    const auto res = dns::normalize_host_name(r.name);
    REQUIRE_FALSE(res.has_value());
    CHECK(res.error().code == dns::errc::bad_name);
    CHECK_THAT(res.error().message, Catch::Contains(r.reason));
    CHECK_THAT(res.error().message, Catch::Contains("invalid host name \""));
  }
}

TEST_CASE("quote_for_message shortens huge names and hides control bytes", "[dns]") {
  CHECK(dns::quote_for_message("a\nb") == "\"a?b\"");
  const auto q = dns::quote_for_message(std::string(1000, 'x'));
  CHECK(q.size() == 80 + 2 + 3);
  CHECK_THAT(q, Catch::EndsWith("...\""));
}

TEST_CASE("plan_lookups: wildcards resolve their apex, names are deduplicated and sorted", "[dns]") {
  const std::vector<std::string> names = {"*.Example.com", "api.example.com", "example.com.", "b.example.org",
                                          "api.example.com"};
  const auto plan = dns::plan_lookups(names);
  CHECK(plan.rejected.empty());
  REQUIRE(plan.targets.size() == 3);
  CHECK(plan.targets[0].name == "api.example.com");
  CHECK(plan.targets[0].requested_as == std::vector<std::string>{"api.example.com"});
  CHECK(plan.targets[1].name == "b.example.org");
  CHECK(plan.targets[2].name == "example.com");
  CHECK(plan.targets[2].requested_as == std::vector<std::string>{"*.Example.com", "example.com."});
}

TEST_CASE("plan_lookups rejects bad names and too-broad wildcards with reasons", "[dns]") {
  const std::vector<std::string> names = {"*.com", "*", "a..b", "ok.example.com", "*.*.example.com", "**.example.com"};
  const auto plan = dns::plan_lookups(names);
  REQUIRE(plan.targets.size() == 1);
  CHECK(plan.targets[0].name == "ok.example.com");
  REQUIRE(plan.rejected.size() == 5);
  CHECK(plan.rejected[0].name == "*.com");
  CHECK_THAT(plan.rejected[0].reason, Catch::Contains("too broad"));
  CHECK(plan.rejected[1].name == "*");
  CHECK_THAT(plan.rejected[1].reason, Catch::Contains("'*'"));
  CHECK_THAT(plan.rejected[2].reason, Catch::Contains("empty label"));
  CHECK_THAT(plan.rejected[3].reason, Catch::Contains("wildcard \"*.*.example.com\""));
  CHECK_THAT(plan.rejected[4].reason, Catch::Contains("'*'"));
}
