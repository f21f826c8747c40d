#include "langop/runtime/lease_record.hpp"

namespace langop::runtime {

sys_time to_micro_time(sys_time t) noexcept {
  return std::chrono::time_point_cast<std::chrono::microseconds>(t);
}

json::object lease_spec_to_json(const lease_record& r) {
  json::object spec;
  if (!r.holder_identity.empty()) spec["holderIdentity"] = r.holder_identity;
  if (r.lease_duration_seconds != 0) spec["leaseDurationSeconds"] = r.lease_duration_seconds;
  if (r.acquire_time) spec["acquireTime"] = format_rfc3339_micro(*r.acquire_time);
  if (r.renew_time) spec["renewTime"] = format_rfc3339_micro(*r.renew_time);
  if (r.lease_transitions != 0) spec["leaseTransitions"] = r.lease_transitions;
  return spec;
}

lease_record lease_spec_from_json(const json::object& spec) {
  lease_record r;
  r.holder_identity = std::string(jsonu::get_string(spec, "holderIdentity"));
  auto int_field = [&](std::string_view key) -> std::int64_t {
    const json::value* v = spec.if_contains(key);
    if (v == nullptr) return 0;
    if (v->is_int64()) return v->get_int64();
    if (v->is_uint64() && v->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX)) {
      return static_cast<std::int64_t>(v->get_uint64());
    }
    return 0;
  };
  auto time_field = [&](std::string_view key) -> std::optional<sys_time> {
    auto text = jsonu::get_string(spec, key);
    if (text.empty()) return std::nullopt;
    auto t = parse_rfc3339(text);
    if (!t) return std::nullopt;
    return to_micro_time(*t);
  };
  r.lease_duration_seconds = int_field("leaseDurationSeconds");
  r.acquire_time = time_field("acquireTime");
  r.renew_time = time_field("renewTime");
  r.lease_transitions = int_field("leaseTransitions");
  return r;
}

json::object make_lease(std::string_view namespace_, std::string_view name, const lease_record& r,
                        std::string_view resource_version) {
  json::object lease;
  lease["apiVersion"] = "coordination.k8s.io/v1";
  lease["kind"] = "Lease";
  json::object& md = lease["metadata"].emplace_object();
  md["name"] = name;
  md["namespace"] = namespace_;
  if (!resource_version.empty()) md["resourceVersion"] = resource_version;
  lease["spec"] = lease_spec_to_json(r);
  return lease;
}

std::optional<lease_observation> parse_lease(const json::value& lease) {
  if (!lease.is_object()) return std::nullopt;
  lease_observation out;
  if (const json::value* spec = lease.as_object().if_contains("spec"); spec != nullptr && spec->is_object()) {
    out.record = lease_spec_from_json(spec->as_object());
  }
  out.resource_version = std::string(jsonu::get_string(lease, {"metadata", "resourceVersion"}));
  return out;
}

}  // namespace langop::runtime
