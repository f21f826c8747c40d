#include "langop/localapi/schema.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <functional>
#include <random>
#include <sstream>

using namespace langop;
using namespace langop::localapi;

namespace {

json::value j(std::string_view text) {
  auto v = jsonu::parse(text);
  REQUIRE(v);
  return *v;
}

json::object obj(std::string_view text) { return j(text).as_object(); }

json::value fixture(const std::string& name) {
  std::ifstream in(std::string(LANGOP_SOURCE_DIR) + "/tests/fixtures/localapi/schema/" + name);
  REQUIRE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  return j(ss.str());
}

std::shared_ptr<const structural_schema> agent_schema() {
  static auto schema = [] {
    auto s = structural_schema::compile(fixture("agent_schema.json"));
    REQUIRE(s.has_value());
    return *s;
  }();
  return schema;
}

std::shared_ptr<const structural_schema> compile_ok(std::string_view schema) {
  auto s = structural_schema::compile(j(schema));
  INFO(schema);
  REQUIRE(s.has_value());
  return *s;
}

// "field|type|message" per cause, in order.
std::vector<std::string> causes(const structural_schema& s, const json::object& o, const json::object* old = nullptr) {
  std::vector<std::string> out;
  for (const auto& c : s.validate(o, old)) out.push_back(c.field + "|" + c.type + "|" + c.message);
  return out;
}

// A valid agent with the spec fields the CEL rules read.
json::object agent(std::string_view spec_extra = "") {
  std::string text = R"({"apiVersion":"langop.io/v1alpha1","kind":"LanguageAgent","metadata":{"name":"a1"},
    "spec":{"instructions":"do it","executionMode":"autonomous","minReplicas":1,"maxReplicas":3)";
  if (!spec_extra.empty()) text += std::string(",") + std::string(spec_extra);
  text += "}}";
  return obj(text);
}

}  // namespace

TEST_CASE("schema: compile keeps the source and accepts a realistic CRD schema", "[schema]") {
  auto s = agent_schema();
  CHECK(s->source() == fixture("agent_schema.json"));
  CHECK(causes(*s, agent()).empty());
}

TEST_CASE("schema: non-structural and invalid schemas are rejected with the schema path", "[schema]") {
  struct bad {
    const char* schema;
    const char* message;
  };
  for (auto b : std::initializer_list<bad>{
           {R"({"properties":{}})", "openAPIV3Schema.type: Required value: must not be empty at the root"},
           {R"({"type":"string"})", "openAPIV3Schema.type: Invalid value: \"string\": must be object at the root"},
           {R"({"type":"object","properties":{"spec":{"properties":{}}}})",
            "openAPIV3Schema.properties[spec].type: Required value: must not be empty for specified object fields"},
           {R"({"type":"object","properties":{"l":{"type":"array","items":{}}}})",
            "openAPIV3Schema.properties[l].items.type: Required value: must not be empty for specified array items"},
           {R"({"type":"object","properties":{"l":{"type":"array"}}})",
            "openAPIV3Schema.properties[l].items: Required value: must be specified"},
           {R"({"type":"object","properties":{"x":{"type":"strin"}}})",
            "openAPIV3Schema.properties[x].type: Unsupported value: \"strin\": supported values: \"array\", "
            "\"boolean\", \"integer\", \"number\", \"object\", \"string\""},
           {R"({"type":"object","properties":{"x":{"type":"string","pattern":"(["}}})",
            "openAPIV3Schema.properties[x].pattern: Invalid value: \"([\": must be a valid regular expression, but "
            "isn't: error parsing regexp"},
           {R"j({"type":"object","x-kubernetes-validations":[{"rule":"self.a == )"}]})j",
            "openAPIV3Schema.x-kubernetes-validations[0].rule: Invalid value: \"self.a == )\": compilation failed: "
            "unexpected token ')' at 10"},
           {R"({"type":"object","x-kubernetes-validations":[{"rule":""}]})",
            "openAPIV3Schema.x-kubernetes-validations[0].rule: Required value"},
           {R"({"type":"object","x-kubernetes-validations":[{"rule":"true","reason":"Nope"}]})",
            "openAPIV3Schema.x-kubernetes-validations[0].reason: Unsupported value: \"Nope\""},
           {R"({"type":"object","properties":{"a":{"type":"string"}},"x-kubernetes-validations":[{"rule":"true","fieldPath":".b"}]})",
            "openAPIV3Schema.x-kubernetes-validations[0].fieldPath: Invalid value: \".b\": fieldPath must be a valid "
            "path: does not refer to a valid field"},
           {R"({"type":"object","properties":{"l":{"type":"array","items":{"type":"string"},"x-kubernetes-list-map-keys":["a"]}}})",
            "openAPIV3Schema.properties[l].x-kubernetes-list-map-keys: Forbidden: must not be set if "
            "x-kubernetes-list-type is not map"},
           {R"({"type":"object","properties":{"l":{"type":"array","items":{"type":"object","properties":{"a":{"type":"string"}}},"x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["b"]}}})",
            "openAPIV3Schema.properties[l].x-kubernetes-list-map-keys: Invalid value: []string{\"b\"}: entries must "
            "all be names of item properties"},
           {R"({"type":"object","properties":{"l":{"type":"array","items":{"type":"object"},"x-kubernetes-list-type":"map"}}})",
            "openAPIV3Schema.properties[l].x-kubernetes-list-map-keys: Required value: must not be empty if "
            "x-kubernetes-list-type is map"},
           {R"({"type":"object","properties":{"l":{"type":"string","x-kubernetes-list-type":"set"}}})",
            "openAPIV3Schema.properties[l].x-kubernetes-list-type: Invalid value: \"set\": must only be used on type "
            "array"},
           {R"({"type":"object","properties":{"m":{"type":"object","properties":{"a":{"type":"string"}},"additionalProperties":{"type":"string"}}}})",
            "openAPIV3Schema.properties[m].additionalProperties: Forbidden: additionalProperties and properties are "
            "mutual exclusive"},
           {R"({"type":"object","properties":{"e":{"type":"string","x-kubernetes-embedded-resource":true}}})",
            "openAPIV3Schema.properties[e].type: Invalid value: \"string\": must be object if "
            "x-kubernetes-embedded-resource is true"},
           {R"({"type":"object","properties":{"p":{"type":"object","x-kubernetes-preserve-unknown-fields":false}}})",
            "openAPIV3Schema.properties[p].x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true "
            "or undefined"},
           {R"({"type":"object","properties":{"metadata":{"type":"object","properties":{"labels":{"type":"object"}}}}})",
            "openAPIV3Schema.properties[metadata]: Forbidden: must not specify anything other than name and "
            "generateName"},
           {R"({"type":"object","properties":{"x":{"type":"integer","x-kubernetes-int-or-string":true}}})",
            "openAPIV3Schema.properties[x].type: Invalid value: \"integer\": must be empty if "
            "x-kubernetes-int-or-string is true"},
           {R"({"type":"object","properties":{"x":{"$ref":"#/definitions/x"}}})",
            "openAPIV3Schema.properties[x].$ref: Forbidden: $ref is not supported"},
           {R"({"type":"object","properties":{"x":"string"}})",
            "openAPIV3Schema.properties[x]: Invalid value: \"string\": must be a schema object"},
           {R"({"type":"object","properties":{"x":{"type":"string","maxLength":-1}}})",
            "openAPIV3Schema.properties[x].maxLength: Invalid value: -1: must be a non-negative integer"},
           {R"({"type":"object","properties":{"x":{"type":"string","enum":"a"}}})",
            "openAPIV3Schema.properties[x].enum: Invalid value: \"a\": must be an array"},
           {R"({"type":"object","properties":{"x":{"type":"number","multipleOf":0}}})",
            "openAPIV3Schema.properties[x].multipleOf: Invalid value: 0: must be positive"},
           {R"([])", "openAPIV3Schema: Invalid value: []interface {}{}: must be a schema object"},
           {R"(null)", "openAPIV3Schema: Invalid value: \"null\": must be a schema object"},
       }) {
    INFO(b.schema);
    auto s = structural_schema::compile(j(b.schema));
    REQUIRE_FALSE(s.has_value());
    CHECK_THAT(s.error().message, Catch::StartsWith(b.message) || Catch::StartsWith(std::string("[") + b.message));
    CHECK(s.error().http_status == 422);
    CHECK(s.error().reason == "Invalid");
  }
}

TEST_CASE("schema: several compile errors are reported together", "[schema]") {
  auto s = structural_schema::compile(j(R"({"type":"object","properties":{"a":{},"b":{"type":"array"}}})"));
  REQUIRE_FALSE(s.has_value());
  CHECK(s.error().message ==
        "[openAPIV3Schema.properties[a].type: Required value: must not be empty for specified object fields, "
        "openAPIV3Schema.properties[b].items: Required value: must be specified]");
}

TEST_CASE("schema: untyped nodes are allowed where kube allows them", "[schema]") {
  compile_ok(R"({"type":"object","properties":{"p":{"x-kubernetes-preserve-unknown-fields":true},
                 "i":{"x-kubernetes-int-or-string":true},
                 "a":{"type":"string","allOf":[{"minLength":1}],"anyOf":[{"pattern":"^a"},{"pattern":"^b"}],"not":{"enum":["x"]}}}})");
}

TEST_CASE("schema: defaults are applied top-down where the parent exists", "[schema]") {
  auto s = agent_schema();
  SECTION("missing fields get their defaults; nested defaults inside a defaulted object apply too") {
    auto o = obj(R"({"apiVersion":"v","kind":"K","metadata":{"name":"x"},"spec":{"instructions":"i"}})");
    s->apply_defaults(o);
    const auto& spec = o.at("spec").as_object();
    CHECK(spec.at("image") == "ghcr.io/langop/agent:latest");
    CHECK(spec.at("executionMode") == "autonomous");
    CHECK(spec.at("minReplicas") == 1);
    CHECK(spec.at("budget") == j(R"({"maxTokens":100000})"));
    CHECK_FALSE(spec.contains("workspace"));  // no parent, no default below it
    CHECK(o.at("metadata") == j(R"({"name":"x"})"));
  }
  SECTION("defaults inside an existing object; given values are kept") {
    auto o = obj(R"({"spec":{"workspace":{"enabled":true,"size":"1Gi"},"image":"mine"}})");
    s->apply_defaults(o);
    CHECK(o.at("spec").at("workspace") == j(R"({"enabled":true,"size":"1Gi","mountPath":"/workspace"})"));
    CHECK(o.at("spec").at("image") == "mine");
  }
  SECTION("no spec, no spec defaults") {
    auto o = obj(R"({"apiVersion":"v","kind":"K"})");
    s->apply_defaults(o);
    CHECK(o == obj(R"({"apiVersion":"v","kind":"K"})"));
  }
  SECTION("nulls: default for non-nullable, pruned without default, kept when nullable") {
    auto o = obj(R"({"spec":{"image":null,"message":null,"replicas":null,"nullableDefault":null,
                            "labels":{"a":null,"b":"1"}}})");
    s->apply_defaults(o);
    const auto& spec = o.at("spec").as_object();
    CHECK(spec.at("image") == "ghcr.io/langop/agent:latest");
    CHECK_FALSE(spec.contains("message"));
    CHECK(spec.at("replicas").is_null());
    CHECK(spec.at("nullableDefault").is_null());
    CHECK(spec.at("labels") == j(R"({"b":"1"})"));
  }
  SECTION("list items get their defaults") {
    auto o = obj(R"({"spec":{"modelRefs":[{"name":"a"},{"name":"b","role":"fallback"}]}})");
    s->apply_defaults(o);
    CHECK(o.at("spec").at("modelRefs") == j(R"([{"name":"a","role":"primary"},{"name":"b","role":"fallback"}])"));
  }
  SECTION("wrong types are left for validation to report") {
    auto o = obj(R"({"spec":{"workspace":"big","modelRefs":{"a":1},"budget":[1]}})");
    s->apply_defaults(o);
    CHECK(o.at("spec").at("workspace") == "big");
    CHECK(o.at("spec").at("budget") == j("[1]"));
  }
}

TEST_CASE("schema: pruning removes undeclared fields and reports their paths", "[schema]") {
  auto s = agent_schema();
  auto o = obj(R"({"apiVersion":"v","kind":"K","metadata":{"name":"x","labels":{"a":"b"},"bogus":1},
     "extra":true,
     "spec":{"instructions":"i","unknown":{"deep":1},
             "modelRefs":[{"name":"a","junk":1},{"name":"b"}],
             "config":{"free":1,"known":{"a":"x","b":"y"}},
             "labels":{"k":"1"},
             "template":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","weird":1},"spec":{"x":"1","y":2},"z":3},
             "anything":{"s":"kept","o":{"inner":1}}},
     "status":{"whatever":{"goes":1}}})");
  auto removed = s->prune(o);
  std::sort(removed.begin(), removed.end());
  CHECK(removed == std::vector<std::string>{".extra", ".metadata.bogus", ".spec.anything.o.inner",
                                            ".spec.config.known.b", ".spec.modelRefs[0].junk",
                                            ".spec.template.metadata.weird", ".spec.template.spec.y",
                                            ".spec.template.z", ".spec.unknown"});
  CHECK(o == obj(R"({"apiVersion":"v","kind":"K","metadata":{"name":"x","labels":{"a":"b"}},
     "spec":{"instructions":"i","modelRefs":[{"name":"a"},{"name":"b"}],
             "config":{"free":1,"known":{"a":"x"}},"labels":{"k":"1"},
             "template":{"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"x":"1"}},
             "anything":{"s":"kept","o":{}}},
     "status":{"whatever":{"goes":1}}})"));
  SECTION("pruning is idempotent") { CHECK(s->prune(o).empty()); }
}

TEST_CASE("schema: validation messages match kube-apiserver", "[schema]") {
  auto s = agent_schema();
  struct row {
    const char* spec;
    std::vector<std::string> expect;
  };
  for (const auto& r : std::vector<row>{
           {R"("minReplicas":"two")",
            {"spec.minReplicas|FieldValueTypeInvalid|Invalid value: \"string\": spec.minReplicas in body must be of "
             "type integer: \"string\"",
             "spec|FieldValueInvalid|Invalid value: \"object\": 'no such overload': call arguments did not match a "
             "supported operator, function or macro signature for rule: minReplicas must not exceed maxReplicas"}},
           {R"("minReplicas":2.0)", {}},
           {R"("minReplicas":2.5)",
            {"spec.minReplicas|FieldValueTypeInvalid|Invalid value: \"number\": spec.minReplicas in body must be of "
             "type integer: \"number\""}},
           {R"("ratio":1)", {}},
           {R"("image":null)",
            {"spec.image|FieldValueTypeInvalid|Invalid value: \"null\": spec.image in body must be of type string: "
             "\"null\""}},
           {R"("replicas":null)", {}},
           {R"("executionMode":"sometimes")",
            {"spec.executionMode|FieldValueNotSupported|Unsupported value: \"sometimes\": supported values: "
             "\"autonomous\", \"interactive\", \"scheduled\", \"event-driven\""}},
           {R"("executionMode":5)",
            {"spec.executionMode|FieldValueTypeInvalid|Invalid value: \"integer\": spec.executionMode in body must be "
             "of type string: \"integer\"",
             "spec.executionMode|FieldValueNotSupported|Unsupported value: 5: supported values: \"autonomous\", "
             "\"interactive\", \"scheduled\", \"event-driven\""}},
           {R"("name":"abc1")",
            {"spec.name|FieldValueInvalid|Invalid value: \"abc1\": spec.name in body should match '^[a-z]+$'"}},
           {R"("instructions":"01234567890")", {"spec.instructions|FieldValueTooLong|Too long: may not be more than 10 bytes"}},
           {R"("instructions":"éééééééééé")", {}},  // 10 code points, 20 bytes
           {R"("schedule":"* * *")",
            {"spec.schedule|FieldValueInvalid|Invalid value: \"* * *\": spec.schedule in body should be at least 9 "
             "chars long"}},
           {R"("minReplicas":-1)",
            {"spec.minReplicas|FieldValueInvalid|Invalid value: -1: spec.minReplicas in body should be greater than "
             "or equal to 0"}},
           {R"("maxReplicas":10)",
            {"spec.maxReplicas|FieldValueInvalid|Invalid value: 10: spec.maxReplicas in body should be less than 10"}},
           {R"("ratio":2.0)",
            {"spec.ratio|FieldValueInvalid|Invalid value: 2: spec.ratio in body should be less than or equal to 1.5"}},
           {R"("ratio":0.6)",
            {"spec.ratio|FieldValueInvalid|Invalid value: 0.6: spec.ratio in body should be a multiple of 0.25"}},
           {R"("tags":["a","b","a","c"])",
            {"spec.tags|FieldValueTooMany|Too many: 4: must have at most 3 items",
             "spec.tags[2]|FieldValueDuplicate|Duplicate value: \"a\""}},
           {R"("endpoints":[])",
            {"spec.endpoints|FieldValueInvalid|Invalid value: 0: spec.endpoints in body should have at least 1 items"}},
           {R"("budget":{})",
            {"spec.budget|FieldValueInvalid|Invalid value: 0: spec.budget in body should have at least 1 properties"}},
           {R"("labels":{"a":"1","b":"2","c":"3"})", {"spec.labels|FieldValueTooMany|Too many: 3: must have at most 2 items"}},
           {R"("labels":{"a":"123456"})", {"spec.labels.a|FieldValueTooLong|Too long: may not be more than 5 bytes"}},
           {R"("startAt":"yesterday")",
            {"spec.startAt|FieldValueTypeInvalid|Invalid value: \"yesterday\": spec.startAt in body must be of type "
             "date-time: \"yesterday\""}},
           {R"("startAt":"2024-02-29T23:59:58Z","day":"2024-02-29")", {}},
           {R"("day":"2023-02-29")",
            {"spec.day|FieldValueTypeInvalid|Invalid value: \"2023-02-29\": spec.day in body must be of type date: "
             "\"2023-02-29\""}},
           {R"("port":8080)", {}},
           {R"("port":"http")", {}},
           {R"("port":true)",
            {"spec.port|FieldValueTypeInvalid|Invalid value: \"boolean\": spec.port in body must be of type "
             "integer,string: \"boolean\"",
             "<nil>|FieldValueInvalid|Invalid value: \"\": \"spec.port\" must validate at least one schema (anyOf)",
             "spec.port|FieldValueTypeInvalid|Invalid value: \"boolean\": spec.port in body must be of type integer: "
             "\"boolean\""}},
           {R"("modelRefs":[{"name":"a"},{"name":"b"},{"name":"a"},{"role":"primary"}])",
            {"spec.modelRefs[3].name|FieldValueRequired|Required value",
             "spec.modelRefs[2]|FieldValueDuplicate|Duplicate value: map[string]interface {}{\"name\":\"a\"}"}},
           {R"("modelRefs":["a"])",
            {"spec.modelRefs[0]|FieldValueTypeInvalid|Invalid value: \"string\": spec.modelRefs[0] in body must be of "
             "type object: \"string\"",
             "spec.modelRefs[0]|FieldValueInvalid|Invalid value: \"a\": must be an object for an array of list-type "
             "map"}},
           {R"("ports":[{"port":80,"protocol":"TCP"},{"port":80,"protocol":"UDP"},{"port":80,"protocol":"TCP"}])",
            {"spec.ports[2]|FieldValueDuplicate|Duplicate value: map[string]interface {}{\"port\":80, "
             "\"protocol\":\"TCP\"}"}},
           {R"("executionMode":"scheduled")",
            {"spec.schedule|FieldValueRequired|Required value: schedule is required when executionMode is scheduled"}},
           {R"("message":"m","contextWindow":[])",
            {"spec|FieldValueInvalid|Invalid value: failed rule: !has(self.message) || !has(self.contextWindow)"}},
           {R"("minReplicas":5)", {"spec|FieldValueInvalid|Invalid value: minReplicas must not exceed maxReplicas"}},
           {R"("modelRefs":[{"name":"GPT"}])", {"spec.modelRefs[0].name|FieldValueInvalid|Invalid value: \"GPT\": must be lowercase"}},
           {R"("endpoints":["http://a","ftp://b"])",
            {"spec.endpoints|FieldValueInvalid|Invalid value: endpoints must be http(s) URLs"}},
           {R"("labels":{"k":"x"})", {"spec.labels|FieldValueInvalid|Invalid value: label values must be numeric"}},
       }) {
    INFO(r.spec);
    CHECK(causes(*s, agent(r.spec)) == r.expect);
  }
}

TEST_CASE("schema: required, root rules and runtime rule errors", "[schema]") {
  auto s = agent_schema();
  CHECK(causes(*s, obj(R"({"metadata":{"name":"a"},"spec":{"executionMode":"interactive","minReplicas":1,"maxReplicas":2}})")) ==
        std::vector<std::string>{"spec.instructions|FieldValueRequired|Required value"});
  CHECK(causes(*s, obj(R"({"metadata":{"name":"a-very-long-name-that-goes-on-and-on-and-on"}})")) ==
        std::vector<std::string>{"<nil>|FieldValueInvalid|Invalid value: name too long for an agent"});
  CHECK(causes(*s, obj(R"({"metadata":{"name":"a"},"spec":{"instructions":"i","executionMode":"autonomous"}})")) ==
        std::vector<std::string>{"spec|FieldValueInvalid|Invalid value: \"object\": no such key: minReplicas "
                                 "evaluating rule: minReplicas must not exceed maxReplicas"});
}

TEST_CASE("schema: transition rules run only when the old value exists", "[schema]") {
  auto s = agent_schema();
  auto old = agent(R"("name":"alpha","modelRefs":[{"name":"a","pinned":"v1"}])");
  SECTION("create: no old object") { CHECK(causes(*s, agent(R"("name":"beta")")).empty()); }
  SECTION("unchanged") { CHECK(causes(*s, old, &old).empty()); }
  SECTION("changed immutable field") {
    CHECK(causes(*s, agent(R"("name":"beta","modelRefs":[{"name":"a","pinned":"v1"}])"), &old) ==
          std::vector<std::string>{"spec.name|FieldValueInvalid|Invalid value: \"beta\": name is immutable"});
  }
  SECTION("old object without the field: the rule is skipped") {
    auto before = agent();
    CHECK(causes(*s, agent(R"("name":"beta")"), &before).empty());
  }
  SECTION("map-list items correlate by key") {
    CHECK(causes(*s, agent(R"("name":"alpha","modelRefs":[{"name":"b","pinned":"x"},{"name":"a","pinned":"v2"}])"),
                 &old) ==
          std::vector<std::string>{
              "spec.modelRefs[1].pinned|FieldValueInvalid|Invalid value: \"v2\": pinned is immutable"});
  }
}

TEST_CASE("schema: list semantics from x-kubernetes-list-type", "[schema]") {
  auto s = agent_schema();
  const auto* refs = s->list_at("spec.modelRefs");
  REQUIRE(refs);
  CHECK(refs->type == list_semantics::kind::map);
  CHECK(refs->keys == std::vector<std::string>{"name"});
  REQUIRE(s->list_at("spec.ports"));
  CHECK(s->list_at("spec.ports")->keys == std::vector<std::string>{"port", "protocol"});
  REQUIRE(s->list_at("spec.tags"));
  CHECK(s->list_at("spec.tags")->type == list_semantics::kind::set);
  CHECK(s->list_at("spec.endpoints") == nullptr);  // atomic by default
  CHECK(s->list_at("spec.nope") == nullptr);
  CHECK(s->list_at("spec.modelRefs[].name") == nullptr);
  CHECK(s->list_at("") == nullptr);
  CHECK(s->list_at("spec.tags[][]") == nullptr);
  REQUIRE(s->list_at("metadata.finalizers"));
  CHECK(s->list_at("metadata.finalizers")->type == list_semantics::kind::set);
  REQUIRE(s->list_at("metadata.ownerReferences"));
  CHECK(s->list_at("metadata.ownerReferences")->keys == std::vector<std::string>{"uid"});
  REQUIRE(s->list_at("spec.template.metadata.finalizers"));  // embedded resource metadata
  auto nested = compile_ok(R"({"type":"object","properties":{"a":{"type":"array","items":{"type":"object",
      "properties":{"b":{"type":"array","items":{"type":"string"},"x-kubernetes-list-type":"set"}}}}}})");
  REQUIRE(nested->list_at("a[].b"));
  CHECK(nested->list_at("a[].b")->type == list_semantics::kind::set);
}

TEST_CASE("schema: hostile objects never crash", "[schema]") {
  auto s = agent_schema();
  SECTION("wrong types everywhere") {
    for (const char* text : {
             R"({"spec":[]})", R"({"spec":"x"})", R"({"spec":null})", R"({"metadata":[],"spec":{}})",
             R"({"spec":{"modelRefs":"x","tags":{},"labels":[],"workspace":1,"budget":"b","template":[],"config":2}})",
             R"({"spec":{"modelRefs":[null,1,[],{"name":null}],"ports":[{"port":"80"},{"port":80.5}],"endpoints":[1,null]}})",
             R"({"spec":{"template":{"metadata":"m","apiVersion":1}},"status":[]})",
             R"({"apiVersion":{},"kind":[],"metadata":{"name":{"deep":[1]}}})"}) {
      INFO(text);
      auto o = obj(text);
      auto old = o;
      (void)s->prune(o);
      s->apply_defaults(o);
      (void)s->validate(o, &old);
      (void)s->validate(o, nullptr);
    }
    SUCCEED();
  }
  SECTION("deeply nested data under preserved and untyped fields") {
    json::value deep = json::object{};
    for (int i = 0; i < 1500; ++i) deep = json::object{{"d", std::move(deep)}, {"a", json::array{1, "x"}}};
    auto o = obj(R"({"metadata":{"name":"n"},"spec":{"instructions":"i","executionMode":"autonomous","minReplicas":1,"maxReplicas":2}})");
    o["spec"].as_object()["config"] = deep;
    o["spec"].as_object()["anything"] = json::object{{"x", deep}};
    o["status"] = deep;
    (void)s->prune(o);
    s->apply_defaults(o);
    CHECK(s->validate(o, &o).empty());
  }
  SECTION("deeply nested schema is refused") {
    std::string schema;
    for (int i = 0; i < 300; ++i) schema += R"({"type":"object","properties":{"a":)";
    schema += R"({"type":"string"})";
    for (int i = 0; i < 300; ++i) schema += "}}";
    auto parsed = jsonu::parse(schema);
    if (parsed) {
      auto compiled = structural_schema::compile(*parsed);
      REQUIRE_FALSE(compiled.has_value());
      CHECK_THAT(compiled.error().message, Catch::Contains("schema nested too deeply"));
    }
  }
}

TEST_CASE("schema: numbers and strings are printed the way Go prints them", "[schema]") {
  auto s = compile_ok(R"({"type":"object","properties":{
      "big":{"type":"number","maximum":1000000},
      "tiny":{"type":"number","minimum":0.0001,"exclusiveMinimum":true},
      "even":{"type":"integer","multipleOf":2},
      "pos":{"type":"integer","minimum":0,"exclusiveMinimum":true},
      "huge":{"type":"integer","maximum":10},
      "code":{"type":"integer","enum":[1,2]},
      "obj":{"type":"object","x-kubernetes-preserve-unknown-fields":true,"enum":[{"b":1,"a":"<x>"}]},
      "word":{"type":"string","pattern":"^[a-z]*$"}}})");
  struct row {
    const char* object;
    const char* expect;
  };
  for (auto r : std::initializer_list<row>{
           {R"({"big":2000000.5})", "big|FieldValueInvalid|Invalid value: 2.0000005e+06: big in body should be less than or "
                                    "equal to 1e+06"},
           {R"({"big":2000000})", "big|FieldValueInvalid|Invalid value: 2000000: big in body should be less than or equal "
                                  "to 1000000"},
           {R"({"tiny":0.00001})", "tiny|FieldValueInvalid|Invalid value: 1e-05: tiny in body should be greater than 0.0001"},
           {R"({"even":7})", "even|FieldValueInvalid|Invalid value: 7: even in body should be a multiple of 2"},
           {R"({"pos":0})", "pos|FieldValueInvalid|Invalid value: 0: pos in body should be greater than 0"},
           {R"({"huge":18446744073709551615})",
            "huge|FieldValueInvalid|Invalid value: 18446744073709551615: huge in body should be less than or equal to 10"},
           {R"({"code":3})", "code|FieldValueNotSupported|Unsupported value: 3: supported values: \"1\", \"2\""},
           {R"({"code":"1"})", "code|FieldValueTypeInvalid|Invalid value: \"string\": code in body must be of type integer: "
                               "\"string\""},
           {R"({"obj":{"a":1}})",
            "obj|FieldValueNotSupported|Unsupported value: map[string]interface {}{\"a\":1}: supported values: "
            "\"{\\\"a\\\":\\\"\\\\u003cx\\\\u003e\\\",\\\"b\\\":1}\""},
           {R"({"word":"a\nb\u0001é\""})",
            "word|FieldValueInvalid|Invalid value: \"a\\nb\\x01é\\\"\": word in body should match '^[a-z]*$'"},
       }) {
    INFO(r.object);
    auto got = causes(*s, obj(r.object));
    REQUIRE_FALSE(got.empty());
    CHECK(got.front() == r.expect);
  }
}

TEST_CASE("schema: allOf, oneOf and not", "[schema]") {
  auto s = compile_ok(R"({"type":"object","properties":{
      "a":{"type":"string","allOf":[{"minLength":2},{"maxLength":3}]},
      "o":{"type":"string","oneOf":[{"pattern":"^a"},{"pattern":"b$"}]},
      "n":{"type":"string","not":{"enum":["no"]}}}})");
  CHECK(causes(*s, obj(R"({"a":"ab","o":"ax","n":"yes"})")).empty());
  CHECK(causes(*s, obj(R"({"a":"abcd"})")) ==
        std::vector<std::string>{"a|FieldValueTooLong|Too long: may not be more than 3 bytes",
                                 "<nil>|FieldValueInvalid|Invalid value: \"\": \"a\" must validate all the schemas (allOf)"});
  CHECK(causes(*s, obj(R"({"o":"ab"})")) ==
        std::vector<std::string>{"<nil>|FieldValueInvalid|Invalid value: \"\": \"o\" must validate one and only one schema "
                                 "(oneOf). Found 2 valid alternatives"});
  CHECK(causes(*s, obj(R"({"o":"x"})")).front() ==
        "<nil>|FieldValueInvalid|Invalid value: \"\": \"o\" must validate one and only one schema (oneOf). Found none valid");
  CHECK(causes(*s, obj(R"({"n":"no"})")) ==
        std::vector<std::string>{"<nil>|FieldValueInvalid|Invalid value: \"\": \"n\" must not validate the schema (not)"});
}

TEST_CASE("schema: CEL reasons, map keys in paths and the cost budget", "[schema]") {
  auto s = compile_ok(R"j({"type":"object","properties":{
      "m":{"type":"object","additionalProperties":{"type":"string",
            "x-kubernetes-validations":[{"rule":"self.size() < 3","message":"short values only","reason":"FieldValueForbidden"}]}},
      "d":{"type":"array","items":{"type":"integer"},
           "x-kubernetes-validations":[{"rule":"self.all(x, self.exists_one(y, y == x))","reason":"FieldValueDuplicate"}]},
      "l":{"type":"array","items":{"type":"integer"},
           "x-kubernetes-validations":[{"rule":"self.all(a, self.all(b, self.all(c, a + b + c > -1)))"},
                                       {"rule":"false","message":"never reached"}]}}})j");
  CHECK(causes(*s, obj(R"({"m":{"ok":"ab","bad":"abcd"}})")) ==
        std::vector<std::string>{"m[bad]|FieldValueForbidden|Forbidden: short values only"});
  CHECK(causes(*s, obj(R"({"d":[1,2,1]})")) == std::vector<std::string>{"d|FieldValueDuplicate|Duplicate value"});
  json::array big;
  for (int i = 0; i < 200; ++i) big.push_back(i);
  json::object o;
  o["l"] = big;
  CHECK(causes(*s, o) ==
        std::vector<std::string>{"l|FieldValueInvalid|Invalid value: \"array\": 'operation cancelled: actual cost limit "
                                 "exceeded': no further validation rules will be run due to call cost exceeds limit for "
                                 "rule: self.all(a, self.all(b, self.all(c, a + b + c > -1)))"});
}

TEST_CASE("schema: fuzzed schemas and objects never crash", "[schema]") {
  std::mt19937 rng(12345);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  static const char* keys[] = {"type", "properties", "items", "additionalProperties", "required", "enum", "default",
                               "nullable", "pattern", "maxLength", "minimum", "x-kubernetes-list-type",
                               "x-kubernetes-list-map-keys", "x-kubernetes-validations", "x-kubernetes-preserve-unknown-fields",
                               "x-kubernetes-int-or-string", "x-kubernetes-embedded-resource", "anyOf", "format", "a", "b"};
  static const char* types[] = {"object", "array", "string", "integer", "number", "boolean", "bogus"};
  std::function<json::value(int)> random_value = [&](int depth) -> json::value {
    switch (depth > 4 ? pick(5) : pick(8)) {
      case 0: return nullptr;
      case 1: return pick(2) == 0;
      case 2: return pick(100) - 50;
      case 3: return pick(1000) / 7.0;
      case 4: return types[pick(7)];
      case 5: {
        json::array a;
        for (int i = pick(4); i > 0; --i) a.push_back(random_value(depth + 1));
        return a;
      }
      default: {
        json::object o;
        for (int i = pick(5); i > 0; --i) o[keys[pick(21)]] = random_value(depth + 1);
        if (pick(2)) o["type"] = types[pick(7)];
        return o;
      }
    }
  };
  // Mostly structural schemas, with a random keyword mutated in now and then.
  std::function<json::value(int)> random_schema = [&](int depth) -> json::value {
    json::object o;
    int kind = depth > 3 ? 2 + pick(4) : pick(6);
    switch (kind) {
      case 0: {
        o["type"] = "object";
        json::object props;
        for (int i = pick(4); i > 0; --i) props[keys[19 + pick(2)] + std::to_string(pick(3))] = random_schema(depth + 1);
        o["properties"] = props;
        if (pick(3) == 0) o["required"] = json::array{"a0", "b1"};
        if (pick(4) == 0) o["x-kubernetes-validations"] = json::array{json::object{{"rule", "has(self.a0) || self.size() >= 0"}}};
        if (pick(5) == 0) o["x-kubernetes-preserve-unknown-fields"] = true;
        if (pick(5) == 0) o["x-kubernetes-embedded-resource"] = true;
        break;
      }
      case 1: {
        o["type"] = "array";
        json::object item{{"type", "object"},
                          {"properties", json::object{{"a0", json::object{{"type", "string"}}},
                                                      {"b0", random_schema(depth + 1)}}}};
        o["items"] = item;
        int lt = pick(3);
        if (lt == 1) o["x-kubernetes-list-type"] = "set";
        if (lt == 2) {
          o["x-kubernetes-list-type"] = "map";
          o["x-kubernetes-list-map-keys"] = json::array{"a0"};
        }
        if (pick(3) == 0) o["maxItems"] = pick(4);
        break;
      }
      case 2:
        o["type"] = "string";
        if (pick(3) == 0) o["pattern"] = "^[a-z]+$";
        if (pick(3) == 0) o["maxLength"] = pick(5);
        if (pick(3) == 0) o["enum"] = json::array{"a", "b", 1};
        if (pick(3) == 0) o["default"] = "d";
        if (pick(4) == 0) o["format"] = "date-time";
        break;
      case 3:
        o["type"] = pick(2) ? "integer" : "number";
        if (pick(2) == 0) o["minimum"] = pick(10) - 5;
        if (pick(3) == 0) o["multipleOf"] = 3;
        if (pick(3) == 0) o["nullable"] = true;
        break;
      case 4:
        o["x-kubernetes-int-or-string"] = true;
        break;
      default:
        o["type"] = "object";
        o["additionalProperties"] = random_schema(depth + 1);
        break;
    }
    if (pick(8) == 0) o[keys[pick(21)]] = random_value(depth + 3);
    return o;
  };
  int compiled = 0;
  for (int round = 0; round < 400; ++round) {
    json::value schema =
        json::object{{"type", "object"}, {"properties", json::object{{"a0", random_schema(0)}, {"b0", random_schema(0)}}}};
    auto s = structural_schema::compile(schema);
    if (!s) continue;
    ++compiled;
    for (int k = 0; k < 5; ++k) {
      json::object o{{"a0", random_value(1)}, {"b0", random_value(1)}};
      if (pick(2)) o["a0"] = json::object{{"a0", random_value(2)}, {"b1", json::array{json::object{{"a0", "x"}}}}};
      auto old = o;
      (void)(*s)->prune(o);
      (*s)->apply_defaults(o);
      (void)(*s)->validate(o, &old);
      (void)(*s)->list_at("a0");
      (void)(*s)->list_at("b0[].b0");
    }
  }
  CHECK(compiled > 200);  // most generated schemas are structural
}
