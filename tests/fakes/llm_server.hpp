// A fake LLM provider for tests and the demo: OpenAI-compatible endpoints
// (.../chat/completions incl. Azure's /openai/deployments/<d>/chat/completions, and
// .../models) and Anthropic endpoints (.../messages, .../models) over HTTP (or HTTPS) on one
// io_context. Answers come from scripted rules keyed by request content (first match
// wins, then the default answer); faults are injected for the next N requests (429 +
// Retry-After, 5xx, malformed JSON, truncated body, dropped connection, silence);
// counters and the last request let tests assert what the client sent.
#pragma once

#include "langop/core/json.hpp"
#include "langop/llm/conversation.hpp"
#include "support/test_http_server.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <cstdint>
#include <deque>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace langop::test {

enum class llm_dialect { openai, anthropic };

// What a rule sees of one chat request, whichever dialect it came in.
struct llm_request_view {
  llm_dialect dialect = llm_dialect::openai;
  std::string model;
  std::string system;          // the system prompt(s), joined
  std::string last_user_text;  // text of the last user turn that has text
  std::string all_text;        // system and every message's text, for broad matching
  std::optional<std::string> last_tool_result;  // set when the conversation ends with a tool result
  std::vector<llm::tool_def> tools;
  json::value body;            // the request as sent
};

struct llm_answer {
  std::string text;
  std::vector<llm::tool_call> tool_calls;
  std::string finish_reason;              // empty: stop / tool_calls (mapped per dialect)
  std::optional<llm::token_usage> usage;  // empty: estimated from text sizes
  // Latency of this answer alone (instead of fake_llm_options::latency): one slow
  // request among fast ones.
  std::optional<std::chrono::milliseconds> delay;
};

using llm_rule = std::function<std::optional<llm_answer>(const llm_request_view&)>;

enum class llm_fault {
  rate_limited,     // 429 with Retry-After (when configured) and the dialect's error body
  server_error,     // server_error_status (500) with the dialect's error body
  malformed_json,   // 200 with a body that is not JSON
  truncated_body,   // a valid answer cut in the middle of its body (Content-Length kept)
  drop_connection,  // read the request, close without a byte
  never_answer,     // read the request, stay silent until the client gives up
};

// Not an aggregate: passed around by value (GCC 12 rule).
struct fake_llm_options {
  fake_llm_options() = default;

  std::string api_key;  // empty: any key (or none) is accepted
  std::chrono::milliseconds latency{0};                   // before every answer
  std::optional<std::chrono::seconds> retry_after{std::chrono::seconds(1)};  // on rate_limited
  int server_error_status = 500;
  std::vector<std::string> models = {"fake-model", "fake-model-large"};
  listen_options listen;                             // default 127.0.0.1, ephemeral port
  std::optional<server_tls> tls;                     // https instead of http
  std::function<void(std::string_view line)> log;    // one line per request (no keys)
};

class fake_llm_server final {
 public:
  explicit fake_llm_server(boost::asio::any_io_executor ex, fake_llm_options opts = {});
  ~fake_llm_server();
  fake_llm_server(const fake_llm_server&) = delete;
  fake_llm_server& operator=(const fake_llm_server&) = delete;

  // Rules are tried in the order added; the first that returns an answer wins.
  void add_rule(llm_rule rule);
  // Answers `a` when the last user text contains `needle`.
  void answer_when(std::string needle, llm_answer a);
  void set_default_answer(llm_answer a);
  void set_latency(std::chrono::milliseconds d);
  void set_api_key(std::string key);
  void set_retry_after(std::optional<std::chrono::seconds> s);
  // The next `times` requests (any endpoint) fail with `f`; queued after earlier faults.
  void fail_next(llm_fault f, std::size_t times = 1);

  [[nodiscard]] std::uint16_t port() const;
  [[nodiscard]] std::string url() const;       // http(s)://127.0.0.1:<port>
  [[nodiscard]] std::string base_url() const;  // url() + "/v1": an OpenAI/Anthropic base URL

  [[nodiscard]] std::size_t calls() const;           // every HTTP request
  [[nodiscard]] std::size_t chat_calls() const;      // chat requests answered from rules
  [[nodiscard]] std::size_t model_list_calls() const;
  [[nodiscard]] std::size_t rejected_keys() const;   // 401s
  [[nodiscard]] std::size_t pending_faults() const;
  [[nodiscard]] const std::string& last_body() const;
  [[nodiscard]] const std::optional<llm_request_view>& last_chat() const;
  [[nodiscard]] const std::vector<seen_request>& seen() const;

  void stop();

 private:
  struct impl;
  std::shared_ptr<impl> impl_;
  std::unique_ptr<test_http_server> server_;
};

// Parses a chat request body into the view rules see (exposed for tests of the fake).
[[nodiscard]] std::optional<llm_request_view> parse_chat_request(llm_dialect d, std::string_view body);

}  // namespace langop::test
