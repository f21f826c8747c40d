// The langop controllers (SPEC 1.2-1.7, 1.10), registered with a runtime::manager: the
// informers they share (langop kinds, managed children selected by label, Secrets with
// their values blanked), the indexes that route a change of a referenced object to the
// objects that reference it, and one controller per kind.
#pragma once

#include "langop/core/log.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <memory>
#include <string>
#include <vector>

namespace langop::runtime {
class manager;
}

namespace langop::controllers {

// Synthesis of agent code (SPEC 1.9); disabled while `model` is empty.
struct synthesis_settings {
  synthesis_settings() = default;
  std::string model;
  std::string provider = "openai";
  std::string endpoint;  // empty: the provider's public API
  std::string api_key;   // never logged, never written anywhere
  std::size_t concurrency = 4;
  int max_attempts = 3;
  std::chrono::milliseconds timeout{120000};  // per LLM call, its retries included
  std::chrono::milliseconds retry_initial_backoff{1000};
  // A failed synthesis (after its attempts) is asked for again after this.
  std::chrono::seconds failure_retry{300};
  [[nodiscard]] bool enabled() const noexcept { return !model.empty(); }
};

struct controllers_options {
  controllers_options() = default;  // not an aggregate (GCC 12 coroutine parameters)
  std::size_t concurrency = 16;     // reconciles in flight per kind
  // Egress DNS names are looked up again when their shortest TTL expires, but never more
  // often than this (SPEC 1.10 --dns-min-refresh).
  std::chrono::seconds dns_min_refresh{30};
  std::chrono::seconds dns_timeout{5};
  // DNS servers for egress lookups ("ip[:port]"); empty: /etc/resolv.conf.
  std::vector<std::string> dns_servers;
  synthesis_settings synthesis;
};

class operator_controllers final {
 public:
  // Creates the informers and controllers on `mgr` (which starts them). Must be
  // destroyed after the manager shut down and before the io_context.
  operator_controllers(boost::asio::any_io_executor ex, runtime::manager& mgr, controllers_options options,
                       log::logger logger);
  ~operator_controllers();
  operator_controllers(const operator_controllers&) = delete;
  operator_controllers& operator=(const operator_controllers&) = delete;

  [[nodiscard]] std::uint64_t events_emitted() const noexcept;

  struct state;

 private:
  std::unique_ptr<state> st_;
};

}  // namespace langop::controllers
