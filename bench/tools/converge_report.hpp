// The results of one langop-bench-converge run per N, and how they are printed: a
// markdown table (stdout) and a JSON document (--out). PURE.
#pragma once

#include "langop/core/json.hpp"

#include <cstdint>
#include <map>
#include <string>
#include <vector>

namespace bench::converge {

struct latency_summary {
  std::size_t samples = 0, missing = 0;  // missing: no status update within the deadline
  double p50_ms = 0, p99_ms = 0, max_ms = 0;
};
[[nodiscard]] latency_summary summarize_latencies(std::vector<double> ms, std::size_t missing);

struct run_result {
  std::size_t agents = 0, namespaces = 0, concurrency = 0;
  std::string server;  // "in-process langop-localapi" or the kubeconfig's server

  // Cold start: operator started (or, with --operator-running, agents created) until every
  // agent is Running at its generation.
  double converge_s = 0;
  bool converged = false;
  std::size_t running = 0;                       // agents Running at the end
  std::map<std::string, double> requests_by_verb;  // operator requests during the cold start
  double operator_cpu_s = 0;
  std::size_t operator_peak_rss = 0, operator_rss = 0;
  double server_cpu_cold_s = 0, server_cpu_floor_s = 0;  // langop-localapi child only
  double max_requests_in_flight = -1;  // -1: not observable
  std::map<std::string, double> reconciles_by_controller;
  std::map<std::string, double> events_by_reason;   // Events in the benchmark's namespaces after the cold start
  std::map<std::string, double> children_by_kind;   // what the operator created (counted by the floor)

  // Write floor: the operator's end state written by a plain client.
  std::size_t floor_objects = 0, floor_status_writes = 0, floor_errors = 0;
  double floor_s = 0;
  std::size_t floor_events = 0;
  double floor_events_s = 0;  // the operator's Events written by the plain client, after the floor

  // Steady state.
  double resync_writes = -1;         // operator write requests after a restart (-1: not measured)
  double resync_server_writes = -1;  // committed writes the server counted meanwhile (in-process only)
  double resync_reconciles = 0, resync_cpu_s = 0, resync_total_cpu_s = 0;
  latency_summary churn;
  double churn_changes_per_s = 0;

  // Memory.
  std::size_t cached_objects = 0, cached_raw_json_bytes = 0;  // listed from the server by the driver
  // The operator's own accounting (langop_informer_* gauges): objects, cache heap bytes,
  // and the JSON bytes those objects arrived as.
  double informer_objects = 0, informer_cache_bytes = 0, informer_raw_bytes = 0;

  std::vector<std::string> notes;  // what went wrong or was skipped

  [[nodiscard]] double ratio() const { return floor_s > 0 ? converge_s / floor_s : 0; }
  [[nodiscard]] double ratio_with_events() const {
    return floor_s + floor_events_s > 0 ? converge_s / (floor_s + floor_events_s) : 0;
  }
  [[nodiscard]] double us_per_noop_reconcile() const {
    return resync_reconciles > 0 ? resync_cpu_s * 1e6 / resync_reconciles : 0;
  }
};

[[nodiscard]] std::string markdown_table(const std::vector<run_result>& runs);
[[nodiscard]] langop::json::object to_json(const run_result& r);

}  // namespace bench::converge
