// Internals shared by the apiserver_*.cpp files (not a public header).
#pragma once

#include "langop/localapi/apiserver.hpp"
#include "langop/localapi/selector.hpp"
#include "langop/localapi/table.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace langop::localapi {

struct apiserver::route {
  resource_type_ptr type;
  std::string ns;
  std::string name;
  std::string subresource;
  bool namespaced_path = false;  // the path carried /namespaces/<ns>/
  bool legacy_watch = false;     // /api/v1/watch/... form
};

enum class field_validation { ignore, warn, strict };

struct apiserver::write_ctx {
  const resource_type* type = nullptr;
  const api_request* request = nullptr;
  std::string ns;
  std::string name;  // from the URL (empty on create)
  std::string subresource;
  std::string verb;     // create, update, patch, apply
  std::string manager;  // field manager
  bool dry_run = false;
  field_validation validation = field_validation::warn;
  std::vector<std::string> warnings;
  // Server-side apply: the applied configuration (managed fields are computed by apply()).
  const json::object* applied = nullptr;
  bool force = false;
};

// Accept header negotiation.
struct accept_info {
  bool table = false;
  bool partial_metadata = false;  // as=PartialObjectMetadata(List)
  bool json_ok = true;            // false when only protobuf/other types were acceptable
};
[[nodiscard]] accept_info parse_accept(std::string_view accept);

// The object as `served` presents it: apiVersion rewritten for other CRD versions,
// events.k8s.io/v1 conversion of core Events. Returns `stored` itself when unchanged.
[[nodiscard]] object_ptr present(const resource_type& served, const object_ptr& stored);
// The inverse for writes through events.k8s.io/v1 (and the apiVersion of CRD versions).
[[nodiscard]] json::object to_storage(const resource_type& served, json::object object,
                                      const resource_type& storage_type);

// Converts between core/v1 Event and events.k8s.io/v1 Event field names.
[[nodiscard]] json::object core_event_to_events_v1(const json::object& core);
[[nodiscard]] json::object events_v1_to_core_event(const json::object& ev);

// Small metadata accessors.
[[nodiscard]] std::string_view meta_string(const json::object& o, std::string_view field);
[[nodiscard]] const json::object* meta_object(const json::object& o, std::string_view field);
[[nodiscard]] json::object& metadata_of(json::object& o);
[[nodiscard]] bool has_finalizers(const json::object& o);
[[nodiscard]] bool has_finalizer(const json::object& o, std::string_view name);

// DNS-1123 subdomain (most names) and label (namespaces, services) checks; empty when valid.
[[nodiscard]] std::string check_dns1123_subdomain(std::string_view name);
[[nodiscard]] std::string check_dns1123_label(std::string_view name);
// Whether the kind's name must be a DNS label rather than a subdomain.
[[nodiscard]] bool requires_dns_label(const resource_type& type);

// Whether a kind tracks metadata.generation (kinds with a spec the controllers act on).
[[nodiscard]] bool uses_generation(const resource_type& type);
// Whether PUT without metadata.resourceVersion is allowed (built-ins: yes; custom resources: no).
[[nodiscard]] bool allows_unconditional_update(const resource_type& type);

// "List" JSON from pre-rendered items (no re-serialization of items).
[[nodiscard]] std::string render_list(const resource_type& type, const std::vector<object_ptr>& items,
                                      std::uint64_t rv, std::string_view continue_token,
                                      std::optional<std::int64_t> remaining);

// Continue tokens: base64 of {"rv":N,"start":"<key>"}.
[[nodiscard]] std::string encode_continue(std::uint64_t rv, std::string_view last_key);
[[nodiscard]] bool decode_continue(std::string_view token, std::uint64_t& rv, std::string& last_key);

}  // namespace langop::localapi
