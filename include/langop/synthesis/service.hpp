// The synthesis service (SPEC 1.9): LLM calls for agent code and persona distillation,
// run on the event loop apart from the reconciles that ask for them. A reconcile polls:
// the answer is there (cached by the job's input hash) or the job is started / joined
// and the reconcile returns at once; when the job lands every agent that asked is woken
// through the callback (the agent controller enqueues it). Identical jobs in flight are
// one job; at most `concurrency` jobs call the LLM at once, the rest wait in FIFO order.
// Invalid code is asked for again with the validation error, up to max_attempts; the LLM
// client retries 5xx/timeouts and honours 429 Retry-After inside each attempt.
// The API key is held here and passed to the client per call; it appears in nothing else.
#pragma once

#include "langop/core/error.hpp"
#include "langop/core/log.hpp"
#include "langop/core/time.hpp"
#include "langop/llm/client_options.hpp"
#include "langop/llm/conversation.hpp"
#include "langop/llm/model_endpoint.hpp"
#include "langop/synthesis/code.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <functional>
#include <memory>
#include <optional>
#include <string>

namespace langop::obs {
class registry;
}

namespace langop::synthesis {

enum class job_kind { code, persona };

// Not an aggregate (GCC 12 rule).
struct job {
  job() = default;
  job_kind kind = job_kind::code;
  llm::chat_request request;      // the first attempt
  validation_options validation;  // code jobs: what the answer must satisfy

  // SHA-256 of everything that shapes the answer: the cache and coalescing key.
  [[nodiscard]] std::string key() const;
};

struct outcome {
  bool ok = false;
  std::string text;   // the code (code jobs) or the distilled system message
  std::string error;  // user-facing reason when !ok (no secret material)
  int attempts = 0;   // LLM answers asked for (invalid code is asked for again)
  std::string model;
  llm::token_usage usage;  // summed over attempts
  std::chrono::milliseconds duration{0};
  sys_time finished{};
};

struct service_options {
  service_options() = default;
  llm::model_config model;   // provider, model, endpoint
  std::string api_key;       // may be empty (Ollama, gateways without auth)
  std::size_t concurrency = 4;
  int max_attempts = 3;      // answers per job (validation retries)
  std::chrono::milliseconds call_timeout{120000};  // per LLM call, its retries included
  // A failed job is remembered (no hot loop on a broken prompt) and tried again after this.
  std::chrono::seconds failure_ttl{300};
  std::size_t cache_entries = 4096;
  llm::client_options client;  // retry policy, TLS, proxy; on_call is set from `metrics`
};

class service final {
 public:
  // Errors: those of llm::client::make (unknown provider, endpoint not a URL).
  [[nodiscard]] static result<std::unique_ptr<service>> make(boost::asio::any_io_executor ex, service_options o,
                                                             log::logger logger, obs::registry* metrics);
  ~service();  // stop()
  service(const service&) = delete;
  service& operator=(const service&) = delete;

  struct poll_result {
    std::optional<outcome> done;  // the cached answer for the job
    bool started = false;         // this poll started the job (false: joined one in flight)
  };
  // The answer for `j`, or starts/joins it for `waiter` (an object key). Never blocks.
  [[nodiscard]] poll_result poll(const job& j, const std::string& waiter);

  // Called with each waiter's key when its job lands. Set before the first poll.
  void on_done(std::function<void(const std::string& waiter)> wake);

  // Cancels jobs in flight, drops queued ones and stops waking anyone (idempotent).
  void stop();

  [[nodiscard]] const std::string& model() const noexcept;
  [[nodiscard]] std::size_t running() const noexcept;
  [[nodiscard]] std::size_t queued() const noexcept;
  [[nodiscard]] std::uint64_t jobs_started() const noexcept;

  struct state;

 private:
  explicit service(std::shared_ptr<state> st) : st_(std::move(st)) {}
  std::shared_ptr<state> st_;
};

}  // namespace langop::synthesis
