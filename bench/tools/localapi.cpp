// langop-bench-localapi: throughput and memory of langop-localapi measured through the
// real kube::client over HTTP.
//
//   langop-bench-localapi [--objects 20000] [--concurrency 64] [--watchers 10]
//                         [--server URL [--server-pid PID]]
//
// Without --server, the server runs in this process on its own thread (the client's loop
// runs on the main thread). Phases, each timed on its own:
//   1. create N ConfigMaps (`concurrency` requests in flight)           -> creates/s
//   2. update (PUT) each of them once                                   -> updates/s
//   3. one LIST of them: raw JSON bytes per object
//   4. `watchers` watches open at the list's resourceVersion while every object is updated
//      once more; events/s = events delivered to all watchers / time from the first
//      write to the last event read                                     -> watch events/s
// Memory per stored object: the RSS (and, in process, glibc heap) delta across phase 1
// divided by N, next to the raw JSON bytes of one object. With --server the RSS is read
// from --server-pid when given.
// Output: a table, then one line of JSON (prefixed "JSON ") for scripts and tests.
#include "bench_support.hpp"

#include "langop/core/json.hpp"
#include "langop/kube/api_call.hpp"

#include <boost/json/serialize.hpp>

#include <algorithm>
#include <cstdint>
#include <iostream>
#include <optional>
#include <random>

#include <time.h>

namespace net = boost::asio;
using namespace langop;

namespace {

const kube::resource k_cm{"", "v1", "configmaps", "ConfigMap", true};
constexpr const char* k_ns = "default";

struct settings {
  std::size_t objects = 20000;
  std::size_t concurrency = 64;
  std::size_t watchers = 10;
  std::string server;
  std::string server_pid;
  std::string run_id;
};

std::string name_of(const settings& s, std::size_t i) { return "bench-" + s.run_id + "-" + std::to_string(i); }

// A ConfigMap of about 500 bytes as stored (metadata, labels and two data keys). Plain
// function: GCC 12 cannot keep initializer_list temporaries in a coroutine frame.
json::value configmap(const settings& s, std::size_t i, std::uint64_t round, const std::string& rv) {
  json::object meta{{"name", name_of(s, i)},
                    {"namespace", k_ns},
                    {"labels", json::object{{"app.kubernetes.io/name", "langop-bench"}, {"bench-run", s.run_id}}}};
  if (!rv.empty()) meta["resourceVersion"] = rv;
  std::string payload(160, 'x');
  payload.replace(0, 20, std::to_string(round * 1000003 + i));
  return json::object{{"apiVersion", "v1"},
                      {"kind", "ConfigMap"},
                      {"metadata", std::move(meta)},
                      {"data", json::object{{"round", std::to_string(round)}, {"config.yaml", payload}}}};
}

std::string rv_of(const json::value& v) { return std::string(jsonu::get_string(v, {"metadata", "resourceVersion"})); }

// `count` coroutines on `ioc`, each running `worker()` to completion; returns when all did.
template <class W>
void run_workers(net::io_context& ioc, std::size_t count, W& worker, std::chrono::seconds limit) {
  std::size_t finished = 0;
  std::exception_ptr failure;
  for (std::size_t k = 0; k < count; ++k) {
    net::co_spawn(ioc, worker(), [&](std::exception_ptr e) {
      if (e && !failure) failure = e;
      ++finished;
    });
  }
  const auto end = std::chrono::steady_clock::now() + limit;
  while (finished < count && std::chrono::steady_clock::now() < end) {
    ioc.restart();
    ioc.run_one_until(end);
  }
  if (failure) std::rethrow_exception(failure);
  if (finished < count) throw std::runtime_error("benchmark phase did not finish within its deadline");
}

struct results {
  double create_s = 0, update_s = 0, list_s = 0, watch_s = 0, watch_writes_s = 0;
  // Server-thread CPU seconds per phase (in-process server only): rates per core of server CPU.
  double create_cpu = 0, update_cpu = 0, watch_cpu = 0;
  double client_create_cpu = 0, client_update_cpu = 0, client_watch_cpu = 0;  // the client's (main) thread
  std::uint64_t errors = 0, watch_events = 0, watch_errors = 0;
  std::size_t list_bytes = 0, listed = 0;
  double rss_delta = 0, heap_delta = 0;
  bool heap_known = false, rss_known = false;
  std::string first_error;
};

void note_error(results& r, const error& e) {
  if (r.errors++ == 0) r.first_error = e.message;
}

// Sets every rvs[i] by writing object i once (create when `create`, else update).
void write_round(net::io_context& ioc, kube::client& c, const settings& s, std::vector<std::string>& rvs,
                 std::uint64_t round, bool create, results& r) {
  std::size_t next = 0;
  auto worker = [&]() -> net::awaitable<void> {
    while (next < s.objects) {
      const std::size_t i = next++;
      json::value body = configmap(s, i, round, create ? std::string() : rvs[i]);
      // Two statements, not `create ? co_await a : co_await b`: GCC 12 miscompiles that.
      result<json::value> out = json::value();
      if (create) out = co_await c.create(k_cm, k_ns, body);
      else out = co_await c.update(k_cm, body);
      if (out) rvs[i] = rv_of(*out);
      else note_error(r, out.error());
    }
  };
  run_workers(ioc, std::min(s.concurrency, s.objects), worker, std::chrono::seconds(300));
}

// CPU seconds the calling thread has used (run on the server thread: the server's CPU).
double thread_cpu_seconds() {
  timespec ts{};
  clock_gettime(CLOCK_THREAD_CPUTIME_ID, &ts);
  return static_cast<double>(ts.tv_sec) + static_cast<double>(ts.tv_nsec) * 1e-9;
}

void print_row(const char* what, double value, const char* unit) {
  std::printf("  %-34s %14.1f  %s\n", what, value, unit);
}

}  // namespace

int main(int argc, char** argv) try {
  bench::flags f(argc, argv, {"objects", "concurrency", "watchers", "server", "server-pid"});
  if (f.help) {
    std::cout << "usage: langop-bench-localapi [--objects N] [--concurrency C] [--watchers W] "
                 "[--server URL [--server-pid PID]]\n";
    return 0;
  }
  settings s;
  s.objects = static_cast<std::size_t>(f.num("objects", 20000));
  s.concurrency = std::max<std::size_t>(1, static_cast<std::size_t>(f.num("concurrency", 64)));
  s.watchers = static_cast<std::size_t>(f.num("watchers", 10));
  s.server = f.str("server", "");
  s.server_pid = f.str("server-pid", "");
  s.run_id = std::to_string(std::random_device{}() % 1000000);
  if (s.objects == 0) throw std::runtime_error("--objects must be > 0");

  std::optional<bench::local_server> local;
  if (s.server.empty()) local.emplace(10000);
  const std::string url = local ? local->url() : s.server;
  auto server_cpu = [&] { return local ? local->run([](localapi::apiserver&) { return thread_cpu_seconds(); }) : 0.0; };

  net::io_context ioc{1};
  auto client = bench::make_client(ioc, url, s.concurrency);
  kube::client& c = *client;
  results r;
  std::vector<std::string> rvs(s.objects);  // resourceVersions fit in the small-string buffer

  // Warm-up: open the keep-alive connections so phase 1 measures requests, not connects.
  {
    auto warm = [&]() -> net::awaitable<void> { (void)co_await c.get(k_cm, k_ns, "bench-warmup-absent"); };
    run_workers(ioc, s.concurrency, warm, std::chrono::seconds(30));
  }

  // 1. creates, with the memory they cost the server.
  malloc_trim(0);
  const std::string pid = local ? std::string("self") : s.server_pid;
  const std::size_t rss0 = pid.empty() ? 0 : bench::rss_bytes(pid);
  const std::size_t heap0 = bench::heap_in_use();
  double cpu0 = server_cpu(), client0 = thread_cpu_seconds();
  auto t = std::chrono::steady_clock::now();
  write_round(ioc, c, s, rvs, 1, true, r);
  r.create_s = bench::seconds_since(t);
  r.create_cpu = server_cpu() - cpu0;
  r.client_create_cpu = thread_cpu_seconds() - client0;
  if (!pid.empty()) {
    r.rss_known = true;
    r.rss_delta = static_cast<double>(bench::rss_bytes(pid)) - static_cast<double>(rss0);
  }
  if (local) {
    r.heap_known = true;
    r.heap_delta = static_cast<double>(bench::heap_in_use()) - static_cast<double>(heap0);
  }

  // 2. updates.
  cpu0 = server_cpu();
  client0 = thread_cpu_seconds();
  t = std::chrono::steady_clock::now();
  write_round(ioc, c, s, rvs, 2, false, r);
  r.update_s = bench::seconds_since(t);
  r.update_cpu = server_cpu() - cpu0;
  r.client_update_cpu = thread_cpu_seconds() - client0;

  // 3. one list: raw JSON size per object, and the resourceVersion to watch from.
  std::string list_rv;
  {
    kube::list_options lo;
    lo.label_selector = "bench-run=" + s.run_id;
    t = std::chrono::steady_clock::now();
    bench::run_coro(
        ioc,
        [&]() -> net::awaitable<void> {
          auto body = co_await c.send_raw(kube::list_call(k_cm, k_ns, lo));
          if (!body) {
            note_error(r, body.error());
            co_return;
          }
          r.list_bytes = body->size();
          auto v = jsonu::parse(*body);
          if (v && v->is_object()) {
            list_rv = jsonu::get_string(*v, {"metadata", "resourceVersion"});
            if (const auto* items = v->as_object().if_contains("items"); items && items->is_array())
              r.listed = items->as_array().size();
          }
        },
        std::chrono::seconds(60));
    r.list_s = bench::seconds_since(t);
  }

  // 4. watch fan-out while every object is updated once more.
  if (s.watchers > 0) {
    std::vector<std::optional<kube::watch_stream>> streams(s.watchers);
    {
      std::size_t next = 0;
      auto open = [&]() -> net::awaitable<void> {
        const std::size_t k = next++;
        kube::watch_options wo;
        wo.resource_version = list_rv;
        wo.allow_bookmarks = false;
        wo.label_selector = "bench-run=" + s.run_id;
        auto w = co_await c.watch(k_cm, k_ns, wo);
        if (w) streams[k].emplace(std::move(*w));
        else note_error(r, w.error());
      };
      run_workers(ioc, s.watchers, open, std::chrono::seconds(30));
    }
    std::size_t next_reader = 0;
    bool writes_done = false;
    cpu0 = server_cpu();
    client0 = thread_cpu_seconds();
    const auto start = std::chrono::steady_clock::now();
    auto reader = [&]() -> net::awaitable<void> {
      auto& stream = streams[next_reader++];
      if (!stream) co_return;
      std::size_t seen = 0;
      while (seen < s.objects) {
        auto line = co_await stream->next_line(http::after(std::chrono::seconds(30)));
        if (!line) {
          ++r.watch_errors;
          if (r.first_error.empty()) r.first_error = "watch: " + line.error().message;
          break;
        }
        if (line->rfind("{\"type\":\"MODIFIED\"", 0) == 0) ++seen;
      }
      r.watch_events += seen;
      stream->close();
    };
    std::size_t finished = 0;
    std::exception_ptr failure;
    for (std::size_t k = 0; k < s.watchers; ++k) {
      net::co_spawn(ioc, reader(), [&](std::exception_ptr e) {
        if (e && !failure) failure = e;
        ++finished;
      });
    }
    // The writers as their own group, so the write rate of this phase is known too.
    std::size_t next_write = 0, writers_done = 0;
    const std::size_t writers = std::min(s.concurrency, s.objects);
    auto writer = [&]() -> net::awaitable<void> {
      while (next_write < s.objects) {
        const std::size_t i = next_write++;
        json::value body = configmap(s, i, 3, rvs[i]);
        auto out = co_await c.update(k_cm, body);
        if (!out) note_error(r, out.error());
      }
      if (++writers_done == writers) {
        r.watch_writes_s = bench::seconds_since(start);
        writes_done = true;
      }
    };
    for (std::size_t k = 0; k < writers; ++k) {
      net::co_spawn(ioc, writer(), [&](std::exception_ptr e) {
        if (e && !failure) failure = e;
      });
    }
    const auto end = start + std::chrono::seconds(300);
    while ((finished < s.watchers || !writes_done) && std::chrono::steady_clock::now() < end) {
      ioc.restart();
      ioc.run_one_until(end);
    }
    r.watch_s = bench::seconds_since(start);
    r.watch_cpu = server_cpu() - cpu0;
    r.client_watch_cpu = thread_cpu_seconds() - client0;
    if (failure) std::rethrow_exception(failure);
    if (finished < s.watchers || !writes_done) throw std::runtime_error("watch phase did not finish in time");
  }

  std::uint64_t server_events_sent = 0;
  if (local) server_events_sent = local->run([](localapi::apiserver& api) { return api.stats().watch_events_sent; });

  const double n = static_cast<double>(s.objects);
  const double raw_per_obj = r.listed ? static_cast<double>(r.list_bytes) / static_cast<double>(r.listed) : 0;
  const double creates_ps = n / r.create_s, updates_ps = n / r.update_s;
  const double events_ps = r.watch_s > 0 ? static_cast<double>(r.watch_events) / r.watch_s : 0;
  const double watch_writes_ps = r.watch_writes_s > 0 ? n / r.watch_writes_s : 0;

  std::printf("langop-bench-localapi: %zu ConfigMaps, concurrency %zu, %zu watchers, server %s\n", s.objects,
              s.concurrency, s.watchers, local ? "in-process" : url.c_str());
  print_row("creates/s", creates_ps, "req/s");
  print_row("updates/s", updates_ps, "req/s");
  print_row("writes/s while watched", watch_writes_ps, "req/s");
  print_row("watch events delivered/s", events_ps, "events/s (all watchers)");
  print_row("watch events delivered", static_cast<double>(r.watch_events), "events");
  print_row("list of all objects", r.list_s * 1000, "ms");
  print_row("raw JSON per object", raw_per_obj, "bytes");
  if (local) {
    print_row("server CPU per create", r.create_cpu / n * 1e6, "us (server thread)");
    print_row("server CPU per update", r.update_cpu / n * 1e6, "us (server thread)");
    print_row("creates per server CPU second", n / r.create_cpu, "req/s (one core)");
    print_row("updates per server CPU second", n / r.update_cpu, "req/s (one core)");
    if (r.watch_events > 0)
      print_row("watch events per server CPU second", static_cast<double>(r.watch_events) / r.watch_cpu,
                "events/s (one core, incl. the writes)");
    // Where the wall time went: server and client threads share the machine's cores.
    print_row("client CPU per create", r.client_create_cpu / n * 1e6, "us (client thread)");
    print_row("client CPU per update", r.client_update_cpu / n * 1e6, "us (client thread)");
    print_row("watch phase CPU server / client", r.watch_cpu, "s server");
    print_row("", r.client_watch_cpu, "s client (10 streams read + writes sent)");
  }
  if (r.rss_known) print_row("server RSS per stored object", r.rss_delta / n, "bytes");
  if (r.heap_known) print_row("server heap per stored object", r.heap_delta / n, "bytes");
  if (r.rss_known && raw_per_obj > 0) print_row("RSS / raw JSON", r.rss_delta / n / raw_per_obj, "x");
  if (r.errors || r.watch_errors)
    std::printf("  errors: %llu requests, %llu watches; first: %s\n", static_cast<unsigned long long>(r.errors),
                static_cast<unsigned long long>(r.watch_errors), r.first_error.c_str());

  json::object out{{"tool", "localapi"},
                   {"server", local ? "in-process" : url},
                   {"objects", s.objects},
                   {"concurrency", s.concurrency},
                   {"watchers", s.watchers},
                   {"creates_per_s", creates_ps},
                   {"updates_per_s", updates_ps},
                   {"watch_phase_writes_per_s", watch_writes_ps},
                   {"watch_events", r.watch_events},
                   {"watch_events_per_s", events_ps},
                   {"server_watch_events_sent", server_events_sent},
                   {"list_ms", r.list_s * 1000},
                   {"raw_json_bytes_per_object", raw_per_obj},
                   {"errors", r.errors + r.watch_errors}};
  if (r.rss_known) out["rss_bytes_per_object"] = r.rss_delta / n;
  if (r.heap_known) out["heap_bytes_per_object"] = r.heap_delta / n;
  if (local) {
    out["server_cpu_us_per_create"] = r.create_cpu / n * 1e6;
    out["server_cpu_us_per_update"] = r.update_cpu / n * 1e6;
    out["server_cpu_s_watch_phase"] = r.watch_cpu;
    out["client_cpu_us_per_create"] = r.client_create_cpu / n * 1e6;
    out["client_cpu_us_per_update"] = r.client_update_cpu / n * 1e6;
    out["client_cpu_s_watch_phase"] = r.client_watch_cpu;
  }
  std::printf("JSON %s\n", boost::json::serialize(out).c_str());
  std::fflush(stdout);
  return (r.errors || r.watch_errors || r.listed != s.objects) ? 1 : 0;
} catch (const std::exception& e) {
  std::fprintf(stderr, "langop-bench-localapi: %s\n", e.what());
  return 2;
}
