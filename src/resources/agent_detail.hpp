// Internals shared by the agent builders (agent_*.cpp); not a public header.
#pragma once

#include "langop/resources/agent.hpp"
#include "langop/resources/common.hpp"

#include <optional>
#include <string>
#include <string_view>

namespace langop::resources::detail {

// The agent's spec (an empty object when absent or not an object).
[[nodiscard]] const json::object& agent_spec(const json::object& agent);
[[nodiscard]] std::string_view agent_name(const json::object& agent);
[[nodiscard]] std::string_view agent_namespace(const json::object& agent);
// spec.<key> as jsonu::get_int / get_bool read it, without copying the spec.
[[nodiscard]] std::optional<std::int64_t> spec_int(const json::object& agent, std::string_view key);
[[nodiscard]] std::optional<bool> spec_bool(const json::object& agent, std::string_view key);

// spec[key] when it is a non-empty array / object, else nullptr (empty ones are not emitted).
[[nodiscard]] const json::array* non_empty_array(const json::object& spec, std::string_view key);
[[nodiscard]] const json::object* non_empty_object(const json::object& spec, std::string_view key);

[[nodiscard]] std::string workspace_mount_path(const json::object& agent);
[[nodiscard]] std::string agent_timeout(const json::object& agent);  // as written, default 10m
[[nodiscard]] std::int64_t agent_timeout_seconds(const json::object& agent);
[[nodiscard]] std::int64_t agent_max_iterations(const json::object& agent);

// The MCP URL of a resolved tool (its url, else tool_url).
[[nodiscard]] std::string url_of(const resolved_tool& t, std::string_view ns);
[[nodiscard]] std::string_view mode_name(tool_mode m);

// The pod spec without the config-hash annotation (what agent_config_hash hashes).
[[nodiscard]] json::object agent_pod_spec(const agent_inputs& in);

}  // namespace langop::resources::detail
