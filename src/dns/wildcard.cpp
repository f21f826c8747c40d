#include "langop/dns/wildcard.hpp"

#include "langop/dns/name.hpp"

#include <algorithm>
#include <map>
#include <string_view>

namespace langop::dns {

lookup_plan plan_lookups(std::span<const std::string> names) {
  lookup_plan plan;
  std::map<std::string, std::vector<std::string>, std::less<>> by_name;  // sorted, deduplicated
  for (const std::string& written : names) {
    std::string_view name = written;
    const bool wildcard = name.starts_with("*.");
    if (wildcard) name.remove_prefix(2);
    auto normalized = normalize_host_name(name);
    if (!normalized) {
      std::string reason = normalized.error().message;
      if (wildcard) reason = "wildcard " + quote_for_message(written) + ": " + reason;
      plan.rejected.push_back({written, std::move(reason)});
      continue;
    }
    if (wildcard && normalized->find('.') == std::string::npos) {
      plan.rejected.push_back(
          {written, "wildcard " + quote_for_message(written) +
                        " is too broad: it needs at least two labels after \"*.\" (like *.example.com)"});
      continue;
    }
    auto& sources = by_name[*std::move(normalized)];
    if (std::find(sources.begin(), sources.end(), written) == sources.end()) sources.push_back(written);
  }
  plan.targets.reserve(by_name.size());
  for (auto& [name, sources] : by_name) plan.targets.push_back({name, std::move(sources)});
  return plan;
}

}  // namespace langop::dns
