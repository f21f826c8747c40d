// The children of a LanguageAgent (PURE, SPEC 1.6): env contract, ConfigMap
// "<name>-config", Deployment or CronJob "<name>", PVC "<name>-workspace", and the
// config hash that rolls the pods. Functions from resolved inputs to the exact objects the
// operator applies: no I/O, deterministic, never throwing on odd input.
//
// The controller resolves the agent's references from its caches into agent_inputs; a
// missing or not-ready reference is its business (Pending), these builders only see what
// resolved. Children carry child_metadata (labels + controller ownerReference), no status
// and no server-managed fields, and omit empty objects/arrays (the server would drop them,
// making every compare-then-write see a difference). User-provided values (resources,
// affinity, tolerations, quantities) are copied as written.
//
// Pod layout:
//   container "agent": image, env (agent_env), envFrom, resources, volumeMounts
//     agent-code   -> /etc/agent/code    (ConfigMap "<name>-code", read-only, optional: the
//                                         pod starts before synthesis has written it)
//     agent-config -> /etc/agent/config  (ConfigMap "<name>-config", read-only)
//     workspace    -> workspace.mountPath (PVC "<name>-workspace", when enabled)
//   one container per sidecar tool (tool_container, with the workspace mounted). In
//   scheduled mode they are native sidecars (initContainers with restartPolicy Always,
//   Kubernetes >= 1.29): a plain sidecar container never exits, so the Job would never
//   complete.
//   serviceAccountName, imagePullSecrets, nodeSelector, tolerations, affinity from the spec.
#pragma once

#include "langop/core/json.hpp"
#include "langop/resources/persona.hpp"
#include "langop/resources/tool.hpp"  // tool_mode

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace langop::resources {

inline constexpr std::string_view default_agent_image = "git.theryans.io/langop/agent:latest";
inline constexpr std::string_view agent_container_name = "agent";
inline constexpr std::string_view agent_code_mount_path = "/etc/agent/code";
inline constexpr std::string_view agent_code_path = "/etc/agent/code/agent.rb";  // AGENT_CODE_PATH
inline constexpr std::string_view agent_config_mount_path = "/etc/agent/config";
inline constexpr std::string_view agent_code_volume = "agent-code";
inline constexpr std::string_view agent_config_volume = "agent-config";
inline constexpr std::string_view agent_workspace_volume = "workspace";
inline constexpr std::string_view default_workspace_size = "10Gi";
// Retries of a failed scheduled run (each run is an LLM-driven, possibly costly loop).
inline constexpr std::int64_t agent_job_backoff_limit = 2;

// A LanguageModel the agent references, as the agent sees it (MODEL_ENDPOINTS entry).
struct resolved_model {
  std::string name;   // the LanguageModel
  std::string url;    // its gateway: http://<name>.<ns>.svc.cluster.local:<proxy.port>
  std::string model;  // provider model id (spec.model, or the deprecated spec.modelName)
  std::string role;   // from the agent's modelRef: primary (also when unset), fallback, ...
};


// A LanguageTool the agent references (MCP_SERVERS entry; a container when sidecar).
struct resolved_tool {
  std::string name;
  tool_mode mode = tool_mode::service;
  std::string url;  // empty: derived from mode, name, namespace, port and path (tool_url)
  std::int64_t port = 8080;
  std::string path = "/mcp";
  const json::object* tool = nullptr;  // the LanguageTool object; required for sidecars
};

// Everything the builders read. `models` and `tools` are in the order of the agent's
// modelRefs / toolRefs and come out in that order.
struct agent_inputs {
  const json::object& agent;  // the LanguageAgent as served (schema defaults applied)
  std::vector<resolved_model> models;
  std::vector<resolved_tool> tools;
  std::optional<flattened_persona> persona;  // flatten_persona of the personaRef chain
};

// What the pod reads that is not in agent_inputs, for agent_config_hash.
struct config_hash_extra {
  std::map<std::string, std::string> secret_versions;      // Secret name -> resourceVersion
  std::map<std::string, std::string> config_map_versions;  // user ConfigMap name -> resourceVersion
  std::string code_hash;  // content hash of the "<name>-code" ConfigMap data; "" before synthesis
};

// Secrets and ConfigMaps the pod reads through env valueFrom and envFrom (agent and sidecar
// containers), sorted, without langop's own ConfigMaps: whose resourceVersions the controller
// passes in config_hash_extra. Image pull secrets are not listed (changing one does not change
// what a running pod reads).
struct pod_references {
  std::vector<std::string> secrets;
  std::vector<std::string> config_maps;
};

// --- reading the spec ---------------------------------------------------------------------
// continuous -> autonomous, reactive -> interactive (deprecated aliases), "" -> autonomous.
[[nodiscard]] std::string_view normalize_execution_mode(std::string_view mode);
[[nodiscard]] bool is_deprecated_execution_mode(std::string_view mode);  // for the Warning event
[[nodiscard]] std::string_view agent_execution_mode(const json::object& agent);  // normalized
[[nodiscard]] bool agent_is_scheduled(const json::object& agent);
[[nodiscard]] bool agent_workspace_enabled(const json::object& agent);
// A Go duration ("1h30m", "1.5h", "90s") rounded up to whole seconds; nullopt when malformed.
[[nodiscard]] std::optional<std::int64_t> go_duration_seconds(std::string_view d);

// MCP endpoint: service http://<tool>.<ns>.svc.cluster.local:<port><path>, sidecar
// http://localhost:<port><path>, builtin "" (run in-process by task loops).
[[nodiscard]] std::string tool_url(std::string_view tool, std::string_view ns, tool_mode mode, std::int64_t port,
                                   std::string_view path);
// From the served objects (defaults: proxy.port 8000, port 8080, path /mcp). The resolved
// tool points at `tool`, which must outlive it.
[[nodiscard]] resolved_model resolve_model(const json::object& model, std::string_view role);
[[nodiscard]] resolved_tool resolve_tool(const json::object& tool);

// Semantic problems the schema cannot see (the controller reports them as Failed): a sidecar
// tool without its object, two sidecars on one port, a workspace mounted over langop's own
// mounts. Empty when the inputs are buildable.
[[nodiscard]] std::vector<std::string> agent_problems(const agent_inputs& in);

// --- names (names.hpp for the shortening rule) ---------------------------------------------
[[nodiscard]] std::string agent_deployment_name(std::string_view agent);  // <name> (already <= 253)
[[nodiscard]] std::string agent_cronjob_name(std::string_view agent);     // <name>, <= 52
[[nodiscard]] std::string agent_config_map_name(std::string_view agent);  // <name>-config
[[nodiscard]] std::string agent_code_config_map_name(std::string_view agent);  // <name>-code
[[nodiscard]] std::string agent_workspace_pvc_name(std::string_view agent);    // <name>-workspace

// --- env contract ---------------------------------------------------------------------------
// In this order (a variable whose value would be empty is omitted, because the API server
// drops empty values; MCP_SERVERS and MODEL_ENDPOINTS are always set, "[]" when empty):
//   AGENT_NAME, AGENT_NAMESPACE, AGENT_MODE (normalized), INSTRUCTIONS, AGENT_GOAL,
//   MCP_SERVERS   [{"name","url"}] for service and sidecar tools (builtin tools are not MCP),
//   MODEL_ENDPOINTS [{"name","url","model","role"}],
//   PERSONA_NAME, PERSONA_DESCRIPTION, PERSONA_SYSTEM_PROMPT (persona_system_prompt),
//   PERSONA_TONE, PERSONA_LANGUAGE (only with a persona),
//   AGENT_CODE_PATH=/etc/agent/code/agent.rb,
//   AGENT_MAX_ITERATIONS (default 50), AGENT_TIMEOUT (Go duration as written, default 10m),
//   AGENT_TIMEOUT_SECONDS, AGENT_MAX_TOKENS and AGENT_MAX_COST_USD (budget, when set),
//   AGENT_WORKSPACE (the mount path, when the workspace is enabled),
// then spec.env in its order. langop's variables win: a spec.env entry named like a variable
// langop sets for this agent is dropped (as the CRD documents), so a manifest cannot break
// the contract; shadowed_user_env names the dropped entries for a Warning event. A name langop
// leaves unset (e.g. AGENT_GOAL without spec.goal) is the user's to set.
[[nodiscard]] json::array agent_env(const agent_inputs& in);
[[nodiscard]] std::vector<std::string> shadowed_user_env(const agent_inputs& in);

// --- children -------------------------------------------------------------------------------
// ConfigMap "<name>-config", mounted at /etc/agent/config:
//   agent.json   {name, namespace, mode, schedule, instructions, goal, maxIterations, timeout,
//                 timeoutSeconds, budget, models[{name,url,model,role}], tools[{name, mode,
//                 url, requireApproval}] (builtin tools included, without url), subAgents[],
//                 humanContactChannels[], workspace{mountPath}}; empty values omitted
//   persona.json persona_json(persona), when a persona is set
[[nodiscard]] json::object agent_config_map(const agent_inputs& in);

[[nodiscard]] pod_references agent_pod_references(const agent_inputs& in);

// What several builders share, built once per reconcile: the pod spec (in the workload, the
// config hash and the pod references) and the "<name>-config" ConfigMap (a child and in the
// hash). The overloads taking it give the same results as those without.
struct agent_parts {
  json::object pod_spec;    // the pod spec without the config-hash annotation
  json::object config_map;  // agent_config_map(in)
};
[[nodiscard]] agent_parts agent_prebuild(const agent_inputs& in);
[[nodiscard]] pod_references agent_pod_references(const agent_inputs& in, const agent_parts& parts);

// SHA-256 over everything the pod reads: the pod template (env, mounts, sidecar tool
// containers, image, scheduling), the "<name>-config" data, the referenced Secret/ConfigMap
// resourceVersions and the code hash. Any change gives a new value and so rolls the pods.
[[nodiscard]] std::string agent_config_hash(const agent_inputs& in, const config_hash_extra& extra);
[[nodiscard]] std::string agent_config_hash(const agent_parts& parts, const config_hash_extra& extra);

// Pod template {metadata {labels: child labels, annotations {langop.io/config-hash}}, spec}.
// restartPolicy OnFailure in scheduled mode (server default Always otherwise).
[[nodiscard]] json::object agent_pod_template(const agent_inputs& in, std::string_view config_hash);
[[nodiscard]] json::object agent_pod_template(const agent_inputs& in, std::string_view config_hash,
                                              json::object pod_spec);

// Deployment "<name>" (autonomous, interactive, event-driven and the deprecated aliases):
// replicas = spec.replicas, 0 while suspended; selector = selector_labels; strategy Recreate
// when a ReadWriteOnce/ReadWriteOncePod workspace is mounted (a rolling update would wait
// forever for the new pod to attach the volume the old pod holds), else the server default.
[[nodiscard]] json::object agent_deployment(const agent_inputs& in, std::string_view config_hash);
[[nodiscard]] json::object agent_deployment(const agent_inputs& in, std::string_view config_hash,
                                            json::object pod_spec);  // agent_parts::pod_spec

// CronJob "<name>" (batch/v1, scheduled mode): schedule, suspend = spec.suspend,
// concurrencyPolicy Forbid (a run still going when the next is due skips that run: two runs
// would share the workspace and double the spend), jobTemplate {labels, backoffLimit 2,
// activeDeadlineSeconds = spec.timeout in seconds (omitted when 0), the pod template}.
[[nodiscard]] json::object agent_cronjob(const agent_inputs& in, std::string_view config_hash);
[[nodiscard]] json::object agent_cronjob(const agent_inputs& in, std::string_view config_hash,
                                         json::object pod_spec);  // agent_parts::pod_spec

// agent_cronjob when scheduled, else agent_deployment.
[[nodiscard]] json::object agent_workload(const agent_inputs& in, std::string_view config_hash);

// PVC "<name>-workspace" when the workspace is enabled: accessModes [accessMode, default
// ReadWriteOnce], requests.storage = size, else the alias storage, else 10Gi (as written),
// storageClassName when set (also "", which disables dynamic provisioning).
[[nodiscard]] std::optional<json::object> agent_workspace_pvc(const agent_inputs& in);

}  // namespace langop::resources
