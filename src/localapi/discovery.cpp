// Discovery (/version, /api, /apis, /apis/<g>[/<v>]), health endpoints and OpenAPI v3
// documents (enough for kubectl's server-side field validation detection and explain).
#include "apiserver_internal.hpp"

#include "langop/localapi/schema.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>

namespace langop::localapi {
namespace {

json::object api_resource(const resource_type& t) {
  json::object r;
  r["name"] = t.resource;
  r["singularName"] = t.singular;
  r["namespaced"] = t.namespaced;
  r["kind"] = t.kind;
  json::array verbs;
  for (const auto& v : t.verbs) verbs.push_back(json::string(v));
  r["verbs"] = std::move(verbs);
  if (!t.short_names.empty()) {
    json::array a;
    for (const auto& s : t.short_names) a.push_back(json::string(s));
    r["shortNames"] = std::move(a);
  }
  if (!t.categories.empty()) {
    json::array a;
    for (const auto& s : t.categories) a.push_back(json::string(s));
    r["categories"] = std::move(a);
  }
  return r;
}

json::object sub_resource(const resource_type& t, const char* sub, json::array verbs) {
  json::object r;
  r["name"] = t.resource + "/" + sub;
  r["singularName"] = "";
  r["namespaced"] = t.namespaced;
  r["kind"] = t.kind;
  r["verbs"] = std::move(verbs);
  return r;
}

json::object group_version_json(const std::string& group, const std::string& version) {
  json::object v;
  v["groupVersion"] = group.empty() ? version : group + "/" + version;
  v["version"] = version;
  return v;
}

json::object api_group(const registry::group_info& g) {
  json::object o;
  o["name"] = g.name;
  json::array versions;
  for (const auto& v : g.versions) versions.push_back(group_version_json(g.name, v));
  o["versions"] = std::move(versions);
  o["preferredVersion"] = group_version_json(g.name, g.versions.front());
  return o;
}

std::string definition_name(const resource_type& t) {
  // Like kube's OpenAPI: reversed group domain, version, kind (io.langop.v1alpha1.LanguageAgent).
  std::string group = t.group.empty() ? "core" : t.group;
  std::vector<std::string> parts;
  std::size_t start = 0;
  while (start <= group.size()) {
    auto dot = group.find('.', start);
    if (dot == std::string::npos) dot = group.size();
    parts.push_back(group.substr(start, dot - start));
    start = dot + 1;
  }
  std::reverse(parts.begin(), parts.end());
  std::string out = t.is_custom() ? "" : "io.k8s.api.";
  for (std::size_t i = 0; i < parts.size(); ++i) {
    if (i) out += '.';
    out += parts[i];
  }
  return out + "." + t.version + "." + t.kind;
}

json::array gvk_extension(const resource_type& t) {
  json::object gvk;
  gvk["group"] = t.group;
  gvk["kind"] = t.kind;
  gvk["version"] = t.version;
  return json::array{gvk};
}

json::object object_meta_schema() {
  json::object props;
  auto str = [](const char* d) { return json::object{{"type", "string"}, {"description", d}}; };
  props["name"] = str("Name must be unique within a namespace.");
  props["namespace"] = str("Namespace defines the space within which each name must be unique.");
  props["generateName"] = str("An optional prefix used by the server to generate a unique name.");
  props["uid"] = str("UID is the unique in time and space value for this object.");
  props["resourceVersion"] = str("An opaque value that represents the internal version of this object.");
  props["creationTimestamp"] = str("The time this object was created (RFC 3339).");
  props["deletionTimestamp"] = str("The time after which this resource will be deleted (RFC 3339).");
  props["generation"] = json::object{{"type", "integer"}, {"description", "A sequence number representing a specific generation of the desired state."}};
  json::object string_map{{"type", "object"}, {"additionalProperties", json::object{{"type", "string"}}}};
  props["labels"] = string_map;
  props["labels"].as_object()["description"] = "Map of string keys and values used to organize and select objects.";
  props["annotations"] = string_map;
  props["annotations"].as_object()["description"] = "Unstructured key value map stored with a resource.";
  props["finalizers"] = json::object{{"type", "array"}, {"items", json::object{{"type", "string"}}},
                                     {"description", "Must be empty before the object is deleted from the registry."}};
  props["ownerReferences"] = json::object{{"type", "array"},
                                          {"items", json::object{{"type", "object"}, {"x-kubernetes-preserve-unknown-fields", true}}},
                                          {"description", "Objects depended on by this object."}};
  return json::object{{"type", "object"},
                      {"description", "Standard object's metadata."},
                      {"properties", std::move(props)}};
}

json::object resource_schema(const resource_type& t) {
  json::object s;
  if (t.schema && t.schema->source().is_object()) {
    s = t.schema->source().get_object();
  } else {
    s["type"] = "object";
    s["x-kubernetes-preserve-unknown-fields"] = true;
  }
  auto& props = s["properties"].is_object() ? s["properties"].as_object() : (s["properties"] = json::object()).as_object();
  props["metadata"] = json::object{{"allOf", json::array{json::object{{"$ref", "#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"}}}},
                                   {"description", "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata"}};
  if (!props.contains("apiVersion"))
    props["apiVersion"] = json::object{{"type", "string"}, {"description", "APIVersion defines the versioned schema of this representation of an object."}};
  if (!props.contains("kind"))
    props["kind"] = json::object{{"type", "string"}, {"description", "Kind is a string value representing the REST resource this object represents."}};
  if (!s.contains("description")) s["description"] = t.kind + " (" + t.api_version() + ")";
  s["x-kubernetes-group-version-kind"] = gvk_extension(t);
  return s;
}

json::object operation(const resource_type& t, const char* action, bool field_validation) {
  json::object op;
  op["x-kubernetes-action"] = action;
  op["x-kubernetes-group-version-kind"] = gvk_extension(t).front();
  json::array params;
  auto param = [](const char* name) {
    return json::object{{"name", name}, {"in", "query"}, {"schema", json::object{{"type", "string"}}}};
  };
  params.push_back(param("dryRun"));
  params.push_back(param("fieldManager"));
  if (field_validation) params.push_back(param("fieldValidation"));
  op["parameters"] = std::move(params);
  op["responses"] = json::object{{"200", json::object{{"description", "OK"}}}};
  return op;
}

json::object openapi_gv_document(const registry& types, const std::string& group, const std::string& version) {
  json::object paths;
  json::object schemas;
  schemas["io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta"] = object_meta_schema();
  const std::string prefix = group.empty() ? "/api/" + version : "/apis/" + group + "/" + version;
  for (const auto& t : types.resources(group, version)) {
    std::string collection = prefix + (t->namespaced ? "/namespaces/{namespace}/" : "/") + t->resource;
    json::object coll_ops;
    coll_ops["get"] = operation(*t, "list", false);
    coll_ops["post"] = operation(*t, "post", true);
    paths[collection] = std::move(coll_ops);
    json::object item_ops;
    item_ops["get"] = operation(*t, "get", false);
    item_ops["put"] = operation(*t, "put", true);
    item_ops["patch"] = operation(*t, "patch", true);
    item_ops["delete"] = operation(*t, "delete", false);
    paths[collection + "/{name}"] = std::move(item_ops);
    schemas[definition_name(*t)] = resource_schema(*t);
  }
  json::object doc;
  doc["openapi"] = "3.0.0";
  doc["info"] = json::object{{"title", "Kubernetes"}, {"version", "v1.31.0"}};
  doc["paths"] = std::move(paths);
  doc["components"] = json::object{{"schemas", std::move(schemas)}};
  return doc;
}

api_response json_response(const json::object& o) {
  api_response r;
  r.body = json::serialize(o);
  return r;
}

}  // namespace

api_response apiserver::handle_discovery(const api_request& request) {
  const std::string& p = request.path;
  if (request.method != "GET")
    return error_response(method_not_allowed("the server does not allow this method on the requested resource"));
  if (p == "/healthz" || p == "/livez" || p == "/readyz" || p.starts_with("/healthz/") || p.starts_with("/livez/") ||
      p.starts_with("/readyz/")) {
    api_response r;
    r.content_type = "text/plain; charset=utf-8";
    r.body = "ok";
    return r;
  }
  if (p == "/version") {
    json::object v;
    v["major"] = options_.version_major;
    v["minor"] = options_.version_minor;
    v["gitVersion"] = "v" + options_.version_major + "." + options_.version_minor + ".0-langop";
    v["gitCommit"] = "0000000000000000000000000000000000000000";
    v["gitTreeState"] = "clean";
    v["buildDate"] = "2026-01-01T00:00:00Z";
    v["goVersion"] = "go1.22.0";
    v["compiler"] = "gc";
    v["platform"] = "linux/amd64";
    return json_response(v);
  }
  if (p == "/api") {
    json::object o;
    o["kind"] = "APIVersions";
    o["versions"] = json::array{"v1"};
    o["serverAddressByClientCIDRs"] =
        json::array{json::object{{"clientCIDR", "0.0.0.0/0"}, {"serverAddress", "127.0.0.1:6443"}}};
    return json_response(o);
  }
  if (p == "/apis") {
    json::object o;
    o["kind"] = "APIGroupList";
    o["apiVersion"] = "v1";
    json::array groups;
    for (const auto& g : types_.groups())
      if (!g.name.empty()) groups.push_back(api_group(g));
    o["groups"] = std::move(groups);
    return json_response(o);
  }
  if (p == "/openapi/v3") {
    json::object paths;
    for (const auto& g : types_.groups())
      for (const auto& v : g.versions) {
        std::string key = g.name.empty() ? "api/" + v : "apis/" + g.name + "/" + v;
        paths[key] = json::object{{"serverRelativeURL", "/openapi/v3/" + key + "?hash=" + std::to_string(types_.generation())}};
      }
    return json_response(json::object{{"paths", std::move(paths)}});
  }
  if (p.starts_with("/openapi/v3/")) {
    std::string_view rest = std::string_view(p).substr(12);
    std::string group, version;
    if (rest.starts_with("api/")) {
      version = rest.substr(4);
    } else if (rest.starts_with("apis/")) {
      rest.remove_prefix(5);
      auto slash = rest.find('/');
      if (slash == std::string_view::npos) return error_response(not_found("openapi", p));
      group = rest.substr(0, slash);
      version = rest.substr(slash + 1);
    }
    if (version.empty() || types_.resources(group, version).empty())
      return error_response(api_error{404, "NotFound", "the server could not find the requested resource"});
    return json_response(openapi_gv_document(types_, group, version));
  }
  if (p.starts_with("/openapi"))
    return error_response(api_error{404, "NotFound", "the server could not find the requested resource"});

  // /api/v1, /apis/<g>, /apis/<g>/<v>
  std::string group, version;
  std::string_view rest = p;
  if (rest.starts_with("/api/")) {
    version = rest.substr(5);
  } else if (rest.starts_with("/apis/")) {
    rest.remove_prefix(6);
    auto slash = rest.find('/');
    group = rest.substr(0, slash);
    if (slash != std::string_view::npos) version = rest.substr(slash + 1);
    while (!version.empty() && version.back() == '/') version.pop_back();
    if (version.empty()) {
      for (const auto& g : types_.groups())
        if (g.name == group) {
          json::object o = api_group(g);
          o["kind"] = "APIGroup";
          o["apiVersion"] = "v1";
          return json_response(o);
        }
      return error_response(api_error{404, "NotFound", "the server could not find the requested resource"});
    }
  }
  auto resources = types_.resources(group, version);
  if (resources.empty())
    return error_response(api_error{404, "NotFound", "the server could not find the requested resource"});
  json::object o;
  o["kind"] = "APIResourceList";
  o["apiVersion"] = "v1";
  o["groupVersion"] = group.empty() ? version : group + "/" + version;
  json::array list;
  for (const auto& t : resources) {
    list.push_back(api_resource(*t));
    if (t->status_subresource) list.push_back(sub_resource(*t, "status", json::array{"get", "patch", "update"}));
    if (t->scale_subresource) {
      auto s = sub_resource(*t, "scale", json::array{"get", "patch", "update"});
      s["group"] = "autoscaling";
      s["version"] = "v1";
      s["kind"] = "Scale";
      list.push_back(std::move(s));
    }
  }
  o["resources"] = std::move(list);
  return json_response(o);
}

}  // namespace langop::localapi
