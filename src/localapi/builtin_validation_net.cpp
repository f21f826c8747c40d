// networking.k8s.io (NetworkPolicy, Ingress), autoscaling (HorizontalPodAutoscaler v2),
// policy (PodDisruptionBudget) and coordination.k8s.io (Lease) validation, after
// k8s.io/kubernetes/pkg/apis/{networking,autoscaling,policy,coordination}/validation.
#include "builtin_validation_detail.hpp"
#include "k8s_format.hpp"

#include <arpa/inet.h>

#include <array>
#include <charconv>
#include <cstring>

namespace langop::localapi::detail {
namespace {

const char* const cidr_error = "must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)";

struct network {
  bool v6 = false;
  std::array<unsigned char, 16> addr{};
  int bits = 0;
};

std::optional<network> parse_cidr(std::string_view s) {
  if (!is_cidr(s)) return std::nullopt;
  auto slash = s.find('/');
  network n;
  std::string ip(s.substr(0, slash));
  n.v6 = ip.find(':') != std::string::npos;
  if (n.v6) {
    if (inet_pton(AF_INET6, ip.c_str(), n.addr.data()) != 1) return std::nullopt;
  } else {
    // Leading zeros are tolerated like netutils.ParseCIDRSloppy.
    int part = 0;
    std::size_t start = 0;
    for (int i = 0; i < 4; ++i) {
      auto dot = ip.find('.', start);
      std::from_chars(ip.data() + start, ip.data() + (dot == std::string::npos ? ip.size() : dot), part);
      n.addr[static_cast<std::size_t>(i)] = static_cast<unsigned char>(part);
      start = dot + 1;
    }
  }
  auto bits = s.substr(slash + 1);
  std::from_chars(bits.data(), bits.data() + bits.size(), n.bits);
  return n;
}

bool contains(const network& outer, const network& inner) {
  if (outer.v6 != inner.v6) return false;
  for (int i = 0; i < outer.bits; ++i) {
    auto byte = static_cast<std::size_t>(i / 8);
    unsigned mask = 0x80u >> (i % 8);
    if ((outer.addr[byte] & mask) != (inner.addr[byte] & mask)) return false;
  }
  return true;
}

// ---- NetworkPolicy ----

void validate_np_port(checker& c, const json::object& p, const std::string& pp) {
  if (auto proto = c.str_field(p, "protocol", child_path(pp, "protocol"));
      proto && *proto != "TCP" && *proto != "UDP" && *proto != "SCTP")
    c.not_supported(child_path(pp, "protocol"), render(*proto), {"TCP", "UDP", "SCTP"});
  auto end_port = c.int_field(p, "endPort", child_path(pp, "endPort"));
  auto it = p.find("port");
  if (it == p.end() || it->value().is_null()) {
    if (end_port)
      c.invalid(child_path(pp, "endPort"), render(*end_port), "may not be specified when `port` is not specified");
    return;
  }
  const auto& port = it->value();
  if (port.is_string()) {
    if (end_port)
      c.invalid(child_path(pp, "endPort"), render(*end_port), "may not be specified when `port` is non-numeric");
    c.invalid_each(child_path(pp, "port"), render(port), port_name_errors(port.get_string()));
  } else if (auto n = jsonu::get_int(port, {})) {
    validate_port_num(c, *n, child_path(pp, "port"));
    if (end_port) {
      if (*end_port < *n) c.invalid(child_path(pp, "endPort"), render(*n), "must be greater than or equal to `port`");
      validate_port_num(c, *end_port, child_path(pp, "endPort"));
    }
  } else {
    c.type_invalid(child_path(pp, "port"), port, "integer or string");
  }
}

void validate_np_peer(checker& c, const json::object& peer, const std::string& pp) {
  int peers = 0;
  for (std::string_view sel : {"podSelector", "namespaceSelector"}) {
    if (const auto* s = c.obj_field(peer, sel, child_path(pp, sel))) {
      ++peers;
      validate_label_selector(c, *s, child_path(pp, sel));
    }
  }
  const auto* block = c.obj_field(peer, "ipBlock", child_path(pp, "ipBlock"));
  if (block) {
    ++peers;
    std::string bp = child_path(pp, "ipBlock");
    auto cidr = c.str_field(*block, "cidr", child_path(bp, "cidr")).value_or("");
    if (cidr.empty()) {
      c.required(child_path(bp, "cidr"));
    } else if (auto net = parse_cidr(cidr); !net) {
      c.invalid(child_path(bp, "cidr"), render(cidr), cidr_error);
    } else if (const auto* except = c.arr_field(*block, "except", child_path(bp, "except"))) {
      for (std::size_t i = 0; i < except->size(); ++i) {
        std::string ep = index_path(child_path(bp, "except"), i);
        std::string_view e =
            (*except)[i].is_string() ? std::string_view((*except)[i].get_string()) : std::string_view{};
        auto ex = parse_cidr(e);
        if (!ex)
          c.invalid(ep, render((*except)[i]), cidr_error);
        else if (!contains(*net, *ex) || net->bits >= ex->bits)
          c.invalid(ep, render(e), "must be a strict subset of `cidr`");
      }
    }
  }
  if (peers == 0)
    c.required(pp, "must specify a peer");
  else if (peers > 1 && block)
    c.forbidden(pp, "may not specify both ipBlock and another peer");
}

void validate_network_policy(checker& c, const json::object& o) {
  const auto* spec = c.obj_field(o, "spec", "spec");
  if (!spec) return;
  if (const auto* ps = c.obj_field(*spec, "podSelector", "spec.podSelector"))
    validate_label_selector(c, *ps, "spec.podSelector");
  for (std::string_view dir : {"ingress", "egress"}) {
    std::string dp = child_path("spec", dir);
    const auto* rules = c.arr_field(*spec, dir, dp);
    if (!rules) continue;
    std::string_view peers_key = dir == "ingress" ? "from" : "to";
    for (std::size_t i = 0; i < rules->size(); ++i) {
      std::string rp = index_path(dp, i);
      const auto* rule = (*rules)[i].if_object();
      if (!rule) continue;
      if (const auto* ports = c.arr_field(*rule, "ports", child_path(rp, "ports")))
        for (std::size_t j = 0; j < ports->size(); ++j)
          if (const auto* p = (*ports)[j].if_object()) validate_np_port(c, *p, index_path(child_path(rp, "ports"), j));
      if (const auto* peers = c.arr_field(*rule, peers_key, child_path(rp, peers_key)))
        for (std::size_t j = 0; j < peers->size(); ++j)
          if (const auto* p = (*peers)[j].if_object())
            validate_np_peer(c, *p, index_path(child_path(rp, peers_key), j));
    }
  }
  if (const auto* types = c.arr_field(*spec, "policyTypes", "spec.policyTypes")) {
    if (types->size() > 2) {
      c.invalid("spec.policyTypes", jsonu::dump(*types), "may not specify more than two policyTypes");
      return;
    }
    for (std::size_t i = 0; i < types->size(); ++i) {
      const auto& t = (*types)[i];
      if (!t.is_string() || (t.get_string() != "Ingress" && t.get_string() != "Egress"))
        c.not_supported(index_path("spec.policyTypes", i), render(t), {"Ingress", "Egress"});
    }
  }
}

// ---- Ingress ----

std::vector<std::string> wildcard_subdomain_errors(std::string_view host) {
  if (host.size() > 2 && host.substr(0, 2) == "*." && dns1123_subdomain_errors(host.substr(2)).empty()) return {};
  return {
      "a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of "
      "lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', "
      "regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"};
}

void validate_backend(checker& c, const json::object& b, const std::string& bp) {
  const auto* svc = c.obj_field(b, "service", child_path(bp, "service"));
  const auto* res = c.obj_field(b, "resource", child_path(bp, "resource"));
  if (svc && res) {
    c.invalid(bp, render(""), "cannot set both resource and service backends");
  } else if (res) {
    std::string rp = child_path(bp, "resource");
    if (c.str_field(*res, "kind", child_path(rp, "kind")).value_or("").empty()) c.required(child_path(rp, "kind"));
    if (c.str_field(*res, "name", child_path(rp, "name")).value_or("").empty()) c.required(child_path(rp, "name"));
  } else if (svc) {
    std::string sp = child_path(bp, "service");
    auto name = c.str_field(*svc, "name", child_path(sp, "name")).value_or("");
    if (name.empty())
      c.required(child_path(sp, "name"));
    else
      c.invalid_each(child_path(sp, "name"), render(name), dns1035_label_errors(name));
    const auto* port = c.obj_field(*svc, "port", child_path(sp, "port"));
    static const json::object none;
    const auto& po = port ? *port : none;
    auto pname = c.str_field(po, "name", child_path(sp, "port.name")).value_or("");
    auto pnum = c.int_field(po, "number", child_path(sp, "port.number")).value_or(0);
    if (!pname.empty() && pnum != 0)
      c.invalid(bp, render(""), "cannot set both port name & port number");
    else if (!pname.empty())
      c.invalid_each(child_path(sp, "port.name"), render(pname), port_name_errors(pname));
    else if (pnum != 0)
      validate_port_num(c, pnum, child_path(sp, "port.number"));
    else
      c.required(bp, "port name or number is required");
  } else {
    c.invalid(bp, render(""), "resource or service backend is required");
  }
}

void validate_host(checker& c, const std::string& host, const std::string& path) {
  if (is_ip_address(host)) c.invalid(path, render(host), "must be a DNS name, not an IP address");
  c.invalid_each(
      path, render(host),
      host.find('*') != std::string::npos ? wildcard_subdomain_errors(host) : dns1123_subdomain_errors(host));
}

void validate_ingress(checker& c, const json::object& o) {
  static const json::object empty;
  const auto* sp = c.obj_field(o, "spec", "spec");
  const auto& spec = sp ? *sp : empty;
  const auto* rules = c.arr_field(spec, "rules", "spec.rules");
  const auto* def = c.obj_field(spec, "defaultBackend", "spec.defaultBackend");
  if ((!rules || rules->empty()) && !def)
    c.invalid("spec", rules ? "[]networking.IngressRule{}" : "[]networking.IngressRule(nil)",
              "either `defaultBackend` or `rules` must be specified");
  if (def) validate_backend(c, *def, "spec.defaultBackend");
  if (rules) {
    for (std::size_t i = 0; i < rules->size(); ++i) {
      std::string rp = index_path("spec.rules", i);
      const auto* rule = (*rules)[i].if_object();
      if (!rule) continue;
      if (auto host = c.str_field(*rule, "host", child_path(rp, "host")); host && !host->empty())
        validate_host(c, *host, child_path(rp, "host"));
      const auto* http = c.obj_field(*rule, "http", child_path(rp, "http"));
      if (!http) continue;
      std::string hp = child_path(rp, "http.paths");
      const auto* paths = c.arr_field(*http, "paths", hp);
      if (!paths || paths->empty()) c.required(hp);
      if (!paths) continue;
      for (std::size_t j = 0; j < paths->size(); ++j) {
        std::string pp = index_path(hp, j);
        const auto* p = (*paths)[j].if_object();
        if (!p) continue;
        auto type = c.str_field(*p, "pathType", child_path(pp, "pathType"));
        if (!type) {
          c.required(child_path(pp, "pathType"), "pathType must be specified");
          continue;
        }
        auto path = c.str_field(*p, "path", child_path(pp, "path")).value_or("");
        if (*type == "Exact" || *type == "Prefix") {
          if (path.empty() || path.front() != '/')
            c.invalid(child_path(pp, "path"), render(path), "must be an absolute path");
          if (!path.empty()) {
            for (std::string_view bad : {"//", "/./", "/../", "%2f", "%2F"})
              if (path.find(bad) != std::string::npos)
                c.invalid(child_path(pp, "path"), render(path), "must not contain '" + std::string(bad) + "'");
            for (std::string_view suffix : {"/..", "/."})
              if (path.size() >= suffix.size() && path.compare(path.size() - suffix.size(), suffix.size(), suffix) == 0)
                c.invalid(child_path(pp, "path"), render(path), "cannot end with '" + std::string(suffix) + "'");
          }
        } else if (*type == "ImplementationSpecific") {
          if (!path.empty() && path.front() != '/')
            c.invalid(child_path(pp, "path"), render(path), "must be an absolute path");
        } else {
          c.not_supported(child_path(pp, "pathType"), render(*type), {"Exact", "ImplementationSpecific", "Prefix"});
        }
        const auto* backend = c.obj_field(*p, "backend", child_path(pp, "backend"));
        validate_backend(c, backend ? *backend : empty, child_path(pp, "backend"));
      }
    }
  }
  if (const auto* tls = c.arr_field(spec, "tls", "spec.tls")) {
    for (std::size_t i = 0; i < tls->size(); ++i) {
      std::string tp = index_path("spec.tls", i);
      const auto* t = (*tls)[i].if_object();
      if (!t) continue;
      if (const auto* hosts = c.arr_field(*t, "hosts", child_path(tp, "hosts")))
        for (std::size_t j = 0; j < hosts->size(); ++j)
          if ((*hosts)[j].is_string())
            validate_host(c, std::string((*hosts)[j].get_string()), index_path(child_path(tp, "hosts"), j));
      if (auto secret = c.str_field(*t, "secretName", child_path(tp, "secretName")); secret && !secret->empty())
        c.invalid_each(child_path(tp, "secretName"), render(*secret), dns1123_subdomain_errors(*secret));
    }
  }
  if (auto cls = c.str_field(spec, "ingressClassName", "spec.ingressClassName"); cls && !cls->empty())
    c.invalid_each("spec.ingressClassName", render(*cls), dns1123_subdomain_errors(*cls));
}

}  // namespace

void validate_networking(checker& c, std::string_view group, std::string_view kind, const json::object& o,
                         const json::object* /*old*/) {
  if (group == "networking.k8s.io") {
    if (kind == "NetworkPolicy")
      validate_network_policy(c, o);
    else if (kind == "Ingress")
      validate_ingress(c, o);
  } else {
    validate_autoscaling_policy(c, group, kind, o);
  }
}

}  // namespace langop::localapi::detail
