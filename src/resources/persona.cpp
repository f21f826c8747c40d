#include "langop/resources/persona.hpp"

#include "langop/resources/common.hpp"

#include <algorithm>

namespace langop::resources {
namespace {

std::string_view persona_name(const json::object& p) {
  const auto* n = jsonu::find(p, {"metadata", "name"});
  return n && n->is_string() ? std::string_view(n->get_string()) : std::string_view{};
}

std::string_view parent_name(const json::object& p) {
  const auto* n = jsonu::find(p, {"spec", "parentRef", "name"});
  return n && n->is_string() ? std::string_view(n->get_string()) : std::string_view{};
}

std::string quoted(std::string_view s) {
  std::string out = "\"";
  out += s;
  out += '"';
  return out;
}

std::string path_text(const std::vector<std::string>& names, std::string_view last) {
  std::string out;
  for (const auto& n : names) out += n + " -> ";
  out += last;
  return out;
}

// Appends the strings of `v` (when it is an array) that `out` does not hold yet.
void append_unique(std::vector<std::string>& out, const json::value* v) {
  if (!v || !v->is_array()) return;
  for (const auto& e : v->get_array()) {
    if (!e.is_string()) continue;
    std::string s(e.get_string());
    if (std::find(out.begin(), out.end(), s) == out.end()) out.push_back(std::move(s));
  }
}

void override_string(std::string& out, const json::object& spec, std::string_view key) {
  std::string_view v = jsonu::get_string(spec, key);
  if (!v.empty()) out = v;
}

json::array string_array(const std::vector<std::string>& v) {
  json::array a;
  for (const auto& s : v) a.emplace_back(s);
  return a;
}

void put_string(json::object& o, std::string_view key, const std::string& v) {
  if (!v.empty()) o[key] = v;
}

// A list item whose text spans lines stays one item: later lines are indented under it.
std::string item(std::string_view text) {
  std::string out = "- ";
  for (char c : text) {
    out += c;
    if (c == '\n') out += "  ";
  }
  return out;
}

std::string_view trim_right(std::string_view s) {
  while (!s.empty() && (s.back() == ' ' || s.back() == '\n' || s.back() == '\t' || s.back() == '\r'))
    s.remove_suffix(1);
  return s;
}

}  // namespace

persona_chain resolve_persona_chain(std::string_view name, const persona_lookup& lookup) {
  persona_chain out;
  std::vector<std::string> seen;
  std::string next(name);
  while (true) {
    if (std::find(seen.begin(), seen.end(), next) != seen.end()) {
      out.failure = persona_failure::cycle;
      out.message = "persona cycle: " + path_text(seen, next);
      out.personas.clear();
      return out;
    }
    if (seen.size() == max_persona_depth) {
      out.failure = persona_failure::too_deep;
      out.message = "persona inheritance deeper than " + std::to_string(max_persona_depth) +
                    " levels: " + path_text(seen, next);
      out.personas.clear();
      return out;
    }
    const json::object* p = lookup ? lookup(next) : nullptr;
    if (!p) {
      out.failure = persona_failure::missing;
      out.missing_name = next;
      out.message = seen.empty() ? "persona " + quoted(next) + " not found"
                                 : "parent persona " + quoted(next) + " of " + quoted(seen.back()) + " not found";
      out.personas.clear();
      return out;
    }
    seen.push_back(next);
    out.personas.push_back(*p);
    std::string_view parent = parent_name(*p);
    if (parent.empty()) return out;
    next = std::string(parent);
  }
}

flattened_persona flatten_persona(const std::vector<json::object>& chain) {
  flattened_persona f;
  if (!chain.empty()) f.name = persona_name(chain.front());
  // Root ancestor first: scalars are overwritten by descendants, lists grow parent-first.
  for (auto it = chain.rbegin(); it != chain.rend(); ++it) {
    const auto* sv = it->if_contains("spec");
    if (!sv || !sv->is_object()) continue;
    const json::object& spec = sv->get_object();
    override_string(f.display_name, spec, "displayName");
    override_string(f.description, spec, "description");
    override_string(f.system_prompt, spec, "systemPrompt");
    override_string(f.tone, spec, "tone");
    override_string(f.language, spec, "language");
    append_unique(f.rules, spec.if_contains("rules"));
    if (const auto* ex = spec.if_contains("examples"); ex && ex->is_array()) {
      for (const auto& e : ex->get_array()) {
        if (!e.is_object()) continue;
        persona_example pe{std::string(jsonu::get_string(e.get_object(), "input")),
                           std::string(jsonu::get_string(e.get_object(), "output"))};
        if (pe.input.empty() && pe.output.empty()) continue;
        if (std::find(f.examples.begin(), f.examples.end(), pe) == f.examples.end()) f.examples.push_back(std::move(pe));
      }
    }
    if (const auto* c = spec.if_contains("constraints"); c && c->is_object()) {
      if (auto m = jsonu::get_int(*c, {"maxResponseLength"}); m && *m > 0) f.constraints.max_response_length = m;
      append_unique(f.constraints.forbidden_topics, c->get_object().if_contains("forbiddenTopics"));
      append_unique(f.constraints.required_disclaimers, c->get_object().if_contains("requiredDisclaimers"));
    }
  }
  f.hash = content_hash(persona_json(f));
  return f;
}

json::object persona_json(const flattened_persona& p) {
  json::object o;
  put_string(o, "name", p.name);
  put_string(o, "displayName", p.display_name);
  put_string(o, "description", p.description);
  put_string(o, "systemPrompt", p.system_prompt);
  put_string(o, "tone", p.tone);
  put_string(o, "language", p.language);
  if (!p.rules.empty()) o["rules"] = string_array(p.rules);
  if (!p.examples.empty()) {
    json::array ex;
    for (const auto& e : p.examples) ex.push_back(json::object{{"input", e.input}, {"output", e.output}});
    o["examples"] = std::move(ex);
  }
  json::object c;
  if (p.constraints.max_response_length) c["maxResponseLength"] = *p.constraints.max_response_length;
  if (!p.constraints.forbidden_topics.empty()) c["forbiddenTopics"] = string_array(p.constraints.forbidden_topics);
  if (!p.constraints.required_disclaimers.empty())
    c["requiredDisclaimers"] = string_array(p.constraints.required_disclaimers);
  if (!c.empty()) o["constraints"] = std::move(c);
  return o;
}

std::string persona_system_prompt(const flattened_persona& p) {
  std::vector<std::string> sections;
  if (auto sp = trim_right(p.system_prompt); !sp.empty()) sections.emplace_back(sp);
  if (!p.rules.empty()) {
    std::string s = "Rules:";
    for (const auto& r : p.rules) s += "\n" + item(trim_right(r));
    sections.push_back(std::move(s));
  }
  std::vector<std::string> constraints;
  if (p.constraints.max_response_length)
    constraints.push_back("Keep every answer under " + std::to_string(*p.constraints.max_response_length) +
                          " characters.");
  for (const auto& t : p.constraints.forbidden_topics) constraints.push_back("Do not discuss: " + std::string(trim_right(t)));
  for (const auto& d : p.constraints.required_disclaimers)
    constraints.push_back("Include this disclaimer when relevant: " + std::string(trim_right(d)));
  if (!constraints.empty()) {
    std::string s = "Constraints:";
    for (const auto& c : constraints) s += "\n" + item(c);
    sections.push_back(std::move(s));
  }
  std::string out;
  for (const auto& s : sections) {
    if (!out.empty()) out += "\n\n";
    out += s;
  }
  return out;
}

}  // namespace langop::resources
