#include "egress_dns.hpp"

#include "langop/dns/resolver.hpp"
#include "langop/dns/wildcard.hpp"

#include <algorithm>

namespace langop::controllers {

namespace net = boost::asio;
using steady = std::chrono::steady_clock;

struct egress_dns::entry {
  std::vector<std::string> addresses;  // last good
  steady::time_point expires{};
  std::string failure;  // last lookup's error, "" when it succeeded
};

namespace {

dns::resolver_options resolver_options_for(const controllers_options& o) {
  dns::resolver_options r;
  r.servers = o.dns_servers;
  return r;
}

std::vector<std::string> render(const dns::answer& a) {
  std::vector<std::string> out;
  for (const auto& ip : a.v4) out.push_back(ip.to_string());
  for (const auto& ip : a.v6) out.push_back(ip.to_string());
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::optional<condition> egress_condition(const egress_resolution& dns) {
  if (dns.refresh.count() == 0 && dns.unresolved.empty()) return std::nullopt;
  if (dns.unresolved.empty()) return condition{"EgressResolved", true, "Resolved", "Every egress DNS name resolved"};
  std::string names;
  for (const auto& u : dns.unresolved) names += (names.empty() ? "" : "; ") + u;
  return condition{"EgressResolved", false, "LookupFailed",
                   "Unresolved egress names (last known addresses kept): " + names};
}

egress_dns::egress_dns(net::any_io_executor ex, const controllers_options& opts)
    : resolver_(std::make_unique<dns::resolver>(ex, resolver_options_for(opts))),
      min_refresh_(opts.dns_min_refresh),
      timeout_(opts.dns_timeout) {}

egress_dns::~egress_dns() = default;

net::awaitable<egress_resolution> egress_dns::resolve(std::vector<std::string> names) {
  egress_resolution out;
  if (names.empty()) co_return out;
  const auto plan = dns::plan_lookups(names);
  for (const auto& r : plan.rejected) out.unresolved.push_back(r.name + ": " + r.reason);
  auto next = steady::time_point::max();
  for (const auto& t : plan.targets) {
    auto& e = cache_[t.name];
    if (!e) e = std::make_shared<entry>();
    auto keep = e;  // the map may rehash while this coroutine waits
    if (steady::now() >= keep->expires) {
      auto answer = co_await resolver_->resolve(t.name, std::chrono::duration_cast<steady::duration>(timeout_));
      if (answer) {
        keep->addresses = render(*answer);
        keep->failure.clear();
        keep->expires = steady::now() + std::max(min_refresh_, answer->min_ttl);
      } else {
        keep->failure = answer.error().message;
        keep->expires = steady::now() + min_refresh_;  // retry soon, keep the last good set
      }
    }
    if (!keep->failure.empty()) out.unresolved.push_back(t.name + ": " + keep->failure);
    for (const auto& as : t.requested_as) out.addresses[as] = keep->addresses;
    out.addresses[t.name] = keep->addresses;
    next = std::min(next, keep->expires);
  }
  if (next != steady::time_point::max()) {
    auto left = std::chrono::duration_cast<std::chrono::seconds>(next - steady::now());
    out.refresh = std::max(left, std::chrono::seconds(1));
  }
  co_return out;
}

}  // namespace langop::controllers
