// Command-line flags with environment fallbacks and generated --help (PURE).
// Accepts --name=value, --name value, --flag (booleans), --flag=false.
#pragma once

#include "langop/core/error.hpp"

#include <chrono>
#include <functional>
#include <map>
#include <string>
#include <string_view>
#include <vector>

namespace langop {

class flag_set {
 public:
  explicit flag_set(std::string program, std::string summary);

  // Each definition binds a variable whose current value is the default. `env`
  // (optional) names an environment variable read when the flag is not given.
  void add_string(std::string name, std::string* target, std::string help, std::string env = {});
  void add_int(std::string name, long long* target, std::string help, std::string env = {});
  void add_double(std::string name, double* target, std::string help, std::string env = {});
  void add_bool(std::string name, bool* target, std::string help, std::string env = {});
  // Go duration syntax ("30s", "1m30s").
  void add_duration(std::string name, std::chrono::milliseconds* target, std::string help, std::string env = {});

  // Parses argv (without argv[0]). Errors name the flag and the bad value. `--help`
  // sets help_requested() and stops.
  [[nodiscard]] result<void> parse(const std::vector<std::string>& args,
                                   const std::function<const char*(const char*)>& getenv_fn = nullptr);
  [[nodiscard]] bool help_requested() const noexcept { return help_; }
  [[nodiscard]] std::string usage() const;

 private:
  struct flag {
    std::string name, help, env, default_text;
    std::function<bool(std::string_view)> set;  // false when the text is not a valid value
    bool is_bool = false;
  };
  void add(flag f);
  std::string program_, summary_;
  std::vector<flag> flags_;
  bool help_ = false;
};

}  // namespace langop
