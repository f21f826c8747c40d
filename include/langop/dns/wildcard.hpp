// What to resolve for an egress rule's DNS names (PURE, no Asio).
//
// Standard NetworkPolicy has no way to express "every subdomain of example.com", so a
// wildcard `*.example.com` resolves only its apex `example.com`; subdomains the agent
// needs must be listed explicitly (documented limitation, SPEC §1.10).
#pragma once

#include <span>
#include <string>
#include <vector>

namespace langop::dns {

// One name to resolve and the rule entries that asked for it (original spelling), so a
// failure can be reported against what the user wrote.
struct lookup_target {
  std::string name;                        // normalized: lowercase, no trailing dot
  std::vector<std::string> requested_as;   // e.g. {"*.Example.com", "example.com."}
};

struct rejected_name {
  std::string name;    // as written
  std::string reason;  // e.g. "invalid host name \"a..b\": empty label (...)"
};

struct lookup_plan {
  std::vector<lookup_target> targets;  // sorted by name, each name once
  std::vector<rejected_name> rejected;  // in input order
};

// Plans the lookups for `names`: `*.x.y` → `x.y` (the apex; the wildcard must have at
// least two labels after "*." so `*.com` is rejected as too broad), other names as they
// are; names are validated (RFC 1123, see normalize_host_name) and deduplicated.
[[nodiscard]] lookup_plan plan_lookups(std::span<const std::string> names);

}  // namespace langop::dns
