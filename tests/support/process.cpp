#include "support/process.hpp"

#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <map>
#include <stdexcept>

extern char** environ;

namespace langop::test {
namespace {

std::vector<std::string> merged_env(const std::vector<std::string>& extra) {
  std::map<std::string, std::string> vars;
  for (char** e = environ; e && *e; ++e) {
    std::string s(*e);
    auto eq = s.find('=');
    if (eq != std::string::npos) vars[s.substr(0, eq)] = s;
  }
  for (const auto& s : extra) {
    auto eq = s.find('=');
    if (eq != std::string::npos) vars[s.substr(0, eq)] = s;
  }
  std::vector<std::string> out;
  for (auto& [k, v] : vars) out.push_back(v);
  return out;
}

std::vector<char*> c_strings(std::vector<std::string>& v) {
  std::vector<char*> out;
  for (auto& s : v) out.push_back(s.data());
  out.push_back(nullptr);
  return out;
}

int spawn(const std::vector<std::string>& argv, const std::vector<std::string>& env, int in_fd, int out_fd,
          int err_fd) {
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  if (in_fd >= 0) posix_spawn_file_actions_adddup2(&fa, in_fd, 0);
  else posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, out_fd, 1);
  posix_spawn_file_actions_adddup2(&fa, err_fd, 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  auto args = argv;
  auto envs = merged_env(env);
  auto cargs = c_strings(args);
  auto cenv = c_strings(envs);
  pid_t pid = -1;
  int rc = posix_spawnp(&pid, cargs[0], &fa, &attr, cargs.data(), cenv.data());
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  return rc == 0 ? pid : -1;
}

// True once the child has exited; it stays a zombie (not reaped) so its process
// group id cannot be reused before we kill the group.
bool exited(int pid) {
  siginfo_t info{};
  return waitid(P_PID, static_cast<id_t>(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0 && info.si_pid == pid;
}

}  // namespace

command_result run_command(const std::vector<std::string>& argv, std::chrono::milliseconds timeout,
                           const std::vector<std::string>& env, const std::string& stdin_data) {
  command_result r;
  int out_pipe[2], err_pipe[2], in_pipe[2];
  if (pipe2(out_pipe, O_CLOEXEC) || pipe2(err_pipe, O_CLOEXEC) || pipe2(in_pipe, O_CLOEXEC))
    throw std::runtime_error("pipe failed");
  int pid = spawn(argv, env, in_pipe[0], out_pipe[1], err_pipe[1]);
  close(out_pipe[1]);
  close(err_pipe[1]);
  close(in_pipe[0]);
  if (pid < 0) {
    close(out_pipe[0]);
    close(err_pipe[0]);
    close(in_pipe[1]);
    r.err = "cannot start " + argv.front();
    return r;
  }
  fcntl(in_pipe[1], F_SETFL, O_NONBLOCK);
  std::size_t written = 0;
  if (stdin_data.empty()) {
    close(in_pipe[1]);
    in_pipe[1] = -1;
  }
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  bool out_open = true, err_open = true;
  char buf[65536];
  while (out_open || err_open) {
    auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
    if (left.count() <= 0) {
      r.timed_out = true;
      break;
    }
    pollfd fds[3];
    int n = 0;
    int out_i = -1, err_i = -1, in_i = -1;
    if (out_open) fds[out_i = n++] = {out_pipe[0], POLLIN, 0};
    if (err_open) fds[err_i = n++] = {err_pipe[0], POLLIN, 0};
    if (in_pipe[1] >= 0) fds[in_i = n++] = {in_pipe[1], POLLOUT, 0};
    int rc = poll(fds, static_cast<nfds_t>(n), static_cast<int>(std::min<long long>(left.count(), 1000)));
    if (rc < 0 && errno != EINTR) break;
    if (in_i >= 0 && (fds[in_i].revents & (POLLOUT | POLLERR | POLLHUP))) {
      ssize_t w = write(in_pipe[1], stdin_data.data() + written, stdin_data.size() - written);
      if (w > 0) written += static_cast<std::size_t>(w);
      if (w < 0 || written == stdin_data.size()) {
        close(in_pipe[1]);
        in_pipe[1] = -1;
      }
    }
    auto pump = [&](int idx, int fd, std::string& into, bool& open_flag) {
      if (idx < 0 || !(fds[idx].revents & (POLLIN | POLLHUP | POLLERR))) return;
      ssize_t got = read(fd, buf, sizeof buf);
      if (got > 0) into.append(buf, static_cast<std::size_t>(got));
      else open_flag = false;
    };
    pump(out_i, out_pipe[0], r.out, out_open);
    pump(err_i, err_pipe[0], r.err, err_open);
  }
  if (in_pipe[1] >= 0) close(in_pipe[1]);
  close(out_pipe[0]);
  close(err_pipe[0]);
  if (r.timed_out) {
    kill(-pid, SIGKILL);
    int st;
    waitpid(pid, &st, 0);
    return r;
  }
  int status = 0;
  // The pipes closed; the process is exiting. Bounded wait, then kill.
  for (int i = 0; i < 500; ++i) {
    if (exited(pid)) {
      kill(-pid, SIGKILL);  // anything the child left behind in its group (the zombie keeps the id)
      waitpid(pid, &status, 0);
      r.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : -1;
      return r;
    }
    usleep(10000);
  }
  kill(-pid, SIGKILL);
  waitpid(pid, &status, 0);
  r.timed_out = true;
  return r;
}

background_process::background_process(const std::vector<std::string>& argv, const std::vector<std::string>& env) {
  int p[2];
  if (pipe2(p, O_CLOEXEC)) throw std::runtime_error("pipe failed");
  pid_ = spawn(argv, env, -1, p[1], p[1]);
  close(p[1]);
  out_fd_ = p[0];
  fcntl(out_fd_, F_SETFL, O_NONBLOCK);
  if (pid_ < 0) {
    close(out_fd_);
    out_fd_ = -1;
    throw std::runtime_error("cannot start " + argv.front());
  }
}

background_process::~background_process() {
  if (!reaped_) stop(std::chrono::milliseconds(2000));
  if (out_fd_ >= 0) close(out_fd_);
}

void background_process::drain() {
  if (out_fd_ < 0) return;
  char buf[65536];
  for (;;) {
    ssize_t got = read(out_fd_, buf, sizeof buf);
    if (got <= 0) break;
    output_.append(buf, static_cast<std::size_t>(got));
    if (output_.size() > (1u << 20)) output_.erase(0, output_.size() - (1u << 20));
  }
}

std::string background_process::output() {
  drain();
  return output_;
}

bool background_process::running() {
  if (reaped_) return false;
  if (exited(pid_)) {
    kill(-pid_, SIGKILL);
    waitpid(pid_, &status_, 0);
    reaped_ = true;
    return false;
  }
  return true;
}

int background_process::stop(std::chrono::milliseconds grace) {
  if (!reaped_) {
    kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + grace;
    while (running() && std::chrono::steady_clock::now() < deadline) {
      drain();
      usleep(10000);
    }
    if (!reaped_) {
      kill(-pid_, SIGKILL);
      waitpid(pid_, &status_, 0);
      reaped_ = true;
    }
  }
  drain();
  return WIFEXITED(status_) ? WEXITSTATUS(status_) : -1;
}

void background_process::kill_now() {
  if (reaped_) return;
  kill(-pid_, SIGKILL);
  waitpid(pid_, &status_, 0);
  reaped_ = true;
}

}  // namespace langop::test
