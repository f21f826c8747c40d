#include "langop/synthesis/change.hpp"

#include "langop/resources/common.hpp"

namespace langop::synthesis {

namespace {

std::string hash_of(json::value v) { return resources::content_hash(v); }

std::string annotation(const json::value& cm, std::string_view key) {
  return std::string(jsonu::get_string(cm, {"metadata", "annotations", key}));
}

}  // namespace

input_hashes hash_inputs(const agent_brief& b) {
  input_hashes h;
  // What the code is written from. The name is in the header the code must carry.
  h.instructions = hash_of(json::object{{"name", b.name},
                                        {"instructions", b.instructions},
                                        {"goal", b.goal},
                                        {"mode", b.mode},
                                        {"schedule", b.schedule}});
  json::array tools;
  for (const auto& t : b.tools) {
    json::array fns;
    for (const auto& f : t.functions)
      fns.push_back(json::object{{"name", f.name}, {"description", f.description}, {"inputSchema", f.input_schema}});
    tools.push_back(json::object{{"name", t.name}, {"description", t.description}, {"functions", std::move(fns)}});
  }
  h.tools = hash_of(std::move(tools));
  json::array models;
  for (const auto& m : b.models) models.push_back(json::object{{"name", m.name}, {"model", m.model}, {"role", m.role}});
  h.models = hash_of(std::move(models));
  if (!b.persona_name.empty())
    h.persona = hash_of(json::object{{"name", b.persona_name}, {"hash", b.persona_hash}, {"prompt", b.persona_prompt}});
  return h;
}

std::optional<stored_code> read_stored(const json::value& cm) {
  if (!cm.is_object()) return std::nullopt;
  stored_code s;
  s.hashes.instructions = annotation(cm, instructions_hash_annotation);
  s.hashes.tools = annotation(cm, tools_hash_annotation);
  s.hashes.models = annotation(cm, models_hash_annotation);
  s.hashes.persona = annotation(cm, persona_hash_annotation);
  s.synthesized_at = annotation(cm, synthesized_at_annotation);
  if (auto info = jsonu::parse(annotation(cm, synthesis_info_annotation)); info && info->is_object())
    s.info = std::move(info->as_object());
  s.has_code = !jsonu::get_string(cm, {"data", code_key}).empty();
  s.has_persona = !jsonu::get_string(cm, {"data", persona_key}).empty();
  return s;
}

plan decide(const std::optional<stored_code>& stored, const input_hashes& now) {
  plan p;
  const bool want_persona = !now.persona.empty();
  if (!stored || !stored->has_code || stored->hashes.instructions.empty() ||
      stored->hashes.instructions != now.instructions) {
    p.synthesize = true;
    p.distill_persona = want_persona && (!stored || stored->hashes.persona != now.persona || !stored->has_persona);
    p.drop_persona = !want_persona && stored && stored->has_persona;
    p.rewrite_annotations = true;
    return p;
  }
  if (want_persona && (stored->hashes.persona != now.persona || !stored->has_persona)) p.distill_persona = true;
  if (!want_persona && (stored->has_persona || !stored->hashes.persona.empty())) p.drop_persona = true;
  if (stored->hashes.tools != now.tools || stored->hashes.models != now.models) p.rewrite_annotations = true;
  return p;
}

}  // namespace langop::synthesis
