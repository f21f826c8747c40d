#include "langop/synthesis/brief.hpp"

#include <algorithm>

namespace langop::synthesis {

std::vector<std::string> known_tool_names(const agent_brief& b) {
  std::vector<std::string> out;
  auto add = [&](const std::string& n) {
    if (!n.empty() && std::find(out.begin(), out.end(), n) == out.end()) out.push_back(n);
  };
  for (const auto& t : b.tools) {
    add(t.name);
    for (const auto& f : t.functions) add(f.name);
  }
  return out;
}

}  // namespace langop::synthesis
