#include "langop/dns/answer.hpp"

#include <catch2/catch.hpp>

using namespace langop;
using boost::asio::ip::make_address;

namespace {
dns::family_outcome ok(std::vector<std::string> addrs, std::uint32_t ttl) {
  dns::family_outcome f;
  for (const auto& a : addrs) f.addresses.push_back(make_address(a));
  f.min_ttl = ttl;
  return f;
}
dns::family_outcome failed(dns::errc e) {
  dns::family_outcome f;
  f.failure = e;
  return f;
}
}  // namespace

TEST_CASE("combine: both families, sorted unique addresses and the shortest TTL", "[dns]") {
  const auto r = dns::combine("h.example", ok({"10.0.0.2", "10.0.0.1", "10.0.0.2"}, 90), ok({"2001:db8::1"}, 30));
  REQUIRE(r.has_value());
  CHECK(r->v4 == std::vector{make_address("10.0.0.1"), make_address("10.0.0.2")});
  CHECK(r->v6 == std::vector{make_address("2001:db8::1")});
  CHECK(r->min_ttl == std::chrono::seconds(30));
}

TEST_CASE("combine: partial success keeps the family that answered", "[dns]") {
  for (auto e : {dns::errc::no_data, dns::errc::server_failure, dns::errc::timeout}) {
    const auto r = dns::combine("h.example", ok({"10.0.0.1"}, 60), failed(e));
    REQUIRE(r.has_value());
    CHECK(r->v6.empty());
    CHECK(r->min_ttl == std::chrono::seconds(60));
    const auto r6 = dns::combine("h.example", failed(e), ok({"::1"}, 5));
    REQUIRE(r6.has_value());
    CHECK(r6->min_ttl == std::chrono::seconds(5));
  }
}

TEST_CASE("combine: without addresses the most telling failure wins", "[dns]") {
  using dns::errc;
  struct row {
    errc a, aaaa, want;
  };
  for (const auto& [a, aaaa, want] : std::vector<row>{{errc::no_data, errc::no_data, errc::no_data},
                                                      {errc::not_found, errc::not_found, errc::not_found},
                                                      {errc::no_data, errc::server_failure, errc::server_failure},
                                                      {errc::timeout, errc::no_data, errc::timeout},
                                                      {errc::timeout, errc::not_found, errc::not_found},
                                                      {errc::cancelled, errc::not_found, errc::cancelled}}) {
    const auto r = dns::combine("h.example", failed(a), failed(aaaa));
    REQUIRE_FALSE(r.has_value());
    CHECK(r.error().code == want);
    CHECK_THAT(r.error().message, Catch::StartsWith("resolving h.example: "));
  }
  const auto both = dns::combine("h.example", failed(errc::no_data), failed(errc::server_failure));
  CHECK(both.error().message == "resolving h.example: no A records; AAAA: server failure (SERVFAIL)");
  const auto same = dns::combine("h.example", failed(errc::no_data), failed(errc::no_data));
  CHECK(same.error().message == "resolving h.example: no A or AAAA records");
}

TEST_CASE("answer::same_addresses ignores TTL", "[dns]") {
  dns::answer a{{make_address("1.2.3.4")}, {}, std::chrono::seconds(30)};
  dns::answer b = a;
  b.min_ttl = std::chrono::seconds(300);
  CHECK(a.same_addresses(b));
  b.v4.push_back(make_address("1.2.3.5"));
  CHECK_FALSE(a.same_addresses(b));
}
