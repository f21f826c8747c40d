#include "langop/synthesis/service.hpp"

#include "langop/llm/call_metrics.hpp"
#include "langop/llm/client.hpp"
#include "langop/obs/registry.hpp"
#include "langop/resources/common.hpp"
#include "langop/synthesis/prompt.hpp"

#include <boost/asio/bind_cancellation_slot.hpp>
#include <boost/asio/cancellation_signal.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/post.hpp>

#include <deque>
#include <set>
#include <unordered_map>

namespace langop::synthesis {

namespace net = boost::asio;

std::string job::key() const {
  std::string text = kind == job_kind::code ? "code\n" : "persona\n";
  text += request.model + "\n" + std::to_string(request.temperature.value_or(-1)) + "\n" +
          std::to_string(request.max_tokens.value_or(0)) + "\n";
  for (const auto& m : request.messages) {
    text += std::string(llm::to_string(m.role)) + ":" + std::to_string(m.content.size()) + ":" + m.content + "\n";
  }
  if (kind == job_kind::code) {
    text += "name:" + validation.agent_name + "\nmax:" + std::to_string(validation.max_bytes) + "\n";
    for (const auto& t : validation.known_tools) text += "tool:" + t + "\n";
  }
  return resources::sha256_hex(text);
}

struct service::state {
  net::any_io_executor ex;
  std::weak_ptr<state> self;  // the launcher of queued jobs needs the owning pointer
  service_options opts;
  log::logger log;
  llm::client client;
  std::string model;
  std::function<void(const std::string&)> wake;
  bool stopped = false;

  struct pending {
    job j;
    std::set<std::string> waiters;
  };
  std::unordered_map<std::string, pending> jobs;  // in flight or queued, by job key
  std::deque<std::string> queue;                  // keys waiting for a slot, FIFO
  // Cancellation of each running job, by launch number (a job key may run again later).
  // `done`: the coroutine finished; its slot is freed by a posted release, and emitting
  // before that would post work into the handler the release destroys.
  struct running_job {
    std::unique_ptr<net::cancellation_signal> signal = std::make_unique<net::cancellation_signal>();
    bool done = false;
  };
  std::unordered_map<std::uint64_t, running_job> running;
  std::uint64_t started = 0;

  std::unordered_map<std::string, outcome> cache;
  std::deque<std::string> cache_order;  // oldest first, for eviction

  obs::counter_family* results = nullptr;

  state(net::any_io_executor e, service_options o, log::logger l, llm::client c)
      : ex(e), opts(std::move(o)), log(std::move(l)), client(std::move(c)) {}

  void remember(const std::string& key, outcome o) {
    if (!cache.contains(key)) cache_order.push_back(key);
    cache[key] = std::move(o);
    while (cache.size() > opts.cache_entries && !cache_order.empty()) {
      cache.erase(cache_order.front());
      cache_order.pop_front();
    }
  }

  static void launch(const std::shared_ptr<state>& st, const std::string& key) {
    const std::uint64_t id = ++st->started;
    auto& signal = st->running[id].signal;
    const job_kind kind = st->jobs.at(key).j.kind;
    net::co_spawn(st->ex, run(st, key, st->jobs.at(key).j),
                  net::bind_cancellation_slot(signal->slot(), [st, key, id, kind](std::exception_ptr e) {
                    if (auto it = st->running.find(id); it != st->running.end()) it->second.done = true;
                    if (e) {
                      std::string what = "unknown exception";
                      try {
                        std::rethrow_exception(e);
                      } catch (const std::exception& ex) {
                        what = ex.what();
                      } catch (...) {
                      }
                      st->log.error("synthesis job failed unexpectedly", {{"error", what}});
                      outcome o;
                      o.error = "internal error in the synthesizer: " + what;
                      o.finished = std::chrono::system_clock::now();
                      if (!st->stopped) st->finish(key, std::move(o), kind);
                    }
                    // The signal is referenced by this very handler's slot: free it later.
                    net::post(st->ex, [st, id] { st->release(id); });
                  }));
  }

  // Frees a finished job's slot and starts the next queued job.
  void release(std::uint64_t id) {
    running.erase(id);
    auto owner = self.lock();
    if (stopped || !owner) return;
    while (running.size() < opts.concurrency && !queue.empty()) {
      auto next = std::move(queue.front());
      queue.pop_front();
      if (jobs.contains(next)) launch(owner, next);
    }
  }

  static net::awaitable<void> run(std::shared_ptr<state> st, std::string key, job j) {
    const auto begun = std::chrono::steady_clock::now();
    outcome o;
    o.model = st->model;
    llm::chat_request req = j.request;
    std::string last_error;
    for (int attempt = 1; attempt <= st->opts.max_attempts; ++attempt) {
      o.attempts = attempt;
      auto answer = co_await st->client.chat(req, st->opts.api_key, http::after(st->opts.call_timeout));
      if (st->stopped) co_return;
      if (!answer) {
        if (llm::is(answer.error(), llm::errc::cancelled)) co_return;
        // The client already retried what can be retried; the message names no key. A
        // garbled answer is worth asking again, like invalid code.
        last_error = "the synthesis model failed: " + answer.error().message;
        if (llm::is(answer.error(), llm::errc::malformed_response) && attempt < st->opts.max_attempts) continue;
        break;
      }
      o.usage.prompt_tokens += answer->usage.prompt_tokens;
      o.usage.completion_tokens += answer->usage.completion_tokens;
      if (!answer->model.empty()) o.model = answer->model;
      if (j.kind == job_kind::persona) {
        std::string text = answer->content;
        while (!text.empty() && std::isspace(static_cast<unsigned char>(text.back()))) text.pop_back();
        if (!text.empty()) {
          o.ok = true;
          o.text = std::move(text);
          break;
        }
        last_error = "the model answered with an empty persona message";
        continue;
      }
      auto code = extract_code(answer->content);
      std::optional<std::string> why =
          code ? validate_code(*code, j.validation) : std::optional<std::string>("the answer has no ```ruby code block");
      if (!why) {
        o.ok = true;
        o.text = std::move(*code);
        break;
      }
      last_error = *why;
      st->log.info("synthesized code rejected", {{"attempt", std::int64_t{attempt}}, {"reason", *why}});
      if (attempt < st->opts.max_attempts) add_retry_turn(req, answer->content, *why);
      else last_error = "no valid code after " + std::to_string(attempt) + " attempts: " + *why;
    }
    if (!o.ok) o.error = last_error;
    o.duration = std::chrono::duration_cast<std::chrono::milliseconds>(std::chrono::steady_clock::now() - begun);
    o.finished = std::chrono::system_clock::now();
    st->finish(key, std::move(o), j.kind);
  }

  void finish(const std::string& key, outcome o, job_kind kind) {
    if (results)
      results->with({{"kind", kind == job_kind::code ? "code" : "persona"}, {"outcome", o.ok ? "ok" : "failed"}}).inc();
    std::set<std::string> waiters;
    if (auto it = jobs.find(key); it != jobs.end()) {
      waiters = std::move(it->second.waiters);
      jobs.erase(it);
    }
    remember(key, std::move(o));
    if (!wake) return;
    for (const auto& w : waiters) wake(w);
  }
};

result<std::unique_ptr<service>> service::make(net::any_io_executor ex, service_options o, log::logger logger,
                                               obs::registry* metrics) {
  if (metrics) o.client.on_call = llm::call_metrics(*metrics);
  if (o.concurrency == 0) o.concurrency = 1;
  if (o.max_attempts < 1) o.max_attempts = 1;
  auto c = llm::client::make(ex, o.model, o.client);
  if (!c) return c.error();
  const std::string model = c->endpoint().model;
  auto st = std::make_shared<state>(ex, std::move(o), std::move(logger), std::move(*c));
  st->self = st;
  st->model = model;
  if (metrics) {
    st->results = &metrics->counter("langop_synthesis_jobs_total", "Synthesis jobs (code, persona) by outcome",
                                    {"kind", "outcome"});
    std::weak_ptr<state> weak = st;
    metrics->gauge_callback("langop_synthesis_jobs_running", "Synthesis jobs calling the LLM now", [weak] {
      auto s = weak.lock();
      return s ? static_cast<double>(s->running.size()) : 0.0;
    });
    metrics->gauge_callback("langop_synthesis_jobs_queued", "Synthesis jobs waiting for a concurrency slot", [weak] {
      auto s = weak.lock();
      return s ? static_cast<double>(s->queue.size()) : 0.0;
    });
  }
  return std::unique_ptr<service>(new service(std::move(st)));
}

service::~service() { stop(); }

service::poll_result service::poll(const job& j, const std::string& waiter) {
  poll_result r;
  auto& st = *st_;
  const std::string key = j.key();
  if (auto it = st.cache.find(key); it != st.cache.end()) {
    const bool expired = !it->second.ok && std::chrono::system_clock::now() - it->second.finished > st.opts.failure_ttl;
    if (!expired) {
      r.done = it->second;
      return r;
    }
    st.cache.erase(it);  // its cache_order entry goes when it reaches the front
  }
  if (st.stopped) return r;
  auto [it, fresh] = st.jobs.try_emplace(key);
  it->second.waiters.insert(waiter);
  if (!fresh) return r;
  it->second.j = j;
  r.started = true;
  if (st.running.size() < st.opts.concurrency) state::launch(st_, key);
  else st.queue.push_back(key);
  return r;
}

void service::on_done(std::function<void(const std::string&)> wake) { st_->wake = std::move(wake); }

void service::stop() {
  if (!st_ || st_->stopped) return;
  st_->stopped = true;
  st_->wake = nullptr;
  st_->queue.clear();
  for (auto& [id, job] : st_->running)
    if (!job.done) job.signal->emit(net::cancellation_type::terminal);
}

const std::string& service::model() const noexcept { return st_->model; }
std::size_t service::running() const noexcept { return st_->running.size(); }
std::size_t service::queued() const noexcept { return st_->queue.size(); }
std::uint64_t service::jobs_started() const noexcept { return st_->started; }

}  // namespace langop::synthesis
