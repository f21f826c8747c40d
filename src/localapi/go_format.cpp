#include "go_format.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <vector>

namespace langop::localapi::detail {
namespace {

// Values nested deeper than this are not walked further (never recurse unboundedly).
constexpr int max_depth = 512;

void append_hex(std::string& out, unsigned value, int digits) {
  static const char* hex = "0123456789abcdef";
  for (int i = digits - 1; i >= 0; --i) out += hex[(value >> (4 * i)) & 0xF];
}

// Approximates unicode.IsPrint for runes >= 0x80: C1 controls and a few format
// characters are not printable; everything else is treated as printable.
bool printable(char32_t r) {
  if (r < 0x20 || r == 0x7F) return false;
  if (r < 0x7F) return true;
  if (r <= 0x9F || r == 0xAD || r == 0x2028 || r == 0x2029 || r == 0xFEFF) return false;
  if (r >= 0xD800 && r <= 0xDFFF) return false;
  return r <= 0x10FFFF;
}

// Shortest round-trip digits of |d| and the decimal exponent of the first digit.
struct decimal_digits {
  std::string digits;
  int exponent = 0;  // d.ddd x 10^exponent
};

decimal_digits shortest_digits(double d) {
  char buf[64];
  auto res = std::to_chars(buf, buf + sizeof buf, std::fabs(d), std::chars_format::scientific);
  std::string_view text(buf, static_cast<std::size_t>(res.ptr - buf));
  decimal_digits out;
  auto e = text.find('e');
  for (char c : text.substr(0, e))
    if (c != '.') out.digits += c;
  out.exponent = std::atoi(std::string(text.substr(e + 1)).c_str());
  return out;
}

std::string exp_form(const decimal_digits& dd, bool negative) {
  std::string s = negative ? "-" : "";
  s += dd.digits[0];
  if (dd.digits.size() > 1) s += "." + dd.digits.substr(1);
  s += 'e';
  int e = dd.exponent;
  s += e < 0 ? '-' : '+';
  if (e < 0) e = -e;
  if (e < 10) s += '0';
  s += std::to_string(e);
  return s;
}

std::string fixed_form(const decimal_digits& dd, bool negative) {
  std::string s = negative ? "-" : "";
  const int n = static_cast<int>(dd.digits.size());
  const int dp = dd.exponent + 1;  // digits before the decimal point
  if (dp <= 0) {
    s += "0." + std::string(static_cast<std::size_t>(-dp), '0') + dd.digits;
  } else if (dp >= n) {
    s += dd.digits + std::string(static_cast<std::size_t>(dp - n), '0');
  } else {
    s += dd.digits.substr(0, static_cast<std::size_t>(dp)) + "." + dd.digits.substr(static_cast<std::size_t>(dp));
  }
  return s;
}

void json_string(std::string& out, std::string_view s) {
  out += '"';
  std::size_t i = 0;
  while (i < s.size()) {
    auto c = static_cast<unsigned char>(s[i]);
    if (c < 0x80) {
      ++i;
      switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        default:
          // encoding/json.Marshal escapes control characters and, by default, HTML's
          // '<', '>' and '&' (so do jsoniter's standard config and kube's printers).
          if (c < 0x20 || c == '<' || c == '>' || c == '&') {
            out += "\\u00";
            append_hex(out, c, 2);
          } else {
            out += static_cast<char>(c);
          }
      }
      continue;
    }
    std::size_t start = i;
    char32_t r = decode_rune(s, i);
    if (r == 0xFFFD && i - start == 1) {
      out += "\\ufffd";
    } else if (r == 0x2028 || r == 0x2029) {
      out += "\\u";
      append_hex(out, r, 4);
    } else {
      out.append(s.substr(start, i - start));
    }
  }
  out += '"';
}

void go_json_into(std::string& out, const json::value& v, bool sort_keys, int depth) {
  if (depth > max_depth) {
    out += "null";
    return;
  }
  switch (v.kind()) {
    case json::kind::null: out += "null"; break;
    case json::kind::bool_: out += v.get_bool() ? "true" : "false"; break;
    case json::kind::int64: out += std::to_string(v.get_int64()); break;
    case json::kind::uint64: out += std::to_string(v.get_uint64()); break;
    case json::kind::double_: out += go_json_float(v.get_double()); break;
    case json::kind::string: json_string(out, v.get_string()); break;
    case json::kind::array: {
      out += '[';
      bool first = true;
      for (const auto& e : v.get_array()) {
        if (!first) out += ',';
        first = false;
        go_json_into(out, e, sort_keys, depth + 1);
      }
      out += ']';
      break;
    }
    case json::kind::object: {
      const auto& o = v.get_object();
      std::vector<const json::key_value_pair*> items;
      items.reserve(o.size());
      for (const auto& kv : o) items.push_back(&kv);
      if (sort_keys)
        std::sort(items.begin(), items.end(), [](auto* a, auto* b) { return a->key() < b->key(); });
      out += '{';
      bool first = true;
      for (const auto* kv : items) {
        if (!first) out += ',';
        first = false;
        json_string(out, kv->key());
        out += ':';
        go_json_into(out, kv->value(), sort_keys, depth + 1);
      }
      out += '}';
      break;
    }
  }
}

void sharp_v_into(std::string& out, const json::value& v, bool nested, int depth) {
  if (depth > max_depth) {
    out += "interface {}(nil)";
    return;
  }
  switch (v.kind()) {
    case json::kind::null: out += nested ? "interface {}(nil)" : "<nil>"; break;
    case json::kind::bool_: out += v.get_bool() ? "true" : "false"; break;
    case json::kind::int64: out += std::to_string(v.get_int64()); break;
    case json::kind::uint64: out += std::to_string(v.get_uint64()); break;
    case json::kind::double_: out += go_float(v.get_double()); break;
    case json::kind::string: out += go_quote(v.get_string()); break;
    case json::kind::array: {
      out += "[]interface {}{";
      bool first = true;
      for (const auto& e : v.get_array()) {
        if (!first) out += ", ";
        first = false;
        sharp_v_into(out, e, true, depth + 1);
      }
      out += '}';
      break;
    }
    case json::kind::object: {
      const auto& o = v.get_object();
      std::vector<const json::key_value_pair*> items;
      for (const auto& kv : o) items.push_back(&kv);
      std::sort(items.begin(), items.end(), [](auto* a, auto* b) { return a->key() < b->key(); });
      out += "map[string]interface {}{";
      bool first = true;
      for (const auto* kv : items) {
        if (!first) out += ", ";
        first = false;
        out += go_quote(kv->key());
        out += ':';
        sharp_v_into(out, kv->value(), true, depth + 1);
      }
      out += '}';
      break;
    }
  }
}

}  // namespace

void go_json_string_into(std::string& out, std::string_view s) { json_string(out, s); }

char32_t decode_rune(std::string_view s, std::size_t& i) {
  auto b0 = static_cast<unsigned char>(s[i]);
  if (b0 < 0x80) {
    ++i;
    return b0;
  }
  int len = 0;
  char32_t r = 0;
  char32_t min = 0;
  if ((b0 & 0xE0) == 0xC0) {
    len = 2;
    r = b0 & 0x1F;
    min = 0x80;
  } else if ((b0 & 0xF0) == 0xE0) {
    len = 3;
    r = b0 & 0x0F;
    min = 0x800;
  } else if ((b0 & 0xF8) == 0xF0) {
    len = 4;
    r = b0 & 0x07;
    min = 0x10000;
  } else {
    ++i;
    return 0xFFFD;
  }
  if (i + static_cast<std::size_t>(len) > s.size()) {
    ++i;
    return 0xFFFD;
  }
  for (int k = 1; k < len; ++k) {
    auto b = static_cast<unsigned char>(s[i + static_cast<std::size_t>(k)]);
    if ((b & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    r = (r << 6) | (b & 0x3F);
  }
  if (r < min || r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) {
    ++i;
    return 0xFFFD;
  }
  i += static_cast<std::size_t>(len);
  return r;
}

std::size_t rune_count(std::string_view s) {
  std::size_t n = 0;
  for (std::size_t i = 0; i < s.size(); ++n) (void)decode_rune(s, i);
  return n;
}

std::string go_quote(std::string_view s) {
  std::string out = "\"";
  std::size_t i = 0;
  while (i < s.size()) {
    std::size_t start = i;
    char32_t r = decode_rune(s, i);
    if (r == 0xFFFD && i - start == 1) {
      out += "\\x";
      append_hex(out, static_cast<unsigned char>(s[start]), 2);
      continue;
    }
    if (r == '"' || r == '\\') {
      out += '\\';
      out += static_cast<char>(r);
      continue;
    }
    if (printable(r)) {
      out.append(s.substr(start, i - start));
      continue;
    }
    switch (r) {
      case '\a': out += "\\a"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      case '\v': out += "\\v"; break;
      default:
        if (r < 0x20 || r == 0x7F) {
          out += "\\x";
          append_hex(out, r, 2);
        } else if (r < 0x10000) {
          out += "\\u";
          append_hex(out, r, 4);
        } else {
          out += "\\U";
          append_hex(out, r, 8);
        }
    }
  }
  out += '"';
  return out;
}

std::string go_float(double d) {
  if (std::isnan(d)) return "NaN";
  if (std::isinf(d)) return d > 0 ? "+Inf" : "-Inf";
  if (d == 0) return std::signbit(d) ? "-0" : "0";
  auto dd = shortest_digits(d);
  // %v is %g with the shortest precision: exponent form below 1e-4 and from 1e+06 on.
  if (dd.exponent < -4 || dd.exponent >= 6) return exp_form(dd, d < 0);
  return fixed_form(dd, d < 0);
}

std::string go_json_float(double d) {
  if (!std::isfinite(d)) return "null";
  if (d == 0) return std::signbit(d) ? "-0" : "0";
  auto dd = shortest_digits(d);
  double a = std::fabs(d);
  if (a < 1e-6 || a >= 1e21) {
    std::string s = exp_form(dd, d < 0);
    // encoding/json cleans "e-07" up to "e-7" (but keeps "e+21").
    auto n = s.size();
    if (n >= 4 && s[n - 4] == 'e' && s[n - 3] == '-' && s[n - 2] == '0') s.erase(n - 2, 1);
    return s;
  }
  return fixed_form(dd, d < 0);
}

std::string go_json(const json::value& v, bool sort_keys) {
  std::string out;
  go_json_into(out, v, sort_keys, 0);
  return out;
}

std::string go_sharp_v(const json::value& v) {
  std::string out;
  sharp_v_into(out, v, false, 0);
  return out;
}

std::string go_bad_value(const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: return "\"null\"";
    case json::kind::bool_: return v.get_bool() ? "true" : "false";
    case json::kind::int64: return std::to_string(v.get_int64());
    case json::kind::uint64: return std::to_string(v.get_uint64());
    case json::kind::double_: return go_float(v.get_double());
    case json::kind::string: return go_quote(v.get_string());
    default: return go_sharp_v(v);
  }
}

bool is_number(const json::value& v) noexcept { return v.is_int64() || v.is_uint64() || v.is_double(); }

long double as_long_double(const json::value& v) noexcept {
  if (v.is_int64()) return static_cast<long double>(v.get_int64());
  if (v.is_uint64()) return static_cast<long double>(v.get_uint64());
  if (v.is_double()) return static_cast<long double>(v.get_double());
  return 0;
}

bool is_whole_number(const json::value& v) noexcept {
  if (v.is_int64() || v.is_uint64()) return true;
  if (!v.is_double()) return false;
  double d = v.get_double();
  return std::isfinite(d) && std::trunc(d) == d;
}

// Iterative, so arbitrarily deep values neither overflow the stack nor compare unequal.
bool json_equal(const json::value& a, const json::value& b) {
  std::vector<std::pair<const json::value*, const json::value*>> todo{{&a, &b}};
  while (!todo.empty()) {
    auto [x, y] = todo.back();
    todo.pop_back();
    if (is_number(*x) && is_number(*y)) {
      if (as_long_double(*x) != as_long_double(*y)) return false;
      continue;
    }
    if (x->kind() != y->kind()) return false;
    switch (x->kind()) {
      case json::kind::bool_:
        if (x->get_bool() != y->get_bool()) return false;
        break;
      case json::kind::string:
        if (x->get_string() != y->get_string()) return false;
        break;
      case json::kind::array: {
        const auto& p = x->get_array();
        const auto& q = y->get_array();
        if (p.size() != q.size()) return false;
        for (std::size_t i = 0; i < p.size(); ++i) todo.emplace_back(&p[i], &q[i]);
        break;
      }
      case json::kind::object: {
        const auto& p = x->get_object();
        const auto& q = y->get_object();
        if (p.size() != q.size()) return false;
        for (const auto& kv : p) {
          auto it = q.find(kv.key());
          if (it == q.end()) return false;
          todo.emplace_back(&kv.value(), &it->value());
        }
        break;
      }
      default: break;  // null (numbers handled above)
    }
  }
  return true;
}

}  // namespace langop::localapi::detail
