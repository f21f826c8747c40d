// The PURE side of MCP discovery: request bodies, SSE parsing, JSON-RPC response and
// tools/list parsing, with the error codes callers branch on.
#include "langop/mcp/errc.hpp"
#include "langop/mcp/protocol.hpp"
#include "langop/mcp/sse.hpp"

#include "support/result_printing.hpp"

#include <boost/json/parse.hpp>

#include <catch2/catch.hpp>

using namespace langop;

TEST_CASE("mcp request bodies are JSON-RPC 2.0", "[mcp]") {
  auto init = json::parse(mcp::initialize_body(1, "1.2.3"));
  CHECK(jsonu::get_string(init, {"jsonrpc"}) == "2.0");
  CHECK(jsonu::get_int(init, {"id"}) == 1);
  CHECK(jsonu::get_string(init, {"method"}) == "initialize");
  CHECK(jsonu::get_string(init, {"params", "protocolVersion"}) == "2025-03-26");
  CHECK(jsonu::get_string(init, {"params", "clientInfo", "name"}) == "langop");
  CHECK(jsonu::get_string(init, {"params", "clientInfo", "version"}) == "1.2.3");
  CHECK(jsonu::find(init, {"params", "capabilities"}) != nullptr);

  auto notif = json::parse(mcp::initialized_notification_body());
  CHECK(jsonu::get_string(notif, {"method"}) == "notifications/initialized");
  CHECK_FALSE(notif.as_object().contains("id"));  // a notification has no id

  auto first = json::parse(mcp::tools_list_body(2, std::nullopt));
  CHECK(jsonu::get_string(first, {"method"}) == "tools/list");
  CHECK(jsonu::find(first, {"params", "cursor"}) == nullptr);
  auto next = json::parse(mcp::tools_list_body(3, std::string("abc")));
  CHECK(jsonu::get_string(next, {"params", "cursor"}) == "abc");
}

TEST_CASE("sse parsing handles several events, multi-line data and comments", "[mcp]") {
  const std::string body =
      ": comment\r\n"
      "event: message\r\n"
      "data: {\"a\":\r\n"
      "data:1}\r\n"
      "\r\n"
      "id: 7\n"
      "event: ping\n"
      "data: x\n"
      "\n"
      "event: empty-is-dropped\n"
      "\n"
      "data: last without blank line";
  auto events = mcp::parse_sse(body);
  REQUIRE(events.size() == 3);
  CHECK(events[0].event == "message");
  CHECK(events[0].data == "{\"a\":\n1}");  // one optional space removed, lines joined by \n
  CHECK(events[1].event == "ping");
  CHECK(events[1].id == "7");
  CHECK(events[1].data == "x");
  CHECK(events[2].event == "message");
  CHECK(events[2].data == "last without blank line");
  CHECK(mcp::parse_sse("").empty());
  CHECK(mcp::parse_sse("\n\n:only comments\n\n").empty());
}

TEST_CASE("mcp responses are picked by id from JSON and SSE bodies", "[mcp]") {
  auto plain = mcp::parse_rpc_response("application/json", R"({"jsonrpc":"2.0","id":4,"result":{"ok":true}})", 4);
  REQUIRE(plain);
  CHECK(jsonu::get_bool(*plain, {"ok"}) == true);

  auto batch = mcp::parse_rpc_response(
      "application/json", R"([{"jsonrpc":"2.0","id":3,"result":1},{"jsonrpc":"2.0","id":4,"result":2}])", 4);
  REQUIRE(batch);
  CHECK(batch->as_int64() == 2);

  const std::string sse =
      "event: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\",\"params\":{}}\n\n"
      "event: message\ndata: {\"jsonrpc\":\"2.0\",\"id\":1,\"result\":\"other\"}\n\n"
      "event: message\ndata: {\"jsonrpc\":\"2.0\",\ndata: \"id\":2,\ndata: \"result\":\"mine\"}\n\n";
  auto picked = mcp::parse_rpc_response("text/event-stream; charset=utf-8", sse, 2);
  REQUIRE(picked);
  CHECK(picked->as_string() == "mine");

  auto missing = mcp::parse_rpc_response("text/event-stream", sse, 9);
  REQUIRE_FALSE(missing);
  CHECK(mcp::is(missing.error(), mcp::errc::malformed_response));
  CHECK(missing.error().message.find("id 9") != std::string::npos);
}

TEST_CASE("mcp JSON-RPC errors and malformed bodies become typed errors", "[mcp]") {
  auto rpc = mcp::parse_rpc_response(
      "application/json", R"({"jsonrpc":"2.0","id":1,"error":{"code":-32601,"message":"Method not found"}})", 1);
  REQUIRE_FALSE(rpc);
  CHECK(mcp::is(rpc.error(), mcp::errc::rpc_error));
  CHECK(rpc.error().message == "JSON-RPC error -32601: Method not found");

  auto sse_rpc = mcp::parse_rpc_response(
      "text/event-stream", "data: {\"jsonrpc\":\"2.0\",\"id\":1,\"error\":{\"code\":-1,\"message\":\"no\"}}\n\n", 1);
  REQUIRE_FALSE(sse_rpc);
  CHECK(mcp::is(sse_rpc.error(), mcp::errc::rpc_error));

  auto junk = mcp::parse_rpc_response("application/json", "<html>oops</html>", 1);
  REQUIRE_FALSE(junk);
  CHECK(mcp::is(junk.error(), mcp::errc::malformed_response));
  CHECK(junk.error().message.find("not JSON") != std::string::npos);

  auto bad_event = mcp::parse_rpc_response("text/event-stream", "data: {\"jsonrpc\n\n", 1);
  REQUIRE_FALSE(bad_event);
  CHECK(mcp::is(bad_event.error(), mcp::errc::malformed_response));

  auto not_rpc = mcp::parse_rpc_response("application/json", R"({"hello":"world"})", 1);
  REQUIRE_FALSE(not_rpc);
  CHECK(mcp::is(not_rpc.error(), mcp::errc::malformed_response));
}

TEST_CASE("mcp tools list pages are parsed with defaults", "[mcp]") {
  auto page = mcp::parse_tools_page(json::parse(
      R"({"tools":[{"name":"a","description":"does a","inputSchema":{"type":"object","properties":{}}},)"
      R"({"name":"b"}],"nextCursor":"n1"})"));
  REQUIRE(page);
  REQUIRE(page->tools.size() == 2);
  CHECK(page->tools[0].name == "a");
  CHECK(page->tools[0].description == "does a");
  CHECK(jsonu::get_string(page->tools[0].input_schema, {"type"}) == "object");
  CHECK(page->tools[1].description.empty());
  CHECK(jsonu::get_string(page->tools[1].input_schema, {"type"}) == "object");
  CHECK(page->next_cursor == std::optional<std::string>("n1"));

  auto last = mcp::parse_tools_page(json::parse(R"({"tools":[],"nextCursor":""})"));
  REQUIRE(last);
  CHECK_FALSE(last->next_cursor);

  auto no_tools = mcp::parse_tools_page(json::parse(R"({"items":[]})"));
  REQUIRE_FALSE(no_tools);
  CHECK(mcp::is(no_tools.error(), mcp::errc::malformed_response));
  auto nameless = mcp::parse_tools_page(json::parse(R"({"tools":[{"description":"x"}]})"));
  REQUIRE_FALSE(nameless);
  CHECK(mcp::is(nameless.error(), mcp::errc::malformed_response));
}
