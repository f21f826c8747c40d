// MCP discovery end to end over loopback against the fake MCP server: JSON and SSE
// answers, session handling, pagination, and each fault mapped to its typed error.
#include "langop/mcp/discovery.hpp"
#include "langop/mcp/errc.hpp"

#include "fakes/mcp_server.hpp"
#include "support/async_test.hpp"

#include <boost/asio/ip/tcp.hpp>

#include <catch2/catch.hpp>

#include <algorithm>

using namespace langop;
using namespace std::chrono_literals;
namespace asio = boost::asio;
using test::run_async;

namespace {

http::endpoint endpoint_of(const test::fake_mcp_server& s) {
  auto ep = http::endpoint::from_url(s.url());
  REQUIRE(ep);
  return *ep;
}

// Runs discovery once against `opts` and hands back what came out.
result<std::vector<mcp::tool_info>> discover(asio::io_context& io, test::fake_mcp_server& server,
                                            std::chrono::milliseconds budget = 5s) {
  http::client client(io.get_executor(), endpoint_of(server));
  result<std::vector<mcp::tool_info>> out = mcp::make_error(mcp::errc::network, "not run");
  run_async(io, [&]() -> asio::awaitable<void> {
    auto r = co_await mcp::discover_tools(client, "/mcp", http::after(budget));
    out = std::move(r);
  }());
  return out;
}

}  // namespace

TEST_CASE("mcp discovery lists tools from JSON answers and echoes the session id", "[mcp]") {
  asio::io_context io;
  test::fake_mcp_options o;
  o.tools = test::sample_mcp_tools(3);
  test::fake_mcp_server server(io.get_executor(), o);

  auto tools = discover(io, server);
  REQUIRE(tools);
  REQUIRE(tools->size() == 3);
  CHECK((*tools)[0].name == "tool_0");
  CHECK((*tools)[2].description == "Does thing 2");
  CHECK(jsonu::get_string((*tools)[1].input_schema, {"properties", "x", "type"}) == "string");

  const std::vector<std::string> want = {"initialize", "notifications/initialized", "tools/list", "DELETE"};
  CHECK(server.methods() == want);
  CHECK(server.session_mismatches() == 0);
  const auto& seen = server.seen();
  REQUIRE(seen.size() == 4);
  CHECK(seen[0].target == "/mcp");
  CHECK(seen[0].headers.get("Accept").value_or("") == "application/json, text/event-stream");
  CHECK(seen[0].headers.get("Content-Type").value_or("") == "application/json");
  CHECK_FALSE(seen[0].headers.contains("Mcp-Session-Id"));
  for (std::size_t i = 1; i < seen.size(); ++i) {
    INFO("request " << i);
    CHECK(seen[i].headers.get("Mcp-Session-Id").value_or("") == "sess-1234");
    CHECK(seen[i].headers.get("MCP-Protocol-Version").value_or("") == "2025-03-26");
  }
}

TEST_CASE("mcp discovery reads SSE answers", "[mcp]") {
  asio::io_context io;
  test::fake_mcp_options o;
  o.tools = test::sample_mcp_tools(2);
  o.sse = true;
  test::fake_mcp_server server(io.get_executor(), o);

  auto tools = discover(io, server);
  REQUIRE(tools);
  REQUIRE(tools->size() == 2);
  CHECK((*tools)[1].name == "tool_1");
  CHECK(server.session_mismatches() == 0);
}

TEST_CASE("mcp discovery without a session id sends none and skips DELETE", "[mcp]") {
  asio::io_context io;
  test::fake_mcp_options o;
  o.tools = test::sample_mcp_tools(1);
  o.session_id = "";
  test::fake_mcp_server server(io.get_executor(), o);

  auto tools = discover(io, server);
  REQUIRE(tools);
  CHECK(tools->size() == 1);
  const std::vector<std::string> want = {"initialize", "notifications/initialized", "tools/list"};
  CHECK(server.methods() == want);
  for (const auto& r : server.seen()) CHECK_FALSE(r.headers.contains("Mcp-Session-Id"));
}

TEST_CASE("mcp discovery follows nextCursor pagination", "[mcp]") {
  asio::io_context io;
  test::fake_mcp_options o;
  o.tools = test::sample_mcp_tools(7);
  o.page_size = 3;
  o.sse = GENERATE(false, true);
  INFO("sse=" << o.sse);
  test::fake_mcp_server server(io.get_executor(), o);

  auto tools = discover(io, server);
  REQUIRE(tools);
  REQUIRE(tools->size() == 7);
  for (std::size_t i = 0; i < 7; ++i) CHECK((*tools)[i].name == "tool_" + std::to_string(i));
  const auto methods = server.methods();
  CHECK(std::count(methods.begin(), methods.end(), "tools/list") == 3);
}

TEST_CASE("mcp discovery bounds endless pagination", "[mcp]") {
  asio::io_context io;
  test::fake_mcp_options o;
  o.tools = test::sample_mcp_tools(1);
  o.page_size = 1;
  o.endless_pages = true;
  test::fake_mcp_server server(io.get_executor(), o);

  auto tools = discover(io, server);
  REQUIRE_FALSE(tools);
  CHECK(mcp::is(tools.error(), mcp::errc::too_many_pages));
  const auto methods = server.methods();
  CHECK(std::count(methods.begin(), methods.end(), "tools/list") == 20);
  CHECK(methods.back() == "DELETE");  // the session is still ended
}

TEST_CASE("mcp discovery maps server faults to typed errors", "[mcp]") {
  asio::io_context io;
  test::fake_mcp_options o;
  o.tools = test::sample_mcp_tools(2);
  o.fault_method = GENERATE(std::string("initialize"), std::string("tools/list"));
  o.sse = GENERATE(false, true);
  INFO("method=" << o.fault_method << " sse=" << o.sse);

  SECTION("HTTP 500") {
    o.fault = test::mcp_fault::http_500;
    test::fake_mcp_server server(io.get_executor(), o);
    auto tools = discover(io, server);
    REQUIRE_FALSE(tools);
    CHECK(mcp::is(tools.error(), mcp::errc::http_error));
    CHECK(tools.error().http_status == 500);
    CHECK(tools.error().message.find(o.fault_method) != std::string::npos);
    CHECK(tools.error().message.find("internal failure") != std::string::npos);
  }
  SECTION("JSON-RPC error") {
    o.fault = test::mcp_fault::rpc_error;
    test::fake_mcp_server server(io.get_executor(), o);
    auto tools = discover(io, server);
    REQUIRE_FALSE(tools);
    CHECK(mcp::is(tools.error(), mcp::errc::rpc_error));
    CHECK(tools.error().message.find("-32603") != std::string::npos);
    CHECK(tools.error().message.find("tools are on fire") != std::string::npos);
  }
  SECTION("malformed body") {
    o.fault = test::mcp_fault::malformed_body;
    test::fake_mcp_server server(io.get_executor(), o);
    auto tools = discover(io, server);
    REQUIRE_FALSE(tools);
    CHECK(mcp::is(tools.error(), mcp::errc::malformed_response));
    CHECK(tools.error().message.find("/mcp") != std::string::npos);
  }
}

TEST_CASE("mcp discovery rejects a refused initialized notification", "[mcp]") {
  asio::io_context io;
  test::fake_mcp_options o;
  o.tools = test::sample_mcp_tools(1);
  o.fault = test::mcp_fault::http_500;
  o.fault_method = "notifications/initialized";
  test::fake_mcp_server server(io.get_executor(), o);

  auto tools = discover(io, server);
  REQUIRE_FALSE(tools);
  CHECK(mcp::is(tools.error(), mcp::errc::http_error));
  CHECK(tools.error().message.find("notifications/initialized") != std::string::npos);
}

TEST_CASE("mcp discovery times out at its deadline on a silent server", "[mcp]") {
  asio::io_context io;
  test::fake_mcp_options o;
  o.tools = test::sample_mcp_tools(1);
  o.fault = test::mcp_fault::never_answer;
  o.fault_method = GENERATE(std::string("initialize"), std::string("tools/list"));
  INFO("method=" << o.fault_method);
  test::fake_mcp_server server(io.get_executor(), o);

  // The server never answers: only the deadline can end the call (timing is bench/'s business).
  auto tools = discover(io, server, 300ms);
  REQUIRE_FALSE(tools);
  CHECK(mcp::is(tools.error(), mcp::errc::timeout));
}

TEST_CASE("mcp discovery reports an unreachable server as a network error", "[mcp]") {
  asio::io_context io;
  // A port that was just free and is now closed: nothing listens there.
  std::uint16_t port = 0;
  {
    asio::ip::tcp::acceptor probe(io, asio::ip::tcp::endpoint(asio::ip::make_address("127.0.0.1"), 0));
    port = probe.local_endpoint().port();
  }
  auto ep = http::endpoint::from_url("http://127.0.0.1:" + std::to_string(port));
  REQUIRE(ep);
  http::client client(io.get_executor(), *ep);
  result<std::vector<mcp::tool_info>> out = mcp::make_error(mcp::errc::timeout, "not run");
  run_async(io, [&]() -> asio::awaitable<void> {
    auto r = co_await mcp::discover_tools(client, "/mcp", http::after(5s));
    out = std::move(r);
  }());
  REQUIRE_FALSE(out);
  CHECK(mcp::is(out.error(), mcp::errc::network));
}
