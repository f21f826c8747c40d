#include "langop/localapi/selector.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace langop;
using namespace langop::localapi;

namespace {

json::value parse_json(std::string_view text) {
  std::string err;
  auto v = jsonu::parse(text, &err);
  INFO(text << ": " << err);
  REQUIRE(v);
  return *v;
}

void require_bad_request(const error& e, std::string_view needle) {
  INFO("message: " << e.message);
  CHECK(e.http_status == 400);
  CHECK(e.reason == "BadRequest");
  CHECK(e.code);
  CHECK(e.message.find(needle) != std::string::npos);
}

}  // namespace

TEST_CASE("label selector parses every operator to a canonical form", "[localapi][selector]") {
  struct row {
    const char* text;
    const char* canonical;
  };
  const std::vector<row> rows = {
      {"", ""},
      {"   ", ""},
      {"app=x", "app=x"},
      {"app==x", "app=x"},
      {"app!=x", "app!=x"},
      {"env in (b,a)", "env in (a,b)"},
      {"env notin (a,b)", "env notin (a,b)"},
      {"gpu", "gpu"},
      {"!legacy", "!legacy"},
      {"n>3", "n>3"},
      {"n<3", "n<3"},
      {"  tier != db ,  app = x  ", "app=x,tier!=db"},
      {"env in(a , b ,a)", "env in (a,b)"},
      {"\tapp\n=\rx", "app=x"},
      {"x in ()", "x in ()"},
      {"x in (a,,b)", "x in (,a,b)"},
      {"x notin (,a)", "x notin (,a)"},
      {"x in (a,)", "x in (,a)"},
      {"a=", "a="},
      {"a=,b", "a=,b"},
      {"example.com/app=v", "example.com/app=v"},
      {"in in (in)", "in in (in)"},
      {"notin notin (notin,in)", "notin notin (in,notin)"},
      {"b=1,a=2,!c", "a=2,b=1,!c"},
  };
  for (const auto& r : rows) {
    SECTION(std::string("parse \"") + r.text + "\"") {
      auto s = label_selector::parse(r.text);
      REQUIRE(s.has_value());
      CHECK(s->to_string() == r.canonical);
      CHECK(s->empty() == (std::string(r.canonical).empty()));
    }
  }
}

TEST_CASE("label selector stops at a NUL byte like the Go lexer", "[localapi][selector]") {
  auto s = label_selector::parse(std::string_view("app=x\0,ignored", 15));
  REQUIRE(s.has_value());
  CHECK(s->to_string() == "app=x");
}

TEST_CASE("label selector requirements carry key, operator and sorted values", "[localapi][selector]") {
  auto s = label_selector::parse("tier notin (web, api),app");
  REQUIRE(s.has_value());
  const auto& reqs = s->requirements();
  REQUIRE(reqs.size() == 2);
  CHECK(reqs[0].key == "app");
  CHECK(reqs[0].operation == label_requirement::op::exists);
  CHECK(reqs[0].values.empty());
  CHECK(reqs[1].key == "tier");
  CHECK(reqs[1].operation == label_requirement::op::not_in);
  CHECK(reqs[1].values == std::vector<std::string>{"api", "web"});
}

TEST_CASE("label selector matching", "[localapi][selector]") {
  const json::value labels = parse_json(R"({"app":"web","tier":"db","n":"5","empty":""})");
  struct row {
    const char* selector;
    bool expected;
  };
  const std::vector<row> rows = {
      {"", true},
      {"app=web", true},          {"app==web", true},          {"app=api", false},
      {"app!=api", true},         {"app!=web", false},         {"missing!=x", true},
      {"tier in (db,cache)", true}, {"tier in (cache)", false}, {"missing in (a)", false},
      {"tier notin (cache)", true}, {"tier notin (db)", false}, {"missing notin (a)", true},
      {"app", true},              {"missing", false},          {"!missing", true},
      {"!app", false},            {"n>3", true},               {"n>5", false},
      {"n<6", true},              {"n<5", false},              {"missing>1", false},
      {"missing<1", false},       {"app>1", false},            {"app<1", false},
      {"empty=", true},           {"empty", true},             {"missing=", false},
      {"empty in ()", true},      {"app in ()", false},        {"app=web,tier=db", true},
      {"app=web,tier=x", false},  {"app=web,!tier", false},    {"app=Web", false},
  };
  for (const auto& r : rows) {
    SECTION(r.selector) {
      auto s = label_selector::parse(r.selector);
      REQUIRE(s.has_value());
      CHECK(s->matches(&labels.get_object()) == r.expected);
    }
  }
  SECTION("an object without labels") {
    CHECK(label_selector::parse("!a")->matches(nullptr));
    CHECK(label_selector::parse("a!=b")->matches(nullptr));
    CHECK(label_selector::parse("a notin (b)")->matches(nullptr));
    CHECK(label_selector::parse("")->matches(nullptr));
    CHECK_FALSE(label_selector::parse("a")->matches(nullptr));
    CHECK_FALSE(label_selector::parse("a=b")->matches(nullptr));
    CHECK_FALSE(label_selector::parse("a>1")->matches(nullptr));
  }
  SECTION("gt and lt compare integers, not text") {
    const json::value big = parse_json(R"({"n":"10","neg":"-3"})");
    CHECK(label_selector::parse("n>9")->matches(&big.get_object()));
    CHECK(label_selector::parse("n<11")->matches(&big.get_object()));
    CHECK(label_selector::parse("neg<0")->matches(&big.get_object()));
  }
}

TEST_CASE("label selector syntax and validation errors", "[localapi][selector]") {
  const std::string long_name(64, 'a');
  const std::string long_prefix = std::string(254, 'a');
  struct row {
    std::string text;
    std::string needle;
  };
  const std::vector<row> rows = {
      {"app=x,", "found '', expected: identifier after ','"},
      {"app=x,=", "found '=', expected: identifier after ','"},
      {",app", "found ',', expected: !, identifier, or 'end of string'"},
      {"=x", "found '=', expected: !, identifier, or 'end of string'"},
      {"!=x", "found '!=', expected: !, identifier, or 'end of string'"},
      {"app=x y", "found 'y', expected: ',' or 'end of string'"},
      {"!app=x", "found '=', expected: ',' or 'end of string'"},
      {"app x", "unable to parse requirement: found 'x', expected: in, notin, =, ==, !=, gt, lt"},
      {"app>=1", "unable to parse requirement: found '=', expected: identifier"},
      {"app=(x)", "found '(', expected: identifier"},
      {"!", "unable to parse requirement: found '', expected: identifier"},
      {"! (", "found '(', expected: identifier"},
      {"app in a", "found 'a', expected: '('"},
      {"app in", "found '', expected: '('"},
      {"app in (a", "found '', expected: ',' or ')'"},
      {"app in (a b)", "found 'b', expected: ',' or ')'"},
      {"app in (=)", "found '=', expected: ',', ')' or identifier"},
      {"app in (a,=)", "found '=', expected: ',', or identifier"},
      {"app in (a),", "expected: identifier after ','"},
      {"bad_key_=x", "key: Invalid value: \"bad_key_\": name part must consist of alphanumeric characters"},
      {"-app=x", "name part must consist of alphanumeric characters"},
      {"a/b/c=x", "a qualified name must consist of"},
      {"/app=x", "prefix part must be non-empty"},
      {"Example.com/app=x", "prefix part a lowercase RFC 1123 subdomain"},
      {"example..com/app", "prefix part a lowercase RFC 1123 subdomain"},
      {long_prefix + "/app", "prefix part must be no more than 253 characters"},
      {"example.com/=x", "name part must be non-empty"},
      {long_name + "=x", "name part must be no more than 63 characters"},
      {"!" + long_name, "name part must be no more than 63 characters"},
      {"app=-x", "values[0][app]: Invalid value: \"-x\": a valid label must be an empty string"},
      {"app=x_", "a valid label must be an empty string"},
      {"app=" + long_name, "must be no more than 63 characters"},
      {"app in (a,-b)", "Invalid value: \"-b\""},
      {"n>x", "for 'Gt', 'Lt' operators, the value must be an integer"},
      {"n<99999999999999999999", "the value must be an integer"},
      {"n>", "the value must be an integer"},
  };
  for (std::size_t i = 0; i < rows.size(); ++i) {
    const auto& r = rows[i];
    SECTION(std::to_string(i) + ": " + r.text.substr(0, 40)) {
      auto s = label_selector::parse(r.text);
      REQUIRE_FALSE(s.has_value());
      require_bad_request(s.error(), r.needle);
    }
  }
}

TEST_CASE("label selector from metav1.LabelSelector", "[localapi][selector]") {
  SECTION("null and empty select everything") {
    for (const char* text : {"null", "{}", R"({"matchLabels":null,"matchExpressions":null})",
                             R"({"matchLabels":{},"matchExpressions":[]})"}) {
      auto s = label_selector::from_json(parse_json(text));
      REQUIRE(s.has_value());
      CHECK(s->empty());
      CHECK(s->matches(nullptr));
    }
  }
  SECTION("matchLabels and every expression operator") {
    auto s = label_selector::from_json(parse_json(R"({
      "matchLabels": {"app": "web"},
      "matchExpressions": [
        {"key": "tier", "operator": "In", "values": ["db", "cache"]},
        {"key": "legacy", "operator": "DoesNotExist"},
        {"key": "gpu", "operator": "Exists", "values": null},
        {"key": "env", "operator": "NotIn", "values": ["prod"]}]})"));
    REQUIRE(s.has_value());
    CHECK(s->to_string() == "app=web,env notin (prod),gpu,!legacy,tier in (cache,db)");
    const json::value yes = parse_json(R"({"app":"web","tier":"db","gpu":"a100","env":"dev"})");
    const json::value prod = parse_json(R"({"app":"web","tier":"db","gpu":"a100","env":"prod"})");
    const json::value legacy = parse_json(R"({"app":"web","tier":"db","gpu":"a100","legacy":"1"})");
    const json::value no_gpu = parse_json(R"({"app":"web","tier":"cache"})");
    CHECK(s->matches(&yes.get_object()));
    CHECK_FALSE(s->matches(&prod.get_object()));
    CHECK_FALSE(s->matches(&legacy.get_object()));
    CHECK_FALSE(s->matches(&no_gpu.get_object()));
    CHECK_FALSE(s->matches(nullptr));
  }
  SECTION("invalid selectors") {
    struct row {
      const char* json;
      const char* needle;
    };
    const std::vector<row> rows = {
        {R"("app=web")", "label selector must be an object"},
        {R"([])", "label selector must be an object"},
        {R"({"matchLabels":["app"]})", "matchLabels must be an object"},
        {R"({"matchLabels":{"app":1}})", "matchLabels[app] must be a string"},
        {R"({"matchLabels":{"app":"a b"}})", "a valid label must be an empty string"},
        {R"({"matchLabels":{"bad key":"x"}})", "name part must consist of"},
        {R"({"matchExpressions":{}})", "matchExpressions must be a list"},
        {R"({"matchExpressions":["x"]})", "matchExpressions[0] must be an object"},
        {R"({"matchExpressions":[{"key":"a","operator":"Gt","values":["1"]}]})",
         "\"Gt\" is not a valid label selector operator"},
        {R"({"matchExpressions":[{"key":"a","operator":"in","values":["1"]}]})",
         "\"in\" is not a valid label selector operator"},
        {R"({"matchExpressions":[{"key":"a"}]})", "\"\" is not a valid label selector operator"},
        {R"({"matchExpressions":[{"key":"a","operator":7}]})", "is not a valid label selector operator"},
        {R"({"matchExpressions":[{"key":"a","operator":"In"}]})", "values set can't be empty"},
        {R"({"matchExpressions":[{"key":"a","operator":"NotIn","values":[]}]})", "values set can't be empty"},
        {R"({"matchExpressions":[{"key":"a","operator":"Exists","values":["x"]}]})",
         "values set must be empty for exists and does not exist"},
        {R"({"matchExpressions":[{"key":"a","operator":"DoesNotExist","values":["x"]}]})",
         "values set must be empty"},
        {R"({"matchExpressions":[{"key":"a","operator":"In","values":"x"}]})", "must be a list of strings"},
        {R"({"matchExpressions":[{"key":"a","operator":"In","values":[1]}]})", "must be a list of strings"},
        {R"({"matchExpressions":[{"key":"a","operator":"In","values":["-x"]}]})", "a valid label must be"},
        {R"({"matchExpressions":[{"operator":"Exists"}]})", "name part must be non-empty"},
        {R"({"matchExpressions":[{"key":5,"operator":"Exists"}]})", "key must be a string"},
    };
    for (const auto& r : rows) {
      INFO(r.json);
      auto s = label_selector::from_json(parse_json(r.json));
      REQUIRE_FALSE(s.has_value());
      require_bad_request(s.error(), r.needle);
    }
  }
}

TEST_CASE("field selector parsing", "[localapi][selector]") {
  using term = field_selector::term;
  struct row {
    const char* text;
    std::vector<term> terms;
  };
  const std::vector<row> rows = {
      {"", {}},
      {"metadata.name=x", {{"metadata.name", false, "x"}}},
      {"metadata.name==x", {{"metadata.name", false, "x"}}},
      {"metadata.name!=x", {{"metadata.name", true, "x"}}},
      {"status.phase=Running,metadata.name!=x",
       {{"metadata.name", true, "x"}, {"status.phase", false, "Running"}}},
      {"a=x\\,y", {{"a", false, "x,y"}}},
      {"a=x\\=y", {{"a", false, "x=y"}}},
      {"a=x\\\\y", {{"a", false, "x\\y"}}},
      {"a=b,", {{"a", false, "b"}}},
      {",,a=b", {{"a", false, "b"}}},
      {"a=", {{"a", false, ""}}},
  };
  for (const auto& r : rows) {
    SECTION(r.text) {
      auto s = field_selector::parse(r.text);
      REQUIRE(s.has_value());
      CHECK(s->empty() == r.terms.empty());
      REQUIRE(s->terms().size() == r.terms.size());
      for (std::size_t i = 0; i < r.terms.size(); ++i) {
        CHECK(s->terms()[i].path == r.terms[i].path);
        CHECK(s->terms()[i].negate == r.terms[i].negate);
        CHECK(s->terms()[i].value == r.terms[i].value);
      }
    }
  }
}

TEST_CASE("field selector errors", "[localapi][selector]") {
  struct row {
    const char* text;
    const char* needle;
  };
  const std::vector<row> rows = {
      {"metadata.name", "invalid selector: 'metadata.name'; can't understand 'metadata.name'"},
      {"a=b,c", "can't understand 'c'"},
      {"=x", "can't understand '=x'"},
      {"a=b=c", "invalid field selector: unescaped character in value: ="},
      {"a!==b", "unescaped character in value: ="},
      {"a=x,y", "can't understand 'y'"},
      {"a=b\\", "invalid field selector: invalid escape sequence: \\"},
      {"a=\\x", "invalid field selector: invalid escape sequence: \\x"},
  };
  for (const auto& r : rows) {
    SECTION(r.text) {
      auto s = field_selector::parse(r.text);
      REQUIRE_FALSE(s.has_value());
      require_bad_request(s.error(), r.needle);
    }
  }
}

TEST_CASE("field selector matching", "[localapi][selector]") {
  const json::value obj = parse_json(R"({
    "metadata": {"name": "web", "namespace": "prod", "odd": "a,b=c"},
    "spec": {"replicas": 3, "paused": false, "ratio": 1.5, "whole": 3.0, "big": 18446744073709551615,
             "neg": -2, "nothing": null},
    "status": {"phase": "Running"}})");
  struct row {
    const char* selector;
    bool expected;
  };
  const std::vector<row> rows = {
      {"", true},
      {"metadata.name=web", true},
      {"metadata.name==web", true},
      {"metadata.name=api", false},
      {"metadata.name!=web", false},
      {"metadata.name!=api", true},
      {"metadata.namespace=prod,metadata.name=web", true},
      {"metadata.namespace=prod,metadata.name=api", false},
      {"status.phase=Running", true},
      {"status.phase=running", false},
      {"spec.replicas=3", true},
      {"spec.replicas!=3", false},
      {"spec.paused=false", true},
      {"spec.ratio=1.5", true},
      {"spec.whole=3", true},
      {"spec.big=18446744073709551615", true},
      {"spec.neg=-2", true},
      {"spec.nothing=", true},
      {"spec.missing=", true},
      {"spec.missing!=", false},
      {"spec.missing=x", false},
      {"spec.missing!=x", true},
      {"metadata.name.deeper=", true},
      {"metadata.odd=a\\,b\\=c", true},
  };
  for (const auto& r : rows) {
    SECTION(r.selector) {
      auto s = field_selector::parse(r.selector);
      REQUIRE(s.has_value());
      CHECK(s->matches(obj.get_object()) == r.expected);
    }
  }
}
