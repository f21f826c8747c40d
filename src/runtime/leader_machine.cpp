#include "langop/runtime/leader_machine.hpp"

#include <algorithm>
#include <stdexcept>
#include <utility>

namespace langop::runtime {

std::optional<std::string> validate(const leader_config& c) {
  if (c.identity.empty()) return "leader election identity must not be empty";
  if (c.lease_duration.count() <= 0 || c.renew_deadline.count() <= 0 || c.retry_period.count() <= 0) {
    return "leader election durations must be positive";
  }
  if (c.jitter_factor < 0) return "leader election jitter factor must not be negative";
  // The old leader must give up before anyone may take over...
  if (c.lease_duration <= c.renew_deadline) return "lease duration must be greater than renew deadline";
  // ...and must get more than one (jittered) attempt to renew before giving up.
  if (static_cast<double>(c.renew_deadline.count()) <= c.jitter_factor * static_cast<double>(c.retry_period.count())) {
    return "renew deadline must be greater than retry period * jitter factor";
  }
  return std::nullopt;
}

leader_machine::leader_machine(leader_config config) : config_(std::move(config)), rng_(config_.seed) {
  if (auto why = validate(config_)) throw std::invalid_argument(*why);
}

std::optional<mono_time> leader_machine::renew_deadline_at() const noexcept {
  if (!leader_) return std::nullopt;
  return last_renew_ + config_.renew_deadline;
}

leader_step leader_machine::start(const leader_clock&) {
  if (phase_ != leader_phase::idle) return ignored();
  phase_ = leader_phase::reading;
  return {leadership_change::none, get_lease{}};
}

leader_step leader_machine::handle(leader_input input, const leader_clock& now) {
  if (phase_ == leader_phase::stopped) return {leadership_change::none, stopped{}};
  if (phase_ == leader_phase::releasing) {
    // Whatever became of the release, we are done: at worst the lease simply expires.
    if (std::holds_alternative<lease_written>(input) || std::holds_alternative<lease_write_conflict>(input) ||
        std::holds_alternative<lease_write_failed>(input)) {
      phase_ = leader_phase::stopped;
      return {leadership_change::none, stopped{}};
    }
    return ignored();
  }
  if (leader_ && now.mono >= last_renew_ + config_.renew_deadline) {
    // Checked before the input's meaning: a renew that succeeds after the deadline is too
    // late, the controllers must already have been told to stop.
    if (std::holds_alternative<stop_requested>(input)) {
      leader_ = false;
      ++stats_.losses;
      phase_ = leader_phase::stopped;
      return {leadership_change::lost_leadership, stopped{}};
    }
    return lose(now);
  }
  return std::visit([&](auto&& in) { return on(std::move(in), now); }, std::move(input));
}

// ---- transitions --------------------------------------------------------------------

leader_step leader_machine::on(lease_read&& in, const leader_clock& now) {
  if (phase_ != leader_phase::reading) return ignored();
  if (!in.lease) {
    phase_ = leader_phase::creating;
    const sys_time t = to_micro_time(now.wall);
    pending_ = lease_record{config_.identity, config_.lease_duration.count(), t, t, 0};
    return {leadership_change::none, create_lease{pending_}};
  }
  observe(in.lease->record, now.mono);
  rv_ = std::move(in.lease->resource_version);
  const std::string& holder = observed_.holder_identity;
  if (!holder.empty() && holder != config_.identity && observed_valid(now.mono)) {
    if (leader_) return lose(now);  // someone else holds a valid lease: we are not leading
    return sleep(now);
  }
  phase_ = leader_phase::updating;
  pending_ = claim(now.wall);
  return {leadership_change::none, update_lease{pending_, rv_}};
}

leader_step leader_machine::on(lease_read_failed&&, const leader_clock& now) {
  if (phase_ != leader_phase::reading) return ignored();
  return sleep(now);
}

leader_step leader_machine::on(lease_written&& in, const leader_clock& now) {
  if (phase_ != leader_phase::creating && phase_ != leader_phase::updating && phase_ != leader_phase::renewing) {
    return ignored();
  }
  observed_ = pending_;
  observed_time_ = now.mono;
  rv_ = std::move(in.resource_version);
  last_renew_ = now.mono;
  auto change = leadership_change::none;
  if (!leader_) {
    leader_ = true;
    ++stats_.acquisitions;
    change = leadership_change::became_leader;
  } else {
    ++stats_.renewals;
  }
  return sleep(now, change);
}

leader_step leader_machine::on(lease_write_conflict&&, const leader_clock& now) { return write_failed(now); }

leader_step leader_machine::on(lease_write_failed&&, const leader_clock& now) { return write_failed(now); }

leader_step leader_machine::write_failed(const leader_clock& now) {
  if (phase_ == leader_phase::renewing) {
    // The optimistic renew missed (stale rv or a transient error): read and decide now,
    // without waiting, as client-go's slow path does.
    phase_ = leader_phase::reading;
    return {leadership_change::none, get_lease{}};
  }
  if (phase_ != leader_phase::creating && phase_ != leader_phase::updating) return ignored();
  return sleep(now);
}

leader_step leader_machine::on(retry_elapsed&&, const leader_clock& now) {
  if (phase_ != leader_phase::waiting) return ignored();
  if (leader_) {
    phase_ = leader_phase::renewing;
    pending_ = claim(now.wall);
    return {leadership_change::none, update_lease{pending_, rv_}};
  }
  phase_ = leader_phase::reading;
  return {leadership_change::none, get_lease{}};
}

leader_step leader_machine::on(stop_requested&&, const leader_clock& now) {
  if (!leader_) {
    phase_ = leader_phase::stopped;
    return {leadership_change::none, stopped{}};
  }
  leader_ = false;
  phase_ = leader_phase::releasing;
  const sys_time t = to_micro_time(now.wall);
  // client-go's release(): nobody holds it, and it expires in one second for anyone who
  // still reads the holder field.
  pending_ = lease_record{"", 1, t, t, observed_.lease_transitions};
  return {leadership_change::lost_leadership, update_lease{pending_, rv_}};
}

// ---- helpers ------------------------------------------------------------------------

void leader_machine::observe(const lease_record& r, mono_time now) {
  if (r != observed_) {
    observed_ = r;
    observed_time_ = now;
  }
}

bool leader_machine::observed_valid(mono_time now) const {
  const std::chrono::seconds d{observed_.lease_duration_seconds > 0 ? observed_.lease_duration_seconds
                                                                     : config_.lease_duration.count()};
  return observed_time_ + d > now;
}

lease_record leader_machine::claim(sys_time wall) const {
  lease_record r;
  r.holder_identity = config_.identity;
  r.lease_duration_seconds = config_.lease_duration.count();
  r.renew_time = to_micro_time(wall);
  if (observed_.holder_identity == config_.identity) {
    r.acquire_time = observed_.acquire_time ? observed_.acquire_time : r.renew_time;
    r.lease_transitions = observed_.lease_transitions;
  } else {
    // Taking over from someone else (or from a released lease): a new term.
    r.acquire_time = r.renew_time;
    r.lease_transitions = observed_.lease_transitions + 1;
  }
  return r;
}

leader_step leader_machine::sleep(const leader_clock& now, leadership_change change) {
  phase_ = leader_phase::waiting;
  duration d;
  if (leader_) {
    // Never sleep past the renew deadline: wake up in time to notice the loss.
    d = std::min<duration>(config_.retry_period, last_renew_ + config_.renew_deadline - now.mono);
  } else {
    const auto base = std::chrono::duration_cast<duration>(config_.retry_period);
    d = base + std::chrono::duration_cast<duration>(base * (rng_.unit() * config_.jitter_factor));
  }
  return {change, sleep_for{d}};
}

leader_step leader_machine::lose(const leader_clock& now) {
  leader_ = false;
  ++stats_.losses;
  return sleep(now, leadership_change::lost_leadership);
}

leader_step leader_machine::ignored() {
  ++stats_.ignored;
  return {leadership_change::none, carry_on{}};
}

}  // namespace langop::runtime
