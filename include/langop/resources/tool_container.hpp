// The container of a LanguageTool (PURE): how an MCP server runs, whether in its own
// Deployment (service mode) or inside every agent pod that references it (sidecar mode).
#pragma once

#include "langop/core/json.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace langop::resources {

struct volume_mount {
  std::string volume;      // a volume of the pod
  std::string mount_path;  // where it appears in the container
};

// A DNS-1123 label derived from `name` (container and port names must be labels):
// lower-cased, '.' and '_' become '-', longer than 63 characters truncated with a short
// hash suffix so distinct names stay distinct.
[[nodiscard]] std::string dns_label(std::string_view name);

// {name, image, args, ports [mcp], env (PORT and MCP_PATH unless the tool sets them, then
// the tool's env), envFrom, resources, readiness/liveness probes (the tool's, else TCP on
// its port), volumeMounts}. `tool` is the LanguageTool object as the API server returns it
// (spec defaulted).
[[nodiscard]] json::object tool_container(const json::object& tool, const std::vector<volume_mount>& mounts = {});

}  // namespace langop::resources
