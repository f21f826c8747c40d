// metadata.managedFields entries (PURE, internal): decoding (tolerant of whatever a
// client stored), encoding in kube-apiserver's order, the cap on Update entries, and the
// way conflicts name a manager.
#pragma once

#include "field_set.hpp"
#include "langop/core/time.hpp"

#include <string>
#include <vector>

namespace langop::localapi::detail {

struct managed_entry {
  std::string manager;
  std::string operation;  // "Apply" or "Update"
  std::string api_version;
  std::string time;       // RFC 3339 seconds; "" when the entry has none
  std::string subresource;
  field_set set;

  // kube's manager identifier: the time and, for appliers, the apiVersion are not part of it.
  [[nodiscard]] std::string identity() const;
  // printManager: "\"kubectl\"", "\"m\" with subresource \"status\"", "\"m\" using apps/v1".
  [[nodiscard]] std::string describe() const;
};

// Entries of a managedFields value; malformed entries are skipped, entries with the same
// identity are merged, and the untracked metadata fields are stripped from every set.
[[nodiscard]] std::vector<managed_entry> read_entries(const json::value* managed_fields);

// Drops empty entries, merges the oldest Update entries into "ancient-changes" beyond ten,
// and sorts like kube (operation, time, manager, apiVersion, subresource).
[[nodiscard]] json::array encode_entries(std::vector<managed_entry> entries);

// format_rfc3339(t) (whole seconds, as managedFields times and creationTimestamp carry
// them), remembered for the last second asked: every write formats the current time.
[[nodiscard]] std::string rfc3339_seconds(sys_time t);

// The managedFields value of `object`, or null.
[[nodiscard]] const json::value* managed_fields_of(const json::object& object);
// Removes metadata.managedFields (if any).
void erase_managed_fields(json::object& object);
// Writes `entries` to metadata.managedFields (removing the key when there are none).
void store_managed_fields(json::object& object, json::array entries);

}  // namespace langop::localapi::detail
