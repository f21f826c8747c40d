// What langop-bench-converge reads from outside its own loop, all blocking and bounded:
// child processes (the operator, optionally langop-localapi) with their output in a log
// file, /proc readings of a pid (CPU seconds, RSS, peak RSS), a plain HTTP GET to the
// operator's /metrics and /readyz, and sums over Prometheus text.
#pragma once

#include <chrono>
#include <map>
#include <string>
#include <vector>

namespace bench::converge {

// A child process in its own process group; stdout and stderr go to `log_path`. The
// destructor stops it (SIGTERM, then SIGKILL), so no child outlives the benchmark.
class child_process {
 public:
  child_process(const std::vector<std::string>& argv, const std::string& log_path);
  ~child_process();
  child_process(const child_process&) = delete;
  child_process& operator=(const child_process&) = delete;

  // SIGTERM, SIGKILL after `grace`; the exit code, -1 when it died of a signal.
  int stop(std::chrono::milliseconds grace = std::chrono::milliseconds(10000));
  [[nodiscard]] bool running();
  [[nodiscard]] int pid() const noexcept { return pid_; }

 private:
  int pid_ = -1;
  int status_ = 0;
  bool reaped_ = false;
};

struct proc_reading {
  double cpu_seconds = 0;    // utime + stime
  std::size_t rss = 0;       // VmRSS, bytes
  std::size_t peak_rss = 0;  // VmHWM, bytes
  bool ok = false;
};
[[nodiscard]] proc_reading read_proc(int pid);

// A TCP port free right now on 127.0.0.1 (for the operator's metrics/health listeners).
[[nodiscard]] unsigned short free_port();

// GET http://127.0.0.1:<port><path>; status 0 when the connection failed.
struct http_reply {
  int status = 0;
  std::string body;
};
[[nodiscard]] http_reply http_get(unsigned short port, const std::string& path,
                                  std::chrono::milliseconds timeout = std::chrono::milliseconds(5000));

// Sums of a Prometheus counter/gauge family: key = the value of `label` ("" sums all).
[[nodiscard]] std::map<std::string, double> prom_sum_by(const std::string& text, const std::string& family,
                                                        const std::string& label);
[[nodiscard]] double prom_total(const std::string& text, const std::string& family);

}  // namespace bench::converge
