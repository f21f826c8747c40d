// GCC 12 reports a false -Wmaybe-uninitialized inside libstdc++'s <regex> (std::function in
// the NFA states) when sanitizers are on; the warning is about the library, not this file.
#pragma GCC diagnostic push
#pragma GCC diagnostic ignored "-Wmaybe-uninitialized"
#include "safe_regex.hpp"

#include <algorithm>
#include <vector>

namespace langop::localapi::detail {
namespace {

constexpr std::size_t max_pattern_bytes = 16 * 1024;
constexpr std::size_t max_nesting = 100;
constexpr std::size_t max_repeat = 1000;  // RE2's limit for {n,m}
constexpr std::size_t max_weight = 10000;
// weight x input bytes above which a match is refused (~ tens of milliseconds of work).
constexpr std::size_t max_match_cost = 50'000'000;

// Reads "{n}", "{n,}" or "{n,m}" at `i`; returns false when the brace is a literal.
bool read_repeat(std::string_view p, std::size_t& i, std::size_t& count) {
  std::size_t j = i + 1;
  auto number = [&](std::size_t& out) {
    std::size_t start = j;
    out = 0;
    while (j < p.size() && p[j] >= '0' && p[j] <= '9') {
      if (out <= max_repeat * 10) out = out * 10 + static_cast<std::size_t>(p[j] - '0');
      ++j;
    }
    return j > start;
  };
  std::size_t n = 0, m = 0;
  if (!number(n)) return false;
  bool has_m = false;
  if (j < p.size() && p[j] == ',') {
    ++j;
    has_m = number(m);
  }
  if (j >= p.size() || p[j] != '}') return false;
  count = has_m ? std::max(n, m) : n + 1;
  i = j;
  return true;
}

// A rough size of the automaton the pattern expands to (counted repetitions multiply).
std::optional<std::string> check_shape(std::string_view p, std::size_t& weight) {
  if (p.size() > max_pattern_bytes) return "regular expression too large";
  struct frame {
    std::size_t total = 0;
    std::size_t last = 0;
  };
  std::vector<frame> stack(1);
  auto add_atom = [&](std::size_t w) {
    stack.back().total += w;
    stack.back().last = w;
  };
  for (std::size_t i = 0; i < p.size(); ++i) {
    char c = p[i];
    if (c == '\\') {
      ++i;
      add_atom(1);
    } else if (c == '[') {
      ++i;
      if (i < p.size() && p[i] == '^') ++i;
      if (i < p.size() && p[i] == ']') ++i;
      while (i < p.size() && p[i] != ']') {
        if (p[i] == '\\') ++i;
        ++i;
      }
      add_atom(1);
    } else if (c == '(') {
      if (stack.size() > max_nesting) return "regular expression nested too deeply";
      stack.emplace_back();
    } else if (c == ')') {
      if (stack.size() == 1) {
        add_atom(1);  // unbalanced: std::regex reports it
        continue;
      }
      std::size_t w = stack.back().total + 1;
      stack.pop_back();
      add_atom(w);
    } else if (c == '{') {
      std::size_t count = 0;
      std::size_t j = i;
      if (!read_repeat(p, j, count)) {
        add_atom(1);
        continue;
      }
      if (count > max_repeat + 1) return "invalid repeat count";
      i = j;
      auto& f = stack.back();
      f.total = f.total - f.last + f.last * count;
      f.last = f.last * count;
    } else if (c != '|' && c != '*' && c != '+' && c != '?') {
      add_atom(1);
    }
    if (stack.back().total > max_weight) return "regular expression too large";
  }
  std::size_t total = 0;
  for (const auto& f : stack) total += f.total;
  weight = total + 1;
  if (weight > max_weight) return "regular expression too large";
  return std::nullopt;
}

}  // namespace

std::variant<std::shared_ptr<const safe_regex>, std::string> compile_regex(std::string_view pattern) {
  std::size_t weight = 1;
  if (auto why = check_shape(pattern, weight))
    return "error parsing regexp: " + *why + ": `" + std::string(pattern) + "`";
  try {
    auto r = std::make_shared<safe_regex>();
    r->re = std::regex(pattern.begin(), pattern.end(),
                       std::regex::ECMAScript | std::regex_constants::__polynomial);
    r->weight = weight;
    return std::shared_ptr<const safe_regex>(std::move(r));
  } catch (const std::regex_error& e) {
    return "error parsing regexp: " + std::string(e.what()) + ": `" + std::string(pattern) + "`";
  } catch (const std::bad_alloc&) {
    return "error parsing regexp: regular expression too large: `" + std::string(pattern) + "`";
  }
}

std::optional<bool> regex_search(const safe_regex& r, std::string_view input) {
  if (r.weight * (input.size() + 1) > max_match_cost) return std::nullopt;
  try {
    return std::regex_search(input.data(), input.data() + input.size(), r.re);
  } catch (const std::exception&) {
    return std::nullopt;
  }
}

}  // namespace langop::localapi::detail

#pragma GCC diagnostic pop
