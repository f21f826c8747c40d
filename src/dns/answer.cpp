#include "langop/dns/answer.hpp"

#include <algorithm>
#include <limits>
#include <string>

namespace langop::dns {
namespace {

// Higher is more telling; see combine().
int rank(errc e) noexcept {
  switch (e) {
    case errc::cancelled: return 5;
    case errc::not_found: return 4;
    case errc::bad_name: return 3;
    case errc::no_data: return 1;
    default: return 2;  // transient: the name may well exist
  }
}

std::string family_message(errc e, std::string_view family) {
  if (e == errc::no_data) return "no " + std::string(family) + " records";
  return std::string(family) + ": " + category().message(static_cast<int>(e));
}

void sort_unique(std::vector<boost::asio::ip::address>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

}  // namespace

result<answer> combine(std::string_view host, const family_outcome& a, const family_outcome& aaaa) {
  answer out;
  std::uint32_t ttl = std::numeric_limits<std::uint32_t>::max();
  for (const family_outcome* f : {&a, &aaaa}) {
    if (f->failure || f->addresses.empty()) continue;
    for (const auto& addr : f->addresses) (addr.is_v4() ? out.v4 : out.v6).push_back(addr);
    ttl = std::min(ttl, f->min_ttl);
  }
  if (!out.empty()) {
    sort_unique(out.v4);
    sort_unique(out.v6);
    out.min_ttl = std::chrono::seconds(ttl);
    return out;
  }
  // No addresses: an outcome without a failure but also without records is no_data.
  const errc ea = a.failure.value_or(errc::no_data);
  const errc e6 = aaaa.failure.value_or(errc::no_data);
  const errc worst = rank(e6) > rank(ea) ? e6 : ea;
  if (ea == e6) return make_error(worst, host);
  return make_error(worst, host, family_message(ea, "A") + "; " + family_message(e6, "AAAA"));
}

}  // namespace langop::dns
