// get and list (with selectors, paging, Table and PartialObjectMetadata output).
#include "apiserver_internal.hpp"

#include <boost/json/serialize.hpp>

#include <charconv>

namespace langop::localapi {
namespace {

const char* k_continue_too_old =
    "The provided continue parameter is too old to display a consistent list result. You can start a new list "
    "without the continue parameter, or use the continue token in this response to retrieve the remainder of the "
    "results. Continuing with the provided token results in an inconsistent list - objects that were created, "
    "modified, or deleted between the time the first chunk was returned and now may show up in the list.";

json::object partial_metadata(const json::object& o) {
  json::object p;
  p["kind"] = "PartialObjectMetadata";
  p["apiVersion"] = "meta.k8s.io/v1";
  auto it = o.find("metadata");
  p["metadata"] = it != o.end() ? it->value() : json::object();
  return p;
}

}  // namespace

api_response apiserver::handle_get(const api_request& request, const route& r) {
  const auto& t = *r.type;
  const collection* c = store_.find(t.storage);
  object_ptr obj = c ? c->get(object_key(t.namespaced ? r.ns : "", r.name)) : nullptr;
  if (!obj) return error_response(not_found(t.group_resource(), r.name));
  auto accept = parse_accept(request.accept);
  if (!accept.json_ok) {
    api_error e;
    e.code = 406;
    e.reason = "NotAcceptable";
    e.message = "only the following media types are accepted: application/json";
    return error_response(e);
  }
  if (accept.partial_metadata) {
    api_response resp;
    resp.body = json::serialize(partial_metadata(present(t, obj)->object));
    return resp;
  }
  return object_response(200, t, obj, request);
}

api_response apiserver::handle_list(const api_request& request, const route& r) {
  const auto& t = *r.type;
  auto labels = label_selector::parse(request.query_or("labelSelector"));
  if (!labels) return error_response(bad_request(labels.error().message));
  auto fields = field_selector::parse(request.query_or("fieldSelector"));
  if (!fields) return error_response(bad_request(fields.error().message));

  std::int64_t limit = 0;
  if (const auto* l = request.query_param("limit"); l && !l->empty()) {
    auto [p, ec] = std::from_chars(l->data(), l->data() + l->size(), limit);
    if (ec != std::errc() || p != l->data() + l->size() || limit < 0)
      return error_response(bad_request("invalid limit: " + *l));
  }
  const collection& c = store_.at(t.storage);
  std::uint64_t list_rv = store_.current_rv();
  std::string after_key;
  const std::string continue_token = request.query_or("continue");
  if (!continue_token.empty()) {
    if (!request.query_or("resourceVersion").empty() && request.query_or("resourceVersion") != "0")
      return error_response(bad_request("specifying resource version is not allowed when using continue"));
    if (!decode_continue(continue_token, list_rv, after_key))
      return error_response(bad_request("continue key is not valid: invalid continue token"));
    if (list_rv < c.compacted_rv()) return error_response(expired(k_continue_too_old));
  } else if (request.query_or("resourceVersionMatch") == "Exact") {
    // Snapshots of the past are not kept: only the current version can be served exactly.
    auto rv = request.query_or("resourceVersion");
    if (rv != std::to_string(list_rv))
      return error_response(expired("too old resource version: " + rv + " (" + std::to_string(list_rv) + ")"));
  }

  const std::string ns = r.namespaced_path ? r.ns : std::string();
  std::vector<object_ptr> items;
  std::int64_t remaining = 0;
  std::string last_key;
  // Past the page, objects are only counted (never presented), and with a selector the
  // first further match ends the scan (remainingItemCount is not reported then): a paged
  // list of N objects costs O(N), not O(N * pages).
  c.for_each(ns, after_key, [&](const object_ptr& stored) {
    const bool page_full = limit > 0 && static_cast<std::int64_t>(items.size()) >= limit;
    const json::object* labels_obj = meta_object(stored->object, "labels");
    if (!labels->matches(labels_obj)) return true;
    if (page_full && fields->empty()) {
      ++remaining;
      return labels->empty();
    }
    object_ptr shown = present(t, stored);
    if (!fields->empty() && !fields->matches(shown->object)) return true;
    if (page_full) {
      ++remaining;
      return false;
    }
    items.push_back(std::move(shown));
    last_key = stored->key;
    return true;
  });
  std::string next_token = remaining > 0 ? encode_continue(list_rv, last_key) : std::string();
  std::optional<std::int64_t> remaining_count;
  if (remaining > 0 && labels->empty() && fields->empty()) remaining_count = remaining;

  api_response resp;
  auto accept = parse_accept(request.accept);
  if (accept.table) {
    std::vector<const json::object*> objs;
    objs.reserve(items.size());
    for (const auto& i : items) objs.push_back(&i->object);
    resp.body = json::serialize(make_table(t.group, t.kind, &t.printer_columns, objs, include_object::metadata,
                                           std::to_string(list_rv), next_token, now()));
  } else if (accept.partial_metadata) {
    json::object list;
    list["kind"] = "PartialObjectMetadataList";
    list["apiVersion"] = "meta.k8s.io/v1";
    json::object meta;
    meta["resourceVersion"] = std::to_string(list_rv);
    if (!next_token.empty()) meta["continue"] = next_token;
    list["metadata"] = std::move(meta);
    json::array arr;
    for (const auto& i : items) arr.push_back(partial_metadata(i->object));
    list["items"] = std::move(arr);
    resp.body = json::serialize(list);
  } else {
    resp.body = render_list(t, items, list_rv, next_token, remaining_count);
  }
  return resp;
}

}  // namespace langop::localapi
