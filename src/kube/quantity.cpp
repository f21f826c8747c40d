// resource.Quantity arithmetic (PURE): parsing for comparisons, and the canonical text
// kube-apiserver writes back for every quantity it stores.
#include "langop/kube/quantity.hpp"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <map>

namespace langop::kube {
namespace {

bool digit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

std::optional<long double> parse_quantity(std::string_view q) {
  if (q.empty() || q.size() > 64) return std::nullopt;
  std::size_t i = 0;
  bool neg = false;
  if (q[i] == '+' || q[i] == '-') {
    neg = q[i] == '-';
    ++i;
  }
  std::size_t num_start = i;
  while (i < q.size() && (digit(q[i]) || q[i] == '.')) ++i;
  auto num = q.substr(num_start, i - num_start);
  if (num.empty() || num == "." || std::count(num.begin(), num.end(), '.') > 1) return std::nullopt;
  long double value = 0, scale = 0;
  for (char c : num) {
    if (c == '.') {
      scale = 1;
      continue;
    }
    value = value * 10 + (c - '0');
    if (scale > 0) scale *= 10;
  }
  if (scale > 0) value /= scale;
  auto suffix = q.substr(i);
  static const std::map<std::string_view, long double> suffixes = {{"", 1},
                                                                   {"n", 1e-9L},
                                                                   {"u", 1e-6L},
                                                                   {"m", 1e-3L},
                                                                   {"k", 1e3L},
                                                                   {"M", 1e6L},
                                                                   {"G", 1e9L},
                                                                   {"T", 1e12L},
                                                                   {"P", 1e15L},
                                                                   {"E", 1e18L},
                                                                   {"Ki", 1024.0L},
                                                                   {"Mi", 1048576.0L},
                                                                   {"Gi", 1073741824.0L},
                                                                   {"Ti", 1099511627776.0L},
                                                                   {"Pi", 1125899906842624.0L},
                                                                   {"Ei", 1152921504606846976.0L}};
  auto it = suffixes.find(suffix);
  if (it != suffixes.end()) {
    value *= it->second;
  } else if (suffix.size() >= 2 && (suffix[0] == 'e' || suffix[0] == 'E')) {
    int exp = 0;
    auto s = suffix.substr(1);
    if (s.front() == '+') s.remove_prefix(1);
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), exp);
    if (ec != std::errc() || p != s.data() + s.size() || exp > 30 || exp < -30) return std::nullopt;
    value *= std::pow(10.0L, exp);
  } else {
    return std::nullopt;
  }
  return neg ? -value : value;
}

namespace {

using i128 = __int128;

std::string i128_text(i128 v) {
  if (v == 0) return "0";
  bool neg = v < 0;
  std::string out;
  while (v != 0) {
    int d = static_cast<int>(v % 10);
    out += static_cast<char>('0' + (d < 0 ? -d : d));
    v /= 10;
  }
  if (neg) out += '-';
  return {out.rbegin(), out.rend()};
}

i128 pow10(int n) {
  i128 r = 1;
  while (n-- > 0) r *= 10;
  return r;
}

// value * 10^scale rounded up (away from zero) to a scale of at least `min_scale`.
void round_up_to(i128& value, int& scale, int min_scale) {
  if (scale >= min_scale) return;
  int shift = min_scale - scale;
  if (shift > 30) {
    value = value > 0 ? 1 : (value < 0 ? -1 : 0);
  } else {
    i128 div = pow10(shift);
    i128 q = value / div;
    if (value % div != 0) q += value > 0 ? 1 : -1;
    value = q;
  }
  scale = min_scale;
}

}  // namespace

std::optional<std::string> canonical_quantity(std::string_view q, bool round_to_milli) {
  if (q.empty() || q.size() > 40) return std::nullopt;
  std::size_t i = 0;
  bool negative = false;
  if (q[i] == '+' || q[i] == '-') {
    negative = q[i] == '-';
    ++i;
  }
  std::string digits;
  int frac = 0;
  bool dot = false, any = false;
  for (; i < q.size() && (digit(q[i]) || q[i] == '.'); ++i) {
    if (q[i] == '.') {
      if (dot) return std::nullopt;
      dot = true;
      continue;
    }
    any = true;
    digits += q[i];
    if (dot) ++frac;
  }
  if (!any || digits.size() > 30) return std::nullopt;
  auto suffix = q.substr(i);
  enum class fmt { decimal_si, binary_si, decimal_exponent } format = fmt::decimal_si;
  int scale = -frac, binary_power = 0;
  static const std::map<std::string_view, int> decimal = {{"", 0},  {"n", -9}, {"u", -6}, {"m", -3}, {"k", 3},
                                                          {"M", 6}, {"G", 9},  {"T", 12}, {"P", 15}, {"E", 18}};
  static const std::map<std::string_view, int> binary = {{"Ki", 1}, {"Mi", 2}, {"Gi", 3},
                                                         {"Ti", 4}, {"Pi", 5}, {"Ei", 6}};
  if (auto d = decimal.find(suffix); d != decimal.end()) {
    scale += d->second;
  } else if (auto b = binary.find(suffix); b != binary.end()) {
    format = fmt::binary_si;
    binary_power = b->second;
  } else if (suffix.size() >= 2 && (suffix[0] == 'e' || suffix[0] == 'E')) {
    int e = 0;
    auto s = suffix.substr(1);
    if (s.front() == '+') s.remove_prefix(1);
    auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), e);
    if (ec != std::errc() || p != s.data() + s.size() || e > 30 || e < -30) return std::nullopt;
    format = fmt::decimal_exponent;
    scale += e;
  } else {
    return std::nullopt;
  }
  i128 value = 0;
  for (char ch : digits) value = value * 10 + (ch - '0');
  for (int k = 0; k < binary_power * 10; ++k) value *= 2;
  if (negative) value = -value;
  round_up_to(value, scale, -9);
  if (round_to_milli) round_up_to(value, scale, -3);
  if (value == 0) return std::string("0");

  if (format == fmt::binary_si) {
    // Below 1024, or not a whole number, a binary quantity prints in decimal form.
    i128 abs = value < 0 ? -value : value;
    bool whole = scale >= 0 || abs % pow10(-scale) == 0;
    i128 whole_value = scale >= 0 ? value * pow10(scale) : value / pow10(-scale);
    i128 whole_abs = whole_value < 0 ? -whole_value : whole_value;
    if (whole && whole_abs >= 1024) {
      int power = 0;
      while (power < 6 && whole_abs >= 1024 && whole_abs % 1024 == 0) {
        whole_abs /= 1024;
        ++power;
      }
      static const char* const names[] = {"", "Ki", "Mi", "Gi", "Ti", "Pi", "Ei"};
      return i128_text(whole_value < 0 ? -whole_abs : whole_abs) + names[power];
    }
    format = fmt::decimal_si;
  }
  // AsCanonicalBytes: strip factors of ten, then lower the exponent to a multiple of 3.
  while (value % 10 == 0 && (value >= 10 || value <= -10)) {
    value /= 10;
    ++scale;
  }
  int rem = ((scale % 3) + 3) % 3;
  if (rem == 1) {
    value *= 10;
    scale -= 1;
  } else if (rem == 2) {
    value *= 100;
    scale -= 2;
  }
  std::string number = i128_text(value);
  if (format == fmt::decimal_exponent) return scale == 0 ? number : number + "e" + std::to_string(scale);
  static const std::map<int, const char*> suffixes = {{-9, "n"}, {-6, "u"}, {-3, "m"}, {0, ""},   {3, "k"},
                                                      {6, "M"},  {9, "G"},  {12, "T"}, {15, "P"}, {18, "E"}};
  if (auto it = suffixes.find(scale); it != suffixes.end()) return number + it->second;
  return number + "e" + std::to_string(scale);
}

}  // namespace langop::kube
