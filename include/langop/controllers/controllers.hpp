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

  // Where MCP tool discovery (SPEC 1.4) reaches a service-mode tool: {name}, {namespace},
  // {port} and {path} are replaced from the LanguageTool. The default is the in-cluster
  // Service URL; an operator running outside the cluster (or a test) points it elsewhere,
  // e.g. "http://127.0.0.1:{port}{path}". Empty: discovery is off. (Same text as
  // resources::tool_service_url_template.)
  std::string mcp_discovery_url_template = "http://{name}.{namespace}.svc.cluster.local:{port}{path}";
  std::chrono::milliseconds mcp_discovery_timeout{10000};  // initialize + tools/list, whole exchange
  std::chrono::milliseconds key_validation_timeout{15000};  // LanguageModel live validation call
  // Failed discoveries and transient key validation failures are retried after
  // base, 2*base, ... up to max.
  std::chrono::milliseconds check_retry_base{5000};
  std::chrono::milliseconds check_retry_max{300000};
  // Discoveries (and, separately, key validations) running at once; more wait their turn.
  std::size_t checks_in_flight = 32;
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
