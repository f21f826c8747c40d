// Informer cache hot paths: JSON text -> cached document (vs boost::json::parse), reads
// through views (vs json::value), store mutations and index lookups.
//   ninja -C build langop-microbench && ./build/bench/langop-microbench --benchmark_filter=cache
#include "cache_fixtures.hpp"

#include "langop/cjson/cjson.hpp"
#include "langop/cjson/kube_envelope.hpp"
#include "langop/core/json.hpp"
#include "langop/informer/cache_store.hpp"

#include <benchmark/benchmark.h>

#include <boost/json/monotonic_resource.hpp>

#include <string>
#include <vector>

using namespace langop;
using namespace langop::informer;

namespace {

const std::string& fixture_text(int k) {
  static std::vector<std::string> texts = [] {
    std::vector<std::string> t;
    for (const auto& f : cache_bench::kinds) t.push_back(cache_bench::variant(cache_bench::load_fixture(f.file), 1));
    return t;
  }();
  return texts[static_cast<std::size_t>(k)];
}

void label(benchmark::State& state, int k) {
  state.SetLabel(std::string(cache_bench::kinds[k].kind) + " " + std::to_string(fixture_text(k).size()) + " B");
}

// The watch-event hot path: text -> stripped cached object (document + located metadata).
void cache_parse_cached_object(benchmark::State& state) {
  const int k = static_cast<int>(state.range(0));
  const std::string& text = fixture_text(k);
  auto keys = cjson::key_table::create_for_kubernetes();
  for (auto _ : state) {
    auto o = cached_object::parse(text, *keys);
    benchmark::DoNotOptimize(o);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  label(state, k);
}
BENCHMARK(cache_parse_cached_object)->DenseRange(0, 5);

// A whole watch-event line -> cached object, as the watch driver receives it.
void cache_parse_watch_event(benchmark::State& state) {
  const int k = static_cast<int>(state.range(0));
  const std::string line = R"({"type":"MODIFIED","object":)" + fixture_text(k) + "}";
  auto keys = cjson::key_table::create_for_kubernetes();
  cjson::encode_options strip;
  strip.strip_kube_bookkeeping = true;
  for (auto _ : state) {
    auto ev = cjson::parse_watch_event(line, *keys, strip);
    auto o = cached_object::from_document(std::move(ev->object), line.size());
    benchmark::DoNotOptimize(o);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * line.size()));
  label(state, k);
}
BENCHMARK(cache_parse_watch_event)->DenseRange(0, 5);

// A 500-item list page of Deployments -> documents (the relist / cold-start path).
void cache_parse_list_page(benchmark::State& state) {
  const auto base = cache_bench::load_fixture("deployment.json");
  std::string page = R"({"kind":"DeploymentList","apiVersion":"apps/v1","metadata":{"resourceVersion":"1","continue":"x"},"items":[)";
  for (std::size_t i = 0; i < 500; ++i) page += (i ? "," : "") + cache_bench::variant(base, i);
  page += "]}";
  auto keys = cjson::key_table::create_for_kubernetes();
  cjson::encode_options strip;
  strip.strip_kube_bookkeeping = true;
  for (auto _ : state) {
    auto r = cjson::parse_list(page, *keys, strip);
    benchmark::DoNotOptimize(r);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations() * 500));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * page.size()));
}
BENCHMARK(cache_parse_list_page)->Unit(benchmark::kMillisecond);

// text -> document without stripping (the pure codec).
void cache_parse_cjson(benchmark::State& state) {
  const int k = static_cast<int>(state.range(0));
  const std::string& text = fixture_text(k);
  auto keys = cjson::key_table::create_for_kubernetes();
  for (auto _ : state) {
    auto d = cjson::parse(text, *keys);
    benchmark::DoNotOptimize(d);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  label(state, k);
}
BENCHMARK(cache_parse_cjson)->DenseRange(0, 5);

// Baseline: what caching json::value costs to build.
void cache_parse_boost_json(benchmark::State& state) {
  const int k = static_cast<int>(state.range(0));
  const std::string& text = fixture_text(k);
  for (auto _ : state) {
    auto v = boost::json::parse(text);
    benchmark::DoNotOptimize(v);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  label(state, k);
}
BENCHMARK(cache_parse_boost_json)->DenseRange(0, 5);

// Baseline with boost's fastest setup (a reused monotonic arena, nothing kept).
void cache_parse_boost_json_arena(benchmark::State& state) {
  const int k = static_cast<int>(state.range(0));
  const std::string& text = fixture_text(k);
  unsigned char buf[64 * 1024];
  for (auto _ : state) {
    boost::json::monotonic_resource mr(buf, sizeof buf);
    auto v = boost::json::parse(text, &mr);
    benchmark::DoNotOptimize(v);
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * text.size()));
  label(state, k);
}
BENCHMARK(cache_parse_boost_json_arena)->DenseRange(0, 5);

// A reconciler read: spec.template.spec.containers[0].image of a cached Deployment.
void cache_lookup_image_cjson(benchmark::State& state) {
  auto keys = cjson::key_table::create_for_kubernetes();
  auto o = cached_object::parse(fixture_text(1), *keys).value();
  for (auto _ : state) {
    auto image = o->root().at_path({"spec", "template", "spec", "containers"})[0]["image"].as_string();
    benchmark::DoNotOptimize(image);
  }
}
BENCHMARK(cache_lookup_image_cjson);

void cache_lookup_image_boost_json(benchmark::State& state) {
  const auto v = boost::json::parse(fixture_text(1));
  for (auto _ : state) {
    const auto* c = jsonu::find(v, {"spec", "template", "spec", "containers"});
    auto image = c->as_array()[0].as_object().at("image").as_string();
    benchmark::DoNotOptimize(image);
  }
}
BENCHMARK(cache_lookup_image_boost_json);

// The fields every reconcile touches: O(1) accessors plus two view lookups.
void cache_lookup_metadata(benchmark::State& state) {
  auto keys = cjson::key_table::create_for_kubernetes();
  auto o = cached_object::parse(fixture_text(0), *keys).value();
  for (auto _ : state) {
    benchmark::DoNotOptimize(o->name());
    benchmark::DoNotOptimize(o->ns());
    benchmark::DoNotOptimize(o->resource_version());
    benchmark::DoNotOptimize(o->generation());
    benchmark::DoNotOptimize(o->root()["spec"]["modelRefs"][0]["name"].as_string());
    benchmark::DoNotOptimize(o->root().at_path({"status", "observedGeneration"}).as_int64());
  }
}
BENCHMARK(cache_lookup_metadata);

void cache_content_hash_spec(benchmark::State& state) {
  auto keys = cjson::key_table::create_for_kubernetes();
  auto o = cached_object::parse(fixture_text(1), *keys).value();
  const auto spec = o->root()["spec"];
  for (auto _ : state) benchmark::DoNotOptimize(cjson::content_hash(spec));
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * spec.encoded_size()));
}
BENCHMARK(cache_content_hash_spec);

void cache_serialize(benchmark::State& state) {
  auto keys = cjson::key_table::create_for_kubernetes();
  auto o = cached_object::parse(fixture_text(1), *keys).value();
  std::string out;
  for (auto _ : state) {
    out.clear();
    cjson::serialize_to(o->root(), out);
    benchmark::DoNotOptimize(out.data());
  }
  state.SetBytesProcessed(static_cast<std::int64_t>(state.iterations() * out.size()));
}
BENCHMARK(cache_serialize);

// A store of 10,000 agents in 100 namespaces, 50 models, indexed by model reference.
struct agent_store {
  std::shared_ptr<cjson::key_table> keys = cjson::key_table::create_for_kubernetes();
  cache_store store;
  std::vector<object_ptr> v1, v2;  // two versions of every agent
  agent_store() {
    auto base = cache_bench::load_fixture("language_agent.json");
    store.add_index("model", [](const cached_object& o, index_keys& k) {
      for (const auto ref : o["spec"]["modelRefs"].elements()) k.add(ref["name"].as_string());
    });
    for (std::size_t i = 0; i < 10'000; ++i) {
      base.at("metadata").as_object()["namespace"] = "tenant-" + std::to_string(i % 100);
      base.at("spec").at("modelRefs").as_array()[0].as_object()["name"] = "model-" + std::to_string(i % 50);
      v1.push_back(cached_object::parse(cache_bench::variant(base, i, 1), *keys).value());
      v2.push_back(cached_object::parse(cache_bench::variant(base, i, 2), *keys).value());
      store.apply(v1.back());
    }
  }
};

// MODIFIED events: every apply replaces an object with a new resourceVersion (indexes kept).
void cache_store_apply_modified(benchmark::State& state) {
  agent_store s;
  std::size_t i = 0;
  bool second = true;
  for (auto _ : state) {
    auto c = s.store.apply((second ? s.v2 : s.v1)[i]);
    benchmark::DoNotOptimize(c);
    if (++i == s.v1.size()) {
      i = 0;
      second = !second;
    }
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(cache_store_apply_modified);

void cache_store_get(benchmark::State& state) {
  agent_store s;
  std::size_t i = 0;
  for (auto _ : state) {
    const auto& o = s.v1[i];
    benchmark::DoNotOptimize(s.store.get(o->ns(), o->name()));
    if (++i == s.v1.size()) i = 0;
  }
  state.SetItemsProcessed(static_cast<std::int64_t>(state.iterations()));
}
BENCHMARK(cache_store_get);

// "Which agents reference model-7?" (200 agents), without and with materializing a vector.
void cache_index_for_each(benchmark::State& state) {
  agent_store s;
  for (auto _ : state) {
    std::size_t n = 0;
    s.store.for_each_indexed("model", "model-7", [&](const cached_object& o) { n += o.name().size(); });
    benchmark::DoNotOptimize(n);
  }
}
BENCHMARK(cache_index_for_each);

void cache_index_by_index(benchmark::State& state) {
  agent_store s;
  for (auto _ : state) benchmark::DoNotOptimize(s.store.by_index("model", "model-7"));
}
BENCHMARK(cache_index_by_index);

}  // namespace
