// Request entry point: routing, verb dispatch, and the response helpers.
#include "apiserver_internal.hpp"

#include <boost/json/serialize.hpp>

namespace langop::localapi {
namespace {

std::vector<std::string_view> split_path(std::string_view path) {
  std::vector<std::string_view> out;
  std::size_t i = 0;
  while (i < path.size()) {
    while (i < path.size() && path[i] == '/') ++i;
    std::size_t j = path.find('/', i);
    if (j == std::string_view::npos) j = path.size();
    if (j > i) out.push_back(path.substr(i, j - i));
    i = j;
  }
  return out;
}

api_error path_not_found() {
  api_error e;
  e.code = 404;
  e.reason = "NotFound";
  e.message = "the server could not find the requested resource";
  return e;
}

bool is_watch(const api_request& r, const apiserver::route& route) {
  if (route.legacy_watch) return true;
  auto w = r.query_or("watch");
  return w == "true" || w == "1";
}

bool type_allows(const resource_type& t, std::string_view verb) {
  for (const auto& v : t.verbs)
    if (v == verb) return true;
  return false;
}

// Where a path leads: a discovery document, a resource route, or nowhere.
enum class path_kind { discovery, resource, not_found };

path_kind parse_route(const registry& types, std::string_view path, apiserver::route& r) {
  if (path == "/version" || path == "/api" || path == "/apis" || path.starts_with("/openapi") ||
      path == "/healthz" || path == "/livez" || path == "/readyz" || path.starts_with("/healthz/") ||
      path.starts_with("/livez/") || path.starts_with("/readyz/"))
    return path_kind::discovery;
  auto seg = split_path(path);
  std::size_t i = 0;
  std::string group, version;
  if (seg.size() >= 2 && seg[0] == "api") {
    version = seg[1];
    i = 2;
  } else if (seg.size() >= 3 && seg[0] == "apis") {
    group = seg[1];
    version = seg[2];
    i = 3;
  } else if (seg.size() == 2 && seg[0] == "apis") {
    return path_kind::discovery;  // /apis/<group>
  } else {
    return path_kind::not_found;
  }
  if (i == seg.size()) return path_kind::discovery;  // /api/v1, /apis/<group>/<version>
  if (seg[i] == "watch") {
    r.legacy_watch = true;
    ++i;
  }
  // namespaces/<ns>/<resource>/... — unless <resource> is not a namespaced resource, in
  // which case the path addresses the Namespace object itself (.../status, .../finalize).
  if (seg.size() >= i + 3 && seg[i] == "namespaces") {
    auto candidate = types.find(group, version, seg[i + 2]);
    if (candidate && candidate->namespaced) {
      r.namespaced_path = true;
      r.ns = seg[i + 1];
      i += 2;
    }
  }
  r.type = types.find(group, version, seg[i]);
  if (!r.type) return path_kind::not_found;
  if (i + 1 < seg.size()) r.name = seg[i + 1];
  if (i + 2 < seg.size()) r.subresource = seg[i + 2];
  if (i + 3 < seg.size() || (r.namespaced_path && !r.type->namespaced)) return path_kind::not_found;
  return path_kind::resource;
}

}  // namespace

const std::string* api_request::query_param(std::string_view key) const {
  for (const auto& [k, v] : query)
    if (k == key) return &v;
  return nullptr;
}

std::string api_request::query_or(std::string_view key, std::string_view fallback) const {
  const auto* v = query_param(key);
  return v ? *v : std::string(fallback);
}

apiserver::apiserver(apiserver_options options)
    : options_(std::move(options)), store_(options_.history_size) {
  // The namespaces every cluster starts with.
  for (const char* ns : {"default", "kube-system", "kube-public", "kube-node-lease"}) {
    std::string body = std::string(R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":")") + ns + "\"}}";
    (void)internal("POST", "/api/v1/namespaces", body, "application/json", "langop-localapi");
  }
}

apiserver::~apiserver() {
  // Sessions may outlive the server (their HTTP connections still hold them).
  auto open = std::exchange(sessions_, {});
  for (auto* s : open) {
    s->server_ = nullptr;
    s->detach();
  }
}

api_response apiserver::handle(const api_request& request) {
  api_response resp;
  try {
    route r;
    if (request.body.size() > options_.max_body_bytes) {
      resp = error_response(too_large("Request entity too large: limit is " + std::to_string(options_.max_body_bytes)));
    } else {
      switch (parse_route(types_, request.path, r)) {
        case path_kind::discovery: resp = handle_discovery(request); break;
        case path_kind::resource: resp = dispatch(request, r); break;
        case path_kind::not_found: resp = error_response(path_not_found()); break;
      }
    }
  } catch (const std::exception& ex) {
    // A bug must not take the server down; the client sees a 500 naming it.
    resp = error_response(internal_error(ex.what()));
  }
  ++stats_.responses_by_code[resp.status];
  return resp;
}

api_response apiserver::dispatch(const api_request& request, const route& r) {
  const auto& t = *r.type;
  const std::string& m = request.method;
  if (!r.subresource.empty()) {
    bool known = (r.subresource == "status" && t.status_subresource) ||
                 (r.subresource == "scale" && t.scale_subresource) ||
                 (r.subresource == "finalize" && t.kind == "Namespace");
    if (!known) return error_response(path_not_found());
  }
  auto verb_ok = [&](std::string_view verb) { return type_allows(t, verb); };
  auto not_allowed = [&]() {
    return error_response(method_not_allowed("the server does not allow this method on the requested resource"));
  };
  // A namespaced resource addressed by name needs its namespace.
  if (t.namespaced && !r.name.empty() && !r.namespaced_path) return error_response(path_not_found());

  if (m == "GET") {
    if (r.name.empty()) {
      if (is_watch(request, r)) {
        ++stats_.requests_by_verb["watch"];
        return verb_ok("watch") ? handle_watch(request, r) : not_allowed();
      }
      ++stats_.requests_by_verb["list"];
      return verb_ok("list") ? handle_list(request, r) : not_allowed();
    }
    ++stats_.requests_by_verb["get"];
    if (r.subresource == "scale") return handle_scale(request, r);
    return handle_get(request, r);
  }
  if (m == "POST") {
    if (!r.name.empty()) return not_allowed();
    if (t.namespaced && !r.namespaced_path) return error_response(path_not_found());
    ++stats_.requests_by_verb["create"];
    return verb_ok("create") ? handle_create(request, r) : not_allowed();
  }
  if (m == "PUT") {
    if (r.name.empty()) return not_allowed();
    ++stats_.requests_by_verb["update"];
    if (r.subresource == "scale") return handle_scale(request, r);
    return verb_ok("update") ? handle_update(request, r) : not_allowed();
  }
  if (m == "PATCH") {
    if (r.name.empty()) return not_allowed();
    ++stats_.requests_by_verb["patch"];
    if (r.subresource == "scale") return handle_scale(request, r);
    return verb_ok("patch") ? handle_patch(request, r) : not_allowed();
  }
  if (m == "DELETE") {
    if (!r.subresource.empty()) return not_allowed();
    if (r.name.empty()) {
      ++stats_.requests_by_verb["deletecollection"];
      return verb_ok("deletecollection") ? handle_delete_collection(request, r) : not_allowed();
    }
    ++stats_.requests_by_verb["delete"];
    return verb_ok("delete") ? handle_delete(request, r) : not_allowed();
  }
  return not_allowed();
}

api_response apiserver::error_response(const api_error& e) {
  api_response resp;
  resp.status = e.code;
  resp.body = json::serialize(to_status(e));
  if (e.retry_after_seconds) resp.headers.emplace_back("Retry-After", std::to_string(*e.retry_after_seconds));
  return resp;
}

api_response apiserver::object_response(int status, const resource_type& type, const object_ptr& obj,
                                        const api_request& request) {
  api_response resp;
  resp.status = status;
  auto shown = present(type, obj);
  auto accept = parse_accept(request.accept);
  if (accept.table) {
    std::vector<const json::object*> one{&shown->object};
    resp.body = json::serialize(make_table(type.group, type.kind, &type.printer_columns, one,
                                           include_object::metadata, std::to_string(shown->rv), "", now()));
  } else {
    resp.body = shown->json;
  }
  return resp;
}

api_response apiserver::internal(std::string method, std::string path, std::string body, std::string content_type,
                                 std::string manager) {
  api_request r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  r.user_agent = manager;
  r.query.emplace_back("fieldManager", std::move(manager));
  return handle(r);
}

}  // namespace langop::localapi
