// Helpers shared by the request handlers: content negotiation, version presentation,
// Event conversion, name rules, list rendering and continue tokens.
#include "apiserver_internal.hpp"

#include "langop/core/base64.hpp"
#include "langop/core/log.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace langop::localapi {
namespace {

bool is_alnum_lower(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

const char* k_subdomain_msg =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
const char* k_label_msg =
    "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and "
    "end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

void move_field(const json::object& from, std::string_view src, json::object& to, std::string_view dst) {
  auto it = from.find(src);
  if (it != from.end()) to[dst] = it->value();
}

}  // namespace

accept_info parse_accept(std::string_view accept) {
  accept_info info;
  if (accept.empty()) return info;
  bool any_json = false;
  std::size_t pos = 0;
  while (pos <= accept.size()) {
    std::size_t comma = accept.find(',', pos);
    if (comma == std::string_view::npos) comma = accept.size();
    std::string_view item = accept.substr(pos, comma - pos);
    pos = comma + 1;
    while (!item.empty() && item.front() == ' ') item.remove_prefix(1);
    bool json_type = item.starts_with("application/json") || item.starts_with("*/*") ||
                     item.starts_with("application/*");
    if (!json_type) continue;
    any_json = true;
    bool meta_group = item.find("g=meta.k8s.io") != std::string_view::npos;
    if (meta_group && item.find("as=Table") != std::string_view::npos) info.table = true;
    if (meta_group && item.find("as=PartialObjectMetadata") != std::string_view::npos) info.partial_metadata = true;
    if (comma == accept.size()) break;
  }
  info.json_ok = any_json;
  return info;
}

json::object core_event_to_events_v1(const json::object& core) {
  json::object ev;
  ev["apiVersion"] = "events.k8s.io/v1";
  ev["kind"] = "Event";
  move_field(core, "metadata", ev, "metadata");
  move_field(core, "involvedObject", ev, "regarding");
  move_field(core, "related", ev, "related");
  move_field(core, "message", ev, "note");
  move_field(core, "reason", ev, "reason");
  move_field(core, "type", ev, "type");
  move_field(core, "action", ev, "action");
  move_field(core, "eventTime", ev, "eventTime");
  move_field(core, "series", ev, "series");
  move_field(core, "reportingComponent", ev, "reportingController");
  move_field(core, "reportingInstance", ev, "reportingInstance");
  move_field(core, "source", ev, "deprecatedSource");
  move_field(core, "firstTimestamp", ev, "deprecatedFirstTimestamp");
  move_field(core, "lastTimestamp", ev, "deprecatedLastTimestamp");
  move_field(core, "count", ev, "deprecatedCount");
  return ev;
}

json::object events_v1_to_core_event(const json::object& ev) {
  json::object core;
  core["apiVersion"] = "v1";
  core["kind"] = "Event";
  move_field(ev, "metadata", core, "metadata");
  move_field(ev, "regarding", core, "involvedObject");
  move_field(ev, "related", core, "related");
  move_field(ev, "note", core, "message");
  move_field(ev, "reason", core, "reason");
  move_field(ev, "type", core, "type");
  move_field(ev, "action", core, "action");
  move_field(ev, "eventTime", core, "eventTime");
  move_field(ev, "series", core, "series");
  move_field(ev, "reportingController", core, "reportingComponent");
  move_field(ev, "reportingInstance", core, "reportingInstance");
  move_field(ev, "deprecatedSource", core, "source");
  move_field(ev, "deprecatedFirstTimestamp", core, "firstTimestamp");
  move_field(ev, "deprecatedLastTimestamp", core, "lastTimestamp");
  move_field(ev, "deprecatedCount", core, "count");
  return core;
}

object_ptr present(const resource_type& served, const object_ptr& stored) {
  if (!stored) return stored;
  const std::string api_version = served.api_version();
  auto current = jsonu::get_string(stored->object, "apiVersion");
  if (current == api_version) return stored;
  auto copy = std::make_shared<stored_object>(*stored);
  if (served.group == "events.k8s.io" && served.kind == "Event") {
    copy->object = core_event_to_events_v1(stored->object);
  } else {
    copy->object["apiVersion"] = api_version;
  }
  copy->json = json::serialize(copy->object);
  return copy;
}

json::object to_storage(const resource_type& served, json::object object, const resource_type& storage_type) {
  if (served.group == "events.k8s.io" && served.kind == "Event") return events_v1_to_core_event(object);
  object["apiVersion"] = storage_type.api_version();
  return object;
}

std::string_view meta_string(const json::object& o, std::string_view field) {
  const auto* m = jsonu::find(o, {"metadata", field});
  return m && m->is_string() ? std::string_view(m->get_string()) : std::string_view();
}

const json::object* meta_object(const json::object& o, std::string_view field) {
  const auto* m = jsonu::find(o, {"metadata", field});
  return m ? m->if_object() : nullptr;
}

json::object& metadata_of(json::object& o) { return jsonu::ensure_object(o, {"metadata"}); }

bool has_finalizers(const json::object& o) {
  const auto* f = jsonu::find(o, {"metadata", "finalizers"});
  return f && f->is_array() && !f->get_array().empty();
}

bool has_finalizer(const json::object& o, std::string_view name) {
  const auto* f = jsonu::find(o, {"metadata", "finalizers"});
  if (!f || !f->is_array()) return false;
  for (const auto& v : f->get_array())
    if (v.is_string() && v.get_string() == name) return true;
  return false;
}

std::string check_dns1123_label(std::string_view name) {
  if (name.empty()) return "Required value";
  if (name.size() > 63) return "must be no more than 63 characters";
  bool ok = is_alnum_lower(name.front()) && is_alnum_lower(name.back());
  for (char c : name) ok = ok && (is_alnum_lower(c) || c == '-');
  return ok ? std::string() : k_label_msg;
}

std::string check_dns1123_subdomain(std::string_view name) {
  if (name.empty()) return "Required value";
  if (name.size() > 253) return "must be no more than 253 characters";
  bool ok = is_alnum_lower(name.front()) && is_alnum_lower(name.back());
  for (std::size_t i = 0; i < name.size() && ok; ++i) {
    char c = name[i];
    if (c == '.') {
      // Each dot-separated part is itself a label: no "-." or ".-" or "..".
      ok = i > 0 && is_alnum_lower(name[i - 1]) && i + 1 < name.size() && is_alnum_lower(name[i + 1]);
    } else {
      ok = is_alnum_lower(c) || c == '-';
    }
  }
  return ok ? std::string() : k_subdomain_msg;
}

bool requires_dns_label(const resource_type& type) {
  return type.group.empty() && (type.kind == "Namespace" || type.kind == "Service");
}

bool uses_generation(const resource_type& type) {
  if (type.is_custom()) return true;
  static const char* kinds[] = {"Deployment",   "CronJob",          "Job",
                                "NetworkPolicy", "Ingress",         "HorizontalPodAutoscaler",
                                "PodDisruptionBudget", "CustomResourceDefinition", "Pod"};
  for (const char* k : kinds)
    if (type.kind == k) return true;
  return false;
}

bool allows_unconditional_update(const resource_type& type) { return !type.is_custom(); }

std::string render_list(const resource_type& type, const std::vector<object_ptr>& items, std::uint64_t rv,
                        std::string_view continue_token, std::optional<std::int64_t> remaining) {
  std::size_t size = 160;
  for (const auto& i : items) size += i->json.size() + 1;
  std::string out;
  out.reserve(size);
  out += "{\"kind\":";
  log::append_json_string(out, type.kind + "List");
  out += ",\"apiVersion\":";
  log::append_json_string(out, type.api_version());
  out += ",\"metadata\":{\"resourceVersion\":\"";
  out += std::to_string(rv);
  out += '"';
  if (!continue_token.empty()) {
    out += ",\"continue\":";
    log::append_json_string(out, continue_token);
  }
  if (remaining) {
    out += ",\"remainingItemCount\":";
    out += std::to_string(*remaining);
  }
  out += "},\"items\":[";
  for (std::size_t i = 0; i < items.size(); ++i) {
    if (i) out += ',';
    out += items[i]->json;
  }
  out += "]}";
  return out;
}

std::string encode_continue(std::uint64_t rv, std::string_view last_key) {
  json::object o;
  o["v"] = "meta.k8s.io/v1";
  o["rv"] = rv;
  o["start"] = last_key;
  return base64_encode(json::serialize(o));
}

bool decode_continue(std::string_view token, std::uint64_t& rv, std::string& last_key) {
  auto raw = base64_decode(token);
  if (!raw) return false;
  auto v = jsonu::parse(*raw);
  if (!v || !v->is_object()) return false;
  auto r = jsonu::get_int(*v, {"rv"});
  const auto* s = jsonu::find(*v, {"start"});
  if (!r || *r <= 0 || !s || !s->is_string()) return false;
  rv = static_cast<std::uint64_t>(*r);
  last_key = s->get_string();
  return true;
}

}  // namespace langop::localapi
