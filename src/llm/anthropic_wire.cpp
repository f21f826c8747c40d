#include "langop/llm/anthropic_wire.hpp"

#include "langop/llm/errc.hpp"
#include "langop/llm/provider_error.hpp"

namespace langop::llm {
namespace {

struct turn {
  std::string_view role;  // "user" | "assistant"
  json::array blocks;
};

json::object text_block(const std::string& text) {
  json::object b;
  b["type"] = "text";
  b["text"] = text;
  return b;
}

// tool_use.input must be an object; a model that produced anything else gets {} back
// (its raw text stays in our own transcript).
json::object arguments_object(const std::string& arguments) {
  if (auto v = jsonu::parse(arguments); v && v->is_object()) return std::move(v->get_object());
  return {};
}

void add_blocks(std::vector<turn>& turns, std::string_view role, json::array blocks) {
  if (blocks.empty()) return;
  // The API alternates user and assistant turns: consecutive turns of one role (several
  // tool results, a tool result followed by a user note) become one turn.
  if (!turns.empty() && turns.back().role == role) {
    for (auto& b : blocks) turns.back().blocks.push_back(std::move(b));
    return;
  }
  turns.push_back({role, std::move(blocks)});
}

json::value tool_choice_value(std::string_view choice) {
  json::object o;
  if (choice == "auto") o["type"] = "auto";
  else if (choice == "required") o["type"] = "any";
  else if (choice == "none") o["type"] = "none";
  else {
    o["type"] = "tool";
    o["name"] = choice;
  }
  return o;
}

std::string finish_reason_for(std::string_view stop_reason) {
  if (stop_reason == "end_turn" || stop_reason == "stop_sequence") return "stop";
  if (stop_reason == "tool_use") return "tool_calls";
  if (stop_reason == "max_tokens") return "length";
  if (stop_reason == "refusal") return "content_filter";
  return std::string(stop_reason);
}

error malformed(std::string why) { return make_error(errc::malformed_response, "messages response: " + why); }

}  // namespace

json::object anthropic_chat_body(const chat_request& req, std::string_view model) {
  json::object body;
  body["model"] = req.model.empty() ? model : std::string_view(req.model);
  body["max_tokens"] = req.max_tokens.value_or(anthropic_default_max_tokens);

  std::string system;
  std::vector<turn> turns;
  for (const auto& m : req.messages) {
    json::array blocks;
    switch (m.role) {
      case role::system:
        if (!system.empty()) system += "\n\n";
        system += m.content;
        break;
      case role::user:
        // Empty text blocks are rejected by the API.
        if (!m.content.empty()) blocks.push_back(text_block(m.content));
        add_blocks(turns, "user", std::move(blocks));
        break;
      case role::assistant:
        if (!m.content.empty()) blocks.push_back(text_block(m.content));
        for (const auto& c : m.tool_calls) {
          json::object b;
          b["type"] = "tool_use";
          b["id"] = c.id;
          b["name"] = c.name;
          b["input"] = arguments_object(c.arguments);
          blocks.push_back(std::move(b));
        }
        add_blocks(turns, "assistant", std::move(blocks));
        break;
      case role::tool: {
        json::object b;
        b["type"] = "tool_result";
        b["tool_use_id"] = m.tool_call_id;
        b["content"] = m.content;
        blocks.push_back(std::move(b));
        add_blocks(turns, "user", std::move(blocks));
        break;
      }
    }
  }
  if (!system.empty()) body["system"] = system;

  json::array msgs;
  for (auto& t : turns) {
    json::object o;
    o["role"] = t.role;
    // A turn that is one text block is sent in the short string form.
    if (t.blocks.size() == 1 && jsonu::get_string(t.blocks.front(), {"type"}) == "text")
      o["content"] = t.blocks.front().as_object().at("text");
    else
      o["content"] = std::move(t.blocks);
    msgs.push_back(std::move(o));
  }
  body["messages"] = std::move(msgs);

  if (!req.tools.empty()) {
    json::array tools;
    for (const auto& t : req.tools) {
      json::object o;
      o["name"] = t.name;
      if (!t.description.empty()) o["description"] = t.description;
      if (t.parameters.empty()) {
        json::object schema;
        schema["type"] = "object";
        schema["properties"] = json::object();
        o["input_schema"] = std::move(schema);
      } else {
        o["input_schema"] = t.parameters;
      }
      tools.push_back(std::move(o));
    }
    body["tools"] = std::move(tools);
    if (!req.tool_choice.empty()) body["tool_choice"] = tool_choice_value(req.tool_choice);
  }
  if (req.temperature) body["temperature"] = *req.temperature;
  if (req.top_p) body["top_p"] = *req.top_p;
  return body;
}

result<chat_response> parse_anthropic_chat(std::string_view body) {
  std::string why;
  auto doc = jsonu::parse(body, &why);
  if (!doc) return malformed("not JSON (" + why + ")");
  if (!doc->is_object()) return malformed("not a JSON object");
  if (jsonu::get_string(*doc, {"type"}) == "error") {
    if (const auto* err = jsonu::find(*doc, {"error"})) return embedded_error(*err, "messages");
    return malformed("an error without details");
  }
  const auto* content = jsonu::find(*doc, {"content"});
  if (!content || !content->is_array()) return malformed("no content list");

  chat_response out;
  out.id = jsonu::get_string(*doc, {"id"});
  out.model = jsonu::get_string(*doc, {"model"});
  std::size_t index = 0;
  for (const auto& block : content->get_array()) {
    const std::string_view type = jsonu::get_string(block, {"type"});
    if (type == "text") {
      out.content += jsonu::get_string(block, {"text"});
    } else if (type == "tool_use") {
      tool_call call;
      call.id = jsonu::get_string(block, {"id"});
      call.name = jsonu::get_string(block, {"name"});
      if (call.id.empty() || call.name.empty())
        return malformed("content[" + std::to_string(index) + "]: tool_use without id or name");
      const auto* input = jsonu::find(block, {"input"});
      call.arguments = input ? jsonu::dump(*input) : std::string("{}");
      out.tool_calls.push_back(std::move(call));
    }
    // Other block types (thinking, redacted_thinking, server tools) carry nothing the
    // neutral model represents.
    ++index;
  }
  out.finish_reason = finish_reason_for(jsonu::get_string(*doc, {"stop_reason"}));
  if (out.finish_reason.empty()) out.finish_reason = out.tool_calls.empty() ? "stop" : "tool_calls";
  // Cached prompt tokens are still prompt tokens (and billed): count them.
  out.usage.prompt_tokens = jsonu::get_int(*doc, {"usage", "input_tokens"}).value_or(0) +
                            jsonu::get_int(*doc, {"usage", "cache_creation_input_tokens"}).value_or(0) +
                            jsonu::get_int(*doc, {"usage", "cache_read_input_tokens"}).value_or(0);
  out.usage.completion_tokens = jsonu::get_int(*doc, {"usage", "output_tokens"}).value_or(0);
  return out;
}

}  // namespace langop::llm
