// langop-bench-synthesis: N LanguageAgents synthesized by the operator against a fake LLM
// with fixed latency, at a given synthesis concurrency. The bound is N x latency /
// concurrency: the operator should add little to it.
//
//   langop-bench-synthesis [--agents 1000] [--latency-ms 500] [--concurrency 16]
//                          [--fake-llm PATH] [--crds DIR]
//
// Set-up (not timed): an in-process langop-localapi (own thread) with the CRDs and N
// agents (instructions only, so nothing else holds them up); langop-fake-llm as a child
// process (--latency), which answers each synthesis prompt with valid DSL code.
// Timed: from the operator's start (manager + controllers on this thread, the real
// synthesis service and LLM client) until every agent has Synthesized=True (polled on
// the server thread every 100 ms). Reported: wall time vs the bound, operator CPU
// seconds (this thread: RUSAGE_THREAD), process RSS (the local API server included),
// LLM calls the fake served. Output: a table, then one line of JSON (prefixed "JSON ").
#include "bench_support.hpp"

#include "langop/controllers/controllers.hpp"
#include "langop/core/yaml.hpp"
#include "langop/obs/registry.hpp"
#include "langop/runtime/manager.hpp"

#include <boost/asio/steady_timer.hpp>
#include <boost/json/serialize.hpp>

#include <atomic>
#include <csignal>
#include <filesystem>
#include <iostream>
#include <spawn.h>
#include <sys/resource.h>
#include <sys/wait.h>

extern char** environ;

namespace net = boost::asio;
using namespace langop;
using steady = std::chrono::steady_clock;

namespace {

const std::string k_ns = "bench";

// langop-fake-llm as a child process; its first stdout line is its base URL.
class fake_llm_process {
 public:
  fake_llm_process(const std::string& binary, long latency_ms) {
    int fds[2];
    if (pipe(fds) != 0) throw std::runtime_error("pipe failed");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_adddup2(&actions, fds[1], 1);
    posix_spawn_file_actions_addclose(&actions, fds[0]);
    const std::string latency = std::to_string(latency_ms) + "ms";
    std::vector<std::string> args = {binary, "--port", "0", "--latency", latency, "--quiet"};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    const int rc = posix_spawn(&pid_, binary.c_str(), &actions, nullptr, argv.data(), environ);
    posix_spawn_file_actions_destroy(&actions);
    close(fds[1]);
    if (rc != 0) {
      close(fds[0]);
      throw std::runtime_error("cannot start " + binary);
    }
    std::string line;
    char c;
    while (read(fds[0], &c, 1) == 1 && c != '\n') line += c;
    close(fds[0]);
    if (line.rfind("http", 0) != 0) throw std::runtime_error("langop-fake-llm did not print its URL");
    url = line;
  }
  ~fake_llm_process() {
    if (pid_ > 0) {
      kill(pid_, SIGTERM);
      int status = 0;
      waitpid(pid_, &status, 0);
    }
  }
  fake_llm_process(const fake_llm_process&) = delete;
  fake_llm_process& operator=(const fake_llm_process&) = delete;
  std::string url;

 private:
  pid_t pid_ = -1;
};

localapi::api_response request(localapi::apiserver& api, std::string method, std::string path, std::string body = {}) {
  localapi::api_request r;
  r.method = std::move(method);
  r.path = std::move(path);
  r.body = std::move(body);
  r.content_type = "application/json";
  r.accept = "application/json";
  return api.handle(r);
}

void install(bench::local_server& server, const std::string& crds_dir, long agents) {
  server.run([&](localapi::apiserver& api) {
    for (const auto& entry : std::filesystem::directory_iterator(crds_dir)) {
      if (entry.path().extension() != ".yaml") continue;
      std::ifstream in(entry.path());
      std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
      auto crd = yaml_to_json(text);
      if (!crd) throw std::runtime_error(entry.path().string() + ": " + crd.error().message);
      auto r = request(api, "POST", "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", jsonu::dump(*crd));
      if (r.status != 201) throw std::runtime_error("CRD " + entry.path().string() + ": " + r.body);
    }
    auto ns = request(api, "POST", "/api/v1/namespaces",
                      R"({"apiVersion":"v1","kind":"Namespace","metadata":{"name":")" + k_ns + R"("}})");
    if (ns.status != 201) throw std::runtime_error("namespace: " + ns.body);
    for (long i = 0; i < agents; ++i) {
      json::object agent{{"apiVersion", "langop.io/v1alpha1"},
                         {"kind", "LanguageAgent"},
                         {"metadata", json::object{{"name", "agent-" + std::to_string(i)}, {"namespace", k_ns}}},
                         {"spec", json::object{{"instructions", "Summarize ticket queue " + std::to_string(i) +
                                                                    " every morning and post the summary."}}}};
      auto r = request(api, "POST", "/apis/langop.io/v1alpha1/namespaces/" + k_ns + "/languageagents",
                       jsonu::dump(agent));
      if (r.status != 201) throw std::runtime_error("agent: " + r.body);
    }
    return 0;
  });
}

long count_synthesized(localapi::apiserver& api) {
  auto r = request(api, "GET", "/apis/langop.io/v1alpha1/namespaces/" + k_ns + "/languageagents");
  auto list = jsonu::parse(r.body);
  long n = 0;
  if (!list) return 0;
  if (const auto* items = jsonu::find(*list, {"items"}); items && items->is_array())
    for (const auto& a : items->get_array())
      if (const auto* conds = jsonu::find(a, {"status", "conditions"}); conds && conds->is_array())
        for (const auto& c : conds->get_array())
          if (jsonu::get_string(c, {"type"}) == "Synthesized" && jsonu::get_string(c, {"status"}) == "True") ++n;
  return n;
}

double thread_cpu_seconds() {
  rusage u{};
  getrusage(RUSAGE_THREAD, &u);
  return static_cast<double>(u.ru_utime.tv_sec + u.ru_stime.tv_sec) +
         static_cast<double>(u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

void print_row(const char* what, double value, const char* unit) {
  std::printf("  %-36s %14.2f  %s\n", what, value, unit);
}

}  // namespace

int main(int argc, char** argv) try {
  bench::flags f(argc, argv, {"agents", "latency-ms", "concurrency", "fake-llm", "crds"});
  if (f.help) {
    std::puts("langop-bench-synthesis [--agents 1000] [--latency-ms 500] [--concurrency 16] [--fake-llm PATH] [--crds DIR]");
    return 0;
  }
  const long agents = f.num("agents", 1000);
  const long latency_ms = f.num("latency-ms", 500);
  const long concurrency = std::max(1L, f.num("concurrency", 16));
  const std::string fake_binary = f.str("fake-llm", std::string(LANGOP_BINARY_DIR) + "/tests/langop-fake-llm");
  const std::string crds = f.str("crds", std::string(LANGOP_SOURCE_DIR) + "/crds");

  bench::local_server server;
  install(server, crds, agents);
  fake_llm_process llm(fake_binary, latency_ms);

  net::io_context ioc{1};
  auto client = bench::make_client(ioc, server.url(), 64);
  obs::registry metrics;
  runtime::manager_options mo;
  mo.metrics_bind_address = "0";
  mo.health_bind_address = "0";
  log::logger quiet(log::level::error, log::format::text);
  runtime::manager mgr(ioc.get_executor(), *client, metrics, mo, quiet);
  controllers::controllers_options co;
  co.synthesis.model = "fake-model";
  co.synthesis.provider = "openai-compatible";
  co.synthesis.endpoint = llm.url;
  co.synthesis.concurrency = static_cast<std::size_t>(concurrency);
  co.synthesis.timeout = std::chrono::seconds(60);
  auto reconcilers = std::make_unique<controllers::operator_controllers>(ioc.get_executor(), mgr, co, quiet);

  std::atomic<long> synthesized{0};
  std::atomic<bool> counting{false};
  const double cpu0 = thread_cpu_seconds();
  const auto t0 = steady::now();
  bench::run_coro(
      ioc,
      [&]() -> net::awaitable<void> {
        auto started = co_await mgr.start(std::chrono::seconds(30));
        if (!started) throw std::runtime_error("operator did not start: " + started.error().message);
        net::steady_timer tick(ioc);
        while (synthesized.load() < agents) {
          if (!counting.exchange(true))
            server.post([&](localapi::apiserver& api) {
              synthesized = count_synthesized(api);
              counting = false;
            });
          tick.expires_after(std::chrono::milliseconds(100));
          co_await tick.async_wait(net::use_awaitable);
        }
      },
      std::chrono::seconds(60 + agents * latency_ms / 1000 / concurrency * 3));
  const double wall = bench::seconds_since(t0);
  const double cpu = thread_cpu_seconds() - cpu0;
  const std::size_t rss = bench::rss_bytes();
  while (counting.load()) std::this_thread::sleep_for(std::chrono::milliseconds(5));
  bench::run_coro(ioc, [&]() -> net::awaitable<void> { co_await mgr.shutdown(); }, std::chrono::seconds(30));
  reconcilers.reset();

  const double bound = static_cast<double>(agents) * static_cast<double>(latency_ms) / 1000.0 / static_cast<double>(concurrency);
  std::printf("langop-bench-synthesis: %ld agents, fake LLM latency %ld ms, synthesis concurrency %ld\n", agents,
              latency_ms, concurrency);
  print_row("wall time to all Synthesized", wall, "s");
  print_row("bound N x latency / concurrency", bound, "s");
  print_row("wall / bound", wall / bound, "x");
  print_row("operator CPU (loop thread)", cpu, "s");
  print_row("operator CPU per agent", cpu / static_cast<double>(agents) * 1000.0, "ms");
  print_row("process RSS (incl. local API server)", static_cast<double>(rss) / (1024.0 * 1024.0), "MiB");
  json::object out{{"tool", "synthesis"},   {"agents", agents},       {"latency_ms", latency_ms}, {"concurrency", concurrency},
                   {"wall_s", wall},         {"bound_s", bound},         {"ratio", wall / bound},
                   {"operator_cpu_s", cpu},  {"rss_mib", static_cast<double>(rss) / (1024.0 * 1024.0)}};
  std::printf("JSON %s\n", boost::json::serialize(out).c_str());
  std::fflush(stdout);
  return 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "langop-bench-synthesis: %s\n", e.what());
  return 2;
}
