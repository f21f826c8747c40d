// Work queue core throughput: add -> dispatch -> done over 100,000 distinct keys.
// Target: >= 1,000,000 add->dispatch per second on one core.
//   ninja -C build langop-microbench && ./build/bench/langop-microbench --benchmark_filter=work_queue
#include "langop/queue/work_queue.hpp"

#include <benchmark/benchmark.h>

#include <string>
#include <vector>

using namespace langop::queue;
using namespace std::chrono_literals;

namespace {

// Realistic "namespace/name" keys, longer than the small-string buffer.
const std::vector<std::string>& keys() {
  static std::vector<std::string> k = [] {
    std::vector<std::string> v;
    v.reserve(100'000);
    for (int i = 0; i < 100'000; ++i) {
      v.push_back("tenant-" + std::to_string(i % 100) + "/language-agent-" + std::to_string(i));
    }
    return v;
  }();
  return k;
}

// Steady state with a full queue: 100k distinct keys pending; each iteration hands out
// the oldest, completes it, and adds it again as a new event (so the index, the slots and
// the FIFO all stay at 100k entries and every add is a real insertion).
void work_queue_add_dispatch_steady(benchmark::State& state) {
  const auto& k = keys();
  work_queue q;
  time_point now{};
  for (const auto& key : k) q.add(key, now);
  std::size_t i = 0;
  for (auto _ : state) {
    auto r = q.next(now);
    benchmark::DoNotOptimize(r.key.data());
    q.done(r.key, now);
    q.add(k[i], now);  // FIFO: k[i] is the key just completed
    if (++i == k.size()) i = 0;
    now += 1us;
  }
  if (q.size() != k.size()) state.SkipWithError("queue lost keys");
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(work_queue_add_dispatch_steady);

// Burst: 100k keys become pending (an initial list), then workers drain them.
void work_queue_add_dispatch_burst_100k(benchmark::State& state) {
  const auto& k = keys();
  work_queue q;
  time_point now{};
  for (auto _ : state) {
    for (const auto& key : k) q.add(key, now, priority::low);
    for (;;) {
      auto r = q.next(now);
      if (r.status != poll_status::ready) break;
      q.done(r.key, now);
    }
    now += 1ms;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * k.size()));
}
BENCHMARK(work_queue_add_dispatch_burst_100k)->Unit(benchmark::kMillisecond);

// Event storm on pending keys: every add is absorbed by de-duplication.
void work_queue_add_deduplicated(benchmark::State& state) {
  const auto& k = keys();
  work_queue q;
  time_point now{};
  for (const auto& key : k) q.add(key, now);
  std::size_t i = 0;
  for (auto _ : state) {
    benchmark::DoNotOptimize(q.add(k[i], now));
    if (++i == k.size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(work_queue_add_deduplicated);

// Failures: add_rate_limited through the delay heap with 100k keys delayed at once.
void work_queue_rate_limited_100k(benchmark::State& state) {
  const auto& k = keys();
  work_queue q;
  time_point now{};
  for (auto _ : state) {
    for (const auto& key : k) (void)q.add_rate_limited(key, now);
    now += 10min;  // past every backoff
    for (;;) {
      auto r = q.next(now);
      if (r.status != poll_status::ready) break;
      q.forget(r.key);
      q.done(r.key, now);
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * k.size()));
}
BENCHMARK(work_queue_rate_limited_100k)->Unit(benchmark::kMillisecond);

}  // namespace
