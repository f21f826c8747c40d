// The children of a LanguageClient (PURE, SPEC 1.7): a Service selecting the agent's pods
// and, with spec.ingress, an Ingress (networking.k8s.io/v1). Auth credentials stay in the
// user's Secret: the Ingress only names it.
#pragma once

#include "langop/core/json.hpp"

#include <optional>
#include <string>
#include <vector>

namespace langop::resources {

// Service `<name>` on spec.port (default 8080, also the target port) selecting the pods
// of spec.agentRef.name (selector_labels of the LanguageAgent).
[[nodiscard]] json::object client_service(const json::object& client);

// Ingress `<name>` when spec.ingress is set (the CRD allows it without host: then the
// rule matches every host): ingressClassName = className, one rule "/" (Prefix) to the
// Service, TLS {hosts [host], secretName} with tlsSecretName, spec.ingress.annotations,
// and for auth.type basic the ingress-nginx annotations auth-type: basic, auth-secret:
// <secretRef.name>, auth-realm — these win over user annotations of the same key.
// nullopt without spec.ingress.
[[nodiscard]] std::optional<json::object> client_ingress(const json::object& client);

// Why the requested auth is not enforced by this builder's output, or nullopt when it is
// (or none is requested): basic auth needs ingress-nginx (className nginx or unset, the
// default class is assumed to be nginx), bearer has no annotation-only wiring. The
// controller reports this instead of exposing an agent it believes protected.
[[nodiscard]] std::optional<std::string> client_auth_problem(const json::object& client);

// https://<host> (TLS) or http://<host> with an ingress host; otherwise the Service:
// http://<name>.<ns>.svc.cluster.local:<port>.
[[nodiscard]] std::string client_url(const json::object& client);

// Service, then Ingress when present.
[[nodiscard]] std::vector<json::object> client_children(const json::object& client);

}  // namespace langop::resources
