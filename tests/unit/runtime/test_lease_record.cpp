#include "langop/runtime/lease_record.hpp"

#include <catch2/catch.hpp>

using namespace langop;
using namespace langop::runtime;
using namespace std::chrono_literals;

TEST_CASE("lease record: parses a Lease as the API server returns it", "[leader][lease]") {
  auto v = jsonu::parse(R"({
    "apiVersion": "coordination.k8s.io/v1", "kind": "Lease",
    "metadata": {"name": "langop-leader", "namespace": "langop-system", "resourceVersion": "4711"},
    "spec": {"holderIdentity": "langop-7d9f-abcde", "leaseDurationSeconds": 15,
             "acquireTime": "2024-05-01T12:00:00.123456Z", "renewTime": "2024-05-01T12:03:04.000001Z",
             "leaseTransitions": 3}})");
  REQUIRE(v);
  auto obs = parse_lease(*v);
  REQUIRE(obs);
  CHECK(obs->resource_version == "4711");
  CHECK(obs->record.holder_identity == "langop-7d9f-abcde");
  CHECK(obs->record.lease_duration_seconds == 15);
  CHECK(obs->record.lease_transitions == 3);
  REQUIRE(obs->record.acquire_time);
  CHECK(format_rfc3339_micro(*obs->record.acquire_time) == "2024-05-01T12:00:00.123456Z");
  REQUIRE(obs->record.renew_time);
  CHECK(format_rfc3339_micro(*obs->record.renew_time) == "2024-05-01T12:03:04.000001Z");
}

TEST_CASE("lease record: a written record reads back equal (MicroTime precision)", "[leader][lease]") {
  const sys_time t = to_micro_time(*parse_rfc3339("2024-05-01T12:00:00Z") + 123456789ns);
  const lease_record r{"me", 15, t, t + 2s, 1};
  json::object lease = make_lease("ns", "name", r, "9");
  CHECK(jsonu::get_string(json::value(lease), {"metadata", "namespace"}) == "ns");
  CHECK(jsonu::get_string(json::value(lease), {"kind"}) == "Lease");
  auto back = parse_lease(json::value(lease));
  REQUIRE(back);
  CHECK(back->record == r);
  CHECK(back->resource_version == "9");
  CHECK(to_micro_time(t + 999ns) == t);
}

TEST_CASE("lease record: empty fields are omitted, garbage reads as zero", "[leader][lease]") {
  const lease_record released{"", 1, std::nullopt, std::nullopt, 0};
  json::object spec = lease_spec_to_json(released);
  CHECK_FALSE(spec.contains("holderIdentity"));
  CHECK_FALSE(spec.contains("leaseTransitions"));
  CHECK(spec.at("leaseDurationSeconds").as_int64() == 1);
  CHECK(make_lease("ns", "n", released).at("metadata").as_object().contains("resourceVersion") == false);

  auto v = jsonu::parse(R"({"holderIdentity": 7, "leaseDurationSeconds": "15", "renewTime": "yesterday",
                             "leaseTransitions": -2})");
  REQUIRE(v);
  const lease_record r = lease_spec_from_json(v->as_object());
  CHECK(r.holder_identity.empty());
  CHECK(r.lease_duration_seconds == 0);
  CHECK_FALSE(r.renew_time);
  CHECK(r.lease_transitions == -2);
  CHECK_FALSE(parse_lease(json::value("not a lease")));
  auto no_spec = parse_lease(json::value(json::object{}));
  REQUIRE(no_spec);
  CHECK(no_spec->record == lease_record{});
}
