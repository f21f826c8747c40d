#include "tool_discovery.hpp"

#include "langop/http/client.hpp"
#include "langop/mcp/discovery.hpp"
#include "langop/mcp/errc.hpp"

#include <set>

namespace langop::controllers {

namespace net = boost::asio;

namespace {

// "http://host:port/mcp" -> {"http://host:port", "/mcp"}: the client talks to the
// server, discovery posts to the path (its messages name the path).
std::pair<std::string, std::string> split_url(const std::string& url) {
  const auto scheme_end = url.find("://");
  const auto path_at = url.find('/', scheme_end == std::string::npos ? 0 : scheme_end + 3);
  if (path_at == std::string::npos) return {url, "/"};
  return {url.substr(0, path_at), url.substr(path_at)};
}

// The CRD keys status.tools by name: a server announcing a name twice keeps the first.
json::value tools_status(const std::vector<mcp::tool_info>& tools) {
  json::array out;
  std::set<std::string> seen;
  for (const auto& t : tools) {
    if (!seen.insert(t.name).second) continue;
    json::object o;
    o["name"] = t.name;
    if (!t.description.empty()) o["description"] = t.description;
    if (t.input_schema.is_object()) o["inputSchema"] = t.input_schema;
    out.push_back(std::move(o));
  }
  return out;
}

check_outcome failed(std::string reason, std::string message) {
  check_outcome o;
  o.reason = std::move(reason);
  o.message = std::move(message);
  return o;
}

std::string_view reason_of(const error& e) {
  switch (mcp::code_of(e).value_or(mcp::errc::network)) {
    case mcp::errc::http_error: return "HTTPError";
    case mcp::errc::rpc_error: return "RPCError";
    case mcp::errc::malformed_response: return "MalformedResponse";
    case mcp::errc::timeout: return "Timeout";
    case mcp::errc::too_many_pages: return "TooManyPages";
    case mcp::errc::cancelled: return "Cancelled";
    default: return "Unreachable";
  }
}

net::awaitable<check_outcome> discover(net::any_io_executor ex, std::string url, std::chrono::milliseconds timeout) {
  auto [base, path] = split_url(url);
  auto ep = http::endpoint::from_url(base);
  if (!ep) {
    auto o = failed("InvalidURL", "cannot discover tools at " + url + ": " + ep.error().message);
    o.transient = false;
    co_return o;
  }
  // One client per discovery: a connection to a tool server is rarely reused (minutes
  // apart), and nothing outlives the check.
  http::client client(ex, std::move(*ep));
  auto tools = co_await mcp::discover_tools(client, path, http::after(timeout));
  if (!tools) co_return failed(std::string(reason_of(tools.error())), "tool discovery at " + url + " failed: " +
                                                                          tools.error().message);
  check_outcome o;
  o.ok = true;
  o.reason = "Discovered";
  o.message = std::to_string(tools->size()) + " tool" + (tools->size() == 1 ? "" : "s") + " listed by " + url;
  o.data = tools_status(*tools);
  co_return o;
}

}  // namespace

background_checks::check_fn discover_tools_check(net::any_io_executor ex, std::string url,
                                                 std::chrono::milliseconds timeout) {
  return [ex, url = std::move(url), timeout]() { return discover(ex, url, timeout); };
}

condition tools_discovered_condition(const check_outcome& o) {
  return condition{"ToolsDiscovered", o.ok, o.reason, o.message};
}

}  // namespace langop::controllers
