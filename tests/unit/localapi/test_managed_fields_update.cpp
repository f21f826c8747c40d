// record_update keeps a sole Update entry of the writing manager without decoding it
// when that manager already owns every changed field. These tests pin that shortcut to
// the general path: the same write is recorded once with managedFields equal to the live
// ones (shortcut) and once with an extra malformed item, which the general path skips
// while decoding, so both must give byte-identical managedFields.
#include "langop/localapi/managed_fields.hpp"

#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

using namespace langop;
using namespace langop::localapi;

namespace {

json::object obj(std::string_view text) {
  auto v = jsonu::parse(text);
  REQUIRE(v);
  return v->as_object();
}

sys_time at(int s) { return sys_time{} + std::chrono::seconds(1'700'000'000 + s); }

const json::value* managed(const json::object& o) { return jsonu::find(o, {"metadata", "managedFields"}); }

// Records `next` over `live` both ways and checks that they agree; returns the result.
json::object record_both_ways(const json::object& live, json::object next, std::string_view manager, int when) {
  json::object shortcut = next;
  record_update(&live, shortcut, manager, metadata_hints(), false, at(when));

  json::object general = next;
  json::array sent = managed(live)->as_array();
  sent.push_back(json::value(5));  // not an entry: skipped when decoding, forces the general path
  general["metadata"].as_object()["managedFields"] = std::move(sent);
  record_update(&live, general, manager, metadata_hints(), false, at(when));

  REQUIRE(managed(shortcut));
  REQUIRE(managed(general));
  CHECK(json::serialize(*managed(shortcut)) == json::serialize(*managed(general)));
  return shortcut;
}

json::object created_by(std::string_view manager) {
  auto o = obj(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"d",
                  "labels":{"app":"x"}},"data":{"a":"1","b":"2"}})");
  record_update(nullptr, o, manager, metadata_hints(), false, at(1));
  return o;
}

json::object with(json::object o, std::string_view key, std::string_view value) {
  o["data"].as_object()[key] = value;
  return o;
}

}  // namespace

TEST_CASE("ssa: an update by the sole updater matches the general path", "[ssa]") {
  const json::object live = created_by("ctl");
  const std::string before = json::serialize(*managed(live));

  SECTION("changing fields it owns moves only the time") {
    auto out = record_both_ways(live, with(live, "a", "9"), "ctl", 5);
    auto expected = before;
    expected.replace(expected.find("2023-11-14T22:13:21Z"), 20, "2023-11-14T22:13:25Z");
    CHECK(json::serialize(*managed(out)) == expected);
  }
  SECTION("adding a field") { (void)record_both_ways(live, with(live, "c", "3"), "ctl", 5); }
  SECTION("removing a field") {
    auto next = live;
    next["data"].as_object().erase("b");
    (void)record_both_ways(live, next, "ctl", 5);
  }
  SECTION("another manager") { (void)record_both_ways(live, with(live, "a", "9"), "other", 5); }
  SECTION("no change keeps the old time") {
    auto out = record_both_ways(live, live, "ctl", 5);
    CHECK(json::serialize(*managed(out)) == before);
  }
  SECTION("changing a label") {
    auto next = live;
    next["metadata"].as_object()["labels"].as_object()["app"] = "y";
    (void)record_both_ways(live, next, "ctl", 5);
  }
}

TEST_CASE("ssa: an update without managedFields keeps the live entries", "[ssa]") {
  const json::object live = created_by("ctl");
  auto next = with(live, "a", "9");
  next["metadata"].as_object().erase("managedFields");
  record_update(&live, next, "ctl", metadata_hints(), false, at(7));
  auto expected = json::serialize(*managed(live));
  expected.replace(expected.find("2023-11-14T22:13:21Z"), 20, "2023-11-14T22:13:27Z");
  CHECK(json::serialize(*managed(next)) == expected);
}
