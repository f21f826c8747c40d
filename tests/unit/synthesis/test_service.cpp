// The synthesis service against the in-process fake provider: identical jobs coalesce,
// answers are cached by the job's input hash, at most `concurrency` calls run at once,
// waiters are woken when their job lands, failures are remembered, stop() cancels.
#include "langop/obs/registry.hpp"
#include "langop/synthesis/prompt.hpp"
#include "langop/synthesis/service.hpp"

#include "fakes/llm_demo_rules.hpp"
#include "fakes/llm_server.hpp"
#include "support/result_printing.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

#include <map>

using namespace langop;
using namespace langop::synthesis;
using namespace std::chrono_literals;

namespace {

const std::string k_key = "sk-service-SECRET-77";

struct fixture {
  boost::asio::io_context io{1};
  obs::registry metrics;
  test::fake_llm_server llm{io.get_executor(), fake_options()};
  std::unique_ptr<service> svc;
  std::map<std::string, int> woken;

  explicit fixture(std::size_t concurrency = 4) {
    for (auto& r : test::demo_rules()) llm.add_rule(std::move(r));
    service_options o;
    o.model.provider = "openai-compatible";
    o.model.model = "fake-model";
    o.model.endpoint = llm.base_url();
    o.api_key = k_key;
    o.concurrency = concurrency;
    o.call_timeout = 10s;
    o.client.proxy = http::proxy_settings{};
    o.client.retry.initial_backoff = 10ms;
    auto s = service::make(io.get_executor(), o, log::logger(log::level::error, log::format::text), &metrics);
    REQUIRE(s);
    svc = std::move(*s);
    svc->on_done([this](const std::string& w) { ++woken[w]; });
  }
  ~fixture() {
    svc->stop();
    llm.stop();
    io.restart();
    io.run_for(50ms);  // let cancelled calls unwind
  }
  static test::fake_llm_options fake_options() {
    test::fake_llm_options f;
    f.api_key = k_key;
    return f;
  }
  bool run_until(const std::function<bool()>& done, std::chrono::milliseconds limit = 10s) {
    const auto end = std::chrono::steady_clock::now() + limit;
    while (!done()) {
      if (std::chrono::steady_clock::now() >= end) return false;
      io.restart();
      io.run_for(10ms);
    }
    return true;
  }
};

job code_job_for(const std::string& name) {
  agent_brief b;
  b.name = name;
  b.instructions = "Do the work of " + name;
  job j;
  j.request = code_request(b);
  j.validation.agent_name = name;
  return j;
}

}  // namespace

TEST_CASE("synthesis service: identical jobs coalesce, then the answer comes from the cache", "[synthesis]") {
  fixture f;
  const auto j = code_job_for("alpha");
  auto first = f.svc->poll(j, "ns1/a");
  auto second = f.svc->poll(j, "ns2/a");
  CHECK_FALSE(first.done);
  CHECK(first.started);
  CHECK_FALSE(second.done);
  CHECK_FALSE(second.started);  // joined the job in flight
  REQUIRE(f.run_until([&] { return f.woken.size() == 2; }));
  CHECK(f.woken["ns1/a"] == 1);
  CHECK(f.woken["ns2/a"] == 1);
  CHECK(f.llm.chat_calls() == 1);
  auto again = f.svc->poll(j, "ns1/a");
  REQUIRE(again.done);
  CHECK(again.done->ok);
  CHECK(again.done->attempts == 1);
  CHECK(again.done->text.find("agent 'alpha' do") != std::string::npos);
  CHECK(f.llm.chat_calls() == 1);
  CHECK(f.svc->jobs_started() == 1);
  const auto text = f.metrics.render();
  CHECK(text.find("langop_llm_calls_total{") != std::string::npos);
  CHECK(text.find("langop_llm_tokens_total{") != std::string::npos);
  CHECK(text.find("langop_synthesis_jobs_total{kind=\"code\",outcome=\"ok\"} 1") != std::string::npos);
  CHECK(text.find(k_key) == std::string::npos);
}

TEST_CASE("synthesis service: at most `concurrency` calls at once, the rest queued in order", "[synthesis]") {
  fixture f(2);
  f.llm.set_latency(200ms);
  for (int i = 0; i < 6; ++i) (void)f.svc->poll(code_job_for("agent-" + std::to_string(i)), "ns/a" + std::to_string(i));
  CHECK(f.svc->running() == 2);
  CHECK(f.svc->queued() == 4);
  std::size_t most = 0;
  REQUIRE(f.run_until([&] {
    most = std::max(most, f.svc->running());
    // A slot is freed just after its waiters were woken.
    return f.woken.size() == 6 && f.svc->running() + f.svc->queued() == 0;
  }));
  CHECK(most == 2);
  CHECK(f.llm.chat_calls() == 6);
}

TEST_CASE("synthesis service: a failure is remembered (no hot loop) and its message is clear", "[synthesis]") {
  fixture f;
  f.llm.fail_next(test::llm_fault::rate_limited, 10);  // more than the client's retries
  f.llm.set_retry_after(std::nullopt);
  const auto j = code_job_for("beta");
  (void)f.svc->poll(j, "ns/b");
  REQUIRE(f.run_until([&] { return f.woken.size() == 1; }));
  auto r = f.svc->poll(j, "ns/b");
  REQUIRE(r.done);
  CHECK_FALSE(r.done->ok);
  CHECK(r.done->error.find("the synthesis model failed") != std::string::npos);
  CHECK(r.done->error.find(k_key) == std::string::npos);
  const auto calls = f.llm.calls();
  (void)f.svc->poll(j, "ns/b");
  CHECK(f.llm.calls() == calls);
}

TEST_CASE("synthesis service: stop() cancels a call in flight and wakes nobody", "[synthesis]") {
  fixture f;
  f.llm.set_latency(30s);
  (void)f.svc->poll(code_job_for("gamma"), "ns/g");
  REQUIRE(f.run_until([&] { return f.llm.chat_calls() == 1; }));
  f.svc->stop();
  f.run_until([] { return false; }, 200ms);
  CHECK(f.woken.empty());
  CHECK(f.svc->running() == 0);
}
