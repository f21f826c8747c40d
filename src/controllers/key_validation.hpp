// LanguageModel live key validation (SPEC 1.3): reads the API key from its Secret at the
// moment of the call (the Secrets cache holds no values), asks the provider's models
// endpoint whether it accepts the key, and forgets the key again. The key goes into one
// request header and nowhere else: outcomes, conditions, events and logs never carry it.
#pragma once

#include "background_checks.hpp"

#include "langop/controllers/status.hpp"
#include "langop/llm/model_endpoint.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <string>

namespace langop::kube {
class client;
}

namespace langop::controllers {

// Where the key is: Secret `name` in `ns`, data key `key`. Empty name: no key (Ollama,
// keyless gateways). Not an aggregate (GCC 12 rule).
struct key_source {
  key_source() = default;
  key_source(std::string n, std::string sn, std::string k) : ns(std::move(n)), name(std::move(sn)), key(std::move(k)) {}
  std::string ns, name, key;
};

// The check: outcome ok when the models endpoint answers 2xx with the key. Failures:
// Unauthorized (401/403), Rejected (other 4xx), MalformedResponse, UnsupportedProvider
// and SecretUnreadable are not transient; Unreachable (network, timeout), RateLimited and
// ProviderError (5xx) are retried with backoff. `client` must outlive the check.
[[nodiscard]] background_checks::check_fn validate_key_check(boost::asio::any_io_executor ex, kube::client& client,
                                                             key_source source, llm::model_config cfg,
                                                             std::chrono::milliseconds timeout);

// KeyValid True/False for an outcome.
[[nodiscard]] condition key_valid_condition(const check_outcome& o);

}  // namespace langop::controllers
