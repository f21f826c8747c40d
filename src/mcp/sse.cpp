#include "langop/mcp/sse.hpp"

namespace langop::mcp {
namespace {

// Accumulates fields until a blank line dispatches the event.
struct event_builder {
  sse_event current;
  bool has_data = false;

  void field(std::string_view name, std::string_view value) {
    if (name == "data") {
      if (has_data) current.data += '\n';
      current.data.append(value);
      has_data = true;
    } else if (name == "event") {
      current.event = value.empty() ? "message" : std::string(value);
    } else if (name == "id") {
      current.id = std::string(value);
    }
    // retry and unknown fields do not matter for one complete body.
  }

  void dispatch(std::vector<sse_event>& out) {
    if (has_data) out.push_back(std::move(current));
    current = sse_event{};
    has_data = false;
  }
};

}  // namespace

std::vector<sse_event> parse_sse(std::string_view body) {
  std::vector<sse_event> out;
  event_builder b;
  std::size_t pos = 0;
  while (pos < body.size()) {
    std::size_t end = body.find_first_of("\r\n", pos);
    const bool last = end == std::string_view::npos;
    if (last) end = body.size();
    const std::string_view line = body.substr(pos, end - pos);
    pos = end;
    if (!last) pos += (body[end] == '\r' && end + 1 < body.size() && body[end + 1] == '\n') ? 2 : 1;

    if (line.empty()) {
      b.dispatch(out);
    } else if (line.front() != ':') {
      const std::size_t colon = line.find(':');
      std::string_view name = line.substr(0, colon);
      std::string_view value = colon == std::string_view::npos ? std::string_view{} : line.substr(colon + 1);
      if (value.starts_with(' ')) value.remove_prefix(1);
      b.field(name, value);
    }
  }
  b.dispatch(out);
  return out;
}

}  // namespace langop::mcp
