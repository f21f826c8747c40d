// LanguagePersona inheritance: chain resolution, cycles, flattening, prompt and JSON (SPEC 1.5).
#include "langop/resources/persona.hpp"

#include "langop/core/json.hpp"
#include "langop/resources/common.hpp"

#include <catch2/catch.hpp>

#include <map>
#include <stdexcept>
#include <string>

using namespace langop;
using namespace langop::resources;

namespace {

json::object persona(std::string_view name, std::string_view spec_json) {
  auto spec = jsonu::parse(spec_json);
  if (!spec || !spec->is_object()) throw std::logic_error("bad JSON literal in test");
  json::object p;
  p["kind"] = "LanguagePersona";
  p["metadata"] = json::object{{"name", name}, {"namespace", "ns"}};
  p["spec"] = spec->get_object();
  return p;
}

// A namespace of personas, counting lookups.
struct store {
  std::map<std::string, json::object, std::less<>> items;
  int lookups = 0;
  void add(json::object p) {
    std::string name(jsonu::get_string(json::value(p), {"metadata", "name"}));
    items[name] = std::move(p);
  }
  persona_lookup lookup() {
    return [this](std::string_view name) -> const json::object* {
      ++lookups;
      auto it = items.find(name);
      return it == items.end() ? nullptr : &it->second;
    };
  }
};

}  // namespace

TEST_CASE("persona chain: child first up to the root", "[resources]") {
  store s;
  s.add(persona("root", R"({"systemPrompt": "r"})"));
  s.add(persona("mid", R"({"systemPrompt": "m", "parentRef": {"name": "root"}})"));
  s.add(persona("leaf", R"({"systemPrompt": "l", "parentRef": {"name": "mid"}})"));
  const persona_chain c = resolve_persona_chain("leaf", s.lookup());
  REQUIRE(c.ok());
  REQUIRE(c.personas.size() == 3);
  CHECK(jsonu::get_string(json::value(c.personas[0]), {"metadata", "name"}) == "leaf");
  CHECK(jsonu::get_string(json::value(c.personas[2]), {"metadata", "name"}) == "root");
  CHECK(c.message.empty());
  // Copies: the cache may change after the call.
  s.items.clear();
  CHECK(jsonu::get_string(json::value(c.personas[1]), {"metadata", "name"}) == "mid");
}

TEST_CASE("persona chain: cycles are an error value, not a hang", "[resources]") {
  store s;
  s.add(persona("a", R"({"systemPrompt": "a", "parentRef": {"name": "b"}})"));
  s.add(persona("b", R"({"systemPrompt": "b", "parentRef": {"name": "a"}})"));
  s.add(persona("self", R"({"systemPrompt": "s", "parentRef": {"name": "self"}})"));
  s.add(persona("entry", R"({"systemPrompt": "e", "parentRef": {"name": "a"}})"));

  const persona_chain ab = resolve_persona_chain("a", s.lookup());
  CHECK(ab.failure == persona_failure::cycle);
  CHECK_FALSE(ab.ok());
  CHECK(ab.personas.empty());
  CHECK(ab.message == "persona cycle: a -> b -> a");

  CHECK(resolve_persona_chain("self", s.lookup()).message == "persona cycle: self -> self");
  // A chain that runs into a cycle further up is an error too.
  const persona_chain e = resolve_persona_chain("entry", s.lookup());
  CHECK(e.failure == persona_failure::cycle);
  CHECK(e.message == "persona cycle: entry -> a -> b -> a");
}

TEST_CASE("persona chain: missing personas and parents name what is missing", "[resources]") {
  store s;
  s.add(persona("support", R"({"systemPrompt": "s", "parentRef": {"name": "base"}})"));
  const persona_chain missing_parent = resolve_persona_chain("support", s.lookup());
  CHECK(missing_parent.failure == persona_failure::missing);
  CHECK(missing_parent.missing_name == "base");
  CHECK(missing_parent.message == R"(parent persona "base" of "support" not found)");

  const persona_chain missing = resolve_persona_chain("x", s.lookup());
  CHECK(missing.failure == persona_failure::missing);
  CHECK(missing.missing_name == "x");
  CHECK(missing.message == R"(persona "x" not found)");

  // A null lookup finds nothing rather than crashing.
  CHECK(resolve_persona_chain("x", persona_lookup{}).failure == persona_failure::missing);
}

TEST_CASE("persona chain: depth is capped and lookups are bounded", "[resources]") {
  store s;
  for (std::size_t i = 0; i < 40; ++i)
    s.add(persona("p" + std::to_string(i),
                  R"({"systemPrompt": "x", "parentRef": {"name": "p)" + std::to_string(i + 1) + "\"}}"));
  s.add(persona("p40", R"({"systemPrompt": "end"})"));
  const persona_chain deep = resolve_persona_chain("p0", s.lookup());
  CHECK(deep.failure == persona_failure::too_deep);
  CHECK(deep.personas.empty());
  CHECK_THAT(deep.message, Catch::Contains("deeper than 16"));
  CHECK(s.lookups <= static_cast<int>(max_persona_depth) + 1);

  // Exactly max_persona_depth levels is fine.
  const persona_chain ok = resolve_persona_chain("p" + std::to_string(40 - max_persona_depth + 1), s.lookup());
  REQUIRE(ok.ok());
  CHECK(ok.personas.size() == max_persona_depth);
}

TEST_CASE("persona flatten: child scalars override, lists append parent-first", "[resources]") {
  const json::object root = persona("root", R"({"displayName": "Root", "description": "base persona",
    "systemPrompt": "You are careful.", "tone": "formal", "language": "en",
    "rules": ["Cite sources", "Be kind"],
    "examples": [{"input": "hi", "output": "Hello."}],
    "constraints": {"maxResponseLength": 500, "forbiddenTopics": ["politics"],
                    "requiredDisclaimers": ["Not advice."]}})");
  const json::object leaf = persona("leaf", R"({"systemPrompt": "You are a support agent.", "tone": "friendly",
    "description": "", "rules": ["Be kind", "Escalate outages"],
    "examples": [{"input": "hi", "output": "Hello."}, {"input": "bye", "output": "Goodbye."}],
    "constraints": {"forbiddenTopics": ["pricing", "politics"]},
    "parentRef": {"name": "root"}})");
  const flattened_persona f = flatten_persona({leaf, root});
  CHECK(f.name == "leaf");
  CHECK(f.display_name == "Root");           // inherited
  CHECK(f.description == "base persona");    // an empty child value does not override
  CHECK(f.system_prompt == "You are a support agent.");
  CHECK(f.tone == "friendly");
  CHECK(f.language == "en");
  CHECK(f.rules == std::vector<std::string>{"Cite sources", "Be kind", "Escalate outages"});
  REQUIRE(f.examples.size() == 2);
  CHECK(f.examples[1] == persona_example{"bye", "Goodbye."});
  CHECK(f.constraints.max_response_length == 500);
  CHECK(f.constraints.forbidden_topics == std::vector<std::string>{"politics", "pricing"});
  CHECK(f.constraints.required_disclaimers == std::vector<std::string>{"Not advice."});
  CHECK(f.hash == content_hash(persona_json(f)));
}

TEST_CASE("persona flatten: wrong types are ignored and an empty chain is empty", "[resources]") {
  const json::object odd = persona("odd", R"({"systemPrompt": 5, "tone": "calm", "rules": "not a list",
    "examples": [1, {"input": "q"}], "constraints": {"maxResponseLength": "long", "forbiddenTopics": [3, "x"]}})");
  const flattened_persona f = flatten_persona({odd});
  CHECK(f.system_prompt.empty());
  CHECK(f.tone == "calm");
  CHECK(f.rules.empty());
  REQUIRE(f.examples.size() == 1);
  CHECK(f.examples[0].input == "q");
  CHECK_FALSE(f.constraints.max_response_length);
  CHECK(f.constraints.forbidden_topics == std::vector<std::string>{"x"});

  const flattened_persona empty = flatten_persona({});
  CHECK(empty.name.empty());
  CHECK(empty.hash.size() == 64);
  CHECK(jsonu::dump(persona_json(empty)) == "{}");
}

TEST_CASE("persona json: spec shape, fixed key order, empty values omitted, no hash", "[resources]") {
  flattened_persona p;
  p.name = "n";
  p.system_prompt = "S";
  p.tone = "concise";
  p.rules = {"r"};
  p.examples = {{"i", "o"}};
  p.constraints.required_disclaimers = {"d"};
  p.hash = "ignored";
  CHECK(jsonu::dump(persona_json(p)) ==
        R"({"name":"n","systemPrompt":"S","tone":"concise","rules":["r"],"examples":[{"input":"i","output":"o"}],)"
        R"("constraints":{"requiredDisclaimers":["d"]}})");
}

TEST_CASE("persona resolved hash: follows the flattened content", "[resources]") {
  const json::object a = persona("p", R"({"systemPrompt": "A"})");
  const json::object b = persona("p", R"({"systemPrompt": "B"})");
  const json::object parent = persona("base", R"({"systemPrompt": "A", "rules": ["x"]})");
  CHECK(flatten_persona({a}).hash == flatten_persona({a}).hash);
  CHECK(flatten_persona({a}).hash != flatten_persona({b}).hash);
  // A change in an ancestor changes the descendant's hash (agents must roll).
  CHECK(flatten_persona({a, parent}).hash != flatten_persona({a}).hash);
}

TEST_CASE("persona system prompt: sections, bullets and continuation lines", "[resources]") {
  flattened_persona p;
  CHECK(persona_system_prompt(p).empty());
  p.system_prompt = "You are helpful.\n\n";
  CHECK(persona_system_prompt(p) == "You are helpful.");
  p.rules = {"Be brief", "Two lines:\nsecond line  "};
  p.constraints.max_response_length = 200;
  p.constraints.forbidden_topics = {"politics"};
  p.constraints.required_disclaimers = {"Not legal advice."};
  p.tone = "formal";  // has its own variable: not repeated in the prompt
  CHECK(persona_system_prompt(p) ==
        "You are helpful.\n"
        "\n"
        "Rules:\n"
        "- Be brief\n"
        "- Two lines:\n"
        "  second line\n"
        "\n"
        "Constraints:\n"
        "- Keep every answer under 200 characters.\n"
        "- Do not discuss: politics\n"
        "- Include this disclaimer when relevant: Not legal advice.");

  flattened_persona rules_only;
  rules_only.rules = {"Only rule"};
  CHECK(persona_system_prompt(rules_only) == "Rules:\n- Only rule");
}
