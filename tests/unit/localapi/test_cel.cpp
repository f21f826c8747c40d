#include "langop/localapi/cel.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <string>

using namespace langop;
using namespace langop::localapi;

namespace {

json::value j(std::string_view text) {
  auto v = jsonu::parse(text);
  REQUIRE(v);
  return *v;
}

// Compiles and evaluates; "true"/"false", or "error: <message>" / "compile: <message>".
std::string run(std::string_view rule, const json::value& self, const json::value* old_self = nullptr) {
  auto p = cel_program::compile(rule);
  if (!p) return "compile: " + p.error().message;
  auto r = p->evaluate(self, old_self);
  if (!r) return "error: " + r.error().message;
  return *r ? "true" : "false";
}

struct row {
  const char* rule;
  const char* self;
  const char* expect;
};

void check_rows(std::initializer_list<row> rows) {
  for (const auto& r : rows) {
    INFO(r.rule << " on " << r.self);
    CHECK(run(r.rule, j(r.self)) == r.expect);
  }
}

}  // namespace

TEST_CASE("cel: typical kube validation rules", "[cel]") {
  check_rows({
      {"self.executionMode != 'scheduled' || has(self.schedule)", R"({"executionMode":"scheduled"})", "false"},
      {"self.executionMode != 'scheduled' || has(self.schedule)",
       R"({"executionMode":"scheduled","schedule":"* * * * *"})", "true"},
      {"self.executionMode != 'scheduled' || has(self.schedule)", R"({"executionMode":"once"})", "true"},
      {"!has(self.message) || !has(self.contextWindow)", R"({"message":"hi"})", "true"},
      {"!has(self.message) || !has(self.contextWindow)", R"({"message":"hi","contextWindow":[]})", "false"},
      {"self.minReplicas <= self.maxReplicas", R"({"minReplicas":1,"maxReplicas":3})", "true"},
      {"self.minReplicas <= self.maxReplicas", R"({"minReplicas":4,"maxReplicas":3})", "false"},
      {"self.all(k, self[k].matches('^[0-9]+$'))", R"({"a":"12","b":"7"})", "true"},
      {"self.all(k, self[k].matches('^[0-9]+$'))", R"({"a":"12","b":"x7"})", "false"},
      {"self.endpoints.all(e, e.startsWith('http'))", R"({"endpoints":["http://a","https://b"]})", "true"},
      {"self.endpoints.all(e, e.startsWith('http'))", R"({"endpoints":["http://a","ftp://b"]})", "false"},
      {"self.x in ['a', 'b']", R"({"x":"b"})", "true"},
      {"self.x in ['a', 'b']", R"({"x":"c"})", "false"},
      {"size(self.list) == 2 && self.list.size() == 2", R"({"list":[1,2]})", "true"},
      {"self.name + '-' + self.suffix == 'web-1'", R"({"name":"web","suffix":"1"})", "true"},
      {"has(self.spec.replicas)", R"({"spec":{"replicas":1}})", "true"},
      {"has(self.spec.replicas)", R"({"spec":{}})", "false"},
  });
}

TEST_CASE("cel: transition rules see oldSelf", "[cel]") {
  auto old = j(R"({"name":"a"})");
  CHECK(run("self == oldSelf", j(R"({"name":"a"})"), &old) == "true");
  CHECK(run("self == oldSelf", j(R"({"name":"b"})"), &old) == "false");
  CHECK(run("self.name == oldSelf.name", j(R"({"name":"a"})"), &old) == "true");
  auto p = cel_program::compile("self == oldSelf");
  REQUIRE(p.has_value());
  CHECK(p->uses_old_self());
  CHECK_FALSE(cel_program::compile("self.a == 1")->uses_old_self());
  CHECK(run("self == oldSelf", j("{}")) == "error: no such attribute: oldSelf");
}

TEST_CASE("cel: operators, literals and precedence", "[cel]") {
  check_rows({
      {"1 + 2 * 3 == 7", "{}", "true"},
      {"(1 + 2) * 3 == 9", "{}", "true"},
      {"7 / 2 == 3 && 7 % 2 == 1 && -7 / 2 == -3", "{}", "true"},
      {"1.5 * 2.0 == 3.0", "{}", "true"},
      {"1 == 1.0 && 2u == 2 && 3 < 3.5", "{}", "true"},
      {"'abc' < 'abd' && !('b' < 'a')", "{}", "true"},
      {"true ? 1 == 1 : 1 == 2", "{}", "true"},
      {"false ? true : false ? true : true", "{}", "true"},
      {"[1, 2] + [3] == [1, 2, 3]", "{}", "true"},
      {"{'a': 1}.a == 1 && {'a': 1}['a'] == 1", "{}", "true"},
      {"'a' in {'a': 1}", "{}", "true"},
      {"null == null && self.n == null", R"({"n":null})", "true"},
      {"0x10 == 16 && 1e3 == 1000.0 && .5 == 0.5", "{}", "true"},
      {"-9223372036854775808 < 0", "{}", "true"},
      {"'\\u00e9' == 'é' && \"x\\ty\".size() == 3 && r'\\d' == '\\\\d'", "{}", "true"},
      {"'''multi\nline'''.contains('\\n')", "{}", "true"},
      {"!!true && !false", "{}", "true"},
      {"--1 == 1", "{}", "true"},
      {"self.list[1] == 'b'", R"({"list":["a","b"]})", "true"},
      {"[1, 2, 3].exists(x, x > 2) && [1, 2, 3].exists_one(x, x > 2) && ![1, 3].exists_one(x, x > 0)", "{}",
       "true"},
      {"[1, 2, 3].map(x, x * 2) == [2, 4, 6]", "{}", "true"},
      {"[1, 2, 3].map(x, x > 1, x * 10) == [20, 30]", "{}", "true"},
      {"[1, 2, 3].filter(x, x % 2 == 1) == [1, 3]", "{}", "true"},
      {"{'a': 1, 'b': 2}.filter(k, k == 'b') == ['b']", "{}", "true"},
      {"[[1, 2], [3]].all(l, l.all(x, x > 0))", "{}", "true"},
      {"int('42') == 42 && uint(3) == 3u && double(2) == 2.0 && string(12) == '12'", "{}", "true"},
      {"int(2.9) == 2 && string(1.5) == '1.5' && string(true) == 'true' && bool('true')", "{}", "true"},
      {"'Hello'.lowerAscii() == 'hello' && 'a'.upperAscii() == 'A' && '  x '.trim() == 'x'", "{}", "true"},
      {"'a,b'.split(',') == ['a', 'b'] && ['a', 'b'].join('-') == 'a-b' && ['x'].join() == 'x'", "{}", "true"},
      {"'aXbX'.replace('X', '') == 'ab' && 'héllo'.size() == 5", "{}", "true"},
      {"matches('abc', '^a') && 'abc'.endsWith('bc') && 'abc'.contains('b')", "{}", "true"},
      {"self.x.matches(self.re)", R"({"x":"abc","re":"b+"})", "true"},
      {"dyn(1) == 1", "{}", "true"},
      {"self.a__dash__b == 1 && self.__namespace__ == 'n' && self.a__dot__b == 2 && has(self.x__slash__y)",
       R"({"a-b":1,"namespace":"n","a.b":2,"x/y":3})", "true"},
      {"self.x + 0.5 == 3.5", R"({"x":3})", "true"},  // lenient int/double promotion
  });
}

TEST_CASE("cel: logical operators absorb errors like CEL", "[cel]") {
  check_rows({
      {"false && self.missing == 1", "{}", "false"},
      {"self.missing == 1 && false", "{}", "false"},
      {"true || self.missing == 1", "{}", "true"},
      {"self.missing == 1 || true", "{}", "true"},
      {"self.missing == 1 || false", "{}", "error: no such key: missing"},
      {"[0, 1].all(x, 10 / x > 1)", "{}", "error: division by zero"},
      {"[0, 1].all(x, x > 0 && 10 / x > 1)", "{}", "false"},
      {"[0, 1].exists(x, 10 / x > 1)", "{}", "true"},
  });
}

TEST_CASE("cel: runtime errors are values", "[cel]") {
  check_rows({
      {"self.nope == 1", "{}", "error: no such key: nope"},
      {"self['nope'] == 1", "{}", "error: no such key: nope"},
      {"self.list[5] == 1", R"({"list":[1]})", "error: index '5' out of range in list size '1'"},
      {"self.list[-1] == 1", R"({"list":[1]})", "error: index '-1' out of range in list size '1'"},
      {"1 / 0 == 1", "{}", "error: division by zero"},
      {"1 % 0 == 1", "{}", "error: modulus by zero"},
      {"9223372036854775807 + 1 > 0", "{}", "error: integer overflow"},
      {"-9223372036854775808 * -1 > 0", "{}", "error: integer overflow"},
      {"'a' + 1 == 'a1'", "{}", "error: no such overload"},
      {"1 + 1u == 2", "{}", "error: no such overload"},
      {"self.s.x == 1", R"({"s":"str"})", "error: no such overload"},
      {"has(self.s.x)", R"({"s":"str"})", "error: no such overload"},
      {"self.n < [1]", R"({"n":1})", "error: no such overload"},
      {"!self.n", R"({"n":1})", "error: no such overload"},
      {"int('x1') == 1", "{}", "error: cannot convert string 'x1' to int"},
      {"int(1e30) == 1", "{}", "error: int range error"},
      {"self.n.all(x, x)", R"({"n":3})", "error: expression of type 'int' cannot be range of a comprehension"},
      {"1 + 1", "{}", "error: rule did not evaluate to a bool"},
      {"{'a': 1, 'a': 2}.size() == 1", "{}", "error: Failed with repeated key"},
  });
}

TEST_CASE("cel: compile errors say where", "[cel]") {
  struct bad {
    const char* rule;
    const char* message;
  };
  for (auto b : std::initializer_list<bad>{
           {"self.a == )", "unexpected token ')' at 10"},
           {"self.a ==", "unexpected end of expression at 9"},
           {"", "unexpected end of expression at 0"},
           {"self.a = 1", "unexpected character '=' at 7"},
           {"foo.bar == 1", "undeclared reference to 'foo' at 0"},
           {"self.all(x, y > 1)", "undeclared reference to 'y' at 12"},
           {"self.frobnicate()", "undeclared reference to 'frobnicate' at 5"},
           {"self.startsWith()", "found no matching overload for 'startsWith' applied to 0 argument(s) at 5"},
           {"has(self)", "invalid argument to has() macro at 0"},
           {"self.all(1, true)", "argument must be a simple name at 9"},
           {"'unterminated", "unterminated string literal at 0"},
           {"'bad \\q escape'", "invalid escape sequence at 5"},
           {"b'bytes' == b'bytes'", "bytes literals are not supported at 0"},
           {"9223372036854775808 > 1", "invalid int literal at 0"},
           {"99999999999999999999 > 1", "invalid int literal at 0"},
           {"self.if == 1", "reserved identifier 'if' at 5"},
           {"self.a ==\x01", "unexpected character '\\x01' at 9"},
           {"[1, 2", "unexpected end of expression at 5"},
           {"self.a.matches('[')", "error parsing regexp"},
           {"self.a.matches('a{2000}')", "error parsing regexp: invalid repeat count"},
       }) {
    INFO(b.rule);
    auto p = cel_program::compile(b.rule);
    REQUIRE_FALSE(p.has_value());
    CHECK_THAT(p.error().message, Catch::StartsWith(b.message));
    CHECK(p.error().http_status == 422);
  }
}

TEST_CASE("cel: hostile input never crashes or hangs", "[cel]") {
  SECTION("deeply nested parentheses are refused") {
    std::string deep(5000, '(');
    deep += "true";
    deep += std::string(5000, ')');
    auto p = cel_program::compile(deep);
    REQUIRE_FALSE(p.has_value());
    CHECK_THAT(p.error().message, Catch::Contains("too deeply nested"));
  }
  SECTION("long left-associative chains are refused") {
    std::string chain = "1";
    for (int i = 0; i < 5000; ++i) chain += " + 1";
    chain += " > 0";
    CHECK_FALSE(cel_program::compile(chain).has_value());
  }
  SECTION("many unary operators") {
    CHECK_FALSE(cel_program::compile(std::string(100000, '!') + "true").has_value());
  }
  SECTION("nested comprehensions run out of budget instead of hanging") {
    json::array big;
    for (int i = 0; i < 1000; ++i) big.push_back(i);
    json::value self = json::object{{"l", big}};
    CHECK(run("self.l.all(a, self.l.all(b, self.l.all(c, a + b + c >= 0)))", self) ==
          "error: operation cancelled: actual cost limit exceeded");
  }
  SECTION("string doubling runs out of memory budget") {
    std::string rule = "self.s";
    json::value self = json::object{{"s", std::string(1 << 20, 'x')}};
    CHECK(run("[1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18].map(i, self.s + self.s + self.s).size() > 0",
              self) == "error: operation cancelled: actual cost limit exceeded");
  }
  SECTION("pathological regex inputs are refused, not run") {
    json::value self = json::object{{"s", std::string(1 << 20, 'a')}};
    CHECK(run("self.s.matches('(a|aa|aaa|aaaa)*(b|bb)+c{1,900}$')", self) ==
          "error: regular expression match too expensive");
    CHECK(run("self.s.matches('^a+$')", self) == "true");
  }
  SECTION("garbage source") {
    for (const char* junk : {"\xff\xfe", "self..a", "self.a[", "{", "}", "?:", "self ? : 1", "[,]", "{1:}",
                             "self.a(", ".5.5", "1..2", "0x", "1e", "'''", "r'", "has(", "self.all()",
                             "self.map(x)", "@", "#", "self.a.b.c.d.e.f.g.h.i.j.k.l.m.n.o.p.q.r.s.t.u.v.w.x.y.z("}) {
      INFO(junk);
      auto p = cel_program::compile(junk);
      if (p) (void)p->evaluate(json::object{}, nullptr);
    }
    SUCCEED();
  }
  SECTION("default-constructed program reports an error") {
    cel_program p;
    CHECK_FALSE(p.evaluate(json::object{}, nullptr).has_value());
  }
}

TEST_CASE("cel: fuzzed expressions never crash", "[cel]") {
  std::mt19937 rng(4242);
  static const char* pieces[] = {"self",  "oldSelf", ".",     "a",      "b",     "l",       "m",      "(",  ")",
                                 "[",     "]",       "{",     "}",      ",",     ":",       "?",      "!",  "-",
                                 "+",     "*",       "/",     "%",      "==",    "!=",      "<",      "<=", ">",
                                 ">=",    "&&",      "||",    " in ",   "1",     "0",       "2.5",    "'s'", "true",
                                 "null",  "size",    "has",   "all",    "exists", "map",    "filter", "x",  "matches",
                                 "'a+'",  "int",     "string", "startsWith", "9223372036854775807", "\"", "'", "\\",
                                 "u",     "0x1f",    "1e308", "lowerAscii", "split", "join", "replace", "e"};
  constexpr int n = sizeof(pieces) / sizeof(pieces[0]);
  auto self = j(R"({"a":1,"b":"s","l":[1,2,3],"m":{"x":1},"n":null})");
  int compiled = 0;
  for (int round = 0; round < 5000; ++round) {
    std::string expr;
    for (int i = static_cast<int>(rng() % 12) + 1; i > 0; --i) expr += pieces[rng() % n];
    auto p = cel_program::compile(expr);
    if (!p) continue;
    ++compiled;
    (void)p->evaluate(self, &self);
    (void)p->evaluate(self, nullptr);
    (void)p->evaluate(json::value(nullptr), nullptr);
  }
  CHECK(compiled > 100);
}
