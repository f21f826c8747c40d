#include "langop/mcp/protocol.hpp"

#include "langop/mcp/errc.hpp"
#include "langop/mcp/sse.hpp"

#include <boost/json/serialize.hpp>

#include <cctype>

namespace langop::mcp {
namespace {

json::object envelope(std::int64_t id, std::string_view method) {
  json::object o;
  o["jsonrpc"] = "2.0";
  o["id"] = id;
  o["method"] = method;
  return o;
}

bool id_matches(const json::value& v, std::int64_t id) {
  if (v.is_int64()) return v.get_int64() == id;
  if (v.is_uint64()) return id >= 0 && v.get_uint64() == static_cast<std::uint64_t>(id);
  // Some servers echo ids as strings; matching the decimal form costs nothing.
  if (v.is_string()) return v.get_string() == std::to_string(id);
  return false;
}

// A response to us: an object with our id and a result or an error member.
const json::object* matching_response(const json::value& msg, std::int64_t id) {
  const auto* o = msg.if_object();
  if (!o || (!o->contains("result") && !o->contains("error"))) return nullptr;
  const auto* v = o->if_contains("id");
  return v && id_matches(*v, id) ? o : nullptr;
}

const json::object* find_in(const json::value& msg, std::int64_t id) {
  if (const auto* a = msg.if_array()) {
    for (const auto& m : *a)
      if (const auto* o = matching_response(m, id)) return o;
    return nullptr;
  }
  return matching_response(msg, id);
}

std::string snippet(std::string_view body) {
  constexpr std::size_t max = 120;
  return body.size() <= max ? std::string(body) : std::string(body.substr(0, max)) + "...";
}

result<json::value> result_of(const json::object& response) {
  if (const auto* e = response.if_contains("error")) {
    const auto code = jsonu::get_int(*e, {"code"});
    const std::string_view msg = jsonu::get_string(*e, {"message"}, "(no message)");
    return make_error(errc::rpc_error, "JSON-RPC error " + (code ? std::to_string(*code) : std::string("?")) + ": " +
                                           std::string(msg));
  }
  return response.at("result");
}

bool is_event_stream(std::string_view content_type) {
  const std::string_view want = "text/event-stream";
  if (content_type.size() < want.size()) return false;
  for (std::size_t i = 0; i < want.size(); ++i)
    if (std::tolower(static_cast<unsigned char>(content_type[i])) != want[i]) return false;
  return true;
}

}  // namespace

std::string initialize_body(std::int64_t id, std::string_view client_version) {
  json::object o = envelope(id, "initialize");
  json::object params;
  params["protocolVersion"] = protocol_version;
  params["capabilities"] = json::object{};  // discovery needs no client capabilities
  json::object info;
  info["name"] = "langop";
  info["version"] = client_version;
  params["clientInfo"] = std::move(info);
  o["params"] = std::move(params);
  return json::serialize(o);
}

std::string initialized_notification_body() {
  json::object o;
  o["jsonrpc"] = "2.0";
  o["method"] = "notifications/initialized";
  return json::serialize(o);
}

std::string tools_list_body(std::int64_t id, const std::optional<std::string>& cursor) {
  json::object o = envelope(id, "tools/list");
  json::object params;
  if (cursor) params["cursor"] = *cursor;
  o["params"] = std::move(params);
  return json::serialize(o);
}

result<json::value> parse_rpc_response(std::string_view content_type, std::string_view body, std::int64_t id) {
  const std::string want = "no JSON-RPC response with id " + std::to_string(id);
  if (is_event_stream(content_type)) {
    for (const auto& ev : parse_sse(body)) {
      if (ev.event != "message") continue;
      std::string err;
      auto msg = jsonu::parse(ev.data, &err);
      if (!msg) return make_error(errc::malformed_response, "SSE event data is not JSON (" + err + "): " + snippet(ev.data));
      if (const auto* o = find_in(*msg, id)) return result_of(*o);
    }
    return make_error(errc::malformed_response, want + " in the event stream: " + snippet(body));
  }
  std::string err;
  auto msg = jsonu::parse(body, &err);
  if (!msg) return make_error(errc::malformed_response, "body is not JSON (" + err + "): " + snippet(body));
  if (const auto* o = find_in(*msg, id)) return result_of(*o);
  return make_error(errc::malformed_response, want + ": " + snippet(body));
}

result<tools_page> parse_tools_page(const json::value& result) {
  const auto* tools = jsonu::find(result, {"tools"});
  if (!tools || !tools->is_array()) return make_error(errc::malformed_response, "tools/list result has no tools array");
  tools_page page;
  for (const auto& t : tools->get_array()) {
    const auto* o = t.if_object();
    const auto* name = o ? o->if_contains("name") : nullptr;
    if (!name || !name->is_string() || name->get_string().empty())
      return make_error(errc::malformed_response, "tools/list returned a tool without a name");
    tool_info info;
    info.name = std::string(name->get_string());
    info.description = std::string(jsonu::get_string(*o, "description"));
    if (const auto* s = o->if_contains("inputSchema"); s && s->is_object()) {
      info.input_schema = *s;
    } else {
      // The schema is required by MCP; a server that omits it takes no arguments in practice.
      json::object empty;
      empty["type"] = "object";
      info.input_schema = std::move(empty);
    }
    page.tools.push_back(std::move(info));
  }
  if (const auto* c = jsonu::find(result, {"nextCursor"}); c && c->is_string() && !c->get_string().empty())
    page.next_cursor = std::string(c->get_string());
  return page;
}

std::string negotiated_version(const json::value& initialize_result) {
  return std::string(jsonu::get_string(initialize_result, {"protocolVersion"}));
}

}  // namespace langop::mcp
