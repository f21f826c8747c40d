// A fake MCP server (streamable HTTP, protocol 2025-03-26) for discovery tests: answers
// initialize (with an Mcp-Session-Id), notifications/initialized (202), tools/list
// (configurable tools, optional pagination, JSON or SSE answers) and DELETE; checks the
// session id on later requests like real servers do; injects faults per method.
#pragma once

#include "langop/core/json.hpp"
#include "support/test_http_server.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <cstddef>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace langop::test {

struct fake_mcp_tool {
  fake_mcp_tool() = default;
  fake_mcp_tool(std::string n, std::string d, json::value s)
      : name(std::move(n)), description(std::move(d)), input_schema(std::move(s)) {}

  std::string name;
  std::string description;
  json::value input_schema;
};

enum class mcp_fault {
  none,
  http_500,        // HTTP 500 with a plain-text body
  rpc_error,       // 200 with a JSON-RPC error object (-32603)
  malformed_body,  // 200 application/json with a body that is not JSON
  never_answer,    // read the request, stay silent
};

// Not an aggregate: passed by value (GCC 12 rule).
struct fake_mcp_options {
  fake_mcp_options() = default;

  std::vector<fake_mcp_tool> tools;
  std::size_t page_size = 0;        // 0: every tool in one page; else nextCursor pagination
  bool endless_pages = false;       // every page has a nextCursor (a broken server)
  bool sse = false;                 // answer requests as text/event-stream
  std::string session_id = "sess-1234";  // "" : stateless server, no header
  mcp_fault fault = mcp_fault::none;
  std::string fault_method = "tools/list";  // the JSON-RPC method the fault applies to
};

class fake_mcp_server final {
 public:
  fake_mcp_server(boost::asio::any_io_executor ex, fake_mcp_options opts);
  ~fake_mcp_server();
  fake_mcp_server(const fake_mcp_server&) = delete;
  fake_mcp_server& operator=(const fake_mcp_server&) = delete;

  [[nodiscard]] std::string url() const;  // http://127.0.0.1:port
  [[nodiscard]] const std::vector<seen_request>& seen() const;
  // JSON-RPC method of each POST in order ("DELETE" for session ends).
  [[nodiscard]] std::vector<std::string> methods() const;
  [[nodiscard]] std::size_t session_mismatches() const;  // later requests with a wrong/missing id

 private:
  struct impl;
  std::shared_ptr<impl> impl_;
  std::unique_ptr<test_http_server> http_;
};

// Three small tools with object schemas, for tests that need "some tools".
[[nodiscard]] std::vector<fake_mcp_tool> sample_mcp_tools(std::size_t n = 3);

}  // namespace langop::test
