#include "langop/localapi/api_error.hpp"

namespace langop::localapi {
namespace {

api_error make(int code, std::string reason, std::string message) {
  api_error e;
  e.code = code;
  e.reason = std::move(reason);
  e.message = std::move(message);
  return e;
}

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

// "deployments.apps" -> {"deployments", "apps"}
std::pair<std::string, std::string> split_group_resource(std::string_view gr) {
  auto dot = gr.find('.');
  if (dot == std::string_view::npos) return {std::string(gr), {}};
  return {std::string(gr.substr(0, dot)), std::string(gr.substr(dot + 1))};
}

}  // namespace

json::object to_status(const api_error& e) {
  json::object s;
  s["kind"] = "Status";
  s["apiVersion"] = "v1";
  s["metadata"] = json::object();
  s["status"] = "Failure";
  s["message"] = e.message;
  s["reason"] = e.reason;
  json::object details;
  if (!e.name.empty()) details["name"] = e.name;
  if (!e.group.empty()) details["group"] = e.group;
  if (!e.kind.empty()) details["kind"] = e.kind;
  if (!e.causes.empty()) {
    json::array causes;
    for (const auto& c : e.causes) {
      json::object o;
      o["reason"] = c.type;
      o["message"] = c.message;
      if (!c.field.empty()) o["field"] = c.field;
      causes.push_back(std::move(o));
    }
    details["causes"] = std::move(causes);
  }
  if (e.retry_after_seconds) details["retryAfterSeconds"] = *e.retry_after_seconds;
  if (!details.empty()) s["details"] = std::move(details);
  s["code"] = e.code;
  return s;
}

api_error not_found(std::string_view resource, std::string_view name) {
  auto e = make(404, "NotFound", std::string(resource) + " " + quoted(name) + " not found");
  auto [res, group] = split_group_resource(resource);
  e.name = name;
  e.group = group;
  e.kind = res;
  return e;
}

api_error already_exists(std::string_view resource, std::string_view name) {
  auto e = make(409, "AlreadyExists", std::string(resource) + " " + quoted(name) + " already exists");
  auto [res, group] = split_group_resource(resource);
  e.name = name;
  e.group = group;
  e.kind = res;
  return e;
}

api_error conflict(std::string_view resource, std::string_view name, std::string_view why) {
  auto e = make(409, "Conflict",
                "Operation cannot be fulfilled on " + std::string(resource) + " " + quoted(name) + ": " +
                    std::string(why));
  auto [res, group] = split_group_resource(resource);
  e.name = name;
  e.group = group;
  e.kind = res;
  return e;
}

api_error bad_request(std::string message) { return make(400, "BadRequest", std::move(message)); }
api_error method_not_allowed(std::string message) { return make(405, "MethodNotAllowed", std::move(message)); }
api_error unsupported_media_type(std::string message) {
  return make(415, "UnsupportedMediaType", std::move(message));
}
api_error gone(std::string message) { return make(410, "Gone", std::move(message)); }
api_error expired(std::string message) { return make(410, "Expired", std::move(message)); }
api_error forbidden(std::string message) { return make(403, "Forbidden", std::move(message)); }
api_error unauthorized() { return make(401, "Unauthorized", "Unauthorized"); }
api_error too_large(std::string message) { return make(413, "RequestEntityTooLarge", std::move(message)); }
api_error internal_error(std::string message) {
  return make(500, "InternalError", "Internal error occurred: " + message);
}

api_error too_many_requests(int retry_after_seconds) {
  auto e = make(429, "TooManyRequests", "Too many requests, please try again later.");
  e.retry_after_seconds = retry_after_seconds;
  return e;
}

api_error invalid(std::string_view kind, std::string_view group, std::string_view name,
                  std::vector<status_cause> causes) {
  std::string qualified(kind);
  if (!group.empty()) qualified += "." + std::string(group);
  std::string msg = qualified + " " + quoted(name) + " is invalid: ";
  auto render = [](const status_cause& c) { return c.field.empty() ? c.message : c.field + ": " + c.message; };
  if (causes.size() == 1) {
    msg += render(causes.front());
  } else {
    msg += "[";
    for (std::size_t i = 0; i < causes.size(); ++i) {
      if (i) msg += ", ";
      msg += render(causes[i]);
    }
    msg += "]";
  }
  auto e = make(422, "Invalid", std::move(msg));
  e.name = name;
  e.group = group;
  e.kind = kind;
  e.causes = std::move(causes);
  return e;
}

}  // namespace langop::localapi
