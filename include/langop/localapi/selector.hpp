// Label and field selectors as kube-apiserver parses them (PURE).
#pragma once

#include "langop/core/error.hpp"
#include "langop/core/json.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace langop::localapi {

struct label_requirement {
  enum class op { equals, not_equals, in, not_in, exists, does_not_exist, greater_than, less_than };
  std::string key;
  op operation = op::equals;
  std::vector<std::string> values;
};

// "app=x,tier!=db,env in (a,b),!legacy,gpu" — equality, set-based, existence.
class label_selector {
 public:
  // Errors carry http_status 400 and a message naming the bad token.
  [[nodiscard]] static result<label_selector> parse(std::string_view text);
  // metav1.LabelSelector {matchLabels, matchExpressions}; null/empty matches everything.
  [[nodiscard]] static result<label_selector> from_json(const json::value& selector);

  [[nodiscard]] bool empty() const noexcept { return reqs_.empty(); }
  // `labels` may be null (object without labels).
  [[nodiscard]] bool matches(const json::object* labels) const;
  [[nodiscard]] const std::vector<label_requirement>& requirements() const noexcept { return reqs_; }
  // Canonical text form (sorted by key), e.g. for cache keys and logs.
  [[nodiscard]] std::string to_string() const;

 private:
  std::vector<label_requirement> reqs_;
};

// "metadata.name=x,metadata.namespace!=y,status.phase==Running": =, ==, != on dotted
// paths of string/number/bool fields (compared as their text form).
class field_selector {
 public:
  struct term {
    std::string path;  // dotted, e.g. "metadata.name"
    bool negate = false;
    std::string value;
  };
  [[nodiscard]] static result<field_selector> parse(std::string_view text);
  [[nodiscard]] bool empty() const noexcept { return terms_.empty(); }
  [[nodiscard]] bool matches(const json::object& object) const;
  [[nodiscard]] const std::vector<term>& terms() const noexcept { return terms_; }

 private:
  std::vector<term> terms_;
};

}  // namespace langop::localapi
