#include "label_validation.hpp"

#include <vector>

namespace langop::localapi::detail {
namespace {

constexpr std::size_t name_max = 63;
constexpr std::size_t subdomain_max = 253;

constexpr std::string_view qualified_name_msg =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric "
    "character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is "
    "'([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')";
constexpr std::string_view subdomain_msg =
    "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
    "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
constexpr std::string_view label_value_msg =
    "a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must "
    "start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for "
    "validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')";

bool is_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9'); }
bool is_lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }

// ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]
bool qualified_name_shape(std::string_view s) {
  if (s.empty() || !is_alnum(s.front()) || !is_alnum(s.back())) return false;
  for (char c : s)
    if (!is_alnum(c) && c != '-' && c != '_' && c != '.') return false;
  return true;
}

// [a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*
bool subdomain_shape(std::string_view s) {
  if (s.empty()) return false;
  std::size_t start = 0;
  for (;;) {
    std::size_t dot = s.find('.', start);
    std::string_view label = s.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start);
    if (label.empty() || !is_lower_alnum(label.front()) || !is_lower_alnum(label.back())) return false;
    for (char c : label)
      if (!is_lower_alnum(c) && c != '-') return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

std::string join(const std::vector<std::string>& errs) {
  std::string out;
  for (const auto& e : errs) out += (out.empty() ? "" : "; ") + e;
  return out;
}

}  // namespace

std::optional<std::string> label_key_error(std::string_view key) {
  std::vector<std::string> errs;
  std::string_view name = key;
  if (auto slash = key.find('/'); slash != std::string_view::npos) {
    if (key.find('/', slash + 1) != std::string_view::npos)
      return "a qualified name " + std::string(qualified_name_msg) +
             " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')";
    std::string_view prefix = key.substr(0, slash);
    name = key.substr(slash + 1);
    if (prefix.empty()) errs.emplace_back("prefix part must be non-empty");
    else {
      if (prefix.size() > subdomain_max) errs.emplace_back("prefix part must be no more than 253 characters");
      if (!subdomain_shape(prefix)) errs.push_back("prefix part " + std::string(subdomain_msg));
    }
  }
  if (name.empty()) errs.emplace_back("name part must be non-empty");
  else if (name.size() > name_max) errs.emplace_back("name part must be no more than 63 characters");
  if (!qualified_name_shape(name)) errs.push_back("name part " + std::string(qualified_name_msg));
  if (errs.empty()) return std::nullopt;
  return join(errs);
}

std::optional<std::string> label_value_error(std::string_view value) {
  std::vector<std::string> errs;
  if (value.size() > name_max) errs.emplace_back("must be no more than 63 characters");
  if (!value.empty() && !qualified_name_shape(value)) errs.emplace_back(label_value_msg);
  if (errs.empty()) return std::nullopt;
  return join(errs);
}

}  // namespace langop::localapi::detail
