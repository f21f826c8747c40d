// Shared pieces of every child object langop creates (PURE): the standard labels, the
// controller ownerReference and metadata, and the content hash that lets a reconcile
// skip writes when nothing changed.
#pragma once

#include "langop/core/json.hpp"

#include <string>
#include <string_view>

namespace langop::resources {

inline constexpr std::string_view api_group = "langop.io";
inline constexpr std::string_view api_version = "langop.io/v1alpha1";
inline constexpr std::string_view field_manager = "langop";
inline constexpr std::string_view finalizer = "langop.io/finalizer";
// The pod-template annotation whose change rolls the pods (SPEC 1.6).
inline constexpr std::string_view config_hash_annotation = "langop.io/config-hash";

// The owner of a child: a langop custom resource.
struct owner {
  std::string kind;  // "LanguageAgent"
  std::string name;
  std::string ns;    // empty for cluster-scoped owners
  std::string uid;
};
[[nodiscard]] owner owner_of(const json::object& custom_resource);

// The label that ties a child (and pods) to its owner: langop.io/agent, langop.io/tool,
// langop.io/model, langop.io/client, langop.io/cluster, langop.io/persona.
[[nodiscard]] std::string kind_label_key(std::string_view owner_kind);

// app.kubernetes.io/managed-by: langop, app.kubernetes.io/name: <kind-lower>,
// app.kubernetes.io/instance: <owner>, plus the kind label (SPEC 1.1). Owner names longer
// than a label value may be (63) are shortened with label_value (names.hpp).
[[nodiscard]] json::object child_labels(const owner& o);
// The labels that select an owner's pods (stable: never includes version-like values).
[[nodiscard]] json::object selector_labels(const owner& o);

// {apiVersion, kind, name, uid, controller: true, blockOwnerDeletion: true}
[[nodiscard]] json::object controller_reference(const owner& o);

// metadata {name, namespace (unless empty), labels (child_labels merged with `extra_labels`),
// ownerReferences [controller_reference]}; annotations added when non-empty.
[[nodiscard]] json::object child_metadata(const owner& o, std::string_view name, std::string_view ns,
                                          const json::object& extra_labels = {},
                                          const json::object& annotations = {});

// {apiVersion, kind, metadata}: the head of every child object.
[[nodiscard]] json::object typed_object(std::string_view api_version, std::string_view kind, json::object metadata);

// A stable SHA-256 (hex) of a JSON value's compact serialization: the same value always
// hashes the same, across runs and processes.
[[nodiscard]] std::string content_hash(const json::value& v);
[[nodiscard]] std::string sha256_hex(std::string_view data);

}  // namespace langop::resources
