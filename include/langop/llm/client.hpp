// Calls one LLM endpoint on the event loop: OpenAI-compatible chat completions (OpenAI,
// Azure, Ollama, LiteLLM and other gateways) or Anthropic messages, over http(s) with the
// system trust store and HTTPS_PROXY/NO_PROXY, with a deadline per call, bounded retries
// (backoff with jitter on 5xx/timeouts/network errors, Retry-After on 429), typed errors
// (llm::errc) and token usage. The API key is a parameter of each call: the caller reads
// it from the Secret; the client puts it in one request header and keeps it nowhere else
// (never logged, never in an error message, never stored in the client).
#pragma once

#include "langop/core/error.hpp"
#include "langop/http/deadline.hpp"
#include "langop/llm/client_options.hpp"
#include "langop/llm/conversation.hpp"
#include "langop/llm/model_endpoint.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <memory>
#include <string>
#include <vector>

namespace langop::llm {

class client final {
 public:
  // Resolves the endpoint and prepares the connection pool (no I/O).
  // Errors: those of resolve_endpoint (unsupported_provider, bad_request), bad_request
  // for unusable TLS material or an invalid HTTPS_PROXY.
  [[nodiscard]] static result<client> make(boost::asio::any_io_executor ex, const model_config& cfg,
                                           client_options opts = {});
  [[nodiscard]] static result<client> make(boost::asio::any_io_executor ex, model_endpoint ep,
                                           client_options opts = {});

  client(client&&) noexcept = default;
  client& operator=(client&&) noexcept = default;
  client(const client&) = delete;
  client& operator=(const client&) = delete;
  ~client();

  // One chat turn: the conversation (and tools) in, the answer (text and/or tool calls,
  // finish reason, token usage) out. `req.model` empty means the endpoint's model.
  // Retries 429 (waiting Retry-After when the server sends one, up to
  // retry_policy::max_retry_after), 5xx, timeouts of an attempt and network errors, up
  // to retry_policy::max_attempts, and never sleeps past `d`.
  // Errors (llm::errc): unauthorized, rate_limited, bad_request, server_error (after
  // retries; the message says how many attempts), timeout (`d` passed), network,
  // malformed_response (not retried), cancelled. error.http_status is the provider's
  // status and error.reason its error type; nothing in the error contains the key.
  // Cancellation (per-operation, e.g. awaitable `||`): returns errc::cancelled promptly,
  // in flight or between retries; the connection in use is closed.
  [[nodiscard]] boost::asio::awaitable<result<chat_response>> chat(chat_request req, std::string api_key,
                                                                   http::deadline d);

  // GET .../models: the cheap call that proves a key works (LanguageModel live key
  // validation). Returns the model ids. Retries, errors and cancellation as chat().
  [[nodiscard]] boost::asio::awaitable<result<std::vector<std::string>>> list_models(std::string api_key,
                                                                                     http::deadline d);

  [[nodiscard]] const model_endpoint& endpoint() const noexcept;
  [[nodiscard]] bool proxied() const noexcept;  // https through HTTPS_PROXY
  [[nodiscard]] std::size_t in_flight() const noexcept;

 private:
  struct state;
  explicit client(std::shared_ptr<state> st) : st_(std::move(st)) {}
  // Shared with running calls, so destroying the client never strands a coroutine.
  std::shared_ptr<state> st_;
};

}  // namespace langop::llm
