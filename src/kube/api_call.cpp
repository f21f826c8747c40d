#include "langop/kube/api_call.hpp"

#include "langop/core/json.hpp"

#include <boost/json/serialize.hpp>

namespace langop::kube {
namespace {

// Appends "&key=value" (or "?key=value" for the first parameter).
void param(std::string& target, std::string_view key, std::string_view value) {
  target += target.find('?') == std::string::npos ? '?' : '&';
  target += key;
  target += '=';
  target += query_escape(value);
}

void write_params(std::string& target, const write_options& o) {
  if (!o.field_manager.empty()) param(target, "fieldManager", o.field_manager);
  if (o.dry_run) param(target, "dryRun", "All");
  if (!o.field_validation.empty()) param(target, "fieldValidation", o.field_validation);
}

std::string name_of(std::string_view ns, std::string_view name) {
  return ns.empty() ? std::string(name) : std::string(ns) + "/" + std::string(name);
}

}  // namespace

std::string query_escape(std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  std::string out;
  out.reserve(s.size());
  for (char ch : s) {
    auto c = static_cast<unsigned char>(ch);
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
        c == '.' || c == '~') {
      out += ch;
    } else {
      out += '%';
      out += hex[c >> 4];
      out += hex[c & 15];
    }
  }
  return out;
}

std::string collection_path(const resource& r, std::string_view ns) {
  std::string p = r.group.empty() ? "/api/" + r.version : "/apis/" + r.group + "/" + r.version;
  if (r.namespaced && !ns.empty()) {
    p += "/namespaces/";
    p += ns;
  }
  p += '/';
  p += r.plural;
  return p;
}

std::string item_path(const resource& r, std::string_view ns, std::string_view name, std::string_view subresource) {
  std::string p = collection_path(r, ns);
  p += '/';
  p += name;
  if (!subresource.empty()) {
    p += '/';
    p += subresource;
  }
  return p;
}

std::string_view content_type(patch_type t) noexcept {
  switch (t) {
    case patch_type::merge: return "application/merge-patch+json";
    case patch_type::json: return "application/json-patch+json";
    case patch_type::strategic: return "application/strategic-merge-patch+json";
    case patch_type::apply: return "application/apply-patch+yaml";
  }
  return "application/merge-patch+json";
}

api_call get_call(const resource& r, std::string_view ns, std::string_view name, std::string_view subresource) {
  return {"get", "GET", item_path(r, ns, name, subresource), "", "", false, "get " + r.plural + " " + name_of(ns, name)};
}

api_call list_call(const resource& r, std::string_view ns, const list_options& o) {
  api_call c{"list", "GET", collection_path(r, ns), "", "", false, "list " + r.plural};
  if (!o.label_selector.empty()) param(c.target, "labelSelector", o.label_selector);
  if (!o.field_selector.empty()) param(c.target, "fieldSelector", o.field_selector);
  if (o.limit > 0) param(c.target, "limit", std::to_string(o.limit));
  if (!o.continue_token.empty()) param(c.target, "continue", o.continue_token);
  if (!o.resource_version.empty()) param(c.target, "resourceVersion", o.resource_version);
  if (!o.resource_version_match.empty()) param(c.target, "resourceVersionMatch", o.resource_version_match);
  return c;
}

api_call watch_call(const resource& r, std::string_view ns, const watch_options& o) {
  api_call c{"watch", "GET", collection_path(r, ns), "", "", true, "watch " + r.plural};
  param(c.target, "watch", "true");
  if (!o.resource_version.empty()) param(c.target, "resourceVersion", o.resource_version);
  if (o.allow_bookmarks) param(c.target, "allowWatchBookmarks", "true");
  if (o.timeout_seconds > 0) param(c.target, "timeoutSeconds", std::to_string(o.timeout_seconds));
  if (!o.label_selector.empty()) param(c.target, "labelSelector", o.label_selector);
  if (!o.field_selector.empty()) param(c.target, "fieldSelector", o.field_selector);
  return c;
}

api_call create_call(const resource& r, std::string_view ns, std::string body, const write_options& o) {
  api_call c{"create", "POST", collection_path(r, ns), "application/json", std::move(body), false, "create " + r.plural};
  write_params(c.target, o);
  return c;
}

api_call update_call(const resource& r, std::string_view ns, std::string_view name, std::string body,
                     const write_options& o, std::string_view subresource) {
  api_call c{"update", "PUT", item_path(r, ns, name, subresource), "application/json", std::move(body), false,
             "update " + r.plural + (subresource.empty() ? "" : "/" + std::string(subresource)) + " " +
                 name_of(ns, name)};
  write_params(c.target, o);
  return c;
}

api_call patch_call(const resource& r, std::string_view ns, std::string_view name, patch_type type,
                    std::string body, const patch_options& o, std::string_view subresource) {
  api_call c{"patch", "PATCH", item_path(r, ns, name, subresource), std::string(content_type(type)), std::move(body), false,
             "patch " + r.plural + (subresource.empty() ? "" : "/" + std::string(subresource)) + " " +
                 name_of(ns, name)};
  write_params(c.target, o);
  if (type == patch_type::apply && o.force) param(c.target, "force", "true");
  return c;
}

api_call delete_call(const resource& r, std::string_view ns, std::string_view name, const delete_options& o) {
  api_call c{"delete", "DELETE", item_path(r, ns, name), "", "", false, "delete " + r.plural + " " + name_of(ns, name)};
  json::object body;
  if (!o.propagation_policy.empty()) body["propagationPolicy"] = o.propagation_policy;
  if (!o.precondition_uid.empty() || !o.precondition_resource_version.empty()) {
    json::object pre;
    if (!o.precondition_uid.empty()) pre["uid"] = o.precondition_uid;
    if (!o.precondition_resource_version.empty()) pre["resourceVersion"] = o.precondition_resource_version;
    body["preconditions"] = std::move(pre);
  }
  if (o.dry_run) body["dryRun"] = json::array{"All"};
  if (!body.empty()) {
    body["kind"] = "DeleteOptions";
    body["apiVersion"] = "v1";
    c.body = json::serialize(body);
    c.content_type = "application/json";
  }
  return c;
}

}  // namespace langop::kube
