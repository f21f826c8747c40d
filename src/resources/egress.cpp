#include "langop/resources/egress.hpp"

#include "langop/dns/wildcard.hpp"
#include "langop/resources/common.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <set>

namespace langop::resources {
namespace {

// The dns entries of one rule, as strings (non-strings are ignored).
std::vector<std::string> rule_dns_names(const json::object& rule) {
  std::vector<std::string> names;
  const auto* dns = jsonu::find(rule, {"to", "dns"});
  if (dns && dns->is_array())
    for (const auto& n : dns->get_array())
      if (n.is_string()) names.emplace_back(n.get_string());
  return names;
}

const json::array* spec_egress(const json::object& spec) {
  const auto* e = spec.if_contains("egress");
  return e && e->is_array() ? &e->get_array() : nullptr;
}

std::string valid_protocol(std::string_view p) {
  if (p == "UDP" || p == "SCTP") return std::string(p);
  return "TCP";
}

json::object port_entry(std::int64_t port, std::string_view protocol) {
  return json::object{{"port", port}, {"protocol", valid_protocol(protocol)}};
}

// The rule's ports; nullopt when the rule lists ports but none is usable, so that a bad
// port narrows the policy (rule dropped) instead of widening it to every port.
std::optional<json::array> rule_ports(const json::object& rule) {
  json::array out;
  const auto* ports = rule.if_contains("ports");
  if (!ports || !ports->is_array() || ports->get_array().empty()) return out;
  for (const auto& p : ports->get_array()) {
    if (!p.is_object()) continue;
    const auto* port = p.get_object().if_contains("port");
    if (!port || !port->is_int64() || port->get_int64() < 1 || port->get_int64() > 65535) continue;
    out.push_back(port_entry(port->get_int64(), jsonu::get_string(p.get_object(), "protocol", "TCP")));
  }
  if (out.empty()) return std::nullopt;
  return out;
}

std::string address_block(const std::string& addr) {
  return addr + (addr.find(':') != std::string::npos ? "/128" : "/32");
}

json::object ip_block(std::string cidr) { return json::object{{"ipBlock", json::object{{"cidr", std::move(cidr)}}}}; }

}  // namespace

std::vector<std::string> egress_dns_names(const json::object& spec) {
  std::vector<std::string> all;
  if (const auto* rules = spec_egress(spec))
    for (const auto& r : *rules)
      if (r.is_object())
        for (auto& n : rule_dns_names(r.get_object())) all.push_back(std::move(n));
  std::vector<std::string> out;
  for (auto& t : dns::plan_lookups(all).targets) out.push_back(std::move(t.name));
  return out;  // plan_lookups sorts and deduplicates
}

json::object dns_egress_rule() {
  json::object peer;
  peer["namespaceSelector"] = json::object{{"matchLabels", json::object{{"kubernetes.io/metadata.name", "kube-system"}}}};
  peer["podSelector"] = json::object{{"matchLabels", json::object{{"k8s-app", "kube-dns"}}}};
  json::object rule;
  rule["to"] = json::array{std::move(peer)};
  rule["ports"] = json::array{port_entry(53, "UDP"), port_entry(53, "TCP")};
  return rule;
}

json::array egress_rules(const json::object& spec, const resolved_addresses& addresses) {
  json::array out;
  const auto* rules = spec_egress(spec);
  if (!rules) return out;
  for (const auto& rv : *rules) {
    if (!rv.is_object()) continue;
    const auto& rule = rv.get_object();
    json::array to;
    if (const auto* cidr = jsonu::find(rule, {"to", "cidr"}); cidr && cidr->is_string() && !cidr->get_string().empty()) {
      to.push_back(ip_block(std::string(cidr->get_string())));
    } else {
      std::set<std::string> blocks;  // sorted and deduplicated across the rule's names
      for (const auto& t : dns::plan_lookups(rule_dns_names(rule)).targets) {
        auto it = addresses.find(t.name);
        if (it == addresses.end()) continue;
        for (const auto& a : it->second)
          if (!a.empty() && a.find('/') == std::string::npos) blocks.insert(address_block(a));
      }
      for (const auto& b : blocks) to.push_back(ip_block(b));
    }
    if (to.empty()) continue;  // an empty `to` would allow every destination
    auto ports = rule_ports(rule);
    if (!ports) continue;
    json::object r;
    r["to"] = std::move(to);
    if (!ports->empty()) r["ports"] = std::move(*ports);
    out.push_back(std::move(r));
  }
  return out;
}

json::object egress_network_policy(const json::object& owner_object, const std::vector<egress_peer>& peers,
                                   const resolved_addresses& addresses, const json::array& extra_rules) {
  const owner o = owner_of(owner_object);
  json::array egress;
  egress.push_back(dns_egress_rule());

  // Peers arrive in whatever order the caller's cache yields them: sort by their
  // serialized form so the policy (and its hash) does not change with that order.
  std::map<std::string, json::object> peer_rules;
  for (const auto& p : peers) {
    if (p.pod_selector.empty()) continue;  // an empty selector would mean every pod
    json::object rule;
    rule["to"] = json::array{json::object{{"podSelector", json::object{{"matchLabels", p.pod_selector}}}}};
    if (p.port >= 1 && p.port <= 65535) rule["ports"] = json::array{port_entry(p.port, p.protocol)};
    peer_rules.emplace(json::serialize(rule), std::move(rule));
  }
  for (auto& [_, r] : peer_rules) egress.push_back(std::move(r));

  json::object empty_spec;
  const auto* spec = owner_object.if_contains("spec");
  for (auto& r : egress_rules(spec && spec->is_object() ? spec->get_object() : empty_spec, addresses))
    egress.push_back(std::move(r));
  for (const auto& r : extra_rules) egress.push_back(r);

  json::object pspec;
  pspec["podSelector"] = json::object{{"matchLabels", selector_labels(o)}};
  pspec["policyTypes"] = json::array{"Egress"};
  pspec["egress"] = std::move(egress);

  json::object np;
  np["apiVersion"] = "networking.k8s.io/v1";
  np["kind"] = "NetworkPolicy";
  np["metadata"] = child_metadata(o, o.name + "-egress", o.ns);
  np["spec"] = std::move(pspec);
  return np;
}

}  // namespace langop::resources
