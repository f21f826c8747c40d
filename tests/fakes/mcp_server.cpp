#include "fakes/mcp_server.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace langop::test {

namespace {

json::object rpc_result(const json::value& id, json::value result) {
  json::object o;
  o["jsonrpc"] = "2.0";
  o["id"] = id;
  o["result"] = std::move(result);
  return o;
}

json::object rpc_error(const json::value& id, int code, std::string_view message) {
  json::object err;
  err["code"] = code;
  err["message"] = message;
  json::object o;
  o["jsonrpc"] = "2.0";
  o["id"] = id;
  o["error"] = std::move(err);
  return o;
}

// SSE like real servers send it: a notification first (which the client must skip), then
// the response split over several data: lines (pretty-printed JSON), with CRLF endings.
std::string as_sse(const json::object& response) {
  std::string out = ": keep-alive comment\r\n";
  out += "event: message\r\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/message\",";
  out += "\"params\":{\"level\":\"info\",\"data\":\"hello\"}}\r\n\r\n";
  std::string body = json::serialize(response);
  // Break after every comma: valid JSON whitespace once the data: lines are re-joined by '\n'.
  out += "id: 1\r\ndata: ";
  for (char c : body) {
    out += c;
    if (c == ',') out += "\r\ndata: ";
  }
  out += "\r\n\r\n";
  return out;
}

}  // namespace

struct fake_mcp_server::impl {
  explicit impl(fake_mcp_options o) : opts(std::move(o)) {}

  fake_mcp_options opts;
  std::vector<std::string> methods;
  std::size_t mismatches = 0;

  scripted_reply answer(const json::object& response) const {
    if (!opts.sse) return json_reply(200, json::serialize(response));
    scripted_reply r;
    r.headers = {{"Content-Type", "text/event-stream"}, {"Cache-Control", "no-cache"}};
    r.body = as_sse(response);
    return r;
  }

  json::value tools_page(std::size_t start) const {
    json::array tools;
    const std::size_t n = opts.page_size == 0 ? opts.tools.size() : opts.page_size;
    for (std::size_t i = start; i < opts.tools.size() && i < start + n; ++i) {
      json::object t;
      t["name"] = opts.tools[i].name;
      if (!opts.tools[i].description.empty()) t["description"] = opts.tools[i].description;
      t["inputSchema"] = opts.tools[i].input_schema;
      tools.push_back(std::move(t));
    }
    json::object page;
    page["tools"] = std::move(tools);
    if (opts.endless_pages || start + n < opts.tools.size()) page["nextCursor"] = "c" + std::to_string(start + n);
    return page;
  }

  std::optional<scripted_reply> fault_reply(const json::value& id) const {
    switch (opts.fault) {
      case mcp_fault::none: return std::nullopt;
      case mcp_fault::http_500: {
        scripted_reply r;
        r.status = 500;
        r.headers = {{"Content-Type", "text/plain"}};
        r.body = "internal failure (fake)";
        return r;
      }
      case mcp_fault::rpc_error: return answer(rpc_error(id, -32603, "tools are on fire (fake)"));
      case mcp_fault::malformed_body: return json_reply(200, "{\"jsonrpc\":\"2.0\",\"id\":");
      case mcp_fault::never_answer: {
        scripted_reply r;
        r.never_answer = true;
        return r;
      }
    }
    return std::nullopt;
  }

  scripted_reply handle(const seen_request& req) {
    const bool initializing = req.body.find("\"initialize\"") != std::string::npos;
    if (!initializing && !opts.session_id.empty() &&
        req.headers.get("Mcp-Session-Id").value_or("") != opts.session_id) {
      // Real servers answer 400 (missing) or 404 (unknown); either way the client is wrong.
      ++mismatches;
      methods.push_back(req.method == "POST" ? "POST without session" : req.method);
      return json_reply(404, R"({"jsonrpc":"2.0","error":{"code":-32001,"message":"Session not found"},"id":null})");
    }
    if (req.method == "DELETE") {
      methods.push_back("DELETE");
      return json_reply(200, "");
    }
    auto msg = jsonu::parse(req.body);
    if (req.method != "POST" || !msg || !msg->is_object()) return json_reply(400, R"({"error":"bad request"})");
    const std::string method(jsonu::get_string(*msg, {"method"}));
    methods.push_back(method);
    const json::value id = msg->as_object().contains("id") ? msg->as_object().at("id") : json::value();
    if (method == opts.fault_method) {
      if (auto f = fault_reply(id)) return *f;
    }
    if (method == "initialize") {
      json::object res;
      res["protocolVersion"] = "2025-03-26";
      res["capabilities"] = json::parse(R"({"tools":{"listChanged":false}})");
      res["serverInfo"] = json::parse(R"({"name":"fake-mcp","version":"0.0.1"})");
      auto r = answer(rpc_result(id, std::move(res)));
      if (!opts.session_id.empty()) r.headers.emplace_back("Mcp-Session-Id", opts.session_id);
      return r;
    }
    if (method == "notifications/initialized") {
      scripted_reply r;
      r.status = 202;
      return r;
    }
    if (method == "tools/list") {
      const std::string cursor(jsonu::get_string(*msg, {"params", "cursor"}));
      const std::size_t start = cursor.empty() ? 0 : std::stoul(cursor.substr(1));
      return answer(rpc_result(id, tools_page(start)));
    }
    return answer(rpc_error(id, -32601, "Method not found"));
  }
};

fake_mcp_server::fake_mcp_server(boost::asio::any_io_executor ex, fake_mcp_options opts)
    : impl_(std::make_shared<impl>(std::move(opts))) {
  std::weak_ptr<impl> weak = impl_;
  http_ = std::make_unique<test_http_server>(ex, [weak](const seen_request& r) {
    if (auto s = weak.lock()) return s->handle(r);
    scripted_reply gone;
    gone.drop = true;
    return gone;
  });
}

fake_mcp_server::~fake_mcp_server() { http_->stop(); }

std::string fake_mcp_server::url() const { return http_->url(); }
const std::vector<seen_request>& fake_mcp_server::seen() const { return http_->seen(); }
std::vector<std::string> fake_mcp_server::methods() const { return impl_->methods; }
std::size_t fake_mcp_server::session_mismatches() const { return impl_->mismatches; }

std::vector<fake_mcp_tool> sample_mcp_tools(std::size_t n) {
  std::vector<fake_mcp_tool> out;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string name = "tool_" + std::to_string(i);
    out.emplace_back(name, "Does thing " + std::to_string(i),
                     json::parse(R"({"type":"object","properties":{"x":{"type":"string"}},"required":["x"]})"));
  }
  return out;
}

}  // namespace langop::test
