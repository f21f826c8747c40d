// The egress NetworkPolicy `<name>-egress` of a LanguageAgent, LanguageTool or
// LanguageModel (PURE, SPEC 1.10). DNS lookups happen elsewhere (c-ares); this file only
// says which names to resolve and turns resolved addresses into ipBlocks.
//
// The policy selects the owner's pods and lists, in this order: DNS to kube-dns, the pods
// of referenced tools/models, then each spec.egress[] rule in spec order. Anything not
// listed is denied, so a rule that ends up with no destination is dropped rather than
// emitted with an empty `to` (which Kubernetes reads as "everywhere").
#pragma once

#include "langop/core/json.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace langop::resources {

// A peer inside the namespace the owner's pods may reach: the pods of a referenced
// service-mode tool or of a model's proxy.
struct egress_peer {
  json::object pod_selector;  // matchLabels, e.g. selector_labels of the tool/model
  std::int64_t port = 0;      // 0: every port
  std::string protocol = "TCP";
};

// Host name (normalized as dns::plan_lookups does: lowercase, no trailing dot, wildcard
// replaced by its apex) → its addresses (IPv4 or IPv6 literals).
using resolved_addresses = std::map<std::string, std::vector<std::string>>;

// The names to resolve for `spec` (the owner's spec, with `egress[]`): every
// egress[].to.dns entry, normalized, deduplicated and sorted; `*.example.com` becomes
// `example.com` (documented limitation: a NetworkPolicy cannot express wildcards, so only
// the apex is allowed — list needed sub-domains explicitly). Invalid names are left out;
// dns::plan_lookups reports them with a reason.
[[nodiscard]] std::vector<std::string> egress_dns_names(const json::object& spec);

// The rule allowing DNS: to kube-system's kube-dns pods, UDP and TCP 53.
[[nodiscard]] json::object dns_egress_rule();

// The NetworkPolicy egress rules of spec.egress[] alone, in spec order: `to.cidr` → one
// ipBlock; `to.dns` → one /32 or /128 ipBlock per resolved address (sorted, deduplicated
// over the rule's names; unresolved names contribute nothing); ports {port, protocol (TCP
// when omitted)}, or none (= every port) when the rule lists none. Rules without any
// destination are dropped. Exposed so that an agent can add its sidecar tools' rules.
[[nodiscard]] json::array egress_rules(const json::object& spec, const resolved_addresses& addresses);

// NetworkPolicy `<name>-egress` for `owner_object` (a LanguageAgent, LanguageTool or
// LanguageModel as returned by the API server): podSelector = the owner's selector labels,
// policyTypes [Egress], egress = DNS rule, one rule per peer (sorted, deduplicated),
// egress_rules(spec), then `extra_rules` as given.
[[nodiscard]] json::object egress_network_policy(const json::object& owner_object,
                                                 const std::vector<egress_peer>& peers,
                                                 const resolved_addresses& addresses,
                                                 const json::array& extra_rules = {});

}  // namespace langop::resources
