// The standard process_* metrics (as client_golang exports them) on a registry.
#pragma once

#include "langop/obs/registry.hpp"

namespace langop::obs {

// Registers process_resident_memory_bytes, process_virtual_memory_bytes (/proc/self/statm),
// process_cpu_seconds_total (getrusage), process_open_fds (entries of /proc/self/fd),
// process_max_fds (RLIMIT_NOFILE) and process_start_time_seconds (computed once, here).
// Values are read on each scrape: a few short /proc reads on the loop thread, which
// procfs serves from memory without blocking on a device. Unreadable values render NaN.
void register_process_metrics(registry& reg);

}  // namespace langop::obs
