// The phases of one langop-bench-converge run for N agents: set-up, cold start, memory,
// no-op resync, churn latency, write floor. Progress goes to stderr.
#pragma once

#include "converge_env.hpp"
#include "converge_report.hpp"

#include <chrono>
#include <string>

namespace bench::converge {

struct driver_options {
  std::size_t concurrency = 64;  // operator --max-requests-in-flight, and the floor client's
  double churn_percent = 1;      // share of agents changed per second in the churn phase
  std::chrono::seconds steady{10};
  std::chrono::seconds phase_timeout{600};
  std::size_t agents_per_namespace = 2500;
  std::string crds_dir;
  std::string namespace_prefix = "bench";
};

// Runs every phase for `agents` agents against `env`, with `op` as the operator (started
// and stopped here unless attached). Throws when the set-up fails; phases that cannot be
// measured leave a note in the result instead.
[[nodiscard]] run_result run_benchmark(environment& env, operator_process& op, const driver_options& o,
                                       std::size_t agents);

}  // namespace bench::converge
