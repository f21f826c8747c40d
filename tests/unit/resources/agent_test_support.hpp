// Fixtures shared by the LanguageAgent builder tests: served objects written as JSON so a
// test reads like the manifest it stands for.
#pragma once

#include "langop/core/json.hpp"
#include "langop/resources/agent.hpp"

#include <stdexcept>
#include <string>
#include <string_view>

namespace langop::resources::test {

// Parses a JSON object literal; a malformed literal is a bug in the test.
inline json::object obj(std::string_view text) {
  std::string err;
  auto v = jsonu::parse(text, &err);
  if (!v || !v->is_object()) throw std::logic_error("bad JSON literal in test: " + err);
  return v->get_object();
}

// A LanguageAgent "a" in namespace "ns" with the given spec (as served: defaults applied
// only where the test writes them).
inline json::object agent_with_spec(std::string_view spec_json, std::string_view name = "a") {
  json::object a;
  a["apiVersion"] = "langop.io/v1alpha1";
  a["kind"] = "LanguageAgent";
  a["metadata"] = json::object{{"name", name}, {"namespace", "ns"}, {"uid", "uid-1"}};
  a["spec"] = obj(spec_json);
  return a;
}

inline json::object tool_object(std::string_view name, std::string_view spec_json, std::string_view ns = "ns") {
  json::object t;
  t["apiVersion"] = "langop.io/v1alpha1";
  t["kind"] = "LanguageTool";
  t["metadata"] = json::object{{"name", name}, {"namespace", ns}};
  t["spec"] = obj(spec_json);
  return t;
}

// The env entry named `name`, or nullptr.
inline const json::object* env_entry(const json::array& env, std::string_view name) {
  for (const auto& e : env)
    if (e.is_object() && jsonu::get_string(e.get_object(), "name") == name) return &e.get_object();
  return nullptr;
}

inline std::string env_value(const json::array& env, std::string_view name) {
  const auto* e = env_entry(env, name);
  return e ? std::string(jsonu::get_string(*e, "value")) : std::string{};
}

}  // namespace langop::resources::test
