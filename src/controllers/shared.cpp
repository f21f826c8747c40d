#include "shared.hpp"

#include "background_checks.hpp"
#include "egress_dns.hpp"
#include "langop/cjson/serialize.hpp"
#include "langop/core/time.hpp"
#include "langop/informer/cached_object.hpp"
#include "langop/runtime/manager.hpp"
#include "langop/synthesis/service.hpp"

#include <deque>

namespace langop::controllers {

shared::shared(boost::asio::any_io_executor e, runtime::manager& m, kube::client& c, controllers_options o,
               log::logger l)
    : ex(e),
      mgr(m),
      client(c),
      opts(std::move(o)),
      log(l),
      events(e, c, "langop-operator", l.with({{"component", "events"}})),
      dns(std::make_unique<egress_dns>(e, opts)) {}

shared::~shared() = default;

void shared::stop_checks() {
  if (tool_discovery) tool_discovery->stop();
  if (key_validation) key_validation->stop();
}

std::pair<std::string, std::string> split_key(std::string_view key) {
  auto slash = key.find('/');
  if (slash == std::string_view::npos) return {std::string(), std::string(key)};
  return {std::string(key.substr(0, slash)), std::string(key.substr(slash + 1))};
}

std::string make_key(std::string_view ns, std::string_view name) {
  if (ns.empty()) return std::string(name);
  std::string k;
  k.reserve(ns.size() + 1 + name.size());
  k.append(ns).append("/").append(name);
  return k;
}

json::object to_object(const informer::cached_object& o) {
  auto v = cjson::to_json(o.root());
  return v.is_object() ? std::move(v.as_object()) : json::object();
}

const json::object& object_at(const json::object& o, std::string_view key) {
  static const json::object empty;
  if (auto* v = o.if_contains(key); v && v->is_object()) return v->as_object();
  return empty;
}

resources::persona_chain persona_chain_of(const shared& s, std::string_view ns, std::string_view name,
                                         std::string* versions) {
  std::deque<json::object> copies;  // stable addresses while the chain is walked
  return resources::resolve_persona_chain(name, [&](std::string_view n) -> const json::object* {
    auto p = s.personas->store().get(ns, n);
    if (versions) versions->append(n).append("@").append(p ? p->resource_version() : "-").append(";");
    if (!p) return nullptr;
    copies.push_back(to_object(*p));
    return &copies.back();
  });
}

json::object status_for(const informer::cached_object& obj, std::string_view phase, bool ready,
                        std::string_view reason, std::string_view message, std::vector<condition> extra,
                        json::object fields) {
  std::vector<condition> conds;
  conds.push_back(condition{"Ready", ready, std::string(reason), std::string(message)});
  for (auto& c : extra) conds.push_back(std::move(c));
  auto live = obj["status"];
  return make_status(phase, message, obj.generation(),
                     make_conditions(live.find("conditions"), conds, obj.generation(), std::chrono::system_clock::now()),
                     std::move(fields));
}

informer::index_fn ref_index(std::vector<std::string> list_path, std::vector<std::string> path) {
  return [list_path = std::move(list_path), path = std::move(path)](const informer::cached_object& o,
                                                                     informer::index_keys& out) {
    auto at = [](cjson::value_view v, const std::vector<std::string>& p) {
      for (const auto& k : p) v = v.find(k);
      return v;
    };
    auto file = [&](cjson::value_view v) {
      auto s = at(v, path).as_string();
      if (!s.empty()) out.add(make_key(o.ns(), s));
    };
    if (list_path.empty()) {
      file(o.root());
      return;
    }
    auto list = at(o.root(), list_path);
    for (auto e : list.elements()) {
      if (e.is_string()) {
        if (!e.as_string().empty()) out.add(make_key(o.ns(), e.as_string()));
      } else {
        file(e);
      }
    }
  };
}

void record_phase_change(shared& s, const informer::cached_object& obj, std::string_view new_phase,
                         std::string_view message, bool warning) {
  auto old_phase = obj["status"].find("phase").as_string();
  if (old_phase == new_phase) return;
  std::string text = old_phase.empty() ? "Phase set to " + std::string(new_phase)
                                       : "Phase changed from " + std::string(old_phase) + " to " +
                                             std::string(new_phase);
  if (!message.empty()) text.append(": ").append(message);
  if (warning) s.events.warning(target_of(obj), new_phase, std::move(text));
  else s.events.normal(target_of(obj), new_phase, std::move(text));
}

}  // namespace langop::controllers
