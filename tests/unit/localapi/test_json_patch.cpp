#include "langop/localapi/patch.hpp"

#include "patch_test_support.hpp"

#include <vector>

using namespace langop;
using namespace langop::localapi;
using langop::test::canon;
using langop::test::dump;
using langop::test::parse_json;

namespace {

struct row {
  const char* name;
  const char* target;
  const char* patch;
  const char* expected;  // JSON text, or nullptr when the patch must fail
  int status = 0;        // the HTTP status of the failure
  const char* needle = "";
};

void run(const std::vector<row>& rows) {
  for (const auto& r : rows) {
    SECTION(r.name) {
      auto out = apply_json_patch(parse_json(r.target), parse_json(r.patch));
      if (r.expected) {
        INFO((out ? std::string() : out.error().message));
        REQUIRE(out.has_value());
        CHECK(*out == parse_json(r.expected));  // member order is not significant here
      } else {
        REQUIRE_FALSE(out.has_value());
        INFO(out.error().message);
        CHECK(out.error().http_status == r.status);
        CHECK(out.error().reason == (r.status == 400 ? "BadRequest" : "Invalid"));
        CHECK(out.error().message.find(r.needle) != std::string::npos);
      }
    }
  }
}

}  // namespace

TEST_CASE("json patch: RFC 6902 appendix A", "[localapi][patch]") {
  run({
      {"A.1 adding an object member", R"({"foo":"bar"})", R"([{"op":"add","path":"/baz","value":"qux"}])",
       R"({"baz":"qux","foo":"bar"})"},
      {"A.2 adding an array element", R"({"foo":["bar","baz"]})", R"([{"op":"add","path":"/foo/1","value":"qux"}])",
       R"({"foo":["bar","qux","baz"]})"},
      {"A.3 removing an object member", R"({"baz":"qux","foo":"bar"})", R"([{"op":"remove","path":"/baz"}])",
       R"({"foo":"bar"})"},
      {"A.4 removing an array element", R"({"foo":["bar","qux","baz"]})", R"([{"op":"remove","path":"/foo/1"}])",
       R"({"foo":["bar","baz"]})"},
      {"A.5 replacing a value", R"({"baz":"qux","foo":"bar"})", R"([{"op":"replace","path":"/baz","value":"boo"}])",
       R"({"baz":"boo","foo":"bar"})"},
      {"A.6 moving a value", R"({"foo":{"bar":"baz","waldo":"fred"},"qux":{"corge":"grault"}})",
       R"([{"op":"move","from":"/foo/waldo","path":"/qux/thud"}])",
       R"({"foo":{"bar":"baz"},"qux":{"corge":"grault","thud":"fred"}})"},
      {"A.7 moving an array element", R"({"foo":["all","grass","cows","eat"]})",
       R"([{"op":"move","from":"/foo/1","path":"/foo/3"}])", R"({"foo":["all","cows","eat","grass"]})"},
      {"A.8 testing a value: success", R"({"baz":"qux","foo":["a",2,"c"]})",
       R"([{"op":"test","path":"/baz","value":"qux"},{"op":"test","path":"/foo/1","value":2}])",
       R"({"baz":"qux","foo":["a",2,"c"]})"},
      {"A.9 testing a value: error", R"({"baz":"qux"})", R"([{"op":"test","path":"/baz","value":"bar"}])", nullptr,
       422, "test operation on \"/baz\" failed"},
      {"A.10 adding a nested member object", R"({"foo":"bar"})",
       R"([{"op":"add","path":"/child","value":{"grandchild":{}}}])", R"({"foo":"bar","child":{"grandchild":{}}})"},
      {"A.11 ignoring unrecognized elements", R"({"foo":"bar"})",
       R"([{"op":"add","path":"/baz","value":"qux","xyz":123}])", R"({"foo":"bar","baz":"qux"})"},
      {"A.12 adding to a nonexistent target", R"({"foo":"bar"})", R"([{"op":"add","path":"/baz/bat","value":"qux"}])",
       nullptr, 422, "add operation on \"/baz/bat\" failed: the parent location does not exist"},
      // A.13: duplicate "op" members. The parser keeps the last one ("remove", as Go does),
      // and removing the absent /baz fails: the document is rejected either way.
      {"A.13 invalid json patch document", R"({"foo":"bar"})",
       R"([{"op":"add","path":"/baz","value":"qux","op":"remove"}])", nullptr, 422, "remove operation on \"/baz\""},
      {"A.14 ~ escape ordering", R"({"/":9,"~1":10})", R"([{"op":"test","path":"/~01","value":10}])",
       R"({"/":9,"~1":10})"},
      {"A.15 comparing strings and numbers", R"({"/":9,"~1":10})", R"([{"op":"test","path":"/~01","value":"10"}])",
       nullptr, 422, "test operation on \"/~01\" failed"},
      {"A.16 adding an array value", R"({"foo":["bar"]})", R"([{"op":"add","path":"/foo/-","value":["abc","def"]}])",
       R"({"foo":["bar",["abc","def"]]})"},
  });
}

TEST_CASE("json patch: pointers, indexes and each operation", "[localapi][patch]") {
  run({
      {"add replaces an existing member", R"({"a":1})", R"([{"op":"add","path":"/a","value":2}])", R"({"a":2})"},
      {"add at the end index", R"({"a":[1]})", R"([{"op":"add","path":"/a/1","value":2}])", R"({"a":[1,2]})"},
      {"add at index 0", R"({"a":[1]})", R"([{"op":"add","path":"/a/0","value":0}])", R"({"a":[0,1]})"},
      {"add replaces the root", R"({"a":1})", R"([{"op":"add","path":"","value":[1]}])", R"([1])"},
      {"add null is a value", R"({})", R"([{"op":"add","path":"/a","value":null}])", R"({"a":null})"},
      {"~1 is a slash in a key", R"({"metadata":{"labels":{}}})",
       R"([{"op":"add","path":"/metadata/labels/app.kubernetes.io~1name","value":"web"}])",
       R"({"metadata":{"labels":{"app.kubernetes.io/name":"web"}}})"},
      {"~0 is a tilde in a key", R"({})", R"([{"op":"add","path":"/a~0b","value":1}])", R"({"a~b":1})"},
      {"empty key", R"({"":1})", R"([{"op":"replace","path":"/","value":2}])", R"({"":2})"},
      {"remove the last element", R"({"a":[1,2]})", R"([{"op":"remove","path":"/a/1"}])", R"({"a":[1]})"},
      {"replace the root", R"({"a":1})", R"([{"op":"replace","path":"","value":{"b":2}}])", R"({"b":2})"},
      {"replace an array element", R"([1,2,3])", R"([{"op":"replace","path":"/1","value":9}])", R"([1,9,3])"},
      {"move to the end of a list", R"({"a":[1,2,3]})", R"([{"op":"move","from":"/a/0","path":"/a/-"}])",
       R"({"a":[2,3,1]})"},
      {"move onto itself is a no-op", R"({"a":{"b":1}})", R"([{"op":"move","from":"/a","path":"/a"}])",
       R"({"a":{"b":1}})"},
      {"move between objects", R"({"a":{"x":1},"b":{}})", R"([{"op":"move","from":"/a/x","path":"/b/y"}])",
       R"({"a":{},"b":{"y":1}})"},
      {"copy a subtree", R"({"a":{"x":[1]},"b":{}})", R"([{"op":"copy","from":"/a","path":"/b/c"}])",
       R"({"a":{"x":[1]},"b":{"c":{"x":[1]}}})"},
      {"copy into a list", R"({"a":[1,2]})", R"([{"op":"copy","from":"/a/1","path":"/a/0"}])", R"({"a":[2,1,2]})"},
      {"test compares deeply, member order aside", R"({"a":{"x":[1,{"y":null}],"z":true}})",
       R"([{"op":"test","path":"/a","value":{"z":true,"x":[1,{"y":null}]}}])", R"({"a":{"x":[1,{"y":null}],"z":true}})"},
      {"test numbers by value", R"({"a":1})", R"([{"op":"test","path":"/a","value":1.0}])", R"({"a":1})"},
      {"test the root", R"([1])", R"([{"op":"test","path":"","value":[1]}])", R"([1])"},
      {"operations apply in sequence", R"({})",
       R"([{"op":"add","path":"/a","value":[]},{"op":"add","path":"/a/-","value":1},{"op":"copy","from":"/a","path":"/b"},{"op":"test","path":"/b/0","value":1}])",
       R"({"a":[1],"b":[1]})"},
      {"an empty patch changes nothing", R"({"a":1})", R"([])", R"({"a":1})"},
  });
}

TEST_CASE("json patch: operations that cannot apply are 422", "[localapi][patch]") {
  run({
      {"add past the end", R"({"a":[1]})", R"([{"op":"add","path":"/a/2","value":0}])", nullptr, 422,
       "index 2 is out of bounds"},
      {"add with a leading-zero index", R"({"a":[1,2]})", R"([{"op":"add","path":"/a/01","value":0}])", nullptr, 422,
       "\"01\" is not an array index"},
      {"add with a negative index", R"({"a":[1,2]})", R"([{"op":"add","path":"/a/-1","value":0}])", nullptr, 422,
       "is not an array index"},
      {"add under a scalar", R"({"a":1})", R"([{"op":"add","path":"/a/b","value":0}])", nullptr, 422,
       "the parent is neither an object nor an array"},
      {"remove a missing member", R"({"a":1})", R"([{"op":"remove","path":"/b"}])", nullptr, 422,
       "remove operation on \"/b\" failed: the member does not exist"},
      {"remove past the end", R"({"a":[1]})", R"([{"op":"remove","path":"/a/1"}])", nullptr, 422, "out of bounds"},
      {"remove with -", R"({"a":[1]})", R"([{"op":"remove","path":"/a/-"}])", nullptr, 422, "out of bounds"},
      {"remove the root", R"({"a":1})", R"([{"op":"remove","path":""}])", nullptr, 422, "root"},
      {"replace a missing member", R"({"a":1})", R"([{"op":"replace","path":"/b","value":1}])", nullptr, 422,
       "replace operation on \"/b\" failed: the target location does not exist"},
      {"replace a missing element", R"([1])", R"([{"op":"replace","path":"/1","value":1}])", nullptr, 422,
       "does not exist"},
      {"move from a missing location", R"({"a":1})", R"([{"op":"move","from":"/b","path":"/c"}])", nullptr, 422,
       "move operation on \"/b\" failed: the \"from\" location does not exist"},
      {"move into a child of itself", R"({"a":{"b":{}}})", R"([{"op":"move","from":"/a","path":"/a/b/c"}])", nullptr,
       422, "cannot be moved into one of its children"},
      {"copy from a missing location", R"({"a":1})", R"([{"op":"copy","from":"/x/y","path":"/c"}])", nullptr, 422,
       "copy operation on \"/x/y\" failed"},
      {"test a missing location", R"({"a":1})", R"([{"op":"test","path":"/b","value":null}])", nullptr, 422,
       "does not exist"},
      {"test distinguishes null from absent and types", R"({"a":null})", R"([{"op":"test","path":"/a","value":false}])",
       nullptr, 422, "the value null is not false"},
      {"test is order sensitive for lists", R"({"a":[1,2]})", R"([{"op":"test","path":"/a","value":[2,1]}])", nullptr,
       422, "failed"},
      {"a later failure undoes earlier operations", R"({"a":1})",
       R"([{"op":"replace","path":"/a","value":2},{"op":"test","path":"/a","value":1}])", nullptr, 422,
       "test operation"},
  });
}

TEST_CASE("json patch: malformed documents are 400", "[localapi][patch]") {
  run({
      {"not a list", R"({})", R"({"op":"add","path":"/a","value":1})", nullptr, 400, "must be a JSON array"},
      {"operation not an object", R"({})", R"([1])", nullptr, 400, "operation 0 is not an object"},
      {"missing op", R"({})", R"([{"path":"/a","value":1}])", nullptr, 400, "no string \"op\" member"},
      {"op not a string", R"({})", R"([{"op":1,"path":"/a"}])", nullptr, 400, "no string \"op\""},
      {"unknown op", R"({})", R"([{"op":"increment","path":"/a"}])", nullptr, 400, "unknown op \"increment\""},
      {"missing path", R"({})", R"([{"op":"remove"}])", nullptr, 400, "no string \"path\" member"},
      {"path not a string", R"({})", R"([{"op":"remove","path":3}])", nullptr, 400, "no string \"path\""},
      {"pointer without a leading slash", R"({"a":1})", R"([{"op":"remove","path":"a"}])", nullptr, 400,
       "must be empty or start with '/'"},
      {"bad ~ escape", R"({"a":1})", R"([{"op":"remove","path":"/~2"}])", nullptr, 400, "'~' must be followed by 0 or 1"},
      {"dangling ~", R"({"a":1})", R"([{"op":"remove","path":"/a~"}])", nullptr, 400, "'~' must be followed"},
      {"add without value", R"({})", R"([{"op":"add","path":"/a"}])", nullptr, 400, "(add) has no \"value\" member"},
      {"replace without value", R"({"a":1})", R"([{"op":"replace","path":"/a"}])", nullptr, 400, "(replace) has no"},
      {"test without value", R"({"a":1})", R"([{"op":"test","path":"/a"}])", nullptr, 400, "(test) has no"},
      {"move without from", R"({"a":1})", R"([{"op":"move","path":"/b"}])", nullptr, 400, "(move) has no string \"from\""},
      {"copy with a bad from", R"({"a":1})", R"([{"op":"copy","from":"x","path":"/b"}])", nullptr, 400,
       "invalid JSON pointer \"x\""},
      // Validation covers the whole document before anything applies: a later malformed
      // operation wins over an earlier one that cannot apply.
      {"malformed after unappliable", R"({})", R"([{"op":"remove","path":"/nope"},{"op":"bogus","path":""}])",
       nullptr, 400, "operation 1 has unknown op \"bogus\""},
  });
}
