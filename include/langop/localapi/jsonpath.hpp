// The Kubernetes JSONPath subset used by printer columns (PURE): ".a.b", ".a[0]",
// ".a[*].b", ".a[-1]", ".a[?(@.type==\"Ready\")].status", optional surrounding "{}".
#pragma once

#include "langop/core/error.hpp"
#include "langop/core/json.hpp"

#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace langop::localapi {

class jsonpath {
 public:
  [[nodiscard]] static result<jsonpath> parse(std::string_view expr);
  // Every value the path selects, in document order (empty when nothing matches).
  [[nodiscard]] std::vector<const json::value*> eval(const json::value& root) const;

  struct step;  // defined in the .cpp

 private:
  std::vector<std::shared_ptr<const step>> steps_;
};

}  // namespace langop::localapi
