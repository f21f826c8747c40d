// Named health checks rendered like controller-runtime's /healthz and /readyz (PURE).
#pragma once

#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace langop::obs {

struct check_status {
  bool ok = true;
  std::string reason;  // why it failed; served over HTTP, so never secret material

  [[nodiscard]] static check_status pass() { return {}; }
  [[nodiscard]] static check_status fail(std::string why) { return {false, std::move(why)}; }
};

// Runs on every probe, on the loop thread: must be cheap and never block.
using check_fn = std::function<check_status()>;

struct check_report {
  int status = 200;  // 200 when every evaluated check passed, else 503
  std::string body;
};

// The checks behind one endpoint ("healthz" or "readyz"), evaluated in the order added.
class check_set final {
 public:
  explicit check_set(std::string endpoint_name) : endpoint_(std::move(endpoint_name)) {}

  // Names are non-empty [A-Za-z0-9._-]; throws std::invalid_argument when invalid or taken.
  void add(std::string name, check_fn fn);

  // All checks except `exclude`. Success without `verbose`: 200 "ok". Otherwise one line
  // per check ("[+]ping ok", "[-]informers-synced failed: <reason>") and a last line
  // "<endpoint> check passed|failed"; 503 when any check failed.
  [[nodiscard]] check_report evaluate(bool verbose = false, const std::vector<std::string>& exclude = {}) const;
  // Just the check `name` (for /readyz/<name>); nullopt when there is no such check.
  [[nodiscard]] std::optional<check_report> evaluate_one(std::string_view name) const;

  [[nodiscard]] const std::string& endpoint() const noexcept { return endpoint_; }

 private:
  struct entry {
    std::string name;
    check_fn fn;
  };
  std::string endpoint_;
  std::vector<entry> checks_;
};

}  // namespace langop::obs
