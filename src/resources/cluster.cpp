#include "langop/resources/cluster.hpp"

#include "langop/resources/common.hpp"

#include <charconv>

namespace langop::resources {
namespace {

const json::object* spec_object(const json::object& cluster, std::string_view field) {
  const auto* spec = cluster.if_contains("spec");
  if (!spec || !spec->is_object()) return nullptr;
  const auto* v = spec->get_object().if_contains(field);
  return v && v->is_object() ? &v->get_object() : nullptr;
}

// A quantity as the API server returns it: a string. Other JSON kinds are not quantities
// and are skipped (the schema rejects them; skipping keeps the builder total).
std::optional<json::value> quantity(const json::value& v) {
  if (v.is_string()) {
    if (v.get_string().empty()) return std::nullopt;
    return v;
  }
  if (v.is_int64()) return json::value(std::to_string(v.get_int64()));
  if (v.is_uint64()) return json::value(std::to_string(v.get_uint64()));
  if (v.is_double()) {
    char buf[64];
    auto r = std::to_chars(buf, buf + sizeof buf, v.get_double());
    return json::value(std::string(buf, r.ptr));
  }
  return std::nullopt;
}

json::object quantities(const json::object* in) {
  json::object out;
  if (!in) return out;
  for (const auto& kv : *in)
    if (auto q = quantity(kv.value())) out[kv.key()] = std::move(*q);
  return out;
}

// Children inside the namespace carry the LanguageCluster's labels and ownerReference.
json::object namespaced_child(const json::object& cluster, std::string_view kind, std::string_view suffix) {
  const owner o = owner_of(cluster);
  json::object obj;
  obj["apiVersion"] = "v1";
  obj["kind"] = kind;
  obj["metadata"] = child_metadata(o, o.name + std::string(suffix), cluster_namespace_name(cluster));
  return obj;
}

}  // namespace

std::string cluster_namespace_name(const json::object& cluster) {
  if (const auto* spec = cluster.if_contains("spec"); spec && spec->is_object()) {
    const auto ns = jsonu::get_string(spec->get_object(), "namespace");
    if (!ns.empty()) return std::string(ns);
  }
  return owner_of(cluster).name;
}

json::object cluster_namespace(const json::object& cluster, bool created_by_langop) {
  const owner o = owner_of(cluster);
  json::object labels;
  if (const auto* user = spec_object(cluster, "labels"))
    for (const auto& kv : *user)
      if (kv.value().is_string()) labels[kv.key()] = kv.value();
  json::object annotations;
  if (created_by_langop) annotations[namespace_created_by_annotation] = o.name;
  // child_metadata merges `labels` over the child labels; ours must win, so merge again.
  json::object meta = child_metadata(o, cluster_namespace_name(cluster), {}, labels, annotations);
  auto& merged = meta["labels"].as_object();
  for (const auto& kv : child_labels(o)) merged[kv.key()] = kv.value();
  if (!created_by_langop) meta.erase("ownerReferences");

  json::object ns;
  ns["apiVersion"] = "v1";
  ns["kind"] = "Namespace";
  ns["metadata"] = std::move(meta);
  return ns;
}

std::optional<json::object> cluster_resource_quota(const json::object& cluster) {
  json::object hard = quantities(spec_object(cluster, "resourceQuotas"));
  if (hard.empty()) return std::nullopt;
  json::object q = namespaced_child(cluster, "ResourceQuota", "-quota");
  q["spec"] = json::object{{"hard", std::move(hard)}};
  return q;
}

std::optional<json::object> cluster_limit_range(const json::object& cluster) {
  const json::object* limits = spec_object(cluster, "limits");
  if (!limits) return std::nullopt;
  const auto field = [limits](std::string_view name) -> const json::object* {
    const auto* v = limits->if_contains(name);
    return v && v->is_object() ? &v->get_object() : nullptr;
  };
  json::object def = quantities(field("default"));
  json::object req = quantities(field("defaultRequest"));
  if (def.empty() && req.empty()) return std::nullopt;

  json::object limit;
  limit["type"] = "Container";
  if (!def.empty()) limit["default"] = std::move(def);
  if (!req.empty()) limit["defaultRequest"] = std::move(req);
  json::object lr = namespaced_child(cluster, "LimitRange", "-limits");
  lr["spec"] = json::object{{"limits", json::array{std::move(limit)}}};
  return lr;
}

std::vector<json::object> cluster_children(const json::object& cluster, bool created_by_langop) {
  std::vector<json::object> out;
  out.push_back(cluster_namespace(cluster, created_by_langop));
  if (auto q = cluster_resource_quota(cluster)) out.push_back(std::move(*q));
  if (auto l = cluster_limit_range(cluster)) out.push_back(std::move(*l));
  return out;
}

}  // namespace langop::resources
