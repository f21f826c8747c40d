// The MCP messages discovery exchanges (PURE): JSON-RPC 2.0 request bodies for
// initialize, notifications/initialized and tools/list, and the parsing of their answers
// from either a JSON body or an SSE body (MCP streamable HTTP, protocol 2025-03-26).
#pragma once

#include "langop/core/error.hpp"
#include "langop/core/json.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace langop::mcp {

inline constexpr std::string_view protocol_version = "2025-03-26";
inline constexpr std::string_view session_header = "Mcp-Session-Id";

// One tool as the server describes it; stored in a LanguageTool's status.tools[].
struct tool_info {
  std::string name;
  std::string description;  // "" when the server gives none
  json::value input_schema;  // the tool's JSON Schema, as sent
};

[[nodiscard]] std::string initialize_body(std::int64_t id, std::string_view client_version);
[[nodiscard]] std::string initialized_notification_body();
// `cursor`: the previous page's nextCursor; none for the first page.
[[nodiscard]] std::string tools_list_body(std::int64_t id, const std::optional<std::string>& cursor);

// The `result` of the JSON-RPC response with id `id` in an HTTP body. A text/event-stream
// content type is parsed as SSE (other messages — server notifications, requests, other
// ids — are skipped); anything else as JSON (an object or a batch array).
// Errors: rpc_error (the server's error object: code and message in our message),
// malformed_response (not JSON, not JSON-RPC, no response with our id).
[[nodiscard]] result<json::value> parse_rpc_response(std::string_view content_type, std::string_view body,
                                                     std::int64_t id);

struct tools_page {
  std::vector<tool_info> tools;
  std::optional<std::string> next_cursor;  // none (or "") ends the listing
};

// Reads a tools/list result. malformed_response when `tools` is missing or not an array,
// or a tool has no string name.
[[nodiscard]] result<tools_page> parse_tools_page(const json::value& result);

// The server's protocolVersion from an initialize result ("" when absent): sent back in
// MCP-Protocol-Version, which servers speaking 2025-06-18 and later expect.
[[nodiscard]] std::string negotiated_version(const json::value& initialize_result);

}  // namespace langop::mcp
