// Metrics hot paths: what a reconcile or an API call pays to record itself.
#include "langop/obs/registry.hpp"

#include <benchmark/benchmark.h>

#include <string>

namespace {

using langop::obs::registry;

void counter_inc_via_handle(benchmark::State& state) {
  registry reg;
  auto c = reg.counter("requests_total", "x", {"verb", "code"}).with({{"verb", "get"}, {"code", "200"}});
  for (auto _ : state) {
    c.inc();
    benchmark::ClobberMemory();
  }
  benchmark::DoNotOptimize(c.value());
}
BENCHMARK(counter_inc_via_handle);

void histogram_observe(benchmark::State& state) {
  registry reg;
  auto h = reg.histogram("latency_seconds", "x").with({});
  double v = 0;
  for (auto _ : state) {
    h.observe(v);
    v = v < 12 ? v + 0.037 : 0;  // walks every bucket
    benchmark::ClobberMemory();
  }
  benchmark::DoNotOptimize(h.count());
}
BENCHMARK(histogram_observe);

void label_lookup_then_inc(benchmark::State& state) {
  registry reg;
  auto& fam = reg.counter("api_requests_total", "x", {"verb", "resource", "code"});
  static const char* verbs[] = {"get", "list", "watch", "create", "update", "patch", "delete"};
  static const char* resources[] = {"deployments", "services", "configmaps", "networkpolicies", "languageagents"};
  for (const char* v : verbs) {
    for (const char* r : resources) fam.with({{"verb", v}, {"resource", r}, {"code", "200"}}).inc();
  }
  std::size_t i = 0;
  for (auto _ : state) {
    const char* verb = verbs[i % 7];
    const char* resource = resources[i % 5];
    fam.with({{"verb", verb}, {"resource", resource}, {"code", "200"}}).inc();
    ++i;
  }
}
BENCHMARK(label_lookup_then_inc);

void label_lookup_positional(benchmark::State& state) {
  registry reg;
  auto& fam = reg.counter("reconcile_total", "x", {"kind", "result"});
  for (auto _ : state) fam.with_values({"LanguageAgent", "success"}).inc();
}
BENCHMARK(label_lookup_positional);

void render_500_series(benchmark::State& state) {
  registry reg;
  auto& fam = reg.counter("api_requests_total", "x", {"verb", "code"});
  auto& hist = reg.histogram("reconcile_seconds", "x", {"kind"});
  for (int i = 0; i < 450; ++i) fam.with_values({"verb" + std::to_string(i), "200"}).inc(i);
  for (int i = 0; i < 50; ++i) hist.with_values({"kind" + std::to_string(i)}).observe(0.01 * i);
  std::string out;
  for (auto _ : state) {
    out.clear();
    reg.render(out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * out.size()));
}
BENCHMARK(render_500_series);

}  // namespace
