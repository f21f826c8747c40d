#include "langop/synthesis/prompt.hpp"

#include "langop/core/json.hpp"

#include <boost/json/serialize.hpp>

namespace langop::synthesis {

namespace {

// The target language, shown by example (the seeds' DSL).
constexpr std::string_view system_text = R"(You write agent code for langop, a Kubernetes operator.
Target: the Ruby DSL of the langop agent runtime. Answer with ONE fenced ```ruby block holding the
whole file and nothing else of substance. Rules:
- The file starts with `require 'language_operator'` and defines exactly one agent with the header
  `agent '<agent name>' do` ... `end`, using the agent name given below verbatim.
- Use `schedule cron: '<cron>'` only for scheduled agents, `objectives [...]` for the goals, and a
  `workflow do ... end` of `step '<name>' do ... end` blocks (optionally `depends_on: '<step>'`).
- Call tools only with `use_tool '<tool>', action: '<function>'` and only tools listed below.
- Every `do` block is closed by `end`. Keep the file short: no comments beyond one line per step.

Example 1 (scheduled, two tools):
```ruby
require 'language_operator'

agent 'monitor-agent' do
  schedule cron: '*/5 * * * *'

  objectives [
    'Monitor /workspace for file changes',
    'Send email alerts for critical files'
  ]

  workflow do
    step 'check workspace' do
      use_tool 'filesystem', action: 'list_files'
    end

    step 'alert if changed', depends_on: 'check workspace' do
      use_tool 'email', action: 'send'
    end
  end
end
```

Example 2 (autonomous, no tools):
```ruby
require 'language_operator'

agent 'greeter' do
  objectives [
    'Answer greetings politely'
  ]

  workflow do
    step 'reply' do
      respond 'Hello!'
    end
  end
end
```)";

std::string schema_text(const json::value& schema) {
  if (schema.is_null()) return "";
  std::string s = boost::json::serialize(schema);
  // A huge schema would crowd out the instructions: the names of its fields are enough.
  if (s.size() > 2000) s = s.substr(0, 2000) + "...";
  return s;
}

std::string user_text(const agent_brief& b) {
  std::string t = "Write the agent code for this agent.\n\n";
  t += "Agent name: " + b.name + "\n";
  t += "Execution mode: " + (b.mode.empty() ? std::string("autonomous") : b.mode) + "\n";
  if (!b.schedule.empty()) t += "Schedule: " + b.schedule + "\n";
  if (!b.goal.empty()) t += "Goal: " + b.goal + "\n";
  t += "Instructions: " + b.instructions + "\n";
  t += "\nTools (use_tool may name only these):\n";
  if (b.tools.empty()) t += "- none: the code must not call use_tool\n";
  for (const auto& tool : b.tools) {
    t += "- " + tool.name;
    if (!tool.description.empty()) t += ": " + tool.description;
    t += "\n";
    for (const auto& f : tool.functions) {
      t += "  - function " + f.name;
      if (!f.description.empty()) t += ": " + f.description;
      if (auto s = schema_text(f.input_schema); !s.empty()) t += " (arguments schema " + s + ")";
      t += "\n";
    }
  }
  t += "\nModels:\n";
  if (b.models.empty()) t += "- none declared\n";
  for (const auto& m : b.models)
    t += "- " + m.name + " (" + m.model + ", role " + (m.role.empty() ? "primary" : m.role) + ")\n";
  if (!b.persona_name.empty()) {
    t += "\nPersona " + b.persona_name + " (the agent's behaviour; the code need not repeat it):\n";
    t += b.persona_prompt + "\n";
  }
  return t;
}

}  // namespace

llm::chat_request code_request(const agent_brief& b) {
  llm::chat_request req;
  req.messages.push_back(llm::message::system(std::string(system_text)));
  req.messages.push_back(llm::message::user(user_text(b)));
  req.temperature = 0.0;  // the same brief should give the same code
  req.max_tokens = 4096;
  return req;
}

void add_retry_turn(llm::chat_request& req, std::string previous_answer, std::string_view validation_error) {
  req.messages.push_back(llm::message::assistant(std::move(previous_answer)));
  req.messages.push_back(llm::message::user("That code was rejected: " + std::string(validation_error) +
                                            "\nAnswer again with the whole corrected file in one ```ruby block."));
}

llm::chat_request persona_request(const agent_brief& b) {
  llm::chat_request req;
  req.messages.push_back(llm::message::system(
      "You distill a persona into the system message of an AI agent. Answer with the system message "
      "only: plain text, second person, at most 120 words, keeping every rule and constraint."));
  std::string t = "Distill persona " + b.persona_name + " for agent " + b.name + " into one system message.\n";
  t += "System prompt: " + b.persona_prompt + "\n";
  req.messages.push_back(llm::message::user(std::move(t)));
  req.temperature = 0.0;
  req.max_tokens = 512;
  return req;
}

}  // namespace langop::synthesis
