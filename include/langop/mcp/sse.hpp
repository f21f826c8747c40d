// Server-Sent Events parsing (PURE): MCP streamable HTTP may answer a POST with a
// text/event-stream body instead of a JSON body; the JSON-RPC messages are in `data:` fields.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace langop::mcp {

struct sse_event {
  std::string event = "message";  // the `event:` field, "message" when absent
  std::string data;               // `data:` lines joined with '\n'
  std::string id;                 // the `id:` field, if any
};

// Parses a complete event-stream body (WHATWG rules: CRLF/LF/CR line ends, ':' comments,
// one optional space after the colon, events dispatched on a blank line, events with no
// data dropped). A final event without its blank line is kept: the whole body has
// arrived, and a truncated JSON payload fails later with a clearer message.
[[nodiscard]] std::vector<sse_event> parse_sse(std::string_view body);

}  // namespace langop::mcp
