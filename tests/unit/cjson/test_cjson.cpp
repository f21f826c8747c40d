#include "cjson_test_support.hpp"

#include <limits>
#include <string>
#include <vector>

using namespace langop;
using namespace langop::cjson;
using cjson_test::must_parse;
using cjson_test::read_fixture;
using cjson_test::reference_parse;

namespace {

// text -> document -> text must equal boost::json's own round trip, by both build paths.
void check_round_trip(std::string_view text) {
  auto keys = key_table::create_for_kubernetes();
  const auto ref = reference_parse(text);
  const std::string expected = boost::json::serialize(ref);
  INFO("input: " << text.substr(0, 300));
  const auto doc = must_parse(text, *keys);
  CHECK(serialize(doc.root()) == expected);
  CHECK(to_json(doc.root()) == ref);
  CHECK(doc.root() == ref);
  auto enc = encode(ref, *keys);
  REQUIRE(enc.has_value());
  CHECK(serialize(enc->root()) == expected);
  CHECK(enc->root() == doc.root());
  CHECK(content_hash(enc->root()) == content_hash(doc.root()));
}

json::object without(const json::object& o, std::string_view drop) {
  json::object out;
  for (const auto& kv : o) {
    if (kv.key() != drop) out.emplace(kv.key(), kv.value());
  }
  return out;
}

std::string nested(int depth) { return std::string(static_cast<std::size_t>(depth), '[') + std::string(static_cast<std::size_t>(depth), ']'); }

}  // namespace

TEST_CASE("cjson round-trips every JSON shape exactly like boost::json", "[cjson]") {
  const std::vector<std::string> shapes = {
      "null", "true", "false", "0", "-0", "1", "63", "64", "-1", "-64", "127", "128", "16383", "16384",
      "9223372036854775807", "-9223372036854775808", "9223372036854775808", "18446744073709551615",
      "18446744073709551616", "123456789012345678901234567890", "1.5", "-0.0", "0.1", "1e300", "5e-324",
      "2.2250738585072014e-308", "[1e99999,-1e99999]", "1.7976931348623157e308", "1E2", "-1.25e-7", "3.141592653589793",
      R"("")", R"("a")", R"("\"\\\/\b\f\n\r\t\u0001\u001f\u007f")", R"("h\u00e9llo \ud83d\ude00 ✓ 日本語")",
      "\"raw utf-8: \xc3\xa9 \xe2\x9c\x93\"", "\"invalid utf-8 kept: \xff\xfe\xc3\"", "\"nul \\u0000 inside\"",
      "[]", "{}", "[[]]", "[{}]", R"({"a":{}})", R"({"a":[]})", "[null,true,false,0,-1,1.5,\"x\",[],{}]",
      R"({"":1,"a b":2,"\u00e9":3,"k\"q":4})", R"({"metadata":{"name":"x","labels":{"app":"y"}}})",
      "  {\"ws\" : [ 1 , 2 ] }  ", R"({"a":{"b":{"c":{"d":{"e":[1,[2,[3,[4]]]]}}}}})",
      std::string("\"") + std::string(127, 'x') + "\"", std::string("\"") + std::string(128, 'y') + "\"",
      std::string("\"") + std::string(100000, 'z') + "\"",
      std::string("\"") + std::string(5000, 'q') + "\\n" + std::string(5000, 'r') + "\"",
      "{\"" + std::string(200, 'k') + "\":\"long inline key\"}", nested(1), nested(100), nested(512),
  };
  for (const auto& s : shapes) check_round_trip(s);
}

TEST_CASE("cjson round-trips the realistic fixtures", "[cjson]") {
  for (const char* f : {"deployment.json", "language_agent.json", "configmap.json", "service.json",
                        "networkpolicy.json", "crd_languageagent.json"}) {
    INFO(f);
    check_round_trip(read_fixture(f));
  }
}

TEST_CASE("cjson keeps number kinds apart", "[cjson]") {
  auto keys = key_table::create();
  CHECK(must_parse("1", *keys).root().type() == kind::int64);
  CHECK(must_parse("-70000", *keys).root().as_int64() == -70000);
  CHECK(must_parse("18446744073709551615", *keys).root().type() == kind::uint64);
  CHECK(must_parse("18446744073709551615", *keys).root().as_uint64() == std::numeric_limits<std::uint64_t>::max());
  CHECK(must_parse("18446744073709551615", *keys).root().as_int64(-7) == -7);  // does not fit
  CHECK(must_parse("1.0", *keys).root().type() == kind::double_);
  CHECK(must_parse("1.0", *keys).root().as_int64(-7) == -7);  // doubles are not truncated
  CHECK(must_parse("1.0", *keys).root().as_double() == 1.0);
  CHECK(must_parse("-9223372036854775808", *keys).root().as_int64() == std::numeric_limits<std::int64_t>::min());
  CHECK(must_parse("3", *keys).root().if_int64() == 3);
  CHECK_FALSE(must_parse("\"3\"", *keys).root().if_int64().has_value());
}

TEST_CASE("cjson encoding is compact and pinned", "[cjson]") {
  auto keys = key_table::create_for_kubernetes();
  // object tag, count 1, body 3 bytes, key "name" (seeded id 1 -> varint 2), short string "x".
  const auto doc = must_parse(R"({"name":"x"})", *keys);
  const std::vector<std::uint8_t> expected{0x08, 0x01, 0x03, 0x02, 0x81, 'x'};
  CHECK(std::vector<std::uint8_t>(doc.bytes().begin(), doc.bytes().end()) == expected);
  CHECK(must_parse("[]", *keys).size_bytes() == 1);
  CHECK(must_parse("{}", *keys).size_bytes() == 1);
  CHECK(must_parse("42", *keys).size_bytes() == 1);
  CHECK(must_parse("1.5", *keys).size_bytes() == 9);
  // Binary is smaller than the compact text for a real object.
  const std::string text = boost::json::serialize(reference_parse(read_fixture("deployment.json")));
  CHECK(must_parse(text, *keys).size_bytes() < text.size() * 3 / 4);
}

TEST_CASE("cjson views look up keys, indexes and paths without throwing", "[cjson]") {
  auto keys = key_table::create_for_kubernetes();
  const auto doc = must_parse(read_fixture("deployment.json"), *keys);
  const value_view root = doc.root();
  CHECK(root.is_object());
  CHECK(root["kind"].as_string() == "Deployment");
  CHECK(root.at_path({"metadata", "namespace"}).as_string() == "team-a");
  CHECK(root.at_path({"metadata", "generation"}).as_int64() == 3);
  const auto containers = root.at_path({"spec", "template", "spec", "containers"});
  CHECK(containers.is_array());
  CHECK(containers.size() == 1);
  CHECK(containers[0]["image"].as_string() == "ghcr.io/langop/agent:1.4.0");
  CHECK(containers[0]["ports"][0]["containerPort"].as_int64() == 8080);
  CHECK(containers[0]["volumeMounts"][0]["readOnly"].as_bool() == true);
  CHECK(root.at_path({"spec", "template", "metadata", "creationTimestamp"}).is_null());
  CHECK(root.at_path({"metadata", "labels", "app.kubernetes.io/name"}).as_string() == "languageagent");

  SECTION("missing and mistyped lookups give missing views and fallbacks") {
    CHECK_FALSE(root["nope"].exists());
    CHECK(root["nope"].type() == kind::missing);
    CHECK_FALSE(root.at_path({"spec", "nope", "deeper"}).exists());
    CHECK_FALSE(containers[1].exists());
    CHECK_FALSE(containers[99999].exists());
    CHECK_FALSE(root[0].exists());                 // index on an object
    CHECK_FALSE(containers["image"].exists());     // key on an array
    CHECK_FALSE(root["kind"]["x"].exists());       // key on a string
    CHECK(root["kind"].as_int64(-1) == -1);
    CHECK(root["kind"].size() == 0);
    CHECK(root["nope"].as_string("fb") == "fb");
    CHECK(value_view().as_bool(true) == true);
    CHECK(serialize(value_view()) == "null");
    CHECK_FALSE(root[""].exists());
  }

  SECTION("iteration follows document order") {
    std::vector<std::string> got;
    for (const member m : root["metadata"]["labels"].members()) got.emplace_back(m.key);
    CHECK(got == std::vector<std::string>{"app.kubernetes.io/instance", "app.kubernetes.io/managed-by",
                                          "app.kubernetes.io/name", "langop.io/agent"});
    std::size_t n = 0;
    for (value_view c : root.at_path({"status", "conditions"}).elements()) {
      CHECK(c["status"].as_string() == "True");
      ++n;
    }
    CHECK(n == 2);
    CHECK(root["kind"].elements().begin() == root["kind"].elements().end());
    CHECK(root["kind"].members().begin() == root["kind"].members().end());
  }
}

TEST_CASE("cjson lookups work for inline and interned keys alike", "[cjson]") {
  // A table that interns at most one key and nothing longer than 4 bytes.
  auto keys = key_table::create({.max_keys = 1, .max_key_length = 4});
  const auto doc = must_parse(R"({"a":1,"bb":2,"longer-key":3,"a-b-c-d-e":{"x":4}})", *keys);
  CHECK(keys->size() == 1);
  CHECK(keys->find("a") == 0);
  CHECK(keys->find("bb") == key_table::npos);
  CHECK(doc.root()["a"].as_int64() == 1);
  CHECK(doc.root()["bb"].as_int64() == 2);
  CHECK(doc.root()["longer-key"].as_int64() == 3);
  CHECK(doc.root().at_path({"a-b-c-d-e", "x"}).as_int64() == 4);
  CHECK_FALSE(doc.root()["b"].exists());
  CHECK_FALSE(doc.root()["longer-kex"].exists());

  // Seeds are interned whatever the caps; everything else stays inline.
  auto seeded = key_table::create_for_kubernetes({.max_keys = 0, .max_key_length = 64});
  const std::size_t seeds = seeded->size();
  const auto mixed = must_parse(R"({"status":"ok","custom":{"name":"n"}})", *seeded);
  CHECK(seeded->size() == seeds);
  CHECK(seeded->find("status") != key_table::npos);
  CHECK(mixed.root()["status"].as_string() == "ok");
  CHECK(mixed.root().at_path({"custom", "name"}).as_string() == "n");
  // Same content under two differently interned tables: equal, same hash.
  auto other = key_table::create();
  const auto again = must_parse(R"({"custom":{"name":"n"},"status":"ok"})", *other);
  CHECK(mixed.root() == again.root());
  CHECK(content_hash(mixed.root()) == content_hash(again.root()));
}

TEST_CASE("cjson strips managedFields and last-applied at ingest", "[cjson]") {
  auto keys = key_table::create_for_kubernetes();
  encode_options strip;
  strip.strip_kube_bookkeeping = true;
  const std::string text = read_fixture("language_agent.json");
  // json::object::erase reorders members, so rebuild the expected object without them.
  auto expected = reference_parse(text);
  expected.at("metadata") = without(expected.at("metadata").as_object(), "managedFields");
  expected.at("metadata").at("annotations") =
      without(expected.at("metadata").at("annotations").as_object(), "kubectl.kubernetes.io/last-applied-configuration");

  const auto parsed = must_parse(text, *keys, strip);
  CHECK(parsed.root() == expected);
  CHECK(serialize(parsed.root()) == boost::json::serialize(expected));
  CHECK(parsed.root().at_path({"metadata", "annotations"}).is_object());  // left as {}
  CHECK(parsed.root().at_path({"metadata", "annotations"}).size() == 0);
  auto encoded = encode(reference_parse(text), *keys, strip);
  REQUIRE(encoded.has_value());
  CHECK(serialize(encoded->root()) == boost::json::serialize(expected));

  SECTION("only the root object's own metadata is stripped") {
    const std::string nested = R"({"spec":{"metadata":{"managedFields":[1]}},)"
                               R"("metadata":{"name":"n","managedFields":[{"a":{"b":[1,{"c":2}]}}],)"
                               R"("annotations":{"keep":"1","kubectl.kubernetes.io/last-applied-configuration":"{}"}},)"
                               R"("items":[{"metadata":{"managedFields":[]}}]})";
    const auto d = must_parse(nested, *keys, strip);
    CHECK(serialize(d.root()) == R"({"spec":{"metadata":{"managedFields":[1]}},"metadata":{"name":"n",)"
                                 R"("annotations":{"keep":"1"}},"items":[{"metadata":{"managedFields":[]}}]})");
    CHECK(d.root()["metadata"].size() == 2);
  }
  SECTION("stripping a scalar or an array root is a no-op") {
    CHECK(serialize(must_parse("[1,2]", *keys, strip).root()) == "[1,2]");
    CHECK(serialize(must_parse(R"({"metadata":"x"})", *keys, strip).root()) == R"({"metadata":"x"})");
  }
}

TEST_CASE("cjson rejects malformed text with an error value", "[cjson]") {
  auto keys = key_table::create();
  const std::vector<std::string> bad = {
      "", " ", "{", "}", "[", "[1,]", "[1 2]", R"({"a"})", R"({"a":})", R"({"a":1,})", "{a:1}", "nul", "tru",
      "1 2", R"({"a":1}})", R"("\x")", R"("\u12")", R"("\ud800x")", "01", "1.", "-", ".5", "1e", "+1",
      "\"unterminated", "\"ctl \x01 char\"", "/* c */ 1", "[1,2,3", nested(513),
      std::string("{\"a\":") + nested(512) + "}", "\xef\xbb\xbf{}", "NaN", "Infinity", "[-]",
  };
  for (const auto& s : bad) {
    INFO("input: " << s.substr(0, 80));
    auto r = parse(s, *keys);
    CHECK(r.has_error());
    boost::system::error_code ec;
    (void)boost::json::parse(boost::json::string_view(s.data(), s.size()), ec, {}, cjson_test::reference_options());
    CHECK(ec);  // the reference parser agrees
    if (r.has_error()) {
      CHECK(r.error().code);
      CHECK_FALSE(r.error().message.empty());
    }
  }
  // The encode path enforces the same depth limit.
  boost::json::value deep = boost::json::array();
  for (int i = 0; i < 600; ++i) deep = boost::json::array({deep});
  CHECK(encode(deep, *keys).has_error());
  encode_options shallow;
  shallow.max_depth = 4;
  CHECK(parse("[[[[1]]]]", *keys, shallow).has_value());
  CHECK(parse("[[[[[1]]]]]", *keys, shallow).has_error());
}

TEST_CASE("cjson resolves duplicate keys like boost::json (last value wins)", "[cjson]") {
  check_round_trip(R"({"a":1,"b":2,"a":3})");
  check_round_trip(R"({"x":{"k":[1],"k":{"deep":true}},"y":[{"q":1,"q":2}]})");
  auto keys = key_table::create();
  const auto d = must_parse(R"({"a":1,"b":2,"a":3})", *keys);
  CHECK(d.root().size() == 2);
  CHECK(d.root()["a"].as_int64() == 3);
}
