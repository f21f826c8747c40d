// Deterministic names and label values that always fit Kubernetes' length limits (PURE).
//
// Children are named after their owner ("<agent>-config", "<agent>-workspace"), and owner
// names may be up to 253 characters, so a child name or a label value can exceed its limit.
// Such a name is shortened deterministically: the base is cut, trailing '-'/'.' removed,
// and "-" plus the first 8 hex digits of SHA-256(base) appended before the suffix:
//   bounded_name("<60 x a>", "-config", 63) == "<47 x a>-1a2b3c4d-config"
// The same owner always yields the same child (a restart never duplicates anything) and
// two long owners that share a prefix still get distinct children (up to the 32-bit hash).
#pragma once

#include <cstddef>
#include <string>
#include <string_view>

namespace langop::resources {

// DNS-1123 subdomain: ConfigMaps, PVCs, Deployments, Secrets.
inline constexpr std::size_t max_object_name_length = 253;
// DNS-1123 label: Services, label values, container and volume names.
inline constexpr std::size_t max_label_length = 63;
// CronJob: the controller appends "-<11 digits>" to name its Jobs, whose names become the
// job-name label of their pods (63 characters), so kube-apiserver caps CronJob names at 52.
inline constexpr std::size_t max_cronjob_name_length = 52;

// `base + suffix` when it fits in `limit`, else the shortened form described above.
[[nodiscard]] std::string bounded_name(std::string_view base, std::string_view suffix, std::size_t limit);

// A label value for an object name (<= 63 characters, ends alphanumeric).
[[nodiscard]] std::string label_value(std::string_view name);

}  // namespace langop::resources
