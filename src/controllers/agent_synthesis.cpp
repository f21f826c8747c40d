#include "agent_synthesis.hpp"

#include "langop/cjson/serialize.hpp"
#include "langop/controllers/kinds.hpp"
#include "langop/resources/agent.hpp"
#include "langop/resources/common.hpp"
#include "langop/runtime/manager.hpp"
#include "langop/synthesis/config_map.hpp"
#include "langop/synthesis/prompt.hpp"
#include "langop/synthesis/service.hpp"
#include "reconcile_common.hpp"

namespace langop::controllers {

namespace net = boost::asio;

namespace {

synthesis::agent_brief brief_of(const agent_resolution& r) {
  synthesis::agent_brief b;
  const auto& spec = object_at(r.agent, "spec");
  const auto& meta = object_at(r.agent, "metadata");
  b.name = jsonu::get_string(meta, "name");
  b.ns = jsonu::get_string(meta, "namespace");
  b.instructions = jsonu::get_string(spec, "instructions");
  b.goal = jsonu::get_string(spec, "goal");
  b.mode = resources::agent_execution_mode(r.agent);
  if (resources::agent_is_scheduled(r.agent)) b.schedule = jsonu::get_string(spec, "schedule");
  for (const auto& t : r.resolved_tools) {
    synthesis::tool_brief tb;
    tb.name = t.name;
    if (t.tool) {
      tb.description = jsonu::get_string(object_at(*t.tool, "spec"), "description");
      if (const auto* list = jsonu::find(*t.tool, {"status", "tools"}); list && list->is_array())
        for (const auto& f : list->get_array()) {
          synthesis::tool_function fn;
          fn.name = jsonu::get_string(f, {"name"});
          fn.description = jsonu::get_string(f, {"description"});
          if (const auto* schema = jsonu::find(f, {"inputSchema"})) fn.input_schema = *schema;
          if (!fn.name.empty()) tb.functions.push_back(std::move(fn));
        }
    }
    b.tools.push_back(std::move(tb));
  }
  for (const auto& m : r.models) b.models.push_back({m.name, m.model, m.role});
  if (r.persona) {
    b.persona_name = r.persona->name;
    b.persona_prompt = resources::persona_system_prompt(*r.persona);
    b.persona_hash = r.persona->hash;
  }
  return b;
}

synthesis::job code_job(const synthesis::agent_brief& b) {
  synthesis::job j;
  j.kind = synthesis::job_kind::code;
  j.request = synthesis::code_request(b);
  j.validation.agent_name = b.name;
  j.validation.known_tools = synthesis::known_tool_names(b);
  return j;
}

synthesis::job persona_job(const synthesis::agent_brief& b) {
  synthesis::job j;
  j.kind = synthesis::job_kind::persona;
  j.request = synthesis::persona_request(b);
  return j;
}

json::object synthesis_status(const synthesis::outcome& o, const synthesis::input_hashes& h) {
  return json::object{{"lastSynthesisTime", format_rfc3339(o.finished)},
                      {"durationMs", o.duration.count()},
                      {"codeHash", resources::sha256_hex(o.text)},
                      {"instructionsHash", h.instructions},
                      {"attempts", o.attempts},
                      {"model", o.model},
                      {"promptTokens", o.usage.prompt_tokens},
                      {"completionTokens", o.usage.completion_tokens}};
}

condition synthesized(bool ok, std::string reason, std::string message) {
  return condition{"Synthesized", ok, std::move(reason), std::move(message)};
}

bool waiting_already(const informer::cached_object& obj) {
  const auto c = live_condition(obj, "Synthesized");
  return c && c->reason == "InProgress";
}

std::string up_to_date_message(const std::optional<synthesis::stored_code>& stored) {
  std::string at = stored ? stored->synthesized_at : "";
  return at.empty() ? "Agent code is up to date" : "Agent code synthesized at " + at;
}

}  // namespace

net::awaitable<result<synthesis_report>> reconcile_synthesis(shared& s, const informer::cached_object& obj,
                                                             const agent_resolution& r) {
  synthesis_report rep;
  if (!s.synth || obj["spec"].find("instructions").as_string().empty()) co_return rep;

  const auto brief = brief_of(r);
  const auto now = synthesis::hash_inputs(brief);
  std::optional<synthesis::stored_code> stored;
  std::optional<json::value> live_cm;  // a value: jsonu's path reads take one (no copy)
  if (auto cm = s.configmaps->store().get(obj.ns(), resources::agent_code_config_map_name(obj.name()))) {
    auto v = cjson::to_json(cm->root());
    stored = synthesis::read_stored(v);
    if (v.is_object()) live_cm = std::move(v);
  }
  const auto plan = synthesis::decide(stored, now);
  if (stored && !stored->info.empty()) rep.status = stored->info;

  synthesis::code_contents contents;
  contents.hashes = now;
  if (live_cm) {
    contents.code = jsonu::get_string(*live_cm, {"data", synthesis::code_key});
    if (stored && stored->has_persona)
      contents.persona = std::string(jsonu::get_string(*live_cm, {"data", synthesis::persona_key}));
    if (stored) {
      contents.synthesized_at = stored->synthesized_at;
      contents.info = stored->info;
    }
  }
  if (plan.drop_persona) contents.persona.reset();

  if (plan.calls_llm()) {
    const std::string key = make_key(obj.ns(), obj.name());
    std::optional<synthesis::outcome> code_done, persona_done;
    bool waiting = false, started = false;
    if (plan.synthesize) {
      auto p = s.synth->poll(code_job(brief), key);
      code_done = std::move(p.done);
      waiting |= !code_done;
      started |= p.started;
    }
    if (plan.distill_persona) {
      auto p = s.synth->poll(persona_job(brief), key);
      persona_done = std::move(p.done);
      waiting |= !persona_done;
      started |= p.started;
    }
    for (const auto* o : {&code_done, &persona_done}) {
      if (!*o || (*o)->ok) continue;
      const std::string what = o == &code_done ? "Synthesis of the agent code failed: " : "Persona distillation failed: ";
      s.events.warning(target_of(obj), "SynthesisFailed", what + (*o)->error);
      rep.synthesized = synthesized(false, "SynthesisFailed", what + (*o)->error);
      rep.retry_after = s.opts.synthesis.failure_retry;
      co_return rep;
    }
    if (waiting) {
      // Once per wait of this agent (also when it joined another agent's identical job).
      if (started || !waiting_already(obj))
        s.events.normal(target_of(obj), "SynthesisStarted",
                        std::string(plan.synthesize ? "Synthesizing agent code" : "Distilling persona") +
                            " with model " + s.synth->model());
      rep.synthesized = synthesized(false, "InProgress", "Waiting for the synthesis model " + s.synth->model());
      co_return rep;
    }
    if (code_done) {
      contents.code = code_done->text;
      contents.synthesized_at = format_rfc3339(code_done->finished);
      contents.info = synthesis_status(*code_done, now);
      rep.status = contents.info;
    }
    if (persona_done) contents.persona = persona_done->text;
  }

  if (!plan.nothing()) {
    auto w = co_await apply_child(s, obj, kinds::configmaps, *s.configmaps, synthesis::code_config_map(r.agent, contents));
    if (!w) co_return w.error();
    if (plan.calls_llm())
      s.events.normal(target_of(obj), "SynthesisSucceeded",
                      plan.synthesize ? "Agent code synthesized (" + std::to_string(contents.code.size()) + " bytes)"
                                      : std::string("Persona distilled into persona.txt"));
    rep.synthesized = synthesized(true, "Synthesized", "Agent code synthesized at " + contents.synthesized_at);
    co_return rep;
  }
  rep.synthesized = synthesized(true, "Synthesized", up_to_date_message(stored));
  co_return rep;
}

void setup_synthesis(shared& s, runtime::controller& agents) {
  const auto& cfg = s.opts.synthesis;
  if (!cfg.enabled()) {
    s.log.info("synthesis disabled (no synthesis model configured)");
    return;
  }
  synthesis::service_options o;
  o.model.provider = cfg.provider;
  o.model.model = cfg.model;
  o.model.endpoint = cfg.endpoint;
  o.api_key = cfg.api_key;
  o.concurrency = cfg.concurrency;
  o.max_attempts = cfg.max_attempts;
  o.call_timeout = cfg.timeout;
  o.failure_ttl = cfg.failure_retry;
  o.client.retry.initial_backoff = cfg.retry_initial_backoff;
  // A hung attempt must leave time for the client's retries inside the call's timeout.
  o.client.attempt_timeout = cfg.timeout / std::max(1, o.client.retry.max_attempts);
  o.client.max_requests_in_flight = std::max<std::size_t>(cfg.concurrency, 1);
  auto svc = synthesis::service::make(s.ex, std::move(o), s.log.with({{"component", "synthesis"}}), &s.mgr.metrics());
  if (!svc) {
    s.log.error("synthesis disabled: unusable synthesis settings", {{"error", svc.error().message}});
    return;
  }
  s.synth = std::move(*svc);
  s.synth->on_done([&agents](const std::string& key) { agents.enqueue(key); });
  s.log.info("synthesis enabled", {{"provider", cfg.provider}, {"model", cfg.model}});
}

}  // namespace langop::controllers
