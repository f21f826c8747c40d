#include "langop/localapi/patch.hpp"

#include "patch_test_support.hpp"

#include <vector>

using namespace langop;
using namespace langop::localapi;
using langop::test::canon;
using langop::test::dump;
using langop::test::parse_json;

TEST_CASE("merge patch: RFC 7386 appendix A", "[localapi][patch]") {
  struct row {
    const char* target;
    const char* patch;
    const char* expected;
  };
  const std::vector<row> rows = {
      {R"({"a":"b"})", R"({"a":"c"})", R"({"a":"c"})"},
      {R"({"a":"b"})", R"({"b":"c"})", R"({"a":"b","b":"c"})"},
      {R"({"a":"b"})", R"({"a":null})", R"({})"},
      {R"({"a":"b","b":"c"})", R"({"a":null})", R"({"b":"c"})"},
      {R"({"a":["b"]})", R"({"a":"c"})", R"({"a":"c"})"},
      {R"({"a":"c"})", R"({"a":["b"]})", R"({"a":["b"]})"},
      {R"({"a":{"b":"c"}})", R"({"a":{"b":"d","c":null}})", R"({"a":{"b":"d"}})"},
      {R"({"a":[{"b":"c"}]})", R"({"a":[1]})", R"({"a":[1]})"},
      {R"(["a","b"])", R"(["c","d"])", R"(["c","d"])"},
      {R"({"a":"b"})", R"(["c"])", R"(["c"])"},
      {R"({"a":"foo"})", R"(null)", R"(null)"},
      {R"({"a":"foo"})", R"("bar")", R"("bar")"},
      {R"({"e":null})", R"({"a":1})", R"({"e":null,"a":1})"},
      {R"([1,2])", R"({"a":"b","c":null})", R"({"a":"b"})"},
      {R"({})", R"({"a":{"bb":{"ccc":null}}})", R"({"a":{"bb":{}}})"},
  };
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    SECTION(std::to_string(i) + ": " + r.target + " + " + r.patch) {
      auto out = apply_merge_patch(parse_json(r.target), parse_json(r.patch));
      REQUIRE(out.has_value());
      CHECK(dump(*out) == canon(r.expected));
    }
  }
}

TEST_CASE("merge patch: RFC 7386 section 3 example", "[localapi][patch]") {
  const json::value target = parse_json(R"({
    "title": "Goodbye!",
    "author": {"givenName": "John", "familyName": "Doe"},
    "tags": ["example", "sample"],
    "content": "This will be unchanged"})");
  const json::value patch = parse_json(R"({
    "title": "Hello!",
    "phoneNumber": "+01-123-456-7890",
    "author": {"familyName": null},
    "tags": ["example"]})");
  auto out = apply_merge_patch(target, patch);
  REQUIRE(out.has_value());
  CHECK(dump(*out) == canon(R"({
    "title": "Hello!",
    "author": {"givenName": "John"},
    "tags": ["example"],
    "content": "This will be unchanged",
    "phoneNumber": "+01-123-456-7890"})"));
  // The input is a const reference and must be left as it was.
  CHECK(jsonu::get_string(target, {"title"}) == "Goodbye!");
}

TEST_CASE("merge patch keeps member order and deep-replaces lists", "[localapi][patch]") {
  auto out = apply_merge_patch(parse_json(R"({"a":1,"b":{"x":1,"y":2,"z":3},"c":3})"),
                               parse_json(R"({"b":{"x":null,"w":0},"a":null,"d":[{"k":null}]})"));
  REQUIRE(out.has_value());
  // Lists are values: nulls inside them are kept, not treated as deletions.
  CHECK(dump(*out) == R"({"b":{"y":2,"z":3,"w":0},"c":3,"d":[{"k":null}]})");
}

TEST_CASE("merge patch rejects absurd nesting instead of overflowing the stack", "[localapi][patch]") {
  json::value patch = json::object();
  json::value* cur = &patch;
  for (int i = 0; i < 1000; ++i) cur = &(cur->get_object()["a"] = json::object());
  auto out = apply_merge_patch(json::object(), patch);
  REQUIRE_FALSE(out.has_value());
  CHECK(out.error().http_status == 400);
  CHECK(out.error().reason == "BadRequest");
}
