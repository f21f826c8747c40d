// The children of a LanguageModel (PURE, SPEC 1.3): the LiteLLM gateway config
// (ConfigMap `<name>-model`), the gateway Deployment `<name>-proxy` and its Service
// `<name>`. The egress NetworkPolicy comes from egress.hpp.
//
// Every function takes the LanguageModel as the API server returns it (spec defaulted) and
// copes with missing or odd fields (defaults from the CRD) instead of throwing.
//
// The API key never appears here: the proxy container reads it from the Secret through a
// `secretKeyRef` env var, and config.yaml names that variable (`os.environ/<VAR>`).
#pragma once

#include "langop/core/json.hpp"

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace langop::resources {

inline constexpr std::string_view default_litellm_image = "ghcr.io/berriai/litellm:main-stable";
inline constexpr std::int64_t default_proxy_port = 8000;
// Where config.yaml is mounted in the proxy container.
inline constexpr std::string_view litellm_config_dir = "/etc/litellm";
inline constexpr std::string_view litellm_config_key = "config.yaml";

// The model identifier: spec.model, else its deprecated alias spec.modelName.
[[nodiscard]] std::string model_identifier(const json::object& model);

// LiteLLM's route "<prefix>/<model>". The prefix is the provider, spelled the way LiteLLM
// expects it: vertex → vertex_ai, openai-compatible → openai (with api_base). For custom,
// a model that already contains '/' is taken as a complete LiteLLM route; otherwise the
// OpenAI protocol is assumed (custom requires an endpoint).
[[nodiscard]] std::string litellm_route(std::string_view provider, std::string_view model);

// The env var that carries the API key of the config's i-th model (0 = this model,
// 1.. = its fallbacks in config order): LANGOP_API_KEY, LANGOP_FALLBACK_<i>_API_KEY.
// Index-based so that two models' names can never map to the same variable.
[[nodiscard]] std::string api_key_env_var(std::size_t index);

// The LanguageModels of spec.fallbacks, in spec order, picked from `candidates` by
// metadata.name; names with no candidate, duplicates and the model itself are skipped
// (the controller reports missing ones as Pending).
[[nodiscard]] std::vector<const json::object*> ordered_fallbacks(const json::object& model,
                                                                 const std::vector<json::object>& candidates);

// The LiteLLM config as JSON (what config.yaml encodes):
//   model_list: one entry per base URL (endpoint, then loadBalancing.endpoints) of this
//     model and of each fallback; model_name is the LanguageModel's metadata.name (unique
//     in the namespace, so a fallback serving the same model id never merges with it);
//     litellm_params {model: <route>, api_base, api_key: os.environ/<VAR>, rpm, tpm,
//     timeout (seconds), temperature, max_tokens, top_p}
//   router_settings {routing_strategy, num_retries (maxAttempts - 1), timeout, fallbacks
//     [{<name>: [<fallback names>]}], model_group_alias {<spec.model>: <name>} so clients
//     may also ask for the provider's model id}
//   litellm_settings {cache: true, cache_params {type: local, ttl}} when caching.enabled
// `fallbacks`: the resolved LanguageModels (see ordered_fallbacks).
[[nodiscard]] json::object litellm_config(const json::object& model, const std::vector<json::object>& fallbacks);

// litellm_config as deterministic block-style YAML: keys in the order above, every string
// double-quoted with escapes (safe for any user text), floats always with a '.' so that
// YAML 1.1 parsers (PyYAML, which LiteLLM uses) read them as numbers.
[[nodiscard]] std::string litellm_config_yaml(const json::object& model, const std::vector<json::object>& fallbacks);
// The YAML emitter used above, for any JSON value.
[[nodiscard]] std::string to_yaml(const json::value& v);

// ConfigMap `<name>-model` with data {config.yaml}.
[[nodiscard]] json::object model_config_map(const json::object& model, const std::vector<json::object>& fallbacks);

// Deployment `<name>-proxy`: proxy.image (LiteLLM default), proxy.replicas (1), args
// `--config /etc/litellm/config.yaml --port <port>`, the ConfigMap mounted read-only, API
// keys as secretKeyRef env vars {name, key (default api-key)} for this model and its
// fallbacks, proxy.resources, TCP probes. The pod template annotation
// langop.io/config-hash covers config.yaml and `secret_versions` (Secret name →
// resourceVersion, supplied by the controller) so a config change or a rotated key rolls
// the pods: env from a Secret is only read at container start.
[[nodiscard]] json::object model_deployment(const json::object& model, const std::vector<json::object>& fallbacks,
                                            const json::object& secret_versions = {});

// Service `<name>` on proxy.port selecting the proxy pods.
[[nodiscard]] json::object model_service(const json::object& model);

// http://<name>.<ns>.svc.cluster.local:<proxy.port>
[[nodiscard]] std::string model_endpoint_url(const json::object& model);

// The Secrets the proxy reads (this model's and its fallbacks'), sorted, deduplicated: the
// controller checks they exist and hashes their resourceVersions.
[[nodiscard]] std::vector<std::string> model_secret_names(const json::object& model,
                                                          const std::vector<json::object>& fallbacks);

// ConfigMap, Deployment, Service — in that order.
[[nodiscard]] std::vector<json::object> model_children(const json::object& model,
                                                       const std::vector<json::object>& fallbacks,
                                                       const json::object& secret_versions = {});

}  // namespace langop::resources
