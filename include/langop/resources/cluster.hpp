// The children of a LanguageCluster (PURE, SPEC 1.2): its Namespace, a ResourceQuota and
// a LimitRange in it. The LanguageCluster is cluster-scoped; Kubernetes allows both the
// (cluster-scoped) Namespace and the namespaced quota/limits to name it as their owner.
#pragma once

#include "langop/core/json.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace langop::resources {

// Annotation on a Namespace langop created, value = the LanguageCluster name. Its absence
// on an existing Namespace means "adopted": the finalizer must then never delete it.
inline constexpr std::string_view namespace_created_by_annotation = "langop.io/created-by-cluster";

// spec.namespace, else metadata.name.
[[nodiscard]] std::string cluster_namespace_name(const json::object& cluster);

// The Namespace: labels = spec.labels, then the child labels (langop.io/cluster: <name>
// and app.kubernetes.io/*, which win over spec.labels).
// `created_by_langop` (langop creates it, or created it earlier): adds the
// created-by annotation and the controller ownerReference. false (the Namespace existed
// before and is adopted): neither, so that neither the finalizer nor the garbage
// collector ever deletes a namespace langop did not create.
[[nodiscard]] json::object cluster_namespace(const json::object& cluster, bool created_by_langop = true);

// ResourceQuota `<name>-quota` in the namespace with spec.hard = spec.resourceQuotas;
// quantities given as numbers are written as strings (the API server returns strings, so
// numbers would show as a diff on every reconcile). nullopt when resourceQuotas is empty.
[[nodiscard]] std::optional<json::object> cluster_resource_quota(const json::object& cluster);

// LimitRange `<name>-limits` with one limit of type Container {default, defaultRequest}
// (each only when non-empty). nullopt when spec.limits has neither.
[[nodiscard]] std::optional<json::object> cluster_limit_range(const json::object& cluster);

// Namespace, then ResourceQuota and LimitRange when present.
[[nodiscard]] std::vector<json::object> cluster_children(const json::object& cluster, bool created_by_langop = true);

}  // namespace langop::resources
