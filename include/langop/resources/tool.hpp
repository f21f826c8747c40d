// The children of a LanguageTool (PURE, SPEC 1.4). The egress NetworkPolicy comes from
// egress.hpp; the container itself from tool_container.hpp (shared with sidecars).
//
// Which children exist depends on the mode:
//   type mcp, deploymentMode service (default): ConfigMap `<name>-tool`, Deployment
//     `<name>`, Service `<name>`, HPA `<name>` (spec.autoscaling), PDB `<name>`
//     (spec.podDisruptionBudget);
//   type mcp, deploymentMode sidecar: ConfigMap only (agents run the container);
//   type builtin: ConfigMap only (executed in-process by task loops).
// Every function takes the LanguageTool as the API server returns it and falls back to
// the CRD defaults for missing or odd fields instead of throwing.
#pragma once

#include "langop/core/json.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace langop::resources {

enum class tool_mode { service, sidecar, builtin };
[[nodiscard]] tool_mode tool_mode_of(const json::object& tool);

// Where agents reach the MCP server: service mode
// `http://<name>.<ns>.svc.cluster.local:<port><path>`, sidecar mode
// `http://localhost:<port><path>`; empty for builtin tools (no network endpoint).
[[nodiscard]] std::string tool_endpoint_url(const json::object& tool);

// The service-mode URL as a template: {name}, {namespace}, {port} and {path} stand for the
// tool's values (the operator's --mcp-discovery-url-template defaults to it).
inline constexpr std::string_view tool_service_url_template = "http://{name}.{namespace}.svc.cluster.local:{port}{path}";
[[nodiscard]] std::string expand_tool_url(std::string_view url_template, const json::object& tool);

// ConfigMap `<name>-tool`, data `tool.json`: {name, type, deploymentMode, port, path,
// endpoint, builtin} — what a client needs to find the tool. It deliberately leaves out
// env/envFrom (values there may be sensitive and clients do not need them).
[[nodiscard]] json::object tool_config_map(const json::object& tool);

// Deployment `<name>` running tool_container(tool). replicas = spec.replicas (1), left
// out when autoscaling is set so the HPA owns the count (a written replicas would fight it).
[[nodiscard]] json::object tool_deployment(const json::object& tool);

// Service `<name>` on spec.port (port name mcp) selecting the tool's pods.
[[nodiscard]] json::object tool_service(const json::object& tool);

// HorizontalPodAutoscaler autoscaling/v2 `<name>` scaling the Deployment on CPU
// utilization (targetCPUUtilization, default 80; minReplicas default 1, never above
// maxReplicas). nullopt without spec.autoscaling or without a usable maxReplicas.
[[nodiscard]] std::optional<json::object> tool_hpa(const json::object& tool);

// PodDisruptionBudget policy/v1 `<name>` with minAvailable or maxUnavailable (integer or
// percentage, copied); minAvailable wins if both are set. nullopt when neither is set.
[[nodiscard]] std::optional<json::object> tool_pdb(const json::object& tool);

// The children for the tool's mode (see above), ConfigMap first.
[[nodiscard]] std::vector<json::object> tool_children(const json::object& tool);

}  // namespace langop::resources
