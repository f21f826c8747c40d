// What the server knows about one served resource (PURE data): identity, scope,
// verbs, subresources, and for custom resources the schema and printer columns.
#pragma once

#include "langop/core/json.hpp"
#include "langop/localapi/list_semantics.hpp"

#include <memory>
#include <string>
#include <vector>

namespace langop::localapi {

class structural_schema;

struct resource_type {
  std::string group;  // "" for the core group
  std::string version;
  std::string resource;  // plural, lower case
  std::string singular;
  std::string kind;
  bool namespaced = true;
  std::vector<std::string> short_names;
  std::vector<std::string> categories;
  std::vector<std::string> verbs;  // discovery verbs
  bool status_subresource = false;
  bool scale_subresource = false;
  // Objects of every version of a group/resource live in one collection; for kinds
  // served under two groups (core and events.k8s.io Events) this names the storage.
  std::string storage;  // "<group>/<resource>"

  // Custom resources only.
  std::string crd_name;
  std::shared_ptr<const structural_schema> schema;
  json::array printer_columns;  // CRD additionalPrinterColumns for this version

  // List semantics for patches and apply: the schema for custom resources, the
  // built-in table otherwise. Never null once registered.
  const schema_hints* hints = nullptr;

  [[nodiscard]] std::string api_version() const { return group.empty() ? version : group + "/" + version; }
  // "deployments.apps", or "configmaps" for the core group — how errors name resources.
  [[nodiscard]] std::string group_resource() const { return group.empty() ? resource : resource + "." + group; }
  [[nodiscard]] bool is_custom() const noexcept { return !crd_name.empty(); }
};

// The built-in kinds this server serves (SPEC: what the operator and kubectl use).
[[nodiscard]] std::vector<resource_type> builtin_resource_types();

}  // namespace langop::localapi
