// create, update and patch, and the write pipeline they share.
#include "apiserver_internal.hpp"
#include "managed_entries.hpp"

#include "langop/core/yaml.hpp"
#include "langop/localapi/builtin_kinds.hpp"
#include "langop/localapi/managed_fields.hpp"
#include "langop/localapi/patch.hpp"
#include "langop/localapi/schema.hpp"

#include <boost/json/serialize.hpp>

#include <random>
#include <variant>

namespace langop::localapi {
namespace {

using body_result = std::variant<json::object, api_error>;

std::string media_type(std::string_view content_type) {
  auto semi = content_type.find(';');
  std::string_view mt = content_type.substr(0, semi);
  while (!mt.empty() && mt.back() == ' ') mt.remove_suffix(1);
  return std::string(mt);
}

body_result parse_object_body(std::string_view body, bool allow_yaml) {
  std::string err;
  auto v = jsonu::parse(body, &err);
  if (!v && allow_yaml) {
    auto y = yaml_to_json(body);
    if (y) v = std::move(*y);
    else err = y.error().message;
  }
  if (!v) return bad_request("the body of the request could not be decoded: " + err);
  if (!v->is_object()) return bad_request("the body of the request must be a JSON object");
  return std::move(v->get_object());
}

body_result decode_write_body(const api_request& request) {
  const std::string mt = media_type(request.content_type);
  const bool yaml = mt == "application/yaml";
  if (!mt.empty() && mt != "application/json" && !yaml)
    return unsupported_media_type("the body of the request was in an unknown format - accepted media types "
                                  "include: application/json, application/yaml");
  return parse_object_body(request.body, yaml);
}

// Checks apiVersion/kind of a body against the type the URL addresses.
std::optional<api_error> check_type_meta(const json::object& obj, const resource_type& t) {
  auto kind = jsonu::get_string(obj, "kind");
  auto api_version = jsonu::get_string(obj, "apiVersion");
  if (kind.empty()) return bad_request("Object 'Kind' is missing in the request body");
  if (api_version.empty()) return bad_request("Object 'apiVersion' is missing in the request body");
  if (kind != t.kind || api_version != t.api_version())
    return bad_request("the API version in the data (" + std::string(api_version) + ") and kind (" +
                       std::string(kind) + ") do not match the expected " + t.api_version() + " " + t.kind);
  return std::nullopt;
}

std::string random_suffix(std::mt19937_64& rng) {
  // kube-apiserver's alphabet for generateName: no vowels, no ambiguous characters.
  static constexpr char alphabet[] = "bcdfghjklmnpqrstvwxz2456789";
  std::string s;
  for (int i = 0; i < 5; ++i) s += alphabet[rng() % (sizeof(alphabet) - 1)];
  return s;
}

std::string make_uid(std::uint64_t counter, std::mt19937_64& rng) {
  // RFC 4122 version 4 layout; the counter keeps uids unique even with a fixed seed.
  std::uint64_t a = rng() ^ (counter << 20), b = rng();
  char buf[40];
  std::snprintf(buf, sizeof buf, "%08x-%04x-4%03x-%04x-%012llx", static_cast<unsigned>(a >> 32),
                static_cast<unsigned>((a >> 16) & 0xffff), static_cast<unsigned>(a & 0xfff),
                static_cast<unsigned>(0x8000 | ((b >> 48) & 0x3fff)),
                static_cast<unsigned long long>(b & 0xffffffffffffULL));
  return buf;
}

std::mt19937_64& rng() {
  static std::mt19937_64 g(std::random_device{}());
  return g;
}

// Equality of two objects ignoring resourceVersion and managedFields timestamps
// (a write that changes nothing else is a no-op, as in kube-apiserver). Compared in
// place: this runs on every update, and copying both objects cost more than comparing.
bool same_managed_fields(const json::value& a, const json::value& b) {
  const auto* aa = a.if_array();
  const auto* ba = b.if_array();
  if (!aa || !ba) return a == b;
  if (aa->size() != ba->size()) return false;
  for (std::size_t i = 0; i < aa->size(); ++i) {
    const auto* ea = (*aa)[i].if_object();
    const auto* eb = (*ba)[i].if_object();
    if (!ea || !eb) {
      if ((*aa)[i] != (*ba)[i]) return false;
      continue;
    }
    std::size_t na = 0, nb = 0;
    for (const auto& kv : *ea) {
      if (kv.key() == "time") continue;
      ++na;
      const auto* v = eb->if_contains(kv.key());
      if (!v || *v != kv.value()) return false;
    }
    for (const auto& kv : *eb) nb += kv.key() != "time";
    if (na != nb) return false;
  }
  return true;
}

bool same_metadata(const json::object& a, const json::object& b, bool compare_managed_fields) {
  auto skipped = [&](std::string_view k) {
    return k == "resourceVersion" || (!compare_managed_fields && k == "managedFields");
  };
  std::size_t na = 0, nb = 0;
  for (const auto& kv : a) {
    if (skipped(kv.key())) continue;
    ++na;
    const auto* v = b.if_contains(kv.key());
    if (!v) return false;
    if (kv.key() == "managedFields" ? !same_managed_fields(kv.value(), *v) : *v != kv.value()) return false;
  }
  for (const auto& kv : b) nb += !skipped(kv.key());
  return na == nb;
}

bool same_object(const json::object& a, const json::object& b, bool compare_managed_fields) {
  if (a.size() != b.size()) return false;
  for (const auto& kv : a) {
    const auto* v = b.if_contains(kv.key());
    if (!v) return false;
    if (kv.key() == "metadata" && kv.value().is_object() && v->is_object()) {
      if (!same_metadata(kv.value().get_object(), v->get_object(), compare_managed_fields)) return false;
    } else if (*v != kv.value()) {
      return false;
    }
  }
  return true;
}

// Everything except metadata and status: what bumps metadata.generation.
bool spec_changed(const json::object& a, const json::object& b) {
  auto strip = [](const json::object& o) {
    json::object c = o;
    c.erase("metadata");
    c.erase("status");
    return c;
  };
  return strip(a) != strip(b);
}

std::vector<status_cause> validate_metadata(const json::object& obj) {
  std::vector<status_cause> causes;
  auto check_map = [&](std::string_view field, bool labels) {
    const auto* m = meta_object(obj, field);
    const auto* raw = jsonu::find(obj, {"metadata", field});
    if (raw && !raw->is_object() && !raw->is_null()) {
      causes.push_back({"FieldValueTypeInvalid", "Invalid value: must be a map of strings",
                        "metadata." + std::string(field)});
      return;
    }
    if (!m) return;
    std::size_t total = 0;
    for (const auto& kv : *m) {
      std::string path = "metadata." + std::string(field) + "[" + std::string(kv.key()) + "]";
      if (!kv.value().is_string()) {
        causes.push_back({"FieldValueTypeInvalid", "Invalid value: must be a string", path});
        continue;
      }
      total += kv.key().size() + kv.value().get_string().size();
      if (labels) {
        auto v = std::string_view(kv.value().get_string());
        bool ok = v.size() <= 63;
        for (char c : v) ok = ok && (std::isalnum(static_cast<unsigned char>(c)) || c == '-' || c == '_' || c == '.');
        if (!v.empty()) ok = ok && std::isalnum(static_cast<unsigned char>(v.front())) &&
                             std::isalnum(static_cast<unsigned char>(v.back()));
        if (!ok)
          causes.push_back({"FieldValueInvalid",
                            "Invalid value: \"" + std::string(v) +
                                "\": a valid label must be an empty string or consist of alphanumeric characters, "
                                "'-', '_' or '.', and must start and end with an alphanumeric character",
                            path});
      }
    }
    if (!labels && total > 256 * 1024)
      causes.push_back({"FieldValueTooLong", "Too long: must have at most 262144 bytes", "metadata.annotations"});
  };
  check_map("labels", true);
  check_map("annotations", false);
  if (const auto* refs = jsonu::find(obj, {"metadata", "ownerReferences"}); refs && refs->is_array()) {
    int controllers = 0;
    for (std::size_t i = 0; i < refs->get_array().size(); ++i) {
      const auto& r = refs->get_array()[i];
      std::string path = "metadata.ownerReferences[" + std::to_string(i) + "]";
      if (!r.is_object()) {
        causes.push_back({"FieldValueTypeInvalid", "Invalid value: must be an object", path});
        continue;
      }
      for (const char* f : {"apiVersion", "kind", "name", "uid"})
        if (jsonu::get_string(r.get_object(), f).empty())
          causes.push_back({"FieldValueRequired", "Required value", path + "." + f});
      if (jsonu::get_bool(r, {"controller"}).value_or(false)) ++controllers;
    }
    if (controllers > 1)
      causes.push_back({"FieldValueInvalid", "Invalid value: only one reference can have Controller set to true",
                        "metadata.ownerReferences"});
  }
  return causes;
}

}  // namespace

// --- shared pipeline -------------------------------------------------------------

api_response apiserver::commit_write(write_ctx& ctx, const object_ptr& old, json::object candidate) {
  const resource_type& t = *ctx.type;
  auto& meta = metadata_of(candidate);

  if (old) {
    const auto& old_meta = old->object.at("metadata").as_object();
    for (const char* f : {"uid", "creationTimestamp", "deletionTimestamp", "deletionGracePeriodSeconds", "generation"}) {
      if (auto* v = old_meta.if_contains(f)) meta[f] = *v;
      else meta.erase(f);
    }
    if (ctx.subresource == "status") {
      // The status endpoint changes status and nothing else.
      json::object next = old->object;
      if (auto* s = candidate.if_contains("status")) next["status"] = *s;
      else next.erase("status");
      if (!ctx.applied) {
        if (auto* mf = meta.if_contains("managedFields")) metadata_of(next)["managedFields"] = *mf;
      }
      candidate = std::move(next);
    } else if (t.status_subresource) {
      if (auto* s = old->object.if_contains("status")) candidate["status"] = *s;
      else candidate.erase("status");
    }
  } else if (t.status_subresource && !(t.group.empty() && t.kind == "Namespace")) {
    candidate.erase("status");
  }
  // Custom resources: prune, default, validate against the CRD schema.
  std::vector<status_cause> causes;
  if (t.schema) {
    auto pruned = t.schema->prune(candidate);
    if (!pruned.empty() && ctx.validation == field_validation::strict) {
      std::string msg = "strict decoding error: ";
      for (std::size_t i = 0; i < pruned.size(); ++i) {
        if (i) msg += ", ";
        msg += "unknown field \"" + (pruned[i].starts_with(".") ? pruned[i].substr(1) : pruned[i]) + "\"";
      }
      return error_response(bad_request(msg));
    }
    if (ctx.validation == field_validation::warn)
      for (const auto& p : pruned)
        ctx.warnings.push_back("unknown field \"" + (p.starts_with(".") ? p.substr(1) : p) + "\"");
    t.schema->apply_defaults(candidate);
    causes = t.schema->validate(candidate, old ? &old->object : nullptr);
  } else if (!t.is_custom()) {
    apply_builtin_defaults(t.group, t.kind, candidate);
    causes = validate_builtin(t.group, t.kind, candidate, old ? &old->object : nullptr);
  }
  for (auto& c : validate_metadata(candidate)) causes.push_back(std::move(c));
  std::vector<resource_type> crd_types;
  const bool is_crd = t.group == "apiextensions.k8s.io" && t.kind == "CustomResourceDefinition";
  if (is_crd && ctx.subresource.empty())
    for (auto& c : crd_validate(candidate, crd_types)) causes.push_back(std::move(c));
  const std::string name(meta_string(candidate, "name"));
  if (!causes.empty()) return error_response(invalid(t.kind, t.group, name, std::move(causes)));

  // Taken only now: pruning and defaulting may rehash the top-level object and move
  // "metadata", which would leave an earlier reference dangling.
  auto& m = metadata_of(candidate);
  if (uses_generation(t)) {
    std::int64_t gen = 1;
    if (old) {
      gen = jsonu::get_int(old->object, {"metadata", "generation"}).value_or(1);
      if (spec_changed(old->object, candidate)) ++gen;
    }
    m["generation"] = gen;
  } else {
    m.erase("generation");
  }

  // Services keep their allocated cluster IP across updates that omit it.
  if (t.group.empty() && t.kind == "Service") {
    auto& spec = jsonu::ensure_object(candidate, {"spec"});
    auto ip = jsonu::get_string(spec, "clusterIP");
    if (ip.empty() && old) {
      if (auto* v = jsonu::find(old->object, {"spec", "clusterIP"})) spec["clusterIP"] = *v;
      if (auto* v = jsonu::find(old->object, {"spec", "clusterIPs"})) spec["clusterIPs"] = *v;
    } else if (ip.empty() && jsonu::get_string(spec, "type") != "ExternalName") {
      std::uint32_t n = next_service_ip_++;
      std::string addr = "10.96." + std::to_string((n >> 8) & 0xff) + "." + std::to_string(n & 0xff);
      spec["clusterIP"] = addr;
      spec["clusterIPs"] = json::array{json::value(addr)};
    } else if (!ip.empty() && !spec.contains("clusterIPs")) {
      spec["clusterIPs"] = json::array{spec["clusterIP"]};
    }
  }

  // Managed fields: apply() already set them; other writes record an Update.
  if (old && same_object(old->object, candidate, ctx.applied != nullptr)) {
    ++stats_.noop_writes;
    api_response resp = object_response(200, t, old, *ctx.request);
    for (auto& w : ctx.warnings) resp.headers.emplace_back("Warning", "299 - \"" + w + "\"");
    return resp;
  }
  if (!ctx.applied)
    record_update(old ? &old->object : nullptr, candidate, ctx.manager, *t.hints, ctx.subresource == "status",
                  now());

  api_response resp;
  if (ctx.dry_run) {
    auto preview = std::make_shared<stored_object>();
    preview->object = std::move(candidate);
    if (old) metadata_of(preview->object)["resourceVersion"] = std::to_string(old->rv);
    else metadata_of(preview->object).erase("resourceVersion");
    preview->json = json::serialize(preview->object);
    resp = object_response(old ? 200 : 201, t, preview, *ctx.request);
  } else {
    object_ptr committed = store_.put(t.storage, std::move(candidate));
    ++stats_.writes;
    resp = object_response(old ? 200 : 201, t, committed, *ctx.request);
    if (is_crd && ctx.subresource.empty()) types_.set_crd_types(name, std::move(crd_types));
    after_commit(t, old, committed);
  }
  for (auto& w : ctx.warnings) resp.headers.emplace_back("Warning", "299 - \"" + w + "\"");
  return resp;
}

// --- verbs -------------------------------------------------------------------------

namespace {

// Reads dryRun, fieldManager and fieldValidation.
std::optional<api_error> read_write_options(const api_request& request, apiserver::write_ctx& ctx) {
  auto dry = request.query_or("dryRun");
  if (!dry.empty() && dry != "All") return bad_request("Invalid dry run value: " + dry);
  ctx.dry_run = dry == "All";
  ctx.manager = request.query_or("fieldManager");
  if (ctx.manager.empty()) {
    auto ua = std::string_view(request.user_agent);
    ctx.manager = std::string(ua.substr(0, ua.find('/')));
    if (ctx.manager.empty()) ctx.manager = "unknown";
  }
  if (ctx.manager.size() > 128) return bad_request("fieldManager: Too long: may not be more than 128 bytes");
  auto fv = request.query_or("fieldValidation");
  if (fv.empty() || fv == "Warn") ctx.validation = field_validation::warn;
  else if (fv == "Strict") ctx.validation = field_validation::strict;
  else if (fv == "Ignore") ctx.validation = field_validation::ignore;
  else return bad_request("fieldValidation must be one of Ignore, Warn, Strict: got " + fv);
  return std::nullopt;
}

}  // namespace

std::variant<json::object, api_response> apiserver::prepare_create(const route& r, json::object obj) {
  const resource_type& t = *r.type;
  auto& meta = metadata_of(obj);
  if (t.namespaced) {
    auto body_ns = jsonu::get_string(meta, "namespace");
    if (!body_ns.empty() && body_ns != r.ns)
      return error_response(
          bad_request("the namespace of the provided object does not match the namespace sent on the request"));
    meta["namespace"] = r.ns;
  } else {
    meta.erase("namespace");
  }
  if (jsonu::get_string(meta, "name").empty()) {
    auto gen = jsonu::get_string(meta, "generateName");
    if (gen.empty())
      return error_response(invalid(t.kind, t.group, "",
                                    {{"FieldValueRequired", "Required value: name or generateName is required",
                                      "metadata.name"}}));
    meta["name"] = std::string(gen) + random_suffix(rng());
  }
  const std::string name(jsonu::get_string(meta, "name"));
  std::string bad = requires_dns_label(t) ? check_dns1123_label(name) : check_dns1123_subdomain(name);
  if (!bad.empty())
    return error_response(invalid(t.kind, t.group, name,
                                  {{"FieldValueInvalid", "Invalid value: \"" + name + "\": " + bad, "metadata.name"}}));
  if (t.namespaced) {
    auto ns_obj = store_.at("/namespaces").get(r.ns);
    if (!ns_obj) return error_response(not_found("namespaces", r.ns));
    if (!meta_string(ns_obj->object, "deletionTimestamp").empty()) {
      auto e = forbidden(t.resource + " \"" + name + "\" is forbidden: unable to create new content in namespace " +
                         r.ns + " because it is being terminated");
      e.name = name;
      e.kind = t.resource;
      e.group = t.group;
      return error_response(e);
    }
  }
  if (store_.at(t.storage).get(object_key(t.namespaced ? r.ns : "", name)))
    return error_response(already_exists(t.group_resource(), name));

  meta["uid"] = make_uid(++uid_counter_, rng());
  meta["creationTimestamp"] = detail::rfc3339_seconds(now());
  for (const char* f : {"deletionTimestamp", "deletionGracePeriodSeconds", "resourceVersion", "selfLink", "generation"})
    meta.erase(f);
  return obj;
}

api_response apiserver::handle_create(const api_request& request, const route& r) {
  const resource_type& t = *r.type;
  write_ctx ctx;
  ctx.type = &t;
  ctx.request = &request;
  ctx.verb = "create";
  ctx.ns = r.ns;
  if (auto e = read_write_options(request, ctx)) return error_response(*e);
  auto body = decode_write_body(request);
  if (auto* e = std::get_if<api_error>(&body)) return error_response(*e);
  auto obj = std::move(std::get<json::object>(body));
  if (auto e = check_type_meta(obj, t)) return error_response(*e);
  metadata_of(obj).erase("managedFields");  // ownership is the server's to record
  auto storage_type = types_.find_storage(t.storage);
  obj = to_storage(t, std::move(obj), storage_type ? *storage_type : t);
  auto prepared = prepare_create(r, std::move(obj));
  if (auto* resp = std::get_if<api_response>(&prepared)) return std::move(*resp);
  return commit_write(ctx, nullptr, std::move(std::get<json::object>(prepared)));
}

api_response apiserver::handle_update(const api_request& request, const route& r) {
  const resource_type& t = *r.type;
  write_ctx ctx;
  ctx.type = &t;
  ctx.request = &request;
  ctx.verb = "update";
  ctx.ns = r.ns;
  ctx.subresource = r.subresource;
  if (auto e = read_write_options(request, ctx)) return error_response(*e);
  auto body = decode_write_body(request);
  if (auto* e = std::get_if<api_error>(&body)) return error_response(*e);
  auto obj = std::move(std::get<json::object>(body));
  if (auto e = check_type_meta(obj, t)) return error_response(*e);
  auto storage_type = types_.find_storage(t.storage);
  obj = to_storage(t, std::move(obj), storage_type ? *storage_type : t);

  auto& meta = metadata_of(obj);
  auto body_name = jsonu::get_string(meta, "name");
  if (!body_name.empty() && body_name != r.name)
    return error_response(bad_request("the name of the object (" + std::string(body_name) +
                                      ") does not match the name on the URL (" + r.name + ")"));
  meta["name"] = r.name;
  if (t.namespaced) {
    auto body_ns = jsonu::get_string(meta, "namespace");
    if (!body_ns.empty() && body_ns != r.ns)
      return error_response(
          bad_request("the namespace of the provided object does not match the namespace sent on the request"));
    meta["namespace"] = r.ns;
  }
  object_ptr current = store_.at(t.storage).get(object_key(t.namespaced ? r.ns : "", r.name));
  if (!current) return error_response(not_found(t.group_resource(), r.name));
  auto rv = jsonu::get_string(meta, "resourceVersion");
  if (rv.empty() && !allows_unconditional_update(t))
    return error_response(invalid(t.kind, t.group, r.name,
                                  {{"FieldValueInvalid", "Invalid value: 0x0: must be specified for an update",
                                    "metadata.resourceVersion"}}));
  if (!rv.empty() && rv != std::to_string(current->rv))
    return error_response(conflict(t.group_resource(), r.name,
                                   "the object has been modified; please apply your changes to the latest version "
                                   "and try again"));
  return commit_write(ctx, current, std::move(obj));
}

api_response apiserver::handle_patch(const api_request& request, const route& r) {
  const resource_type& t = *r.type;
  write_ctx ctx;
  ctx.type = &t;
  ctx.request = &request;
  ctx.verb = "patch";
  ctx.ns = r.ns;
  ctx.subresource = r.subresource;
  if (auto e = read_write_options(request, ctx)) return error_response(*e);
  const std::string mt = media_type(request.content_type);
  object_ptr current = store_.at(t.storage).get(object_key(t.namespaced ? r.ns : "", r.name));
  auto storage_type = types_.find_storage(t.storage);
  const resource_type& st = storage_type ? *storage_type : t;

  if (mt == "application/apply-patch+yaml") {
    if (request.query_or("fieldManager").empty())
      return error_response(bad_request("PATCH, application/apply-patch+yaml requires fieldManager parameter"));
    auto body = parse_object_body(request.body, true);
    if (auto* e = std::get_if<api_error>(&body)) return error_response(*e);
    auto config = std::move(std::get<json::object>(body));
    if (auto e = check_type_meta(config, t)) return error_response(*e);
    auto cfg_name = meta_string(config, "name");
    if (!cfg_name.empty() && cfg_name != r.name)
      return error_response(bad_request("the name of the object (" + std::string(cfg_name) +
                                        ") does not match the name on the URL (" + r.name + ")"));
    metadata_of(config)["name"] = r.name;
    if (t.namespaced) metadata_of(config)["namespace"] = r.ns;
    config = to_storage(t, std::move(config), st);
    auto force = request.query_or("force");
    if (!force.empty() && force != "true" && force != "false")
      return error_response(bad_request("invalid force value: " + force));
    ctx.verb = "apply";
    ctx.force = force == "true";
    apply_request ar;
    ar.live = current ? &current->object : nullptr;
    ar.config = &config;
    ar.manager = ctx.manager;
    ar.force = ctx.force;
    ar.status_subresource = r.subresource == "status";
    ar.hints = t.hints;
    ar.now = now();
    auto applied = apply(ar);
    if (auto* e = std::get_if<api_error>(&applied)) {
      api_error err = *e;
      if (err.name.empty()) err.name = r.name;
      return error_response(err);
    }
    ctx.applied = &config;
    if (!current) {
      // Apply creates the object: create's checks, with apply's managed fields kept.
      route cr = r;
      cr.subresource.clear();
      auto prepared = prepare_create(cr, std::move(std::get<json::object>(applied)));
      if (auto* resp = std::get_if<api_response>(&prepared)) return std::move(*resp);
      ctx.subresource.clear();
      return commit_write(ctx, nullptr, std::move(std::get<json::object>(prepared)));
    }
    return commit_write(ctx, current, std::move(std::get<json::object>(applied)));
  }

  if (!current) return error_response(not_found(t.group_resource(), r.name));
  std::string err;
  auto patch = jsonu::parse(request.body, &err);
  if (!patch) return error_response(bad_request("the body of the request could not be decoded: " + err));
  const json::value base = present(t, current)->object;
  result<json::value> patched = json::value();
  if (mt == "application/merge-patch+json") {
    patched = apply_merge_patch(base, *patch);
  } else if (mt == "application/json-patch+json") {
    patched = apply_json_patch(base, *patch);
  } else if (mt == "application/strategic-merge-patch+json" && !t.is_custom()) {
    patched = apply_strategic_merge_patch(base, *patch, *t.hints);
  } else {
    return error_response(unsupported_media_type(
        "the body of the request was in an unknown format - accepted media types include: "
        "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml" +
        std::string(t.is_custom() ? "" : ", application/strategic-merge-patch+json")));
  }
  if (!patched) {
    const auto& pe = patched.error();
    api_error e;
    e.code = pe.http_status ? pe.http_status : 422;
    e.reason = pe.reason.empty() ? (e.code == 400 ? "BadRequest" : "Invalid") : pe.reason;
    e.message = pe.message;
    return error_response(e);
  }
  if (!patched->is_object()) return error_response(bad_request("the patched object is not a JSON object"));
  json::object obj = std::move(patched->get_object());
  auto& meta = metadata_of(obj);
  auto rv = jsonu::get_string(meta, "resourceVersion");
  if (!rv.empty() && rv != std::to_string(current->rv))
    return error_response(conflict(t.group_resource(), r.name,
                                   "the object has been modified; please apply your changes to the latest version "
                                   "and try again"));
  if (meta_string(obj, "name") != r.name)
    return error_response(bad_request("metadata.name: the name of the object cannot be changed by a patch"));
  if (t.namespaced && meta_string(obj, "namespace") != r.ns)
    return error_response(bad_request("metadata.namespace: the namespace of the object cannot be changed by a patch"));
  obj = to_storage(t, std::move(obj), st);
  return commit_write(ctx, current, std::move(obj));
}

api_response apiserver::handle_scale(const api_request& request, const route& r) {
  const resource_type& t = *r.type;
  object_ptr current = store_.at(t.storage).get(object_key(r.ns, r.name));
  if (!current) return error_response(not_found(t.group_resource(), r.name));
  auto make_scale = [&](const json::object& o) {
    json::object s;
    s["kind"] = "Scale";
    s["apiVersion"] = "autoscaling/v1";
    json::object m;
    for (const char* f : {"name", "namespace", "uid", "resourceVersion", "creationTimestamp"})
      if (auto* v = jsonu::find(o, {"metadata", f})) m[f] = *v;
    s["metadata"] = std::move(m);
    s["spec"] = json::object{{"replicas", jsonu::get_int(o, {"spec", "replicas"}).value_or(1)}};
    json::object status;
    status["replicas"] = jsonu::get_int(o, {"status", "replicas"}).value_or(0);
    if (const auto* sel = jsonu::find(o, {"spec", "selector"})) {
      auto ls = label_selector::from_json(*sel);
      if (ls) status["selector"] = ls->to_string();
    }
    s["status"] = std::move(status);
    return s;
  };
  json::object scale = make_scale(current->object);
  if (request.method == "GET") {
    api_response resp;
    resp.body = json::serialize(scale);
    return resp;
  }
  std::string err;
  auto body = jsonu::parse(request.body, &err);
  if (!body) return error_response(bad_request("the body of the request could not be decoded: " + err));
  result<json::value> next = *body;
  const std::string mt = media_type(request.content_type);
  if (request.method == "PATCH") {
    if (mt == "application/merge-patch+json" || mt == "application/strategic-merge-patch+json")
      next = apply_merge_patch(scale, *body);
    else if (mt == "application/json-patch+json")
      next = apply_json_patch(scale, *body);
    else
      return error_response(unsupported_media_type("unsupported patch type for the scale subresource: " + mt));
  }
  if (!next) return error_response(bad_request(next.error().message));
  auto replicas = jsonu::get_int(*next, {"spec", "replicas"});
  if (!replicas || *replicas < 0)
    return error_response(invalid("Scale", "autoscaling", r.name,
                                  {{"FieldValueInvalid", "Invalid value: must be greater than or equal to 0",
                                    "spec.replicas"}}));
  json::object obj = current->object;
  jsonu::ensure_object(obj, {"spec"})["replicas"] = *replicas;
  write_ctx ctx;
  ctx.type = &t;
  ctx.request = &request;
  ctx.verb = "update";
  ctx.ns = r.ns;
  if (auto e = read_write_options(request, ctx)) return error_response(*e);
  auto resp = commit_write(ctx, current, std::move(obj));
  if (resp.status == 200) {
    auto updated = store_.at(t.storage).get(object_key(r.ns, r.name));
    if (updated) resp.body = json::serialize(make_scale(updated->object));
  }
  return resp;
}

}  // namespace langop::localapi
