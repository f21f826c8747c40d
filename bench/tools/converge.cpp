// langop-bench-converge: cold-start convergence of N LanguageAgents under langop-operator,
// next to the write floor (the same end state written by a plain client), plus the steady
// state (no-op resync, spec change -> status latency under churn) and memory. SPEC §4.
//
//   langop-bench-converge [--agents 1000,5000,10000] [--concurrency 64] [--churn-percent 1]
//                         [--steady-seconds 10] [--out result.json]
//                         [--kubeconfig PATH] [--localapi-binary PATH] [--operator-binary PATH]
//                         [--operator-running PID --operator-metrics-port PORT]
//                         [--agents-per-namespace 2500] [--ready-delay-ms 10] [--timeout-seconds 900]
//                         [--work-dir DIR] [--crds DIR]
//
// Without --kubeconfig, every N gets a fresh langop-localapi child (workload simulation:
// Deployments become ready, so agents reach Running). The operator is a child process
// (restarted once for the no-op resync) unless --operator-running names one to observe.
// Egress DNS names resolve through a loopback DNS responder in this process, passed to the
// operator as --dns-servers (no internet needed).
// Output: progress on stderr; a markdown table and a "JSON {...}" line on stdout; with
// --out, the same results as a JSON document.
#include "bench_support.hpp"
#include "converge_driver.hpp"

#include <boost/json/serialize.hpp>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <random>

using namespace bench::converge;
namespace json = langop::json;

namespace {

std::vector<std::size_t> parse_counts(const std::string& list) {
  std::vector<std::size_t> out;
  std::size_t start = 0;
  while (start <= list.size()) {
    const auto comma = std::min(list.find(',', start), list.size());
    const std::string item = list.substr(start, comma - start);
    char* end = nullptr;
    const long v = std::strtol(item.c_str(), &end, 10);
    if (item.empty() || !end || *end != '\0' || v <= 0) throw std::runtime_error("--agents: not a count: " + item);
    out.push_back(static_cast<std::size_t>(v));
    start = comma + 1;
  }
  return out;
}

double parse_double(const bench::flags& f, const char* name, double fallback) {
  const auto s = f.str(name, "");
  if (s.empty()) return fallback;
  char* end = nullptr;
  const double v = std::strtod(s.c_str(), &end);
  if (!end || *end != '\0' || v < 0) throw std::runtime_error(std::string("--") + name + ": not a number: " + s);
  return v;
}

std::string load_average() {
  std::ifstream in("/proc/loadavg");
  std::string a, b, c;
  in >> a >> b >> c;
  return a + " " + b + " " + c;
}

std::string make_work_dir(const std::string& given) {
  if (!given.empty()) {
    std::filesystem::create_directories(given);
    return given;
  }
  std::string tmpl = (std::filesystem::temp_directory_path() / "langop-bench-converge-XXXXXX").string();
  if (!mkdtemp(tmpl.data())) throw std::runtime_error("mkdtemp failed");
  return tmpl;
}

const char* k_usage =
    "usage: langop-bench-converge [--agents N[,N...]] [--concurrency C] [--churn-percent P] [--steady-seconds S]\n"
    "         [--out FILE] [--kubeconfig PATH] [--localapi-binary PATH] [--operator-binary PATH]\n"
    "         [--operator-running PID --operator-metrics-port PORT] [--agents-per-namespace K]\n"
    "         [--ready-delay-ms MS] [--timeout-seconds S] [--work-dir DIR] [--crds DIR]\n";

}  // namespace

int main(int argc, char** argv) try {
  bench::flags f(argc, argv,
                 {"agents", "concurrency", "churn-percent", "steady-seconds", "out", "kubeconfig", "localapi-binary",
                  "operator-binary", "operator-running", "operator-metrics-port", "agents-per-namespace",
                  "ready-delay-ms", "timeout-seconds", "work-dir", "crds"});
  if (f.help) {
    std::cout << k_usage;
    return 0;
  }
  const auto counts = parse_counts(f.str("agents", "1000"));
  driver_options d;
  d.concurrency = static_cast<std::size_t>(std::max(1L, f.num("concurrency", 64)));
  d.churn_percent = parse_double(f, "churn-percent", 1);
  d.steady = std::chrono::seconds(f.num("steady-seconds", 10));
  d.phase_timeout = std::chrono::seconds(std::max(10L, f.num("timeout-seconds", 900)));
  d.agents_per_namespace = static_cast<std::size_t>(std::max(1L, f.num("agents-per-namespace", 2500)));
  d.crds_dir = f.str("crds", std::string(LANGOP_SOURCE_DIR) + "/crds");
  const std::string kubeconfig = f.str("kubeconfig", "");
  const std::string work_dir = make_work_dir(f.str("work-dir", ""));
  const long attach_pid = f.num("operator-running", 0);
  const long attach_port = f.num("operator-metrics-port", 0);
  if ((attach_pid > 0) != (attach_port > 0))
    throw std::runtime_error("--operator-running PID needs --operator-metrics-port PORT (and the reverse)");
  if (attach_pid > 0 && kubeconfig.empty())
    throw std::runtime_error("--operator-running needs --kubeconfig (the cluster that operator works on)");
  const std::string run_id = std::to_string(std::random_device{}() % 100000);
  const std::string load_before = load_average();

  std::vector<run_result> runs;
  for (const auto n : counts) {
    environment_options eo;
    eo.kubeconfig = kubeconfig;
    eo.localapi_binary = f.str("localapi-binary", std::string(LANGOP_BINARY_DIR) + "/langop-localapi");
    eo.work_dir = work_dir;
    eo.ready_delay = std::chrono::milliseconds(f.num("ready-delay-ms", 10));
    environment env(eo);
    operator_options oo;
    oo.binary = f.str("operator-binary", std::string(LANGOP_BINARY_DIR) + "/langop-operator");
    oo.kubeconfig = env.kubeconfig();
    oo.dns_servers = env.dns_address();
    oo.max_requests_in_flight = d.concurrency;
    oo.log_path = work_dir + "/operator-" + std::to_string(n) + ".log";
    oo.attach_pid = static_cast<int>(attach_pid);
    oo.attach_metrics_port = static_cast<unsigned short>(attach_port);
    operator_process op(oo);
    // A fresh server needs no unique names; a shared cluster does.
    d.namespace_prefix = env.local() ? "bench" : "bench-" + run_id + "-n" + std::to_string(n);
    runs.push_back(run_benchmark(env, op, d, n));
  }

  std::printf("langop-bench-converge: %s, concurrency %zu, churn %.2f%%/s for %lld s; %ld cores, load %s -> %s\n\n",
              kubeconfig.empty() ? "langop-localapi child per N" : kubeconfig.c_str(), d.concurrency, d.churn_percent,
              static_cast<long long>(d.steady.count()), ::sysconf(_SC_NPROCESSORS_ONLN), load_before.c_str(),
              load_average().c_str());
  std::printf("%s\n", markdown_table(runs).c_str());
  bool ok = true;
  json::array results;
  for (const auto& r : runs) {
    for (const auto& note : r.notes) std::printf("- N=%zu: %s\n", r.agents, note.c_str());
    ok = ok && r.converged && r.floor_errors == 0;
    results.push_back(to_json(r));
  }
  json::object doc{{"tool", "converge"},
                   {"cores", ::sysconf(_SC_NPROCESSORS_ONLN)},
                   {"load_before", load_before},
                   {"load_after", load_average()},
                   {"concurrency", d.concurrency},
                   {"churn_percent", d.churn_percent},
                   {"steady_seconds", d.steady.count()},
                   {"work_dir", work_dir},
                   {"runs", std::move(results)}};
  const std::string text = boost::json::serialize(doc);
  std::printf("JSON %s\n", text.c_str());
  std::fflush(stdout);
  if (const auto out = f.str("out", ""); !out.empty()) {
    std::ofstream file(out, std::ios::trunc);
    file << text << "\n";
    if (!file) throw std::runtime_error("cannot write " + out);
  }
  // The work directory holds only logs and a kubeconfig; kept when something failed.
  if (ok && f.str("work-dir", "").empty()) std::filesystem::remove_all(work_dir);
  return ok ? 0 : 1;
} catch (const std::exception& e) {
  std::fprintf(stderr, "langop-bench-converge: %s\n", e.what());
  return 2;
}
