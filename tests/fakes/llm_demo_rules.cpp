#include "fakes/llm_demo_rules.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cctype>
#include <functional>
#include <regex>
#include <sstream>

namespace langop::test {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// "Instructions: text" (also "- **Instructions:** text", "# Instructions" + next line).
std::string labelled_field(std::string_view prompt, std::string_view label) {
  std::istringstream in{std::string(prompt)};
  std::string line;
  bool take_next = false;
  while (std::getline(in, line)) {
    if (take_next) {
      if (auto t = trim(line); !t.empty()) return t;
      continue;
    }
    std::string l = lower(line);
    std::size_t i = l.find_first_not_of(" \t-*#>");
    if (i == std::string::npos || l.compare(i, label.size(), label) != 0) continue;
    std::size_t rest = i + label.size();
    while (rest < line.size() && (line[rest] == '*' || line[rest] == ':' || line[rest] == ' ')) ++rest;
    std::string value = trim(std::string_view(line).substr(std::min(rest, line.size())));
    // A closing markdown "**" only: a cron schedule ends in a lone '*' of its own.
    if (value.ends_with("**")) value.resize(value.size() - 2);
    if (!value.empty()) return trim(value);
    take_next = true;
  }
  return {};
}

// Ruby single-quoted string: only \ and ' need escaping, and nothing interpolates.
std::string ruby_quote(std::string_view s) {
  std::string out = "'";
  for (char c : s) {
    if (c == '\\' || c == '\'') out += '\\';
    out += c == '\n' ? ' ' : c;
  }
  return out + "'";
}

std::string arithmetic_in(std::string_view text) {
  std::string best, cur;
  auto flush = [&] {
    auto t = trim(cur);
    if (t.size() > best.size() && std::any_of(t.begin(), t.end(), [](char c) { return std::isdigit(static_cast<unsigned char>(c)); }))
      best = t;
    cur.clear();
  };
  for (char c : text) {
    if (std::isdigit(static_cast<unsigned char>(c)) || std::string_view("+-*/(). ").find(c) != std::string_view::npos) cur += c;
    else flush();
  }
  flush();
  return best;
}

// Arguments that satisfy the tool's schema well enough for a demo: strings get the
// user's words (arithmetic for an "expression"), numbers 1, booleans true.
std::string demo_arguments(const llm::tool_def& tool, const std::string& user_text) {
  json::object args;
  const auto* props = jsonu::find(tool.parameters, {"properties"});
  if (!props || !props->is_object()) return "{}";
  std::vector<std::string> wanted;
  if (const auto* req = jsonu::find(tool.parameters, {"required"}); req && req->is_array())
    for (const auto& r : req->get_array())
      if (r.is_string()) wanted.emplace_back(r.get_string());
  if (wanted.empty())
    for (const auto& kv : props->get_object()) wanted.emplace_back(kv.key());
  for (const auto& name : wanted) {
    const std::string_view type = jsonu::get_string(*props, {name, "type"}, "string");
    if (type == "integer" || type == "number") args[name] = 1;
    else if (type == "boolean") args[name] = true;
    else if (name == "expression") args[name] = arithmetic_in(user_text).empty() ? "1+1" : arithmetic_in(user_text);
    else args[name] = user_text;
  }
  return boost::json::serialize(args);
}

std::string short_id(std::string_view seed) {
  std::ostringstream out;
  out << "call-" << std::hex << (std::hash<std::string_view>{}(seed) & 0xffffffffffULL);
  return out.str();
}

std::optional<llm_answer> synthesis_rule(const llm_request_view& v) {
  const std::string all = lower(v.all_text);
  if (all.find("dsl") == std::string::npos && all.find("ruby") == std::string::npos &&
      all.find("synthes") == std::string::npos)
    return std::nullopt;
  auto name = agent_name_from_prompt(v.last_user_text);
  if (!name) name = agent_name_from_prompt(v.all_text);
  std::string instructions = labelled_field(v.last_user_text, "instructions");
  if (instructions.empty()) instructions = labelled_field(v.all_text, "instructions");
  std::string schedule = labelled_field(v.last_user_text, "schedule");
  llm_answer a;
  a.text = "Here is the agent code.\n\n" + demo_agent_code(name.value_or("agent"), instructions, schedule);
  return a;
}

std::optional<llm_answer> persona_rule(const llm_request_view& v) {
  const std::string all = lower(v.all_text);
  if (all.find("persona") == std::string::npos ||
      (all.find("distill") == std::string::npos && all.find("system message") == std::string::npos))
    return std::nullopt;
  std::string prompt = labelled_field(v.last_user_text, "system prompt");
  if (prompt.empty()) prompt = labelled_field(v.last_user_text, "systemprompt");
  llm_answer a;
  a.text = "You are a helpful assistant. " + (prompt.empty() ? std::string("Follow the persona's rules.") : prompt);
  return a;
}

std::optional<llm_answer> task_rule(const llm_request_view& v) {
  if (v.last_tool_result) {
    llm_answer a;
    a.text = "Done. The tool returned: " + v.last_tool_result->substr(0, 500);
    return a;
  }
  const std::string said = lower(v.last_user_text);
  for (const auto& tool : v.tools) {
    if (tool.name.empty() || said.find(lower(tool.name)) == std::string::npos) continue;
    llm_answer a;
    a.tool_calls.push_back({short_id(tool.name + v.last_user_text), tool.name, demo_arguments(tool, v.last_user_text)});
    return a;
  }
  return std::nullopt;
}

}  // namespace

std::optional<std::string> agent_name_from_prompt(std::string_view prompt) {
  const std::string text(prompt);
  static const std::regex labelled(R"(agent[ _-]?name\s*[:=]\s*[`'"]?([a-z0-9]([-a-z0-9.]*[a-z0-9])?))",
                                   std::regex::icase);
  static const std::regex named(R"(agent (named|called) [`'"]?([a-z0-9]([-a-z0-9.]*[a-z0-9])?))", std::regex::icase);
  static const std::regex header(R"(agent '([a-z0-9]([-a-z0-9.]*[a-z0-9])?)')", std::regex::icase);
  std::smatch m;
  if (std::regex_search(text, m, labelled)) return m[1].str();
  if (std::regex_search(text, m, named)) return m[2].str();
  std::optional<std::string> last;
  for (auto it = std::sregex_iterator(text.begin(), text.end(), header); it != std::sregex_iterator(); ++it)
    last = (*it)[1].str();
  return last;
}

std::string demo_agent_code(std::string_view name, std::string_view instructions, std::string_view schedule) {
  std::string objective = instructions.empty() ? std::string("Carry out the instructions given to this agent")
                                               : std::string(instructions.substr(0, 400));
  std::string code = "```ruby\nrequire 'language_operator'\n\n";
  code += "agent " + ruby_quote(name) + " do\n";
  if (!schedule.empty()) code += "  schedule cron: " + ruby_quote(schedule) + "\n\n";
  code += "  objectives [\n    " + ruby_quote(objective) + "\n  ]\n\n";
  code += "  workflow do\n";
  code += "    step 'work' do\n";
  code += "      # Written by langop-fake-llm, the demo's built-in model.\n";
  code += "    end\n";
  code += "  end\n";
  code += "end\n```\n";
  return code;
}

llm_answer demo_default_answer(const llm_request_view& v) {
  llm_answer a;
  a.text = "(langop demo model) I received: " + v.last_user_text.substr(0, 200);
  return a;
}

std::vector<llm_rule> demo_rules() {
  return {synthesis_rule, persona_rule, task_rule,
          [](const llm_request_view& v) -> std::optional<llm_answer> { return demo_default_answer(v); }};
}

}  // namespace langop::test
