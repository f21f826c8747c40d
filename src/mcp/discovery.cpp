#include "langop/mcp/discovery.hpp"

#include "langop/mcp/errc.hpp"

namespace langop::mcp {

namespace asio = boost::asio;

namespace {

// What later requests must carry, learned from initialize.
struct session {
  std::string id;       // Mcp-Session-Id; "" when the server is stateless
  std::string version;  // negotiated protocol version
};

// A plain function: initializer lists inside coroutine bodies trip GCC 12.
http::header_list post_headers(const session& s) {
  http::header_list h;
  h.add("Content-Type", "application/json");
  // Streamable HTTP: the server chooses between a JSON body and an SSE stream.
  h.add("Accept", "application/json, text/event-stream");
  if (!s.id.empty()) h.add(std::string(session_header), s.id);
  if (!s.version.empty()) h.add("MCP-Protocol-Version", s.version);
  return h;
}

http::header_list delete_headers(const session& s) {
  http::header_list h;
  h.add(std::string(session_header), s.id);
  if (!s.version.empty()) h.add("MCP-Protocol-Version", s.version);
  return h;
}

error status_error(const http::response& r, const std::string& what) {
  std::string msg = what + ": HTTP " + std::to_string(r.status);
  // A short excerpt of the body usually says why (e.g. "session not found").
  if (!r.body.empty()) msg += ": " + r.body.substr(0, 200);
  return make_error(errc::http_error, std::move(msg), r.status);
}

error prefixed(const error& e, const std::string& what) {
  error out = e;
  out.message = what + ": " + e.message;
  return out;
}

// POSTs one JSON-RPC message; a non-2xx status is an error.
asio::awaitable<result<http::response>> post(http::client& c, const std::string& path, std::string body,
                                             const session& s, http::deadline d, const std::string& what) {
  auto r = co_await c.request(http::method::post, path, post_headers(s), std::move(body), d);
  if (!r) co_return from_http_error(r.error(), what);
  if (!r->ok()) co_return status_error(*r, what);
  co_return std::move(*r);
}

// POSTs a request and extracts the result of the response with id `id`.
asio::awaitable<result<json::value>> call(http::client& c, const std::string& path, std::string body,
                                          std::int64_t id, const session& s, http::deadline d,
                                          const std::string& what, http::response* raw = nullptr) {
  auto r = co_await post(c, path, std::move(body), s, d, what);
  if (!r) co_return r.error();
  auto res = parse_rpc_response(r->content_type(), r->body, id);
  if (!res) co_return prefixed(res.error(), what);
  if (raw) *raw = std::move(*r);
  co_return std::move(*res);
}

}  // namespace

asio::awaitable<result<std::vector<tool_info>>> discover_tools(http::client& client, std::string path,
                                                               http::deadline d, discovery_options opts) {
  const std::string where = "mcp " + path;
  session s;
  std::int64_t next_id = 1;

  http::response init_raw;
  const std::string init_what = where + " initialize";
  auto init = co_await call(client, path, initialize_body(next_id, opts.client_version), next_id, s, d, init_what,
                            &init_raw);
  ++next_id;
  if (!init) co_return init.error();
  if (auto sid = init_raw.headers.get(session_header)) s.id = std::string(*sid);
  s.version = negotiated_version(*init);

  // The server may refuse requests until the client confirms initialization.
  const std::string notif_what = where + " notifications/initialized";
  auto notif = co_await post(client, path, initialized_notification_body(), s, d, notif_what);

  std::vector<tool_info> tools;
  std::optional<std::string> cursor;
  result<std::vector<tool_info>> out = std::vector<tool_info>{};
  if (!notif) out = notif.error();
  for (std::size_t page = 1; notif; ++page) {
    if (page > opts.max_pages) {
      out = make_error(errc::too_many_pages, where + " tools/list: still paginating after " +
                                                 std::to_string(opts.max_pages) + " pages");
      break;
    }
    const std::string what = where + " tools/list (page " + std::to_string(page) + ")";
    auto res = co_await call(client, path, tools_list_body(next_id, cursor), next_id, s, d, what);
    ++next_id;
    if (!res) {
      out = res.error();
      break;
    }
    auto parsed = parse_tools_page(*res);
    if (!parsed) {
      out = prefixed(parsed.error(), what);
      break;
    }
    for (auto& t : parsed->tools) tools.push_back(std::move(t));
    if (!parsed->next_cursor) {
      out = std::move(tools);
      break;
    }
    cursor = std::move(parsed->next_cursor);
  }

  if (!s.id.empty()) {
    // Best effort: a server may answer 405 (it does not let clients end sessions) or be gone.
    const auto close_by = http::earliest(d, http::after(opts.close_session_timeout));
    auto closed = co_await client.request(http::method::delete_, path, delete_headers(s), std::string(), close_by);
    (void)closed;
  }
  co_return out;
}

}  // namespace langop::mcp
