#include "converge_process.hpp"

#include <arpa/inet.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <thread>

extern char** environ;

namespace bench::converge {

child_process::child_process(const std::vector<std::string>& argv, const std::string& log_path) {
  const int log_fd = ::open(log_path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
  if (log_fd < 0) throw std::runtime_error("cannot open " + log_path);
  posix_spawn_file_actions_t fa;
  posix_spawn_file_actions_init(&fa);
  posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
  posix_spawn_file_actions_adddup2(&fa, log_fd, 1);
  posix_spawn_file_actions_adddup2(&fa, log_fd, 2);
  posix_spawnattr_t attr;
  posix_spawnattr_init(&attr);
  posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETPGROUP);
  posix_spawnattr_setpgroup(&attr, 0);
  std::vector<std::string> args = argv;
  std::vector<char*> cargs;
  for (auto& a : args) cargs.push_back(a.data());
  cargs.push_back(nullptr);
  pid_t pid = -1;
  const int rc = posix_spawn(&pid, cargs[0], &fa, &attr, cargs.data(), environ);
  posix_spawn_file_actions_destroy(&fa);
  posix_spawnattr_destroy(&attr);
  ::close(log_fd);
  if (rc != 0) throw std::runtime_error("cannot start " + argv.front() + ": " + std::strerror(rc));
  pid_ = pid;
}

child_process::~child_process() { (void)stop(std::chrono::milliseconds(5000)); }

bool child_process::running() {
  if (reaped_ || pid_ < 0) return false;
  if (::waitpid(pid_, &status_, WNOHANG) == pid_) reaped_ = true;
  return !reaped_;
}

int child_process::stop(std::chrono::milliseconds grace) {
  if (pid_ < 0) return -1;
  if (running()) {
    ::kill(pid_, SIGTERM);
    const auto deadline = std::chrono::steady_clock::now() + grace;
    while (running() && std::chrono::steady_clock::now() < deadline)
      std::this_thread::sleep_for(std::chrono::milliseconds(20));
    if (running()) {
      ::kill(-pid_, SIGKILL);  // its process group: nothing it started survives
      ::waitpid(pid_, &status_, 0);
      reaped_ = true;
    }
  }
  return WIFEXITED(status_) ? WEXITSTATUS(status_) : -1;
}

proc_reading read_proc(int pid) {
  proc_reading r;
  const std::string dir = "/proc/" + std::to_string(pid);
  {
    std::ifstream in(dir + "/stat");
    std::string text((std::istreambuf_iterator<char>(in)), std::istreambuf_iterator<char>());
    // Fields after the command name (which may hold spaces): state is field 3, utime 14, stime 15.
    const auto close_paren = text.rfind(')');
    if (close_paren == std::string::npos) return r;
    std::istringstream fields(text.substr(close_paren + 2));
    std::string f;
    unsigned long long utime = 0, stime = 0;
    for (int field = 3; fields >> f; ++field) {
      if (field == 14) utime = std::strtoull(f.c_str(), nullptr, 10);
      if (field == 15) {
        stime = std::strtoull(f.c_str(), nullptr, 10);
        break;
      }
    }
    r.cpu_seconds = static_cast<double>(utime + stime) / static_cast<double>(::sysconf(_SC_CLK_TCK));
  }
  std::ifstream status(dir + "/status");
  std::string line;
  while (std::getline(status, line)) {
    if (line.rfind("VmRSS:", 0) == 0) r.rss = std::strtoull(line.c_str() + 6, nullptr, 10) * 1024;
    if (line.rfind("VmHWM:", 0) == 0) r.peak_rss = std::strtoull(line.c_str() + 6, nullptr, 10) * 1024;
  }
  r.ok = r.rss > 0;
  return r;
}

unsigned short free_port() {
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  socklen_t len = sizeof a;
  unsigned short port = 0;
  if (fd >= 0 && ::bind(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0 &&
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&a), &len) == 0)
    port = ntohs(a.sin_port);
  if (fd >= 0) ::close(fd);
  if (port == 0) throw std::runtime_error("no free TCP port on 127.0.0.1");
  return port;
}

http_reply http_get(unsigned short port, const std::string& path, std::chrono::milliseconds timeout) {
  http_reply r;
  const int fd = ::socket(AF_INET, SOCK_STREAM | SOCK_CLOEXEC, 0);
  if (fd < 0) return r;
  sockaddr_in a{};
  a.sin_family = AF_INET;
  a.sin_port = htons(port);
  a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  std::string raw;
  if (::connect(fd, reinterpret_cast<sockaddr*>(&a), sizeof a) == 0) {
    const std::string req = "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n";
    if (::send(fd, req.data(), req.size(), MSG_NOSIGNAL) == static_cast<ssize_t>(req.size())) {
      char buf[65536];
      for (;;) {
        const auto left = std::chrono::duration_cast<std::chrono::milliseconds>(deadline - std::chrono::steady_clock::now());
        if (left.count() <= 0) break;
        pollfd p{fd, POLLIN, 0};
        if (::poll(&p, 1, static_cast<int>(left.count())) <= 0) break;
        const ssize_t n = ::recv(fd, buf, sizeof buf, 0);
        if (n <= 0) break;
        raw.append(buf, static_cast<std::size_t>(n));
      }
    }
  }
  ::close(fd);
  // "HTTP/1.1 200 OK\r\n...\r\n\r\nbody" (the admin server answers with Content-Length).
  if (raw.rfind("HTTP/1.", 0) != 0 || raw.size() < 12) return r;
  r.status = std::atoi(raw.c_str() + 9);
  if (auto body = raw.find("\r\n\r\n"); body != std::string::npos) r.body = raw.substr(body + 4);
  return r;
}

std::map<std::string, double> prom_sum_by(const std::string& text, const std::string& family,
                                          const std::string& label) {
  std::map<std::string, double> out;
  std::istringstream lines(text);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind(family, 0) != 0) continue;
    const char next = line.size() > family.size() ? line[family.size()] : '\0';
    if (next != '{' && next != ' ') continue;  // another family with this prefix
    std::string key;
    if (!label.empty()) {
      const std::string needle = label + "=\"";
      if (auto at = line.find(needle); at != std::string::npos) {
        const auto start = at + needle.size();
        key = line.substr(start, line.find('"', start) - start);
      }
    }
    const auto space = line.rfind(' ');
    if (space == std::string::npos) continue;
    out[key] += std::strtod(line.c_str() + space + 1, nullptr);
  }
  return out;
}

double prom_total(const std::string& text, const std::string& family) {
  double sum = 0;
  for (const auto& [k, v] : prom_sum_by(text, family, "")) sum += v;
  return sum;
}

}  // namespace bench::converge
