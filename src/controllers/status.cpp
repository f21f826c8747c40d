#include "langop/controllers/status.hpp"

#include "langop/controllers/desired_state.hpp"

namespace langop::controllers {

json::array make_conditions(cjson::value_view live_conditions, const std::vector<condition>& desired,
                            std::int64_t observed_generation, sys_time now) {
  json::array out;
  const std::string now_text = format_rfc3339(now);
  for (const auto& c : desired) {
    const char* status = c.status ? "True" : "False";
    std::string when = now_text;
    for (auto live : live_conditions.elements())
      if (live.find("type").as_string() == c.type && live.find("status").as_string() == status)
        when = std::string(live.find("lastTransitionTime").as_string(now_text));
    json::object o;
    o["type"] = c.type;
    o["status"] = status;
    o["reason"] = c.reason.empty() ? (c.status ? "Ready" : "NotReady") : c.reason;
    o["message"] = c.message;
    o["lastTransitionTime"] = when;
    o["observedGeneration"] = observed_generation;
    out.push_back(std::move(o));
  }
  return out;
}

json::object make_status(std::string_view phase, std::string_view message, std::int64_t generation,
                         json::array conditions, json::object fields) {
  json::object s = std::move(fields);
  s["phase"] = phase;
  s["message"] = message;
  s["observedGeneration"] = generation;
  s["conditions"] = std::move(conditions);
  return s;
}

bool same_status(cjson::value_view live, const json::object& desired) {
  if (!live.is_object() || live.size() != desired.size()) return false;
  return contains(live, desired);
}

}  // namespace langop::controllers
