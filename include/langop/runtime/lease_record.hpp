// The leader-election record of a coordination.k8s.io/v1 Lease (PURE): spec <-> JSON.
#pragma once

#include "langop/core/json.hpp"
#include "langop/core/time.hpp"

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>

namespace langop::runtime {

// LeaseSpec fields used by client-go's LeaseLock. Times are MicroTime (microseconds):
// keep them truncated to microseconds so a record survives a write/read round trip equal.
struct lease_record {
  std::string holder_identity;  // empty: nobody holds it (released)
  std::int64_t lease_duration_seconds = 0;
  std::optional<sys_time> acquire_time;
  std::optional<sys_time> renew_time;
  std::int64_t lease_transitions = 0;

  bool operator==(const lease_record&) const = default;
};

// A Lease as read from the API server: its record and the resourceVersion that an update
// must carry (optimistic concurrency: a concurrent writer turns our update into a 409).
struct lease_observation {
  lease_record record;
  std::string resource_version;
};

// Truncates to microseconds (MicroTime precision).
[[nodiscard]] sys_time to_micro_time(sys_time t) noexcept;

// `spec` of a Lease; absent fields are omitted, like Go's omitempty.
[[nodiscard]] json::object lease_spec_to_json(const lease_record& r);
// Lenient: a missing or mistyped field reads as its zero value (a foreign writer's
// garbage must not stop the election; it is simply treated as "not held").
[[nodiscard]] lease_record lease_spec_from_json(const json::object& spec);
// A whole Lease object for create/update; `resource_version` empty for create.
[[nodiscard]] json::object make_lease(std::string_view namespace_, std::string_view name, const lease_record& r,
                                      std::string_view resource_version = {});
// Reads record + metadata.resourceVersion from a Lease; nullopt when `lease` is not an object.
[[nodiscard]] std::optional<lease_observation> parse_lease(const json::value& lease);

}  // namespace langop::runtime
