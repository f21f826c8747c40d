// The egress DNS cache (SPEC 1.10): names from egress rules resolved with c-ares, shared
// by every object that lists them. An answer is reused until its shortest TTL expires
// (never sooner than --dns-min-refresh); a failed lookup keeps the last good addresses
// and is reported as unresolved until a lookup succeeds again.
#pragma once

#include "langop/controllers/controllers.hpp"
#include "langop/controllers/status.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace langop::dns {
class resolver;
}

namespace langop::controllers {

struct egress_resolution {
  std::map<std::string, std::vector<std::string>> addresses;  // normalized name -> sorted IP literals
  std::vector<std::string> unresolved;  // "name: why" for failed or rejected names
  std::chrono::seconds refresh{0};      // when to look again (0: no names)
};

// Condition EgressResolved for an object with egress DNS names (nullopt without any):
// True, or False listing the names that failed.
[[nodiscard]] std::optional<condition> egress_condition(const egress_resolution& dns);

class egress_dns final {
 public:
  egress_dns(boost::asio::any_io_executor ex, const controllers_options& opts);
  ~egress_dns();

  // Resolves `names` (as written in egress rules: wildcards map to their apex).
  [[nodiscard]] boost::asio::awaitable<egress_resolution> resolve(std::vector<std::string> names);

  struct entry;

 private:
  std::unique_ptr<dns::resolver> resolver_;
  std::chrono::seconds min_refresh_;
  std::chrono::seconds timeout_;
  std::map<std::string, std::shared_ptr<entry>> cache_;
};

}  // namespace langop::controllers
