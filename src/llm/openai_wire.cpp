#include "langop/llm/openai_wire.hpp"

#include "langop/llm/errc.hpp"
#include "langop/llm/provider_error.hpp"

namespace langop::llm {
namespace {

json::object function_schema(const tool_def& t) {
  if (!t.parameters.empty()) return t.parameters;
  // The API wants an object schema even for a function without arguments.
  json::object empty;
  empty["type"] = "object";
  empty["properties"] = json::object();
  return empty;
}

json::value tool_choice_value(std::string_view choice) {
  if (choice == "auto" || choice == "none" || choice == "required") return json::string(choice);
  json::object fn;
  fn["name"] = choice;
  json::object o;
  o["type"] = "function";
  o["function"] = std::move(fn);
  return o;
}

json::object encode_message(const message& m) {
  json::object o;
  o["role"] = to_string(m.role);
  if (m.role == role::assistant && !m.tool_calls.empty()) {
    // The API takes null content on a turn that only calls tools.
    o["content"] = m.content.empty() ? json::value(nullptr) : json::value(m.content);
    json::array calls;
    for (const auto& c : m.tool_calls) {
      json::object fn;
      fn["name"] = c.name;
      fn["arguments"] = c.arguments.empty() ? std::string("{}") : c.arguments;
      json::object call;
      call["id"] = c.id;
      call["type"] = "function";
      call["function"] = std::move(fn);
      calls.push_back(std::move(call));
    }
    o["tool_calls"] = std::move(calls);
    return o;
  }
  if (m.role == role::tool) o["tool_call_id"] = m.tool_call_id;
  o["content"] = m.content;
  return o;
}

error malformed(std::string why) { return make_error(errc::malformed_response, "chat completion response: " + why); }

// Content is a string, null (tool calls only), or a list of parts ({type: text, text}).
result<std::string> content_text(const json::value* v) {
  if (!v || v->is_null()) return std::string();
  if (v->is_string()) return std::string(v->get_string());
  if (const auto* parts = v->if_array()) {
    std::string out;
    for (const auto& p : *parts) {
      if (p.is_string()) out += p.get_string();
      else if (p.is_object() && jsonu::get_string(p, {"type"}) == "text") out += jsonu::get_string(p, {"text"});
    }
    return out;
  }
  return malformed("message.content is neither text nor a list of parts");
}

}  // namespace

json::object openai_chat_body(const chat_request& req, std::string_view model, const openai_body_options& opts) {
  json::object body;
  body["model"] = req.model.empty() ? model : std::string_view(req.model);
  json::array msgs;
  for (const auto& m : req.messages) msgs.push_back(encode_message(m));
  body["messages"] = std::move(msgs);
  if (!req.tools.empty()) {
    json::array tools;
    for (const auto& t : req.tools) {
      json::object fn;
      fn["name"] = t.name;
      if (!t.description.empty()) fn["description"] = t.description;
      fn["parameters"] = function_schema(t);
      json::object tool;
      tool["type"] = "function";
      tool["function"] = std::move(fn);
      tools.push_back(std::move(tool));
    }
    body["tools"] = std::move(tools);
    if (!req.tool_choice.empty()) body["tool_choice"] = tool_choice_value(req.tool_choice);
  }
  if (req.temperature) body["temperature"] = *req.temperature;
  if (req.top_p) body["top_p"] = *req.top_p;
  if (req.max_tokens) body[opts.use_max_completion_tokens ? "max_completion_tokens" : "max_tokens"] = *req.max_tokens;
  return body;
}

result<chat_response> parse_openai_chat(std::string_view body) {
  std::string why;
  auto doc = jsonu::parse(body, &why);
  if (!doc) return malformed("not JSON (" + why + ")");
  if (!doc->is_object()) return malformed("not a JSON object");
  if (const auto* err = jsonu::find(*doc, {"error"}); err && !jsonu::find(*doc, {"choices"}))
    return embedded_error(*err, "chat completion");
  const auto* choices = jsonu::find(*doc, {"choices"});
  if (!choices || !choices->is_array() || choices->get_array().empty()) return malformed("no choices");
  const auto& first = choices->get_array().front();
  const auto* msg = jsonu::find(first, {"message"});
  if (!msg || !msg->is_object()) return malformed("choices[0] has no message");

  chat_response out;
  out.id = jsonu::get_string(*doc, {"id"});
  out.model = jsonu::get_string(*doc, {"model"});
  auto text = content_text(jsonu::find(*msg, {"content"}));
  if (!text) return text.error();
  out.content = std::move(*text);
  if (const auto* calls = jsonu::find(*msg, {"tool_calls"}); calls && !calls->is_null()) {
    if (!calls->is_array()) return malformed("message.tool_calls is not a list");
    std::size_t index = 0;
    for (const auto& c : calls->get_array()) {
      const auto* fn = jsonu::find(c, {"function"});
      if (!fn || !fn->is_object()) return malformed("tool_calls[" + std::to_string(index) + "] has no function");
      tool_call call;
      call.id = jsonu::get_string(c, {"id"});
      if (call.id.empty()) call.id = "call_" + std::to_string(index);  // some local servers omit ids
      call.name = jsonu::get_string(*fn, {"name"});
      if (call.name.empty()) return malformed("tool_calls[" + std::to_string(index) + "] has no function name");
      if (const auto* args = jsonu::find(*fn, {"arguments"}); args && args->is_string())
        call.arguments = args->get_string();
      else if (args && args->is_object())
        call.arguments = jsonu::dump(*args);
      else
        call.arguments = "{}";
      out.tool_calls.push_back(std::move(call));
      ++index;
    }
  }
  out.finish_reason = jsonu::get_string(first, {"finish_reason"});
  if (out.finish_reason.empty()) out.finish_reason = out.tool_calls.empty() ? "stop" : "tool_calls";
  out.usage.prompt_tokens = jsonu::get_int(*doc, {"usage", "prompt_tokens"}).value_or(0);
  out.usage.completion_tokens = jsonu::get_int(*doc, {"usage", "completion_tokens"}).value_or(0);
  return out;
}

}  // namespace langop::llm
