// Change detection (SPEC 1.9 table) from the code ConfigMap's annotations, the prompt
// and the ConfigMap builder.
#include "langop/core/json.hpp"
#include "langop/synthesis/change.hpp"
#include "langop/synthesis/config_map.hpp"
#include "langop/synthesis/prompt.hpp"

#include <catch2/catch.hpp>

using namespace langop;
using namespace langop::synthesis;

namespace {

agent_brief brief() {
  agent_brief b;
  b.name = "monitor";
  b.ns = "demo";
  b.instructions = "Watch the workspace and email me on changes";
  b.goal = "No surprises";
  b.mode = "scheduled";
  b.schedule = "*/5 * * * *";
  tool_brief fs{"filesystem", "", {{"list_files", "Lists files", *jsonu::parse(R"({"type":"object"})")}}};
  b.tools = {fs, {"email", "", {}}};
  b.models = {{"gpt", "gpt-4o", "primary"}};
  b.persona_name = "analyst";
  b.persona_prompt = "You are precise.";
  b.persona_hash = "p1";
  return b;
}

json::object agent() {
  return jsonu::parse(R"({"apiVersion":"langop.io/v1alpha1","kind":"LanguageAgent",
    "metadata":{"name":"monitor","namespace":"demo","uid":"u-1"},"spec":{}})")->as_object();
}

// The ConfigMap as stored for `b`, with persona.txt when `persona`.
json::value stored_for(const agent_brief& b, bool persona = true) {
  code_contents c;
  c.code = "agent 'monitor' do\nend\n";
  if (persona) c.persona = "Be precise.";
  c.hashes = hash_inputs(b);
  c.synthesized_at = "2026-01-01T00:00:00Z";
  return code_config_map(agent(), c);
}

}  // namespace

TEST_CASE("synthesis: each row of the change-detection table", "[synthesis]") {
  const auto b = brief();
  const auto stored = read_stored(stored_for(b));
  REQUIRE(stored);
  CHECK(stored->hashes == hash_inputs(b));
  CHECK(stored->has_code);
  CHECK(stored->has_persona);
  CHECK(stored->synthesized_at == "2026-01-01T00:00:00Z");

  SECTION("no ConfigMap yet: synthesize and distill") {
    auto p = decide(std::nullopt, hash_inputs(b));
    CHECK(p.synthesize);
    CHECK(p.distill_persona);
    CHECK(p.calls_llm());
  }
  SECTION("nothing changed (also what a restarted operator sees): nothing") {
    CHECK(decide(stored, hash_inputs(brief())).nothing());
  }
  for (auto field : {&agent_brief::instructions, &agent_brief::goal, &agent_brief::schedule, &agent_brief::mode}) {
    auto changed = b;
    changed.*field += " (changed)";
    auto p = decide(stored, hash_inputs(changed));
    CHECK(p.synthesize);
    CHECK_FALSE(p.distill_persona);  // same persona: persona.txt kept
  }
  SECTION("persona changed: re-distill only, code kept") {
    auto changed = b;
    changed.persona_prompt = "You are terse.";
    auto p = decide(stored, hash_inputs(changed));
    CHECK_FALSE(p.synthesize);
    CHECK(p.distill_persona);
  }
  SECTION("persona removed: persona.txt dropped, no LLM call") {
    auto changed = b;
    changed.persona_name.clear();
    auto p = decide(stored, hash_inputs(changed));
    CHECK(p.drop_persona);
    CHECK_FALSE(p.calls_llm());
  }
  SECTION("tools changed: no LLM call, annotations rewritten") {
    auto changed = b;
    changed.tools.pop_back();
    auto p = decide(stored, hash_inputs(changed));
    CHECK_FALSE(p.calls_llm());
    CHECK(p.rewrite_annotations);
  }
  SECTION("a discovered tool schema changed: no LLM call") {
    auto changed = b;
    changed.tools[0].functions[0].input_schema = *jsonu::parse(R"({"type":"object","required":["path"]})");
    auto p = decide(stored, hash_inputs(changed));
    CHECK_FALSE(p.calls_llm());
    CHECK(p.rewrite_annotations);
  }
  SECTION("models changed: no LLM call, annotations rewritten") {
    auto changed = b;
    changed.models[0].model = "gpt-4.1";
    auto p = decide(stored, hash_inputs(changed));
    CHECK_FALSE(p.calls_llm());
    CHECK(p.rewrite_annotations);
  }
  SECTION("ConfigMap without code (emptied by hand): synthesize") {
    auto cm = stored_for(b);
    cm.as_object()["data"].as_object().erase("agent.rb");
    CHECK(decide(read_stored(cm), hash_inputs(b)).synthesize);
  }
  SECTION("persona.txt missing while a persona is set: distill") {
    CHECK(decide(read_stored(stored_for(b, false)), hash_inputs(b)).distill_persona);
  }
}

TEST_CASE("synthesis: the code ConfigMap is an owned langop child with the hash annotations", "[synthesis]") {
  auto cm = stored_for(brief());
  CHECK(jsonu::get_string(cm, {"metadata", "name"}) == "monitor-code");
  CHECK(jsonu::get_string(cm, {"metadata", "namespace"}) == "demo");
  CHECK(jsonu::get_string(cm, {"metadata", "labels", "app.kubernetes.io/managed-by"}) == "langop");
  const auto& refs = jsonu::find(cm, {"metadata", "ownerReferences"})->as_array();
  REQUIRE(refs.size() == 1);
  CHECK(refs[0].as_object().at("uid") == "u-1");
  CHECK(refs[0].as_object().at("controller") == true);
  for (auto a : {"langop.io/instructions-hash", "langop.io/tools-hash", "langop.io/models-hash",
                 "langop.io/persona-hash"})
    CHECK(jsonu::get_string(cm, {"metadata", "annotations", a}).size() == 64);
  CHECK(jsonu::get_string(cm, {"data", "agent.rb"}) == "agent 'monitor' do\nend\n");
  CHECK(jsonu::get_string(cm, {"data", "persona.txt"}) == "Be precise.");
}

TEST_CASE("synthesis: the prompt carries the brief, a retry carries the rejection", "[synthesis]") {
  auto req = code_request(brief());
  REQUIRE(req.messages.size() == 2);
  const auto& user = req.messages[1].content;
  for (auto part : {"Agent name: monitor", "Schedule: */5 * * * *", "Instructions: Watch the workspace",
                    "Goal: No surprises", "- filesystem", "function list_files: Lists files", "\"type\":\"object\"",
                    "- email", "gpt (gpt-4o, role primary)", "Persona analyst", "You are precise."})
    CHECK_THAT(user, Catch::Contains(part));
  CHECK_THAT(req.messages[0].content, Catch::Contains("agent '<agent name>' do") && Catch::Contains("use_tool"));
  add_retry_turn(req, "```ruby\nbad\n```", "no agent header");
  REQUIRE(req.messages.size() == 4);
  CHECK(req.messages[2].role == llm::role::assistant);
  CHECK_THAT(req.messages[3].content, Catch::Contains("rejected: no agent header"));

  auto p = persona_request(brief());
  CHECK_THAT(p.messages.back().content, Catch::Contains("System prompt: You are precise."));
  CHECK_THAT(p.messages.back().content, Catch::Contains("Distill persona analyst"));
}
