// CronJob schedule syntax as kube-apiserver checks it: github.com/robfig/cron/v3
// ParseStandard (5 fields with ranges, steps, month/day names, or an @descriptor),
// returning that parser's error text.
#include "builtin_validation_detail.hpp"
#include "langop/core/time.hpp"

#include <cctype>
#include <charconv>
#include <climits>
#include <cstdint>
#include <map>
#include <sstream>

namespace langop::localapi::detail {
namespace {

struct bounds {
  std::uint64_t min, max;
  const std::map<std::string, std::uint64_t>* names;
};

const std::map<std::string, std::uint64_t> month_names = {{"jan", 1}, {"feb", 2},  {"mar", 3},  {"apr", 4},
                                                          {"may", 5}, {"jun", 6},  {"jul", 7},  {"aug", 8},
                                                          {"sep", 9}, {"oct", 10}, {"nov", 11}, {"dec", 12}};
const std::map<std::string, std::uint64_t> dow_names = {{"sun", 0}, {"mon", 1}, {"tue", 2}, {"wed", 3},
                                                        {"thu", 4}, {"fri", 5}, {"sat", 6}};

// strconv.Atoi plus robfig's sign check, with their error texts.
std::optional<std::string> must_parse_int(std::string_view expr, std::uint64_t& out) {
  std::string e(expr);
  std::string_view digits = expr;
  bool negative = false;
  if (!digits.empty() && (digits.front() == '+' || digits.front() == '-')) {
    negative = digits.front() == '-';
    digits.remove_prefix(1);
  }
  if (digits.empty() || digits.find_first_not_of("0123456789") != std::string_view::npos)
    return "failed to parse int from " + e + ": strconv.Atoi: parsing \"" + e + "\": invalid syntax";
  std::uint64_t n = 0;
  auto [p, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), n);
  if (ec != std::errc() || n > static_cast<std::uint64_t>(INT64_MAX))
    return "failed to parse int from " + e + ": strconv.Atoi: parsing \"" + e + "\": value out of range";
  if (negative && n > 0) return "negative number (-" + std::to_string(n) + ") not allowed: " + e;
  out = n;
  return std::nullopt;
}

std::optional<std::string> parse_int_or_name(std::string_view expr, const bounds& r, std::uint64_t& out) {
  if (r.names) {
    std::string lower(expr);
    for (auto& ch : lower) ch = static_cast<char>(std::tolower(static_cast<unsigned char>(ch)));
    if (auto it = r.names->find(lower); it != r.names->end()) {
      out = it->second;
      return std::nullopt;
    }
  }
  return must_parse_int(expr, out);
}

std::vector<std::string_view> split(std::string_view s, char sep) {
  std::vector<std::string_view> parts;
  std::size_t start = 0;
  while (true) {
    auto at = s.find(sep, start);
    parts.push_back(s.substr(start, at == std::string_view::npos ? std::string_view::npos : at - start));
    if (at == std::string_view::npos) return parts;
    start = at + 1;
  }
}

std::optional<std::string> get_range(std::string_view expr, const bounds& r) {
  auto range_and_step = split(expr, '/');
  auto low_and_high = split(range_and_step[0], '-');
  bool single = low_and_high.size() == 1;
  std::uint64_t start = 0, end = 0, step = 1;
  if (low_and_high[0] == "*" || low_and_high[0] == "?") {
    start = r.min;
    end = r.max;
  } else {
    if (auto e = parse_int_or_name(low_and_high[0], r, start)) return e;
    if (low_and_high.size() == 1)
      end = start;
    else if (low_and_high.size() == 2) {
      if (auto e = parse_int_or_name(low_and_high[1], r, end)) return e;
    } else {
      return "too many hyphens: " + std::string(expr);
    }
  }
  if (range_and_step.size() == 2) {
    if (auto e = must_parse_int(range_and_step[1], step)) return e;
    if (single) end = r.max;  // "N/step" means "N-max/step"
  } else if (range_and_step.size() > 2) {
    return "too many slashes: " + std::string(expr);
  }
  std::string e(expr);
  if (start < r.min)
    return "beginning of range (" + std::to_string(start) + ") below minimum (" + std::to_string(r.min) + "): " + e;
  if (end > r.max)
    return "end of range (" + std::to_string(end) + ") above maximum (" + std::to_string(r.max) + "): " + e;
  if (start > end)
    return "beginning of range (" + std::to_string(start) + ") beyond end of range (" + std::to_string(end) + "): " + e;
  if (step == 0) return "step of range should be a positive number: " + e;
  return std::nullopt;
}

}  // namespace

std::optional<std::string> cron_schedule_error(std::string_view spec) {
  if (spec.empty()) return std::string("empty spec string");
  std::string s(spec);
  // An optional "TZ=<zone> " / "CRON_TZ=<zone> " prefix (time zone names are not checked here).
  if (s.rfind("TZ=", 0) == 0 || s.rfind("CRON_TZ=", 0) == 0) {
    auto space = s.find(' ');
    auto eq = s.find('=');
    if (space == std::string::npos)
      return "provided bad location " + s.substr(eq + 1) + ": unknown time zone " + s.substr(eq + 1);
    if (space == eq + 1) return std::string("provided bad location : unknown time zone ");
    s = s.substr(space);
    auto first = s.find_first_not_of(" \t\n\r\v\f");
    s = first == std::string::npos ? std::string() : s.substr(first);
  }
  if (!s.empty() && s.front() == '@') {
    static const char* const descriptors[] = {"@yearly", "@annually", "@monthly", "@weekly",
                                              "@daily",  "@midnight", "@hourly"};
    for (const char* d : descriptors)
      if (s == d) return std::nullopt;
    if (s.rfind("@every ", 0) == 0) {
      std::string d = s.substr(7);
      if (!parse_duration(d)) return "failed to parse duration " + s + ": time: invalid duration \"" + d + "\"";
      return std::nullopt;
    }
    return "unrecognized descriptor: " + s;
  }
  std::vector<std::string> fields;
  std::istringstream in(s);
  for (std::string f; in >> f;) fields.push_back(f);
  if (fields.size() != 5) {
    std::string list = "[";
    for (std::size_t i = 0; i < fields.size(); ++i) list += (i ? " " : "") + fields[i];
    list += "]";
    return "expected exactly 5 fields, found " + std::to_string(fields.size()) + ": " + list;
  }
  const bounds field_bounds[5] = {
      {0, 59, nullptr}, {0, 23, nullptr}, {1, 31, nullptr}, {1, 12, &month_names}, {0, 6, &dow_names}};
  for (std::size_t i = 0; i < 5; ++i)
    for (auto part : split(fields[i], ','))
      if (auto e = get_range(part, field_bounds[i])) return e;
  return std::nullopt;
}

}  // namespace langop::localapi::detail
