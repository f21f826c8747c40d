#include "k8s_format.hpp"

#include "go_format.hpp"

#include <arpa/inet.h>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <map>

namespace langop::localapi::detail {
namespace {

bool lower_alnum(char c) { return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'); }
bool alnum(char c) { return lower_alnum(c) || (c >= 'A' && c <= 'Z'); }
bool digit(char c) { return c >= '0' && c <= '9'; }

// validation.RegexError: "(e.g. 'a',  or 'b', regex used for validation is '...')".
std::string regex_error(std::string msg, std::string_view fmt, std::initializer_list<std::string_view> examples) {
  if (examples.size() == 0) return msg + " (regex used for validation is '" + std::string(fmt) + "')";
  msg += " (e.g. ";
  bool first = true;
  for (auto e : examples) {
    if (!first) msg += " or ";
    first = false;
    msg += "'" + std::string(e) + "', ";
  }
  msg += "regex used for validation is '" + std::string(fmt) + "')";
  return msg;
}

std::string max_len_error(std::size_t n) { return "must be no more than " + std::to_string(n) + " characters"; }

// [a-z0-9]([-a-z0-9]*[a-z0-9])?
bool match_dns_label(std::string_view v) {
  if (v.empty() || !lower_alnum(v.front()) || !lower_alnum(v.back())) return false;
  return std::all_of(v.begin(), v.end(), [](char c) { return lower_alnum(c) || c == '-'; });
}

bool match_dns_subdomain(std::string_view v) {
  if (v.empty()) return false;
  std::size_t start = 0;
  while (true) {
    auto dot = v.find('.', start);
    if (!match_dns_label(v.substr(start, dot == std::string_view::npos ? std::string_view::npos : dot - start)))
      return false;
    if (dot == std::string_view::npos) return true;
    start = dot + 1;
  }
}

// ([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]
bool match_qualified_name(std::string_view v) {
  if (v.empty() || !alnum(v.front()) || !alnum(v.back())) return false;
  return std::all_of(v.begin(), v.end(), [](char c) { return alnum(c) || c == '-' || c == '_' || c == '.'; });
}

constexpr std::string_view dns1123_label_fmt = "[a-z0-9]([-a-z0-9]*[a-z0-9])?";
constexpr std::string_view qualified_name_fmt = "([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]";
const char* const qualified_name_msg =
    "must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character";

std::vector<std::string> chdir_prefix_errors(std::string_view v) {
  if (v == ".") return {"must not be '.'"};
  if (v == "..") return {"must not be '..'"};
  if (v.substr(0, 2) == "..") return {"must not start with '..'"};
  return {};
}

}  // namespace

std::vector<std::string> dns1123_label_errors(std::string_view v) {
  std::vector<std::string> errs;
  if (v.size() > 63) errs.push_back(max_len_error(63));
  if (!match_dns_label(v)) {
    if (match_dns_subdomain(v)) {
      errs.emplace_back("must not contain dots");
    } else {
      errs.push_back(
          regex_error("a lowercase RFC 1123 label must consist of lower case alphanumeric characters or "
                      "'-', and must start and end with an alphanumeric character",
                      dns1123_label_fmt, {"my-name", "123-abc"}));
    }
  }
  return errs;
}

std::vector<std::string> dns1123_subdomain_errors(std::string_view v) {
  std::vector<std::string> errs;
  if (v.size() > 253) errs.push_back(max_len_error(253));
  if (!match_dns_subdomain(v))
    errs.push_back(
        regex_error("a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, "
                    "'-' or '.', and must start and end with an alphanumeric character",
                    "[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*", {"example.com"}));
  return errs;
}

std::vector<std::string> dns1035_label_errors(std::string_view v) {
  std::vector<std::string> errs;
  if (v.size() > 63) errs.push_back(max_len_error(63));
  if (v.empty() || !(v.front() >= 'a' && v.front() <= 'z') || !match_dns_label(v))
    errs.push_back(
        regex_error("a DNS-1035 label must consist of lower case alphanumeric characters or '-', start "
                    "with an alphabetic character, and end with an alphanumeric character",
                    "[a-z]([-a-z0-9]*[a-z0-9])?", {"my-name", "abc-123"}));
  return errs;
}

std::vector<std::string> qualified_name_errors(std::string_view v) {
  std::vector<std::string> errs;
  std::string_view name = v;
  auto slash = v.find('/');
  if (slash != std::string_view::npos) {
    if (v.find('/', slash + 1) != std::string_view::npos) {
      errs.push_back("a qualified name " +
                     regex_error(qualified_name_msg, qualified_name_fmt, {"MyName", "my.name", "123-abc"}) +
                     " with an optional DNS subdomain prefix and '/' (e.g. 'example.com/MyName')");
      return errs;
    }
    auto prefix = v.substr(0, slash);
    name = v.substr(slash + 1);
    if (prefix.empty()) {
      errs.emplace_back("prefix part must be non-empty");
    } else {
      for (auto& m : dns1123_subdomain_errors(prefix)) errs.push_back("prefix part " + m);
    }
  }
  if (name.empty())
    errs.emplace_back("name part must be non-empty");
  else if (name.size() > 63)
    errs.push_back("name part " + max_len_error(63));
  if (!match_qualified_name(name))
    errs.push_back("name part " +
                   regex_error(qualified_name_msg, qualified_name_fmt, {"MyName", "my.name", "123-abc"}));
  return errs;
}

std::vector<std::string> label_value_errors(std::string_view v) {
  std::vector<std::string> errs;
  if (v.size() > 63) errs.push_back(max_len_error(63));
  if (!v.empty() && !match_qualified_name(v))
    errs.push_back(
        regex_error("a valid label must be an empty string or consist of alphanumeric characters, '-', "
                    "'_' or '.', and must start and end with an alphanumeric character",
                    "(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?", {"MyValue", "my_value", "12345"}));
  return errs;
}

std::vector<std::string> port_name_errors(std::string_view v) {
  std::vector<std::string> errs;
  if (v.size() > 15) errs.push_back(max_len_error(15));
  if (v.empty() || !std::all_of(v.begin(), v.end(), [](char c) { return lower_alnum(c) || c == '-'; }))
    errs.emplace_back("must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
  if (std::none_of(v.begin(), v.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
    errs.emplace_back("must contain at least one letter (a-z)");
  if (v.find("--") != std::string_view::npos) errs.emplace_back("must not contain consecutive hyphens");
  if (!v.empty() && (v.front() == '-' || v.back() == '-')) errs.emplace_back("must not begin or end with a hyphen");
  return errs;
}

std::vector<std::string> env_var_name_errors(std::string_view v) {
  std::vector<std::string> errs;
  auto ok_char = [](char c) { return alnum(c) || c == '-' || c == '.' || c == '_'; };
  if (v.empty() || digit(v.front()) || !std::all_of(v.begin(), v.end(), ok_char))
    errs.push_back(
        regex_error("a valid environment variable name must consist of alphabetic characters, digits, "
                    "'_', '-', or '.', and must not start with a digit",
                    "[-._a-zA-Z][-._a-zA-Z0-9]*", {"my.env-name", "MY_ENV.NAME", "MyEnvName1"}));
  auto more = chdir_prefix_errors(v);
  errs.insert(errs.end(), more.begin(), more.end());
  return errs;
}

std::vector<std::string> config_map_key_errors(std::string_view v) {
  std::vector<std::string> errs;
  if (v.size() > 253) errs.push_back(max_len_error(253));
  auto ok_char = [](char c) { return alnum(c) || c == '-' || c == '.' || c == '_'; };
  if (v.empty() || !std::all_of(v.begin(), v.end(), ok_char))
    errs.push_back(regex_error("a valid config key must consist of alphanumeric characters, '-', '_' or '.'",
                               "[-._a-zA-Z0-9]+", {"key.name", "KEY_NAME", "key-name"}));
  auto more = chdir_prefix_errors(v);
  errs.insert(errs.end(), more.begin(), more.end());
  return errs;
}

std::vector<std::string> percent_errors(std::string_view v) {
  bool ok = v.size() >= 2 && v.back() == '%' && std::all_of(v.begin(), v.end() - 1, digit);
  if (ok) return {};
  return {regex_error("a valid percent string must be a numeric string followed by an ending '%'", "[0-9]+%",
                      {"1%", "93%"})};
}

bool is_ip_address(std::string_view v) {
  if (v.empty() || v.size() > 45) return false;
  std::string s(v);
  unsigned char buf[16];
  if (s.find(':') != std::string::npos) return inet_pton(AF_INET6, s.c_str(), buf) == 1;
  // IPv4 with Go's "sloppy" leniency for leading zeros (netutils.ParseIPSloppy).
  int parts = 0;
  std::size_t start = 0;
  while (true) {
    auto dot = s.find('.', start);
    auto part = std::string_view(s).substr(start, dot == std::string::npos ? std::string::npos : dot - start);
    if (part.empty() || part.size() > 3 || !std::all_of(part.begin(), part.end(), digit)) return false;
    int n = 0;
    std::from_chars(part.data(), part.data() + part.size(), n);
    if (n > 255) return false;
    ++parts;
    if (dot == std::string::npos) break;
    start = dot + 1;
  }
  return parts == 4;
}

bool is_cidr(std::string_view v) {
  auto slash = v.find('/');
  if (slash == std::string_view::npos) return false;
  auto ip = v.substr(0, slash);
  auto bits = v.substr(slash + 1);
  if (!is_ip_address(ip) || bits.empty() || bits.size() > 3 || !std::all_of(bits.begin(), bits.end(), digit))
    return false;
  int n = 0;
  std::from_chars(bits.data(), bits.data() + bits.size(), n);
  return n <= (ip.find(':') != std::string_view::npos ? 128 : 32);
}

std::string go_string_map(const json::value* labels) {
  const auto* o = labels ? labels->if_object() : nullptr;
  if (!o) return "map[string]string(nil)";
  std::map<std::string_view, std::string_view> sorted;
  for (const auto& kv : *o)
    sorted[kv.key()] = kv.value().is_string() ? std::string_view(kv.value().get_string()) : std::string_view{};
  std::string out = "map[string]string{";
  bool first = true;
  for (const auto& [k, v] : sorted) {
    if (!first) out += ", ";
    first = false;
    out += go_quote(k) + ":" + go_quote(v);
  }
  return out + "}";
}

std::string go_string_slice(const json::value* values) {
  const auto* a = values ? values->if_array() : nullptr;
  if (!a) return "[]string(nil)";
  std::string out = "[]string{";
  for (std::size_t i = 0; i < a->size(); ++i) {
    if (i) out += ", ";
    out += go_quote((*a)[i].is_string() ? std::string_view((*a)[i].get_string()) : std::string_view{});
  }
  return out + "}";
}

std::string go_label_selector(const json::value* selector) {
  const auto* o = selector ? selector->if_object() : nullptr;
  if (!o) return "null";
  std::string out = "v1.LabelSelector{MatchLabels:";
  auto ml = o->find("matchLabels");
  out += go_string_map(ml == o->end() ? nullptr : &ml->value());
  out += ", MatchExpressions:";
  auto me = o->find("matchExpressions");
  const auto* exprs = me == o->end() ? nullptr : me->value().if_array();
  if (!exprs) {
    out += "[]v1.LabelSelectorRequirement(nil)";
  } else {
    out += "[]v1.LabelSelectorRequirement{";
    for (std::size_t i = 0; i < exprs->size(); ++i) {
      const auto* e = (*exprs)[i].if_object();
      if (i) out += ", ";
      auto key = e ? jsonu::get_string(*e, "key") : std::string_view{};
      auto op = e ? jsonu::get_string(*e, "operator") : std::string_view{};
      const json::value* values = nullptr;
      if (e) {
        auto it = e->find("values");
        if (it != e->end()) values = &it->value();
      }
      out += "v1.LabelSelectorRequirement{Key:" + go_quote(key) + ", Operator:" + go_quote(op) +
             ", Values:" + go_string_slice(values) + "}";
    }
    out += "}";
  }
  return out + "}";
}

std::string go_intstr(const json::value& v) {
  if (v.is_string()) return "intstr.IntOrString{Type:1, IntVal:0, StrVal:" + go_quote(v.get_string()) + "}";
  std::int64_t n = 0;
  if (v.is_int64())
    n = v.get_int64();
  else if (v.is_uint64())
    n = static_cast<std::int64_t>(v.get_uint64());
  else if (v.is_double())
    n = static_cast<std::int64_t>(v.get_double());
  return "intstr.IntOrString{Type:0, IntVal:" + std::to_string(n) + ", StrVal:\"\"}";
}

}  // namespace langop::localapi::detail
