// The processes around one langop-bench-converge run: the API server (a langop-localapi
// child with workload simulation, or whatever --kubeconfig points at), a loopback DNS
// responder for the agents' egress names, and the operator (a child, restartable, or one
// already running that is only observed).
#pragma once

#include "converge_process.hpp"

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>
#include <thread>

namespace langop::test {
class dns_server;
}

namespace bench::converge {

struct environment_options {
  std::string kubeconfig;       // empty: start langop-localapi
  std::string localapi_binary;  // its path
  std::string work_dir;         // kubeconfig and logs go here
  std::chrono::milliseconds ready_delay{10};
  std::size_t history_size = 200000;
};

class environment {
 public:
  explicit environment(const environment_options& o);
  ~environment();
  environment(const environment&) = delete;
  environment& operator=(const environment&) = delete;

  [[nodiscard]] const std::string& kubeconfig() const noexcept { return kubeconfig_; }
  [[nodiscard]] bool local() const noexcept { return server_ != nullptr; }
  [[nodiscard]] int server_pid() const noexcept { return server_ ? server_->pid() : -1; }
  [[nodiscard]] std::string dns_address() const;  // "127.0.0.1:<port>"

 private:
  std::string kubeconfig_;
  std::unique_ptr<child_process> server_;
  struct dns;
  std::unique_ptr<dns> dns_;
};

struct operator_options {
  std::string binary;
  std::string kubeconfig;
  std::string dns_servers;
  std::size_t max_requests_in_flight = 64;
  std::string log_path;
  // Observe an operator that runs already (not started or stopped by the benchmark).
  int attach_pid = -1;
  unsigned short attach_metrics_port = 0;
};

class operator_process {
 public:
  explicit operator_process(operator_options o);
  ~operator_process();
  operator_process(const operator_process&) = delete;
  operator_process& operator=(const operator_process&) = delete;

  void start();        // no-op when attached
  int stop();          // SIGTERM and wait; no-op when attached
  [[nodiscard]] bool attached() const noexcept { return opts_.attach_pid > 0; }
  [[nodiscard]] int pid() const noexcept;
  [[nodiscard]] bool running();
  [[nodiscard]] bool ready();  // GET /readyz == 200 (attached: true)
  [[nodiscard]] std::string metrics();  // the /metrics text ("" when unreachable)
  [[nodiscard]] proc_reading proc() const { return read_proc(pid()); }
  [[nodiscard]] std::string log_tail(std::size_t bytes = 2000) const;

 private:
  operator_options opts_;
  std::unique_ptr<child_process> child_;
  unsigned short metrics_port_ = 0, health_port_ = 0;
};

// Operator metrics read from /metrics text.
struct operator_metrics {
  std::map<std::string, double> requests_by_verb;  // langop_api_requests_total
  std::map<std::string, double> reconciles_by_controller;  // langop_reconcile_total
  double reconciles = 0, queue_depth = 0, in_flight = 0;
  // langop_informer_{objects,cache_bytes,raw_bytes}, summed over kinds (0 when absent).
  double cached_objects = 0, cache_bytes = 0, raw_bytes = 0;
  [[nodiscard]] double writes() const;  // requests other than get, list and watch
};
[[nodiscard]] operator_metrics parse_operator_metrics(const std::string& text);

}  // namespace bench::converge
