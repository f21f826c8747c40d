// PURE: formatting of the convergence benchmark's results.
#include "converge_report.hpp"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>

namespace bench::converge {

namespace json = langop::json;

latency_summary summarize_latencies(std::vector<double> ms, std::size_t missing) {
  latency_summary s;
  s.samples = ms.size();
  s.missing = missing;
  if (ms.empty()) return s;
  std::sort(ms.begin(), ms.end());
  auto at = [&](double q) { return ms[static_cast<std::size_t>(std::ceil(q * static_cast<double>(ms.size()))) - 1]; };
  s.p50_ms = at(0.50);
  s.p99_ms = at(0.99);
  s.max_ms = ms.back();
  return s;
}

namespace {

std::string fmt(double v, int decimals = 1) {
  char buf[64];
  std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
  return buf;
}

std::string per_agent_text(const std::map<std::string, double>& by_verb, double agents) {
  std::string out;
  for (const auto& [verb, n] : by_verb) {
    if (!out.empty()) out += ", ";
    out += verb + " " + fmt(agents > 0 ? n / agents : 0, 2);
  }
  return out.empty() ? "n/a" : out;
}

double total(const std::map<std::string, double>& m) {
  double sum = 0;
  for (const auto& [k, v] : m) sum += v;
  return sum;
}

}  // namespace

std::string markdown_table(const std::vector<run_result>& runs) {
  std::string out = "| Metric |";
  std::string rule = "|---|";
  for (const auto& r : runs) {
    out += " N=" + std::to_string(r.agents) + " |";
    rule += "---|";
  }
  out += " Target |\n" + rule + "---|\n";
  auto row = [&](const std::string& what, const std::function<std::string(const run_result&)>& cell,
                 const std::string& target) {
    out += "| " + what + " |";
    for (const auto& r : runs) out += " " + cell(r) + " |";
    out += " " + target + " |\n";
  };
  row("cold start: all agents Running (s)", [](const run_result& r) {
    return fmt(r.converge_s, 2) + (r.converged ? "" : " (NOT converged: " + std::to_string(r.running) + " Running)");
  }, "");
  row("write floor: same writes, plain client (s)", [](const run_result& r) {
    return fmt(r.floor_s, 2) + " (" + std::to_string(r.floor_objects) + " objects + " +
           std::to_string(r.floor_status_writes) + " status)";
  }, "");
  row("**operator ÷ floor**", [](const run_result& r) { return "**" + fmt(r.ratio(), 2) + "**"; }, "≤ 1.2 at 10k");
  row("floor + the operator's Events, same client (s)", [](const run_result& r) {
    return fmt(r.floor_s + r.floor_events_s, 2) + " (+" + std::to_string(r.floor_events) + " Events)";
  }, "");
  row("operator ÷ (floor + Events)", [](const run_result& r) { return fmt(r.ratio_with_events(), 2); }, "");
  row("API requests per agent (operator)",
      [](const run_result& r) { return fmt(total(r.requests_by_verb) / static_cast<double>(r.agents), 2); }, "");
  row("  by verb, per agent", [](const run_result& r) {
    return per_agent_text(r.requests_by_verb, static_cast<double>(r.agents));
  }, "");
  row("  reconciles per agent, by controller", [](const run_result& r) {
    return per_agent_text(r.reconciles_by_controller, static_cast<double>(r.agents));
  }, "");
  row("  Events per agent, by reason", [](const run_result& r) {
    return per_agent_text(r.events_by_reason, static_cast<double>(r.agents));
  }, "");
  row("  children per agent, by kind", [](const run_result& r) {
    return per_agent_text(r.children_by_kind, static_cast<double>(r.agents));
  }, "");
  row("operator CPU, cold start (s)", [](const run_result& r) { return fmt(r.operator_cpu_s, 2); }, "");
  row("langop-localapi CPU: cold start / floor (s)", [](const run_result& r) {
    return fmt(r.server_cpu_cold_s, 2) + " / " + fmt(r.server_cpu_floor_s, 2);
  }, "");
  row("operator peak RSS (MiB)",
      [](const run_result& r) { return fmt(static_cast<double>(r.operator_peak_rss) / 1048576.0); }, "");
  row("max requests in flight", [](const run_result& r) {
    return r.max_requests_in_flight < 0 ? std::string("n/a") : fmt(r.max_requests_in_flight, 0);
  }, "");
  row("writes on a no-op resync (operator restart)", [](const run_result& r) {
    if (r.resync_writes < 0) return std::string("not measured");
    std::string s = fmt(r.resync_writes, 0);
    if (r.resync_server_writes >= 0) s += " (server committed " + fmt(r.resync_server_writes, 0) + ")";
    return s;
  }, "0");
  row("CPU per no-op reconcile (µs)", [](const run_result& r) {
    return fmt(r.us_per_noop_reconcile(), 1) + " (" + fmt(r.resync_reconciles, 0) + " reconciles)";
  }, "≤ 20");
  row("spec change → status p50 / p99 / max (ms)", [](const run_result& r) {
    if (r.churn.samples == 0) return std::string("not measured");
    return fmt(r.churn.p50_ms) + " / " + fmt(r.churn.p99_ms) + " / " + fmt(r.churn.max_ms) + " (" +
           std::to_string(r.churn.samples) + " changes, " + fmt(r.churn_changes_per_s) + "/s" +
           (r.churn.missing ? ", " + std::to_string(r.churn.missing) + " missing" : "") + ")";
  }, "p99 ≤ 50");
  row("operator RSS per cached object (B)", [](const run_result& r) {
    return r.cached_objects ? fmt(static_cast<double>(r.operator_rss) / static_cast<double>(r.cached_objects), 0)
                            : std::string("n/a");
  }, "");
  row("raw JSON per cached object (B)", [](const run_result& r) {
    return r.cached_objects
               ? fmt(static_cast<double>(r.cached_raw_json_bytes) / static_cast<double>(r.cached_objects), 0)
               : std::string("n/a");
  }, "");
  row("operator RSS ÷ raw JSON of its cache", [](const run_result& r) {
    return r.cached_raw_json_bytes
               ? fmt(static_cast<double>(r.operator_rss) / static_cast<double>(r.cached_raw_json_bytes), 2)
               : std::string("n/a");
  }, "(RSS is an upper bound)");
  row("informer cache ÷ raw JSON (operator's gauges)", [](const run_result& r) {
    if (r.informer_raw_bytes <= 0) return std::string("n/a");
    return fmt(r.informer_cache_bytes / r.informer_raw_bytes, 2) + " (" + fmt(r.informer_cache_bytes / 1048576.0) +
           " MiB for " + fmt(r.informer_objects, 0) + " objects)";
  }, "≤ 1.5x");
  return out;
}

json::object to_json(const run_result& r) {
  auto to_object = [](const std::map<std::string, double>& m) {
    json::object o;
    for (const auto& [k, v] : m) o[k] = v;
    return o;
  };
  json::array notes;
  for (const auto& n : r.notes) notes.emplace_back(n);
  const double n = static_cast<double>(r.agents);
  return json::object{
      {"agents", r.agents},
      {"namespaces", r.namespaces},
      {"concurrency", r.concurrency},
      {"server", r.server},
      {"converged", r.converged},
      {"running", r.running},
      {"converge_s", r.converge_s},
      {"floor_s", r.floor_s},
      {"floor_objects", r.floor_objects},
      {"floor_status_writes", r.floor_status_writes},
      {"floor_errors", r.floor_errors},
      {"ratio", r.ratio()},
      {"floor_events", r.floor_events},
      {"floor_events_s", r.floor_events_s},
      {"ratio_with_events", r.ratio_with_events()},
      {"requests_by_verb", to_object(r.requests_by_verb)},
      {"requests_per_agent", n > 0 ? total(r.requests_by_verb) / n : 0},
      {"reconciles_by_controller", to_object(r.reconciles_by_controller)},
      {"events_by_reason", to_object(r.events_by_reason)},
      {"children_by_kind", to_object(r.children_by_kind)},
      {"operator_cpu_s", r.operator_cpu_s},
      {"operator_peak_rss_bytes", r.operator_peak_rss},
      {"server_cpu_cold_s", r.server_cpu_cold_s},
      {"server_cpu_floor_s", r.server_cpu_floor_s},
      {"operator_rss_bytes", r.operator_rss},
      {"max_requests_in_flight", r.max_requests_in_flight},
      {"resync_writes", r.resync_writes},
      {"resync_server_writes", r.resync_server_writes},
      {"resync_reconciles", r.resync_reconciles},
      {"resync_reconcile_cpu_s", r.resync_cpu_s},
      {"resync_total_cpu_s", r.resync_total_cpu_s},
      {"us_per_noop_reconcile", r.us_per_noop_reconcile()},
      {"churn_samples", r.churn.samples},
      {"churn_missing", r.churn.missing},
      {"churn_changes_per_s", r.churn_changes_per_s},
      {"churn_p50_ms", r.churn.p50_ms},
      {"churn_p99_ms", r.churn.p99_ms},
      {"churn_max_ms", r.churn.max_ms},
      {"cached_objects", r.cached_objects},
      {"informer_objects", r.informer_objects},
      {"informer_cache_bytes", r.informer_cache_bytes},
      {"informer_raw_bytes", r.informer_raw_bytes},
      {"cached_raw_json_bytes", r.cached_raw_json_bytes},
      {"notes", std::move(notes)}};
}

}  // namespace bench::converge
