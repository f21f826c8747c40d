#include "text_format.hpp"

#include <charconv>
#include <cmath>
#include <cstdint>

namespace langop::obs::detail {
namespace {

bool name_start(char c) noexcept { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_'; }
bool name_char(char c) noexcept { return name_start(c) || (c >= '0' && c <= '9'); }

}  // namespace

void append_value(std::string& out, double v) {
  if (std::isnan(v)) {
    out += "NaN";
  } else if (std::isinf(v)) {
    out += v > 0 ? "+Inf" : "-Inf";
  } else {
    char buf[32];
    std::to_chars_result r{};
    // Whole numbers below 2^53 print exactly as integers ("1500", not "1.5e+03").
    if (std::trunc(v) == v && std::fabs(v) < 9007199254740992.0) {
      r = std::to_chars(buf, buf + sizeof buf, static_cast<std::int64_t>(v));
    } else {
      r = std::to_chars(buf, buf + sizeof buf, v);
    }
    out.append(buf, r.ptr);
  }
}

void append_help_escaped(std::string& out, std::string_view text) {
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

void append_label_value_escaped(std::string& out, std::string_view text) {
  for (char c : text) {
    if (c == '\\') {
      out += "\\\\";
    } else if (c == '"') {
      out += "\\\"";
    } else if (c == '\n') {
      out += "\\n";
    } else {
      out += c;
    }
  }
}

bool valid_metric_name(std::string_view name) noexcept {
  if (name.empty() || !(name_start(name[0]) || name[0] == ':')) return false;
  for (char c : name) {
    if (!name_char(c) && c != ':') return false;
  }
  return true;
}

bool valid_label_name(std::string_view name) noexcept {
  if (name.empty() || !name_start(name[0]) || name.starts_with("__")) return false;
  for (char c : name) {
    if (!name_char(c)) return false;
  }
  return true;
}

}  // namespace langop::obs::detail
