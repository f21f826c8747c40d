#include "langop/obs/process_metrics.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <sys/resource.h>
#include <unistd.h>

#include <charconv>
#include <cmath>
#include <cstdint>
#include <limits>
#include <optional>
#include <string>
#include <string_view>

namespace langop::obs {
namespace {

constexpr double unknown = std::numeric_limits<double>::quiet_NaN();

std::optional<std::string> read_small_file(const char* path) {
  const int fd = ::open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) return std::nullopt;
  std::string out;
  char buf[4096];
  for (;;) {
    const ssize_t n = ::read(fd, buf, sizeof buf);
    if (n <= 0) break;
    out.append(buf, static_cast<std::size_t>(n));
  }
  ::close(fd);
  return out;
}

// The `index`-th (0-based) whitespace-separated number in `text`.
std::optional<std::uint64_t> nth_number(std::string_view text, int index) {
  std::size_t pos = 0;
  for (int i = 0;; ++i) {
    pos = text.find_first_not_of(" \n", pos);
    if (pos == std::string_view::npos) return std::nullopt;
    const std::size_t end = std::min(text.find_first_of(" \n", pos), text.size());
    if (i == index) {
      std::uint64_t v = 0;
      const auto r = std::from_chars(text.data() + pos, text.data() + end, v);
      if (r.ec != std::errc{}) return std::nullopt;
      return v;
    }
    pos = end;
  }
}

double statm_bytes(int index) {
  const auto statm = read_small_file("/proc/self/statm");
  if (!statm) return unknown;
  const auto pages = nth_number(*statm, index);
  return pages ? static_cast<double>(*pages) * static_cast<double>(::sysconf(_SC_PAGESIZE)) : unknown;
}

double cpu_seconds() {
  rusage ru{};
  if (::getrusage(RUSAGE_SELF, &ru) != 0) return unknown;
  auto secs = [](const timeval& tv) { return static_cast<double>(tv.tv_sec) + static_cast<double>(tv.tv_usec) / 1e6; };
  return secs(ru.ru_utime) + secs(ru.ru_stime);
}

double open_fds() {
  DIR* dir = ::opendir("/proc/self/fd");
  if (dir == nullptr) return unknown;
  double n = 0;
  while (const dirent* e = ::readdir(dir)) {
    if (e->d_name[0] != '.') ++n;
  }
  ::closedir(dir);
  return n - 1;  // the directory stream's own descriptor is not the process's
}

double max_fds() {
  rlimit rl{};
  if (::getrlimit(RLIMIT_NOFILE, &rl) != 0 || rl.rlim_cur == RLIM_INFINITY) return unknown;
  return static_cast<double>(rl.rlim_cur);
}

// Boot time (btime in /proc/stat) plus the process start in clock ticks after boot
// (field 22 of /proc/self/stat), as procfs-based exporters compute it.
double start_time_seconds() {
  const auto stat = read_small_file("/proc/stat");
  const auto self = read_small_file("/proc/self/stat");
  if (!stat || !self) return unknown;
  const std::size_t b = stat->find("\nbtime ");
  const std::size_t paren = self->rfind(')');  // the command name may contain spaces
  if (b == std::string::npos || paren == std::string::npos) return unknown;
  const auto btime = nth_number(std::string_view(*stat).substr(b + 7), 0);
  // After ") " come fields 3.. (state first, a letter): field 22 is the 20th token,
  // and nth_number cannot parse the state, so skip it explicitly.
  std::string_view rest = std::string_view(*self).substr(paren + 1);
  const std::size_t after_state = rest.find_first_not_of(' ');
  if (after_state == std::string_view::npos) return unknown;
  rest.remove_prefix(after_state + 1);
  const auto ticks = nth_number(rest, 22 - 4);
  if (!btime || !ticks) return unknown;
  return static_cast<double>(*btime) + static_cast<double>(*ticks) / static_cast<double>(::sysconf(_SC_CLK_TCK));
}

}  // namespace

void register_process_metrics(registry& reg) {
  reg.gauge_callback("process_resident_memory_bytes", "Resident memory size in bytes.", [] { return statm_bytes(1); });
  reg.gauge_callback("process_virtual_memory_bytes", "Virtual memory size in bytes.", [] { return statm_bytes(0); });
  reg.counter_callback("process_cpu_seconds_total", "Total user and system CPU time spent in seconds.", cpu_seconds);
  reg.gauge_callback("process_open_fds", "Number of open file descriptors.", open_fds);
  reg.gauge_callback("process_max_fds", "Maximum number of open file descriptors.", max_fds);
  const double started = start_time_seconds();
  reg.gauge_callback("process_start_time_seconds", "Start time of the process since unix epoch in seconds.",
                     [started] { return started; });
}

}  // namespace langop::obs
