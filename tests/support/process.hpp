// Runs a child process with a deadline, capturing stdout/stderr (tests only). The
// child gets its own process group, killed with SIGKILL at the deadline, so a test
// never hangs and never leaves processes behind.
#pragma once

#include <chrono>
#include <string>
#include <vector>

namespace langop::test {

struct command_result {
  int exit_code = -1;  // -1 when killed or not started
  bool timed_out = false;
  std::string out;
  std::string err;
};

// `env` entries ("NAME=value") are added to (and override) the current environment.
command_result run_command(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                           const std::vector<std::string>& env = {}, const std::string& stdin_data = {});

// A child that keeps running in the background until stop() or destruction.
class background_process {
 public:
  background_process(const std::vector<std::string>& argv, const std::vector<std::string>& env = {});
  ~background_process();
  background_process(const background_process&) = delete;
  background_process& operator=(const background_process&) = delete;
  // SIGTERM, then SIGKILL after `grace`; returns the exit code (-1 when killed by a signal).
  int stop(std::chrono::milliseconds grace = std::chrono::milliseconds(5000));
  void kill_now();  // SIGKILL
  [[nodiscard]] int pid() const noexcept { return pid_; }
  [[nodiscard]] bool running();
  // Everything the process wrote to stdout+stderr so far (tail, bounded).
  [[nodiscard]] std::string output();

 private:
  void drain();
  int pid_ = -1;
  int out_fd_ = -1;
  std::string output_;
  int status_ = 0;
  bool reaped_ = false;
};

}  // namespace langop::test
