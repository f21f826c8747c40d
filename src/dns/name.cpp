#include "langop/dns/name.hpp"

#include "langop/dns/errc.hpp"

#include <algorithm>
#include <cctype>

namespace langop::dns {
namespace {

bool is_alnum(char c) noexcept {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

error bad(std::string_view name, std::string_view why) {
  std::string detail = "invalid host name ";
  detail += quote_for_message(name);
  detail += ": ";
  detail += why;
  return error{make_error_code(errc::bad_name), std::move(detail)};
}

}  // namespace

std::string quote_for_message(std::string_view name) {
  constexpr std::size_t limit = 80;
  std::string out = "\"";
  for (char c : name.substr(0, limit)) {
    // Control bytes would corrupt log lines and status messages.
    out += (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) ? '?' : c;
  }
  if (name.size() > limit) out += "...";
  out += '"';
  return out;
}

result<std::string> normalize_host_name(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  if (name.empty()) return bad(name, "empty");
  if (name.size() > max_name_length) {
    return bad(name, "longer than " + std::to_string(max_name_length) + " characters");
  }
  if (name.find(':') != std::string_view::npos) {
    return bad(name, "contains ':' (an IPv6 address? use a CIDR rule instead)");
  }
  std::string out;
  out.reserve(name.size());
  std::size_t label_start = 0;
  bool last_label_numeric = true;
  for (std::size_t i = 0; i <= name.size(); ++i) {
    if (i == name.size() || name[i] == '.') {
      const std::string_view label = name.substr(label_start, i - label_start);
      if (label.empty()) return bad(name, "empty label (consecutive or leading dots)");
      if (label.size() > max_label_length) {
        return bad(name, "label longer than " + std::to_string(max_label_length) + " characters");
      }
      if (label.front() == '-' || label.back() == '-') {
        return bad(name, "label starts or ends with '-'");
      }
      last_label_numeric = std::all_of(label.begin(), label.end(), [](char c) { return c >= '0' && c <= '9'; });
      if (i < name.size()) out += '.';
      label_start = i + 1;
      continue;
    }
    const char c = name[i];
    if (c == '*') return bad(name, "'*' is only allowed as the whole first label of a wildcard");
    if (!is_alnum(c) && c != '-') {
      return bad(name, "only letters, digits, '-' and '.' are allowed");
    }
    out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  }
  if (last_label_numeric) {
    return bad(name, "top-level label is all digits (an IP address? use a CIDR rule instead)");
  }
  return out;
}

}  // namespace langop::dns
