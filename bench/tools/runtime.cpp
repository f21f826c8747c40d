// langop-bench-runtime: how fast an informer ingests, what it does to the event loop, and
// what its cache costs, against an in-process langop-localapi (own thread) over HTTP.
//
//   langop-bench-runtime [--objects 20000] [--probe-us 1000]
//
// Phases:
//   1. N ConfigMaps are created server-side (apiserver::internal, not timed).
//   2. An informer (informer::informer over kube::client: one-pass decode into the cache
//      store) lists them: list pages of 500 -> objects/s and MB/s of JSON until synced.
//   3. Every object is changed once by the server (merge patches queued on the server
//      thread in chunks of 500) -> watch events/s and MB/s until the informer applied all.
// Loop lag: a timer probe on the informer's loop (every --probe-us) records how late it
// fires; the largest lateness bounds the longest callback that ran meanwhile (list page
// decode, a burst of events). The operator's manager exports the same quantity at 100 ms
// resolution as langop_event_loop_max_lag_seconds.
// Memory: cache_store::approx_bytes() vs the raw JSON bytes of the cached objects (the
// micro benchmark cache_memory_ratio measures the same with mallinfo2()).
// Output: a table, then one line of JSON (prefixed "JSON ").
#include "bench_support.hpp"

#include "langop/cjson/key_table.hpp"
#include "langop/informer/informer.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/json/serialize.hpp>

#include <algorithm>
#include <atomic>
#include <iostream>

namespace net = boost::asio;
using namespace langop;
using steady = std::chrono::steady_clock;

namespace {

const kube::resource k_cm{"", "v1", "configmaps", "ConfigMap", true};
constexpr std::size_t chunk = 500;

std::string configmap_text(std::size_t i) {
  std::string payload(160, 'x');
  payload.replace(0, 12, std::to_string(i * 7919));
  return "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"cm-" + std::to_string(i) +
         "\",\"namespace\":\"default\",\"labels\":{\"app.kubernetes.io/name\":\"langop-bench\"," +
         "\"app.kubernetes.io/instance\":\"i" + std::to_string(i % 97) + "\"}},\"data\":{\"round\":\"1\"," +
         "\"config.yaml\":\"" + payload + "\"}}";
}

// Lateness of a periodic timer on the loop, per phase.
struct lag_probe {
  std::chrono::microseconds period{1000};
  bool stop = false;
  std::vector<double> samples_ms;  // current phase
  double max_ms = 0;

  void reset() {
    samples_ms.clear();
    max_ms = 0;
  }
  [[nodiscard]] double p99_ms() {
    if (samples_ms.empty()) return 0;
    auto v = samples_ms;
    const auto k = static_cast<std::size_t>(static_cast<double>(v.size() - 1) * 0.99);
    std::nth_element(v.begin(), v.begin() + static_cast<std::ptrdiff_t>(k), v.end());
    return v[k];
  }
};

net::awaitable<void> run_probe(lag_probe& p) {
  net::steady_timer t(co_await net::this_coro::executor);
  while (!p.stop) {
    const auto expected = steady::now() + p.period;
    t.expires_at(expected);
    (void)co_await t.async_wait(net::as_tuple(net::use_awaitable));
    const double late = std::chrono::duration<double, std::milli>(steady::now() - expected).count();
    p.samples_ms.push_back(late);
    p.max_ms = std::max(p.max_ms, late);
  }
}

void run_until(net::io_context& ioc, const std::function<bool()>& done, std::chrono::seconds limit, const char* what) {
  const auto end = steady::now() + limit;
  while (!done()) {
    if (steady::now() >= end) throw std::runtime_error(std::string(what) + " did not finish within its deadline");
    ioc.restart();
    ioc.run_one_until(end);
  }
}

void print_row(const char* what, double value, const char* unit) {
  std::printf("  %-36s %14.2f  %s\n", what, value, unit);
}

}  // namespace

int main(int argc, char** argv) try {
  bench::flags f(argc, argv, {"objects", "probe-us"});
  if (f.help) {
    std::cout << "usage: langop-bench-runtime [--objects N] [--probe-us MICROSECONDS]\n";
    return 0;
  }
  const auto n = static_cast<std::size_t>(f.num("objects", 20000));
  if (n == 0) throw std::runtime_error("--objects must be > 0");
  lag_probe probe;
  probe.period = std::chrono::microseconds(std::max(50L, f.num("probe-us", 1000)));

  bench::local_server server(10000);
  // 1. the objects, server-side.
  std::size_t create_failures = 0;
  for (std::size_t base = 0; base < n; base += chunk) {
    create_failures += server.run([&](localapi::apiserver& api) {
      std::size_t failed = 0;
      for (std::size_t i = base; i < std::min(n, base + chunk); ++i) {
        auto resp = api.internal("POST", "/api/v1/namespaces/default/configmaps", configmap_text(i),
                                 "application/json", "bench");
        if (resp.status != 201) ++failed;
      }
      return failed;
    });
  }
  if (create_failures) throw std::runtime_error(std::to_string(create_failures) + " server-side creates failed");

  net::io_context ioc{1};
  auto client = bench::make_client(ioc, server.url(), 64);
  auto keys = cjson::key_table::create_for_kubernetes();
  log::logger quiet(log::level::warn, log::format::text);
  informer::informer inf(ioc.get_executor(), *client, k_cm, "default", keys, informer::informer_options(), quiet);
  std::size_t modified = 0, watch_bytes = 0;
  inf.add_handler([&](const informer::change& c) {
    if (c.type == informer::change_type::modified) {
      ++modified;
      watch_bytes += c.current->raw_size();
    }
  });
  net::co_spawn(ioc, run_probe(probe), net::detached);

  // 2. list until synced.
  malloc_trim(0);
  const std::size_t heap0 = bench::heap_in_use();
  auto t = steady::now();
  inf.start();
  run_until(ioc, [&] { return inf.synced(); }, std::chrono::seconds(120), "initial list");
  const double list_s = bench::seconds_since(t);
  const std::size_t heap_after_list = bench::heap_in_use();
  const double list_lag_max = probe.max_ms, list_lag_p99 = probe.p99_ms();
  const std::size_t cached = inf.store().size();
  const std::size_t raw = inf.store().raw_bytes(), approx = inf.store().approx_bytes();

  // 3. one change per object, produced by the server as fast as it can.
  probe.reset();
  std::atomic<double> server_write_s{0};
  t = steady::now();
  const auto t0 = t;
  for (std::size_t base = 0; base < n; base += chunk) {
    const bool last = base + chunk >= n;
    server.post([base, n, last, t0, &server_write_s](localapi::apiserver& api) {
      for (std::size_t i = base; i < std::min(n, base + chunk); ++i) {
        (void)api.internal("PATCH", "/api/v1/namespaces/default/configmaps/cm-" + std::to_string(i),
                           "{\"data\":{\"round\":\"2\"}}", "application/merge-patch+json", "bench");
      }
      if (last) server_write_s = bench::seconds_since(t0);
    });
  }
  run_until(ioc, [&] { return modified >= n; }, std::chrono::seconds(120), "watch ingestion");
  const double watch_s = bench::seconds_since(t);
  const double watch_lag_max = probe.max_ms, watch_lag_p99 = probe.p99_ms();

  inf.stop();
  probe.stop = true;
  ioc.restart();
  ioc.run_for(std::chrono::milliseconds(50));

  const double nd = static_cast<double>(n), mb = 1024.0 * 1024.0;
  const double list_ops = nd / list_s, list_mbps = static_cast<double>(raw) / mb / list_s;
  const double watch_ops = nd / watch_s, watch_mbps = static_cast<double>(watch_bytes) / mb / watch_s;
  const double ratio = raw ? static_cast<double>(approx) / static_cast<double>(raw) : 0;
  const double heap_ratio =
      raw ? (static_cast<double>(heap_after_list) - static_cast<double>(heap0)) / static_cast<double>(raw) : 0;

  std::printf("langop-bench-runtime: informer over %zu ConfigMaps (in-process langop-localapi), probe every %lld us\n",
              n, static_cast<long long>(probe.period.count()));
  print_row("list+decode+store objects/s", list_ops, "objects/s");
  print_row("list+decode+store MB/s", list_mbps, "MB/s of JSON");
  print_row("  max loop lag while listing", list_lag_max, "ms");
  print_row("  p99 loop lag while listing", list_lag_p99, "ms");
  print_row("watch events applied/s", watch_ops, "events/s");
  print_row("watch decode+store MB/s", watch_mbps, "MB/s of JSON");
  print_row("  server time to make the changes", server_write_s.load() * 1000, "ms");
  print_row("  max loop lag while watching", watch_lag_max, "ms");
  print_row("  p99 loop lag while watching", watch_lag_p99, "ms");
  print_row("raw JSON per object", static_cast<double>(raw) / static_cast<double>(cached), "bytes");
  print_row("cache per object (approx_bytes)", static_cast<double>(approx) / static_cast<double>(cached), "bytes");
  print_row("cache / raw JSON", ratio, "x");
  print_row("heap delta over list / raw JSON", heap_ratio, "x (process-wide, incl. key table)");

  json::object out{{"tool", "runtime"},
                   {"objects", n},
                   {"cached", cached},
                   {"list_ms", list_s * 1000},
                   {"list_objects_per_s", list_ops},
                   {"list_mb_per_s", list_mbps},
                   {"list_max_loop_lag_ms", list_lag_max},
                   {"list_p99_loop_lag_ms", list_lag_p99},
                   {"watch_events", modified},
                   {"watch_events_per_s", watch_ops},
                   {"watch_mb_per_s", watch_mbps},
                   {"server_write_ms", server_write_s.load() * 1000},
                   {"watch_max_loop_lag_ms", watch_lag_max},
                   {"watch_p99_loop_lag_ms", watch_lag_p99},
                   {"raw_bytes_per_object", static_cast<double>(raw) / static_cast<double>(cached)},
                   {"cache_bytes_per_object", static_cast<double>(approx) / static_cast<double>(cached)},
                   {"cache_ratio", ratio},
                   {"heap_delta_ratio", heap_ratio}};
  std::printf("JSON %s\n", boost::json::serialize(out).c_str());
  std::fflush(stdout);
  return cached == n ? 0 : 1;
} catch (const std::exception& e) {
  std::fprintf(stderr, "langop-bench-runtime: %s\n", e.what());
  return 2;
}
