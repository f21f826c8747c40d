#include "cjson_test_support.hpp"

#include "langop/cjson/kube_envelope.hpp"

#include <string>
#include <vector>

using namespace langop;
using namespace langop::cjson;
using cjson_test::read_fixture;
using cjson_test::reference_parse;

namespace {

encode_options stripping() {
  encode_options o;
  o.strip_kube_bookkeeping = true;
  return o;
}

// The reference: the object parsed alone with the same options.
std::string stripped_text(std::string_view object_text) {
  auto keys = key_table::create();
  return serialize(cjson_test::must_parse(object_text, *keys, stripping()).root());
}

}  // namespace

TEST_CASE("cjson decodes watch events in one pass", "[cjson]") {
  auto keys = key_table::create_for_kubernetes();
  const std::string obj = boost::json::serialize(reference_parse(read_fixture("deployment.json")));

  for (const std::string& line : {R"({"type":"MODIFIED","object":)" + obj + "}",
                                  R"({"object":)" + obj + R"(,"type":"MODIFIED"})",
                                  R"( {"extra":{"object":{"x":1},"type":"NO"},"type":"MOD\u0049FIED","object":)" + obj +
                                      R"(,"more":[{"object":2}]}
)"}) {
    INFO(line.substr(0, 120));
    auto ev = parse_watch_event(line, *keys, stripping());
    REQUIRE(ev.has_value());
    CHECK(ev->type == "MODIFIED");
    REQUIRE_FALSE(ev->object.empty());
    CHECK(serialize(ev->object.root()) == stripped_text(obj));
    CHECK_FALSE(ev->object.root().at_path({"metadata", "managedFields"}).exists());
  }

  SECTION("bookmarks, errors and odd shapes") {
    auto bm = parse_watch_event(R"({"type":"BOOKMARK","object":{"kind":"Deployment","metadata":{"resourceVersion":"99"}}})", *keys);
    REQUIRE(bm.has_value());
    CHECK(bm->type == "BOOKMARK");
    CHECK(bm->object.root().at_path({"metadata", "resourceVersion"}).as_string() == "99");
    auto err = parse_watch_event(R"({"type":"ERROR","object":{"kind":"Status","code":410,"reason":"Expired"}})", *keys);
    REQUIRE(err.has_value());
    CHECK(err->object.root()["code"].as_int64() == 410);
    auto none = parse_watch_event(R"({"type":"ADDED"})", *keys);
    REQUIRE(none.has_value());
    CHECK(none->object.empty());
    auto scalar = parse_watch_event(R"({"type":"ADDED","object":null})", *keys);
    REQUIRE(scalar.has_value());
    CHECK(scalar->object.root().is_null());
    auto dup = parse_watch_event(R"({"type":"ADDED","object":{"a":1,"a":2}})", *keys);
    REQUIRE(dup.has_value());
    CHECK(serialize(dup->object.root()) == R"({"a":2})");
  }
  SECTION("malformed envelopes are errors") {
    for (const char* bad : {"", "[]", "\"x\"", "5", R"({"type":"ADDED","object":{)", R"({"type":"ADDED"} x)",
                            R"({"type":"ADDED","object":{"a":}})"}) {
      INFO(bad);
      CHECK(parse_watch_event(bad, *keys).has_error());
    }
  }
}

TEST_CASE("cjson decodes list pages item by item", "[cjson]") {
  auto keys = key_table::create_for_kubernetes();
  std::vector<std::string> objs;
  for (const char* f : {"deployment.json", "configmap.json", "language_agent.json", "crd_languageagent.json"}) {
    objs.push_back(boost::json::serialize(reference_parse(read_fixture(f))));
  }
  std::string items;
  for (const auto& o : objs) items += (items.empty() ? "" : ",") + o;
  const std::string page = R"({"kind":"List","apiVersion":"v1","metadata":{"resourceVersion":"4821","continue":"eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ"},"items":[)" +
                           items + "]}";
  auto r = parse_list(page, *keys, stripping());
  REQUIRE(r.has_value());
  CHECK(r->resource_version == "4821");
  CHECK(r->continue_token == "eyJ2IjoibWV0YS5rOHMuaW8vdjEifQ");
  REQUIRE(r->items.size() == objs.size());
  for (std::size_t i = 0; i < objs.size(); ++i) CHECK(serialize(r->items[i].root()) == stripped_text(objs[i]));

  SECTION("member order, empty and absent items, nested items arrays") {
    auto late = parse_list(R"({"items":[{"items":[1,2],"metadata":{"name":"a"}}],"metadata":{"resourceVersion":"7"}})", *keys);
    REQUIRE(late.has_value());
    CHECK(late->resource_version == "7");
    CHECK(late->continue_token.empty());
    REQUIRE(late->items.size() == 1);
    CHECK(serialize(late->items[0].root()) == R"({"items":[1,2],"metadata":{"name":"a"}})");
    auto empty = parse_list(R"({"metadata":{},"items":[]})", *keys);
    REQUIRE(empty.has_value());
    CHECK(empty->items.empty());
    auto absent = parse_list(R"({"kind":"List"})", *keys);
    REQUIRE(absent.has_value());
    CHECK(absent->items.empty());
    auto dup = parse_list(R"({"metadata":{"resourceVersion":"1"},"items":[{"a":1},{"b":1,"b":[2]}]})", *keys);
    REQUIRE(dup.has_value());
    REQUIRE(dup->items.size() == 2);
    CHECK(dup->resource_version == "1");
    CHECK(serialize(dup->items[1].root()) == R"({"b":[2]})");
  }
  SECTION("malformed pages are errors") {
    for (const char* bad : {"[]", R"({"items":[{"a":1},]})", R"({"items":[)", "{\"metadata\":{}} x"}) {
      INFO(bad);
      CHECK(parse_list(bad, *keys).has_error());
    }
  }
}
