// Field selectors (k8s.io/apimachinery/pkg/fields.ParseSelector): "=", "==", "!=" terms
// separated by commas; values escape ',', '=' and backslash itself with a backslash.
#include "langop/localapi/selector.hpp"

#include <boost/json/serialize.hpp>
#include <boost/system/errc.hpp>

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdint>

namespace langop::localapi {
namespace {

error bad_selector(std::string message) {
  return error(make_error_code(boost::system::errc::invalid_argument), std::move(message), 400, "BadRequest");
}

// ---- field selectors (fields.ParseSelector) ----

// Splits on commas not preceded by a backslash; escapes stay in the terms.
std::vector<std::string_view> split_terms(std::string_view s) {
  std::vector<std::string_view> terms;
  std::size_t start = 0;
  bool escaped = false;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (escaped) escaped = false;
    else if (s[i] == '\\') escaped = true;
    else if (s[i] == ',') {
      terms.push_back(s.substr(start, i - start));
      start = i + 1;
    }
  }
  terms.push_back(s.substr(start));
  return terms;
}

result<std::string> unescape_value(std::string_view s) {
  std::string out;
  bool escaped = false;
  for (char c : s) {
    if (escaped) {
      if (c != '\\' && c != ',' && c != '=')
        return bad_selector(std::string("invalid field selector: invalid escape sequence: \\") + c);
      out += c;
      escaped = false;
    } else if (c == '\\') {
      escaped = true;
    } else if (c == ',' || c == '=') {
      return bad_selector(std::string("invalid field selector: unescaped character in value: ") + c);
    } else {
      out += c;
    }
  }
  if (escaped) return bad_selector("invalid field selector: invalid escape sequence: \\");
  return out;
}

std::string number_text(double d) {
  if (std::isfinite(d) && d == std::trunc(d) && std::fabs(d) < 9.2e18)
    return std::to_string(static_cast<std::int64_t>(d));
  char buf[64];
  auto [ptr, ec] = std::to_chars(buf, buf + sizeof buf, d);
  return ec == std::errc() ? std::string(buf, ptr) : std::string();
}

// The text a field compares as: strings as is, numbers and bools as written, absent/null as "".
std::string field_text(const json::object& object, std::string_view path) {
  const json::value* cur = nullptr;
  const json::object* obj = &object;
  while (true) {
    auto dot = path.find('.');
    std::string_view step = path.substr(0, dot);
    if (!obj) return {};
    auto it = obj->find(step);
    if (it == obj->end()) return {};
    cur = &it->value();
    if (dot == std::string_view::npos) break;
    path.remove_prefix(dot + 1);
    obj = cur->if_object();
  }
  switch (cur->kind()) {
    case json::kind::string: return std::string(cur->get_string());
    case json::kind::bool_: return cur->get_bool() ? "true" : "false";
    case json::kind::int64: return std::to_string(cur->get_int64());
    case json::kind::uint64: return std::to_string(cur->get_uint64());
    case json::kind::double_: return number_text(cur->get_double());
    case json::kind::null: return {};
    default: return json::serialize(*cur);
  }
}

}  // namespace

result<field_selector> field_selector::parse(std::string_view text) {
  field_selector s;
  if (text.empty()) return s;
  auto parts = split_terms(text);
  std::sort(parts.begin(), parts.end());  // kube sorts the terms; keeps terms() canonical
  for (std::string_view part : parts) {
    if (part.empty()) continue;
    // The first "!=", "==" or "=" splits the term; the field name has no escapes.
    std::size_t at = std::string_view::npos, len = 0;
    bool negate = false;
    for (std::size_t i = 0; i < part.size() && at == std::string_view::npos; ++i) {
      std::string_view rest = part.substr(i);
      if (rest.starts_with("!=")) at = i, len = 2, negate = true;
      else if (rest.starts_with("==")) at = i, len = 2;
      else if (rest.starts_with("=")) at = i, len = 1;
    }
    if (at == std::string_view::npos || at == 0)
      return bad_selector("invalid selector: '" + std::string(text) + "'; can't understand '" + std::string(part) +
                          "'");
    auto value = unescape_value(part.substr(at + len));
    if (!value) return value.error();
    s.terms_.push_back(term{std::string(part.substr(0, at)), negate, std::move(*value)});
  }
  return s;
}

bool field_selector::matches(const json::object& object) const {
  return std::all_of(terms_.begin(), terms_.end(),
                     [&](const term& t) { return (field_text(object, t.path) == t.value) != t.negate; });
}

}  // namespace langop::localapi
