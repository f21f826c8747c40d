#include "fakes/llm_server.hpp"

#include "fakes/llm_fake_wire.hpp"

namespace langop::test {

namespace {

bool ends_with(std::string_view s, std::string_view suffix) { return s.ends_with(suffix); }

}  // namespace

struct fake_llm_server::impl {
  explicit impl(fake_llm_options o) : opts(std::move(o)) {}

  fake_llm_options opts;
  std::vector<llm_rule> rules;
  llm_answer default_answer{"This is the fake LLM's default answer.", {}, {}, {}};
  std::deque<llm_fault> faults;
  std::size_t calls = 0, chat_calls = 0, model_calls = 0, rejected = 0;
  std::uint64_t seq = 0;
  std::string last_body;
  std::optional<llm_request_view> last_chat;

  void log(const seen_request& r, int status, std::string_view note) const {
    if (!opts.log) return;
    std::string line = r.method + " " + r.target.substr(0, r.target.find('?')) + " -> " + std::to_string(status);
    if (!note.empty()) line += " (" + std::string(note) + ")";
    opts.log(line);
  }

  bool key_ok(llm_dialect d, const seen_request& r, std::string& presented) const {
    if (d == llm_dialect::anthropic) {
      presented = std::string(r.headers.get("x-api-key").value_or(""));
      return opts.api_key.empty() || presented == opts.api_key;
    }
    std::string_view auth = r.headers.get("Authorization").value_or("");
    if (auth.starts_with("Bearer ")) presented = std::string(auth.substr(7));
    if (presented.empty()) presented = std::string(r.headers.get("api-key").value_or(""));  // Azure
    return opts.api_key.empty() || presented == opts.api_key;
  }

  scripted_reply fault_reply(llm_fault f, llm_dialect d, const seen_request& r) {
    scripted_reply rep;
    switch (f) {
      case llm_fault::rate_limited:
        rep = json_reply(429, detail::render_error(d, d == llm_dialect::openai ? "requests" : "rate_limit_error",
                                                   "Rate limit reached for requests (fake)", "rate_limit_exceeded"));
        if (opts.retry_after) rep.headers.emplace_back("Retry-After", std::to_string(opts.retry_after->count()));
        break;
      case llm_fault::server_error:
        rep = json_reply(opts.server_error_status,
                         detail::render_error(d, d == llm_dialect::openai ? "server_error" : "api_error",
                                              "The server had an error while processing your request (fake)"));
        break;
      case llm_fault::malformed_json:
        rep = json_reply(200, R"({"id": "chatcmpl-broken", "choices": [{"index": 0, "message": {"role": )");
        break;
      case llm_fault::truncated_body: {
        llm_request_view view;
        view.dialect = d;
        rep = json_reply(200, detail::render_answer(d, default_answer, view, ++seq));
        // Head plus half the body: Content-Length promises more than arrives.
        std::size_t head = std::string_view("HTTP/1.1 200 OK\r\n").size() + 2;  // status line, blank line
        for (const auto& [k, v] : rep.headers) head += k.size() + 2 + v.size() + 2;
        head += std::string_view("Content-Length: \r\n").size() + std::to_string(rep.body.size()).size();
        rep.cut_after = head + rep.body.size() / 2;
        break;
      }
      case llm_fault::drop_connection: rep.drop = true; break;
      case llm_fault::never_answer: rep.never_answer = true; break;
    }
    log(r, rep.status, "injected fault");
    return rep;
  }

  scripted_reply handle(const seen_request& r) {
    ++calls;
    last_body = r.body;
    const std::string path = r.target.substr(0, r.target.find('?'));
    const bool is_openai_chat = ends_with(path, "/chat/completions");
    const bool is_anthropic_chat = ends_with(path, "/messages");
    const bool is_models = ends_with(path, "/models");
    const bool anthropic_headers = r.headers.contains("x-api-key") || r.headers.contains("anthropic-version");
    const llm_dialect d = is_anthropic_chat || (is_models && anthropic_headers) ? llm_dialect::anthropic
                                                                                : llm_dialect::openai;
    if (!faults.empty()) {
      llm_fault f = faults.front();
      faults.pop_front();
      return fault_reply(f, d, r);
    }
    std::optional<std::chrono::milliseconds> answer_delay;
    scripted_reply rep = route(d, r, is_openai_chat || is_anthropic_chat, is_models, answer_delay);
    rep.delay = answer_delay.value_or(opts.latency);
    return rep;
  }

  scripted_reply route(llm_dialect d, const seen_request& r, bool is_chat, bool is_models,
                       std::optional<std::chrono::milliseconds>& answer_delay) {
    if (!is_chat && !is_models) {
      log(r, 404, "unknown path");
      return json_reply(404, detail::render_error(d, "not_found_error", "Unknown path " + r.target));
    }
    if ((is_chat && r.method != "POST") || (is_models && r.method != "GET")) {
      log(r, 405, "wrong method");
      return json_reply(405, detail::render_error(d, "invalid_request_error", "Method not allowed"));
    }
    std::string presented;
    if (!key_ok(d, r, presented)) {
      ++rejected;
      log(r, 401, "wrong API key");
      // Real providers echo (part of) the key they got; the whole key here proves the
      // client redacts it.
      if (d == llm_dialect::openai)
        return json_reply(401, detail::render_error(d, "invalid_request_error",
                                                    "Incorrect API key provided: " + presented + ".", "invalid_api_key"));
      return json_reply(401, detail::render_error(d, "authentication_error", "invalid x-api-key " + presented));
    }
    if (d == llm_dialect::anthropic && !r.headers.contains("anthropic-version")) {
      log(r, 400, "no anthropic-version");
      return json_reply(400, detail::render_error(d, "invalid_request_error", "anthropic-version: header is required"));
    }
    if (is_models) {
      ++model_calls;
      log(r, 200, "models");
      return json_reply(200, detail::render_models(d, opts.models));
    }
    auto view = parse_chat_request(d, r.body);
    if (!view) {
      log(r, 400, "unparseable request");
      return json_reply(400, detail::render_error(d, "invalid_request_error", "Could not parse the request body"));
    }
    if (d == llm_dialect::anthropic && !jsonu::find(view->body, {"max_tokens"})) {
      log(r, 400, "no max_tokens");
      return json_reply(400, detail::render_error(d, "invalid_request_error", "max_tokens: Field required"));
    }
    ++chat_calls;
    llm_answer answer = default_answer;
    std::string note = "default answer";
    for (std::size_t i = 0; i < rules.size(); ++i) {
      if (auto a = rules[i](*view)) {
        answer = std::move(*a);
        note = "rule " + std::to_string(i + 1);
        break;
      }
    }
    answer_delay = answer.delay;
    auto body = detail::render_answer(d, answer, *view, ++seq);
    last_chat = std::move(view);
    log(r, 200, note);
    return json_reply(200, std::move(body));
  }
};

fake_llm_server::fake_llm_server(boost::asio::any_io_executor ex, fake_llm_options opts)
    : impl_(std::make_shared<impl>(std::move(opts))) {
  auto state = impl_;
  server_ = std::make_unique<test_http_server>(
      ex, [state](const seen_request& r) { return state->handle(r); }, impl_->opts.tls, impl_->opts.listen);
}

fake_llm_server::~fake_llm_server() { stop(); }

void fake_llm_server::add_rule(llm_rule rule) { impl_->rules.push_back(std::move(rule)); }

void fake_llm_server::answer_when(std::string needle, llm_answer a) {
  add_rule([needle = std::move(needle), a = std::move(a)](const llm_request_view& v) -> std::optional<llm_answer> {
    if (v.last_user_text.find(needle) == std::string::npos) return std::nullopt;
    return a;
  });
}

void fake_llm_server::set_default_answer(llm_answer a) { impl_->default_answer = std::move(a); }
void fake_llm_server::set_latency(std::chrono::milliseconds d) { impl_->opts.latency = d; }
void fake_llm_server::set_api_key(std::string key) { impl_->opts.api_key = std::move(key); }
void fake_llm_server::set_retry_after(std::optional<std::chrono::seconds> s) { impl_->opts.retry_after = s; }
void fake_llm_server::fail_next(llm_fault f, std::size_t times) {
  for (std::size_t i = 0; i < times; ++i) impl_->faults.push_back(f);
}

std::uint16_t fake_llm_server::port() const { return server_->port(); }
std::string fake_llm_server::url() const { return server_->url(); }
std::string fake_llm_server::base_url() const { return url() + "/v1"; }
std::size_t fake_llm_server::calls() const { return impl_->calls; }
std::size_t fake_llm_server::chat_calls() const { return impl_->chat_calls; }
std::size_t fake_llm_server::model_list_calls() const { return impl_->model_calls; }
std::size_t fake_llm_server::rejected_keys() const { return impl_->rejected; }
std::size_t fake_llm_server::pending_faults() const { return impl_->faults.size(); }
const std::string& fake_llm_server::last_body() const { return impl_->last_body; }
const std::optional<llm_request_view>& fake_llm_server::last_chat() const { return impl_->last_chat; }
const std::vector<seen_request>& fake_llm_server::seen() const { return server_->seen(); }

void fake_llm_server::stop() {
  if (server_) server_->stop();
}

}  // namespace langop::test
