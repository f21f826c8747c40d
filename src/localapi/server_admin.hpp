// The admin API of langop-localapi (not part of the Kubernetes API): statistics for
// benchmarks and zero-write tests, and fault injection for reliability tests.
#pragma once

#include "langop/localapi/apiserver.hpp"
#include "langop/localapi/server.hpp"

#include <chrono>
#include <string>

namespace langop::localapi {

class admin_target {
 public:
  virtual ~admin_target() = default;
  virtual apiserver& backend() = 0;
  virtual fault_settings& fault_config() = 0;
  virtual void drop_watches() = 0;
  virtual void restart_after(std::chrono::milliseconds down) = 0;
  // Extra routes (workload simulation) may be plugged in; nullopt when not handled.
  virtual std::optional<api_response> extra_admin(const api_request& request) = 0;
};

// GET  /admin/stats                     request/response/write counters, objects, open watches
// GET  /admin/faults, PUT /admin/faults {throttleRate, retryAfterSeconds, errorRate, latencyMs, cutRate, seed}
// POST /admin/watches/drop              close every watch connection abruptly
// POST /admin/watches/close             end every watch stream normally
// POST /admin/watches/fail?count=N      answer the next N watches with 410 Expired
// POST /admin/compact                   drop all watch history (older RVs get 410)
// POST /admin/bookmarks                 send a BOOKMARK on every watch that allows them
// POST /admin/restart?downMs=N          close everything, refuse connections for N ms, serve again
[[nodiscard]] api_response handle_admin(admin_target& target, const api_request& request);

[[nodiscard]] std::string json_text(const json::object& o);

}  // namespace langop::localapi
