// LanguagePersona (SPEC 1.5): resolves the parentRef chain, reports the flattened
// persona's hash and how many agents use it. Agents re-read the persona themselves (the
// agent controller watches personas), so this controller writes status only.
#include "langop/controllers/kinds.hpp"
#include "langop/controllers/writer.hpp"
#include "langop/resources/persona.hpp"
#include "langop/runtime/manager.hpp"
#include "reconcile_common.hpp"

namespace langop::controllers {

namespace net = boost::asio;

namespace {

std::string_view failure_reason(resources::persona_failure f) {
  switch (f) {
    case resources::persona_failure::missing: return "ParentNotFound";
    case resources::persona_failure::cycle: return "Cycle";
    case resources::persona_failure::too_deep: return "TooDeep";
    default: return "Invalid";
  }
}

reconcile_result reconcile_persona(std::shared_ptr<shared> sp, std::string key) {
  shared& s = *sp;
  auto [ns, name] = split_key(key);
  auto obj = s.personas->store().get(ns, name);
  if (!obj || obj->deleting()) co_return runtime::action::done();

  auto chain = persona_chain_of(s, ns, name);
  const auto used_by = static_cast<std::int64_t>(s.agents->store().index_size(index_agent_persona, key));
  json::object fields;
  fields["usedBy"] = used_by;
  json::object status;
  if (!chain.ok()) {
    record_phase_change(s, *obj, "Error", chain.message, true);
    status = status_for(*obj, "Error", false, failure_reason(chain.failure), chain.message, {}, std::move(fields));
  } else {
    auto flat = resources::flatten_persona(chain.personas);
    const auto previous = (*obj)["status"].find("resolvedHash").as_string();
    if (!previous.empty() && previous != flat.hash)
      s.events.normal(target_of(*obj), "PersonaUpdated", "Resolved persona changed; agents using it roll");
    record_phase_change(s, *obj, "Ready", {}, false);
    fields["resolvedHash"] = flat.hash;
    status = status_for(*obj, "Ready", true, "Resolved",
                        "Persona resolved (" + std::to_string(chain.personas.size()) + " level" +
                            (chain.personas.size() == 1 ? ")" : "s)"),
                        {}, std::move(fields));
  }
  auto w = co_await write_status(s.client, kinds::persona, *obj, std::move(status));
  if (!w) co_return w.error();
  co_return runtime::action::done();
}

}  // namespace

void setup_persona(shared& s) {
  auto& c = add_kind_controller(s, "languagepersona", *s.personas, reconcile_persona);
  // A persona's change reaches its children (their flattened hash changes, or a cycle
  // appears) ...
  watch_referrers(c, *s.personas, *s.personas, index_persona_parent);
  // ... and agents starting or stopping to use it change usedBy.
  // Only a reference that changed matters (an agent's status writes would otherwise
  // reconcile its persona each time).
  c.watch(*s.agents, [](const informer::change& ch, const std::function<void(std::string)>& emit) {
    auto persona_of = [](const informer::object_ptr& a) {
      return a ? (*a)["spec"].find("personaRef").find("name").as_string() : std::string_view();
    };
    const auto before = persona_of(ch.previous), after = persona_of(ch.current);
    if (before == after) return;
    if (!before.empty()) emit(make_key(ch.previous->ns(), before));
    if (!after.empty()) emit(make_key(ch.current->ns(), after));
  });
}

}  // namespace langop::controllers
