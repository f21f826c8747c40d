#include "langop/obs/health.hpp"

#include <algorithm>
#include <stdexcept>

namespace langop::obs {
namespace {

bool valid_check_name(std::string_view name) noexcept {
  return !name.empty() && std::all_of(name.begin(), name.end(), [](char c) {
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '-' || c == '_' ||
           c == '.';
  });
}

void append_line(std::string& out, std::string_view name, const check_status& st) {
  if (st.ok) {
    out += "[+]";
    out += name;
    out += " ok\n";
    return;
  }
  out += "[-]";
  out += name;
  out += " failed: ";
  // One line per check: a multi-line reason would read as extra checks.
  std::string reason = st.reason.empty() ? std::string("reason withheld") : st.reason;
  std::replace(reason.begin(), reason.end(), '\n', ' ');
  out += reason;
  out += '\n';
}

}  // namespace

void check_set::add(std::string name, check_fn fn) {
  if (!valid_check_name(name)) throw std::invalid_argument("invalid check name \"" + name + "\"");
  if (std::any_of(checks_.begin(), checks_.end(), [&](const entry& e) { return e.name == name; })) {
    throw std::invalid_argument(endpoint_ + " check \"" + name + "\" is already registered");
  }
  checks_.push_back({std::move(name), std::move(fn)});
}

check_report check_set::evaluate(bool verbose, const std::vector<std::string>& exclude) const {
  std::string lines;
  bool failed = false;
  for (const auto& c : checks_) {
    if (std::find(exclude.begin(), exclude.end(), c.name) != exclude.end()) {
      lines += "[+]" + c.name + " excluded: ok\n";
      continue;
    }
    const check_status st = c.fn();
    failed = failed || !st.ok;
    append_line(lines, c.name, st);
  }
  if (!failed && !verbose) return {200, "ok"};
  lines += endpoint_;
  lines += failed ? " check failed\n" : " check passed\n";
  return {failed ? 503 : 200, std::move(lines)};
}

std::optional<check_report> check_set::evaluate_one(std::string_view name) const {
  for (const auto& c : checks_) {
    if (c.name != name) continue;
    const check_status st = c.fn();
    if (st.ok) return check_report{200, "ok"};
    std::string body;
    append_line(body, c.name, st);
    return check_report{503, std::move(body)};
  }
  return std::nullopt;
}

}  // namespace langop::obs
