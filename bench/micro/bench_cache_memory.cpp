// Memory per cached object vs the raw JSON it arrived as (target <= 1.5x; Go informers
// measure 3.2-3.7x), per fixture kind and for a realistic mix, with json::value as the
// baseline. Heap is measured with mallinfo2() (glibc: in-use chunk bytes, malloc overhead
// included) around filling the stores, and compared with cache_store::approx_bytes().
//   ./build/bench/langop-microbench --benchmark_filter=cache_memory
// Counters: ratio = measured heap / raw bytes; approx_ratio = approx_bytes() / raw;
// json_value_ratio = the same objects held as boost::json::value; vs_stripped_json = measured
// heap / the compact JSON text of the stripped objects (the encoding's own gain).
#include "cache_fixtures.hpp"

#include "langop/cjson/cjson.hpp"
#include "langop/informer/cache_store.hpp"

#include <benchmark/benchmark.h>

#include <malloc.h>

#include <memory>
#include <string>
#include <vector>

using namespace langop;
using namespace langop::informer;

namespace {

constexpr std::size_t copies = 2000;

std::size_t heap_in_use() {
  const auto mi = mallinfo2();
  return mi.uordblks + mi.hblkhd;
}

// The mix one LanguageAgent brings: the agent, its Deployment, two ConfigMaps (config and
// code), a Service and a NetworkPolicy. Index into cache_bench::kinds, and how many.
struct mix_entry {
  int kind;
  int count;
};
constexpr mix_entry agent_mix[] = {{0, 1}, {1, 1}, {2, 2}, {3, 1}, {4, 1}};

void cache_memory_ratio(benchmark::State& state) {
  const int which = static_cast<int>(state.range(0));  // a kind, or -1 for the mix
  // Inputs first: texts are not part of the measurement.
  std::vector<std::vector<std::string>> texts(std::size(cache_bench::kinds));
  for (const auto& [k, count] : agent_mix) {
    if (which >= 0 && k != which) continue;
    const auto base = cache_bench::load_fixture(cache_bench::kinds[k].file);
    for (std::size_t i = 0; i < copies * static_cast<std::size_t>(count); ++i) texts[k].push_back(cache_bench::variant(base, i));
  }
  if (which == 5) {
    const auto base = cache_bench::load_fixture(cache_bench::kinds[5].file);
    for (std::size_t i = 0; i < copies; ++i) texts[5].push_back(cache_bench::variant(base, i));
  }
  std::size_t objects = 0, raw = 0;
  for (const auto& t : texts) {
    objects += t.size();
    for (const auto& s : t) raw += s.size();
  }

  double measured = 0, approx = 0, json_value = 0, key_table_bytes = 0, stripped = 0;
  for (auto _ : state) {
    auto keys = cjson::key_table::create_for_kubernetes();
    // Warm the parser's scratch buffer and the key table (shared by every store, bounded).
    for (const auto& t : texts) {
      if (!t.empty()) (void)cached_object::parse(t.front(), *keys);
    }
    key_table_bytes = static_cast<double>(keys->approx_bytes());
    {
      std::vector<std::unique_ptr<cache_store>> stores;  // one per kind, as in the operator
      for (std::size_t k = 0; k < texts.size(); ++k) stores.push_back(std::make_unique<cache_store>());
      const std::size_t before = heap_in_use();
      std::size_t approx_sum = 0;
      for (std::size_t k = 0; k < texts.size(); ++k) {
        for (const auto& s : texts[k]) stores[k]->apply(cached_object::parse(s, *keys).value());
      }
      const std::size_t after = heap_in_use();
      for (const auto& s : stores) approx_sum += s->approx_bytes();
      // The same content as compact JSON text, after stripping: what compression alone buys.
      std::size_t stripped_sum = 0;
      for (const auto& s : stores) {
        s->for_each([&](const cached_object& o) { stripped_sum += cjson::serialize(o.root()).size(); });
      }
      stripped = static_cast<double>(stripped_sum);
      measured = static_cast<double>(after - before);
      approx = static_cast<double>(approx_sum);
    }
    {
      std::vector<boost::json::value> values;
      values.reserve(objects);
      const std::size_t before = heap_in_use();
      for (const auto& t : texts) {
        for (const auto& s : t) values.push_back(boost::json::parse(s));
      }
      json_value = static_cast<double>(heap_in_use() - before);
    }
  }
  const double r = static_cast<double>(raw);
  state.counters["objects"] = static_cast<double>(objects);
  state.counters["raw_B_per_obj"] = r / static_cast<double>(objects);
  state.counters["cached_B_per_obj"] = measured / static_cast<double>(objects);
  state.counters["ratio"] = measured / r;
  state.counters["approx_ratio"] = approx / r;
  state.counters["json_value_ratio"] = json_value / r;
  state.counters["vs_stripped_json"] = measured / stripped;
  state.counters["key_table_B"] = key_table_bytes;
  state.SetLabel(which < 0 ? "mix: agent+deploy+2cm+svc+netpol" : cache_bench::kinds[which].kind);
}
BENCHMARK(cache_memory_ratio)->DenseRange(0, 5)->Arg(-1)->Iterations(1)->Unit(benchmark::kMillisecond);

}  // namespace
