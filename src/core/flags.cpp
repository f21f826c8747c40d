#include "langop/core/flags.hpp"

#include "langop/core/time.hpp"

#include <charconv>
#include <cstdlib>

namespace langop {
namespace {

error flag_error(std::string msg) {
  return error(make_error_code(boost::system::errc::invalid_argument), std::move(msg));
}

bool parse_bool(std::string_view v, bool& out) {
  if (v == "true" || v == "1" || v == "yes") out = true;
  else if (v == "false" || v == "0" || v == "no") out = false;
  else return false;
  return true;
}

}  // namespace

flag_set::flag_set(std::string program, std::string summary)
    : program_(std::move(program)), summary_(std::move(summary)) {}

void flag_set::add(flag f) { flags_.push_back(std::move(f)); }

void flag_set::add_string(std::string name, std::string* target, std::string help, std::string env) {
  add({std::move(name), std::move(help), std::move(env), *target,
       [target](std::string_view v) {
         *target = std::string(v);
         return true;
       }});
}

void flag_set::add_int(std::string name, long long* target, std::string help, std::string env) {
  add({std::move(name), std::move(help), std::move(env), std::to_string(*target), [target](std::string_view v) {
         long long x = 0;
         auto [p, ec] = std::from_chars(v.data(), v.data() + v.size(), x);
         if (ec != std::errc() || p != v.data() + v.size()) return false;
         *target = x;
         return true;
       }});
}

void flag_set::add_double(std::string name, double* target, std::string help, std::string env) {
  add({std::move(name), std::move(help), std::move(env), std::to_string(*target), [target](std::string_view v) {
         std::string s(v);
         char* end = nullptr;
         double x = std::strtod(s.c_str(), &end);
         if (s.empty() || end != s.c_str() + s.size()) return false;
         *target = x;
         return true;
       }});
}

void flag_set::add_bool(std::string name, bool* target, std::string help, std::string env) {
  flag f{std::move(name), std::move(help), std::move(env), *target ? "true" : "false",
         [target](std::string_view v) { return parse_bool(v, *target); }};
  f.is_bool = true;
  add(std::move(f));
}

void flag_set::add_duration(std::string name, std::chrono::milliseconds* target, std::string help, std::string env) {
  add({std::move(name), std::move(help), std::move(env),
       format_duration(std::chrono::duration_cast<std::chrono::nanoseconds>(*target)), [target](std::string_view v) {
         auto d = parse_duration(v);
         if (!d || d->count() < 0) return false;
         *target = std::chrono::duration_cast<std::chrono::milliseconds>(*d);
         return true;
       }});
}

result<void> flag_set::parse(const std::vector<std::string>& args,
                             const std::function<const char*(const char*)>& getenv_fn) {
  auto env = getenv_fn ? getenv_fn : [](const char* n) -> const char* { return std::getenv(n); };
  std::vector<bool> seen(flags_.size(), false);
  for (std::size_t i = 0; i < args.size(); ++i) {
    std::string_view a = args[i];
    if (a == "--help" || a == "-h") {
      help_ = true;
      return {};
    }
    if (!a.starts_with("--")) return flag_error("unexpected argument \"" + std::string(a) + "\" (see --help)");
    a.remove_prefix(2);
    std::string_view name = a, value;
    bool has_value = false;
    if (auto eq = a.find('='); eq != std::string_view::npos) {
      name = a.substr(0, eq);
      value = a.substr(eq + 1);
      has_value = true;
    }
    std::size_t idx = flags_.size();
    for (std::size_t k = 0; k < flags_.size(); ++k)
      if (flags_[k].name == name) idx = k;
    if (idx == flags_.size()) return flag_error("unknown flag --" + std::string(name) + " (see --help)");
    auto& f = flags_[idx];
    if (!has_value) {
      if (f.is_bool) {
        value = "true";
      } else {
        if (i + 1 >= args.size()) return flag_error("flag --" + f.name + " needs a value");
        value = args[++i];
      }
    }
    if (!f.set(value)) return flag_error("invalid value \"" + std::string(value) + "\" for flag --" + f.name);
    seen[idx] = true;
  }
  for (std::size_t k = 0; k < flags_.size(); ++k) {
    if (seen[k] || flags_[k].env.empty()) continue;
    const char* v = env(flags_[k].env.c_str());
    if (v && *v && !flags_[k].set(v))
      return flag_error("invalid value \"" + std::string(v) + "\" in environment variable " + flags_[k].env);
  }
  return {};
}

std::string flag_set::usage() const {
  std::string out = "Usage: " + program_ + " [flags]\n\n" + summary_ + "\n\nFlags:\n";
  for (const auto& f : flags_) {
    out += "  --" + f.name;
    if (!f.is_bool) out += " value";
    out += "\n      " + f.help;
    if (!f.default_text.empty()) out += " (default " + f.default_text + ")";
    if (!f.env.empty()) out += " [env " + f.env + "]";
    out += "\n";
  }
  return out;
}

}  // namespace langop
