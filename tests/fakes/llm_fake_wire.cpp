#include "fakes/llm_fake_wire.hpp"

#include <boost/json/serialize.hpp>

#include <ctime>

namespace langop::test {
namespace {

std::string text_of(const json::value* v) {
  if (!v || v->is_null()) return {};
  if (v->is_string()) return std::string(v->get_string());
  std::string out;
  if (const auto* arr = v->if_array()) {
    for (const auto& part : *arr) {
      if (part.is_string()) out += part.get_string();
      else if (jsonu::get_string(part, {"type"}) == "text") out += jsonu::get_string(part, {"text"});
    }
  }
  return out;
}

void append(std::string& all, std::string_view text) {
  if (text.empty()) return;
  all += text;
  all += '\n';
}

llm::tool_def tool_from(const json::value& t, llm_dialect d) {
  llm::tool_def def;
  const json::value& fn = d == llm_dialect::openai && jsonu::find(t, {"function"}) ? *jsonu::find(t, {"function"}) : t;
  def.name = jsonu::get_string(fn, {"name"});
  def.description = jsonu::get_string(fn, {"description"});
  const auto* schema = jsonu::find(fn, {d == llm_dialect::openai ? "parameters" : "input_schema"});
  if (schema && schema->is_object()) def.parameters = schema->get_object();
  return def;
}

std::int64_t estimate_tokens(std::size_t bytes) { return static_cast<std::int64_t>(bytes / 4 + 1); }

}  // namespace

std::optional<llm_request_view> parse_chat_request(llm_dialect d, std::string_view body) {
  auto doc = jsonu::parse(body);
  if (!doc || !doc->is_object()) return std::nullopt;
  llm_request_view v;
  v.dialect = d;
  v.model = jsonu::get_string(*doc, {"model"});
  if (d == llm_dialect::anthropic) {
    v.system = text_of(jsonu::find(*doc, {"system"}));
    append(v.all_text, v.system);
  }
  const auto* msgs = jsonu::find(*doc, {"messages"});
  if (!msgs || !msgs->is_array()) return std::nullopt;
  for (const auto& m : msgs->get_array()) {
    const std::string_view role = jsonu::get_string(m, {"role"});
    const auto* content = jsonu::find(m, {"content"});
    v.last_tool_result.reset();
    if (d == llm_dialect::openai) {
      std::string text = text_of(content);
      append(v.all_text, text);
      if (role == "system") append(v.system, text);
      if (role == "user" && !text.empty()) v.last_user_text = text;
      if (role == "tool") v.last_tool_result = text;
      continue;
    }
    // Anthropic: content is a string or blocks; tool results arrive in user turns.
    if (content && content->is_array()) {
      std::string text;
      for (const auto& b : content->get_array()) {
        const std::string_view type = jsonu::get_string(b, {"type"});
        if (type == "text") text += jsonu::get_string(b, {"text"});
        if (type == "tool_result") {
          v.last_tool_result = text_of(jsonu::find(b, {"content"}));
          append(v.all_text, *v.last_tool_result);
        }
      }
      append(v.all_text, text);
      if (role == "user" && !text.empty()) {
        v.last_user_text = text;
        v.last_tool_result.reset();  // a user note after the results is a new question
      }
    } else {
      std::string text = text_of(content);
      append(v.all_text, text);
      if (role == "user" && !text.empty()) v.last_user_text = text;
    }
  }
  while (!v.system.empty() && v.system.back() == '\n') v.system.pop_back();  // joined with '\n'
  if (const auto* tools = jsonu::find(*doc, {"tools"}); tools && tools->is_array())
    for (const auto& t : tools->get_array()) v.tools.push_back(tool_from(t, d));
  v.body = std::move(*doc);
  return v;
}

namespace detail {

std::string render_answer(llm_dialect d, const llm_answer& a, const llm_request_view& req, std::uint64_t seq) {
  llm::token_usage usage;
  if (a.usage) {
    usage = *a.usage;
  } else {
    std::size_t out_bytes = a.text.size();
    for (const auto& c : a.tool_calls) out_bytes += c.name.size() + c.arguments.size();
    usage.prompt_tokens = estimate_tokens(req.all_text.size());
    usage.completion_tokens = estimate_tokens(out_bytes);
  }
  std::string finish = a.finish_reason.empty() ? (a.tool_calls.empty() ? "stop" : "tool_calls") : a.finish_reason;
  const std::string model = req.model.empty() ? std::string("fake-model") : req.model;

  json::object o;
  if (d == llm_dialect::openai) {
    json::object msg;
    msg["role"] = "assistant";
    msg["content"] = a.text.empty() && !a.tool_calls.empty() ? json::value(nullptr) : json::value(a.text);
    if (!a.tool_calls.empty()) {
      json::array calls;
      for (const auto& c : a.tool_calls) {
        json::object fn;
        fn["name"] = c.name;
        fn["arguments"] = c.arguments;
        json::object call;
        call["id"] = c.id;
        call["type"] = "function";
        call["function"] = std::move(fn);
        calls.push_back(std::move(call));
      }
      msg["tool_calls"] = std::move(calls);
    }
    json::object choice;
    choice["index"] = 0;
    choice["message"] = std::move(msg);
    choice["finish_reason"] = finish;
    json::array choices;
    choices.push_back(std::move(choice));
    o["id"] = "chatcmpl-fake-" + std::to_string(seq);
    o["object"] = "chat.completion";
    o["created"] = static_cast<std::int64_t>(std::time(nullptr));
    o["model"] = model;
    o["choices"] = std::move(choices);
    json::object u;
    u["prompt_tokens"] = usage.prompt_tokens;
    u["completion_tokens"] = usage.completion_tokens;
    u["total_tokens"] = usage.total();
    o["usage"] = std::move(u);
    return boost::json::serialize(o);
  }

  json::array content;
  if (!a.text.empty()) {
    json::object t;
    t["type"] = "text";
    t["text"] = a.text;
    content.push_back(std::move(t));
  }
  for (const auto& c : a.tool_calls) {
    json::object t;
    t["type"] = "tool_use";
    t["id"] = c.id;
    t["name"] = c.name;
    auto input = jsonu::parse(c.arguments);
    t["input"] = input && input->is_object() ? std::move(*input) : json::value(json::object());
    content.push_back(std::move(t));
  }
  std::string stop = finish == "tool_calls" ? "tool_use" : finish == "length" ? "max_tokens" : finish == "stop" ? "end_turn" : finish;
  o["id"] = "msg_fake_" + std::to_string(seq);
  o["type"] = "message";
  o["role"] = "assistant";
  o["model"] = model;
  o["content"] = std::move(content);
  o["stop_reason"] = stop;
  o["stop_sequence"] = nullptr;
  json::object u;
  u["input_tokens"] = usage.prompt_tokens;
  u["output_tokens"] = usage.completion_tokens;
  o["usage"] = std::move(u);
  return boost::json::serialize(o);
}

std::string render_error(llm_dialect d, std::string_view type, std::string_view message, std::string_view code) {
  json::object err;
  err["message"] = message;
  err["type"] = type;
  json::object o;
  if (d == llm_dialect::openai) {
    err["param"] = nullptr;
    err["code"] = code.empty() ? json::value(nullptr) : json::value(code);
    o["error"] = std::move(err);
  } else {
    o["type"] = "error";
    o["error"] = std::move(err);
  }
  return boost::json::serialize(o);
}

std::string render_models(llm_dialect d, const std::vector<std::string>& ids) {
  json::array data;
  for (const auto& id : ids) {
    json::object m;
    m["id"] = id;
    if (d == llm_dialect::openai) {
      m["object"] = "model";
      m["created"] = 1700000000;
      m["owned_by"] = "langop-fake";
    } else {
      m["type"] = "model";
      m["display_name"] = id;
      m["created_at"] = "2025-01-01T00:00:00Z";
    }
    data.push_back(std::move(m));
  }
  json::object o;
  if (d == llm_dialect::openai) {
    o["object"] = "list";
    o["data"] = std::move(data);
  } else {
    o["first_id"] = ids.empty() ? json::value(nullptr) : json::value(ids.front());
    o["last_id"] = ids.empty() ? json::value(nullptr) : json::value(ids.back());
    o["has_more"] = false;
    o["data"] = std::move(data);
  }
  return boost::json::serialize(o);
}

}  // namespace detail
}  // namespace langop::test
