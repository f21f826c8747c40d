// Leader election on a coordination.k8s.io/v1 Lease as a sans-I/O state machine (PURE),
// with client-go's leaderelection semantics; the driver does the GET/POST/PUT and timers.
//
// Candidate: GET the Lease every retry_period (jittered by jitter_factor, as client-go's
// JitterUntil); 404 → create it; held by another identity whose lease has not expired →
// wait; otherwise (expired, released, or ours) → update it with our identity, carrying the
// observed resourceVersion so a concurrent writer gets a 409 instead of a silent overwrite.
// Leader: renew every retry_period with an optimistic update from the last written
// resourceVersion (client-go's fast path), falling back to GET+update on conflict/error.
// Leadership is lost when renew_deadline passes without a successful renew (measured from
// the last success — stricter than client-go, which starts counting one retry_period
// later), or at once when a read shows another holder with a valid lease.
//
// Clock skew: expiry of someone else's lease is judged from the *local* monotonic time at
// which we last saw the record change (client-go's observedTime) plus the record's
// leaseDurationSeconds — never from its acquireTime/renewTime, which were written with
// the holder's wall clock. A holder that keeps renewing keeps changing renewTime, so we
// keep re-observing; once it stops, we take over lease_duration after the last change we
// saw, whatever the clocks say. renew_deadline < lease_duration leaves the old leader
// time to stop before anyone can take over.
//
// Shutdown (client-go ReleaseOnCancel): on stop_requested a leader writes the record with
// an empty holderIdentity and leaseDurationSeconds 1 so a standby takes over at once; the
// caller stops its controllers *before* requesting the stop.
//
// Driver contract: one outstanding action at a time; feed the outcome of exactly that
// action (or stop_requested at any time, after abandoning the in-flight request, whose
// outcome is then never fed). Inputs out of place are ignored with `carry_on`.
#pragma once

#include "langop/core/error.hpp"
#include "langop/core/time.hpp"
#include "langop/queue/backoff.hpp"
#include "langop/runtime/lease_record.hpp"

#include <chrono>
#include <cstdint>
#include <optional>
#include <string>
#include <variant>

namespace langop::runtime {

using mono_clock = std::chrono::steady_clock;
using mono_time = mono_clock::time_point;
using duration = mono_clock::duration;

// Both clocks at one instant: decisions use `mono`; `wall` only fills the record's
// acquireTime/renewTime for humans and other clients.
struct leader_clock {
  mono_time mono;
  sys_time wall;
};

struct leader_config {
  std::string identity;  // unique per process (pod name + random suffix)
  std::chrono::seconds lease_duration{15};
  std::chrono::seconds renew_deadline{10};
  std::chrono::seconds retry_period{2};
  double jitter_factor = 1.2;  // candidate waits retry_period * [1, 1 + jitter_factor)
  std::uint64_t seed = 0x6c65616465ULL;
};

// nullopt when usable; otherwise why not (client-go's checks).
[[nodiscard]] std::optional<std::string> validate(const leader_config& c);

// ---- inputs -------------------------------------------------------------------------
struct lease_read {
  std::optional<lease_observation> lease;  // nullopt: 404 Not Found
};
struct lease_read_failed {
  error err;
};
struct lease_written {
  std::string resource_version;  // of the Lease after our create/update
};
struct lease_write_conflict {};  // 409: update with a stale rv, or create of an existing Lease
struct lease_write_failed {
  error err;
};
struct retry_elapsed {};   // the sleep_for ended
struct stop_requested {};  // shutdown: release if leading

using leader_input = std::variant<lease_read, lease_read_failed, lease_written, lease_write_conflict,
                                  lease_write_failed, retry_elapsed, stop_requested>;

// ---- outputs ------------------------------------------------------------------------
struct carry_on {};
struct get_lease {};
struct create_lease {
  lease_record record;
};
struct update_lease {
  lease_record record;
  std::string resource_version;
};
struct sleep_for {
  duration delay;  // then feed retry_elapsed
};
struct stopped {};  // nothing more to do; the machine ignores further inputs
using leader_action = std::variant<carry_on, get_lease, create_lease, update_lease, sleep_for, stopped>;

enum class leadership_change : std::uint8_t { none, became_leader, lost_leadership };

struct leader_step {
  leadership_change change = leadership_change::none;
  leader_action action;
};

enum class leader_phase : std::uint8_t { idle, reading, creating, updating, renewing, waiting, releasing, stopped };

struct leader_stats {
  std::uint64_t acquisitions = 0;
  std::uint64_t losses = 0;
  std::uint64_t renewals = 0;  // successful writes while leading
  std::uint64_t ignored = 0;
};

class leader_machine final {
 public:
  // Throws std::invalid_argument when validate(config) fails (start-up configuration).
  explicit leader_machine(leader_config config);

  [[nodiscard]] leader_step start(const leader_clock& now);
  [[nodiscard]] leader_step handle(leader_input input, const leader_clock& now);

  [[nodiscard]] bool is_leader() const noexcept { return leader_; }
  [[nodiscard]] leader_phase phase() const noexcept { return phase_; }
  // Who holds the lease as far as we know (empty: nobody / unknown), for logs/metrics.
  [[nodiscard]] const std::string& observed_holder() const noexcept { return observed_.holder_identity; }
  [[nodiscard]] const lease_record& observed_record() const noexcept { return observed_; }
  // While leading: the instant leadership is lost without a renew; the driver bounds its
  // Lease requests by it.
  [[nodiscard]] std::optional<mono_time> renew_deadline_at() const noexcept;
  [[nodiscard]] const leader_stats& stats() const noexcept { return stats_; }
  [[nodiscard]] const leader_config& config() const noexcept { return config_; }

 private:
  leader_step on(lease_read&& in, const leader_clock& now);
  leader_step on(lease_read_failed&& in, const leader_clock& now);
  leader_step on(lease_written&& in, const leader_clock& now);
  leader_step on(lease_write_conflict&& in, const leader_clock& now);
  leader_step on(lease_write_failed&& in, const leader_clock& now);
  leader_step on(retry_elapsed&& in, const leader_clock& now);
  leader_step on(stop_requested&& in, const leader_clock& now);

  void observe(const lease_record& r, mono_time now);
  [[nodiscard]] bool observed_valid(mono_time now) const;
  [[nodiscard]] lease_record claim(sys_time wall) const;  // take over or renew
  leader_step write_failed(const leader_clock& now);
  leader_step sleep(const leader_clock& now, leadership_change change = leadership_change::none);
  leader_step lose(const leader_clock& now);
  leader_step ignored();

  leader_config config_;
  queue::random_source rng_;
  leader_phase phase_ = leader_phase::idle;
  bool leader_ = false;
  lease_record observed_;        // last record read or written
  mono_time observed_time_{};    // local time observed_ last changed
  std::string rv_;               // resourceVersion of observed_
  lease_record pending_;         // the record of the write in flight
  mono_time last_renew_{};       // local time of our last successful write
  leader_stats stats_;
};

}  // namespace langop::runtime
