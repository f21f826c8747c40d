#include "langop/runtime/leader_elector.hpp"

#include "langop/kube/errc.hpp"
#include "langop/runtime/lease_record.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <variant>

namespace langop::runtime {
namespace net = boost::asio;
using namespace net::experimental::awaitable_operators;

namespace {

const kube::resource k_leases{"coordination.k8s.io", "v1", "leases", "Lease", true};
constexpr auto tuple_awaitable = net::as_tuple(net::use_awaitable);

leader_clock clock_now() { return {mono_clock::now(), std::chrono::system_clock::now()}; }

error timed_out(std::string_view what) {
  return error(make_error_code(boost::system::errc::timed_out), std::string(what) + ": no answer before the deadline");
}

}  // namespace

struct leader_elector::state : std::enable_shared_from_this<state> {
  state(net::any_io_executor e, kube::client& c, leader_elector_options o, callbacks b, log::logger l)
      : ex(e), client(c), opts(std::move(o)), cb(std::move(b)), log(std::move(l)), machine(opts.config),
        sleeper(e), finished_signal(e, net::steady_timer::time_point::max()) {}

  net::any_io_executor ex;
  kube::client& client;
  leader_elector_options opts;
  callbacks cb;
  log::logger log;
  leader_machine machine;
  net::steady_timer sleeper;
  net::steady_timer finished_signal;
  bool started = false;
  bool stopping = false;
  bool finished = false;

  // One Lease request, bounded by the request timeout and by the renew deadline while
  // leading (a renew that answers after the deadline is useless).
  template <class Op>
  net::awaitable<result<json::value>> bounded(Op op, std::string_view what) {
    auto limit = mono_clock::now() + opts.request_timeout;
    if (auto rd = machine.renew_deadline_at(); rd && *rd < limit) limit = *rd;
    net::steady_timer timer(ex, limit);
    auto r = co_await (op() || timer.async_wait(net::use_awaitable));
    if (r.index() == 1) co_return timed_out(what);
    co_return std::get<0>(std::move(r));
  }

  net::awaitable<leader_input> perform(const leader_action& action) {
    const std::string& ns = opts.lease_namespace;
    const std::string& name = opts.lease_name;
    if (std::holds_alternative<get_lease>(action)) {
      auto r = co_await bounded([&] { return client.get(k_leases, ns, name); }, "get lease");
      if (r) {
        auto obs = parse_lease(*r);
        if (obs) co_return lease_read{std::move(*obs)};
        co_return lease_read_failed{error(make_error_code(kube::errc::malformed_response), "lease is not an object")};
      }
      if (kube::is(r.error(), kube::errc::not_found)) co_return lease_read{std::nullopt};
      co_return lease_read_failed{r.error()};
    }
    if (const auto* c = std::get_if<create_lease>(&action)) {
      json::value lease = make_lease(ns, name, c->record);
      auto r = co_await bounded([&] { return client.create(k_leases, ns, lease); }, "create lease");
      co_return written_or_failed(r);
    }
    if (const auto* u = std::get_if<update_lease>(&action)) {
      json::value lease = make_lease(ns, name, u->record, u->resource_version);
      auto r = co_await bounded([&] { return client.update(k_leases, lease); }, "update lease");
      co_return written_or_failed(r);
    }
    if (const auto* s = std::get_if<sleep_for>(&action)) {
      sleeper.expires_after(s->delay);
      (void)co_await sleeper.async_wait(tuple_awaitable);
      co_return retry_elapsed{};
    }
    co_return retry_elapsed{};  // carry_on never comes with one outstanding action
  }

  static leader_input written_or_failed(const result<json::value>& r) {
    if (r) return lease_written{std::string(jsonu::get_string(*r, {"metadata", "resourceVersion"}))};
    if (kube::is(r.error(), kube::errc::conflict) || kube::is(r.error(), kube::errc::already_exists))
      return lease_write_conflict{};
    return lease_write_failed{r.error()};
  }

  void announce(leadership_change change) {
    if (change == leadership_change::became_leader) {
      log.info("became leader", {{"identity", opts.config.identity}, {"lease", opts.lease_namespace + "/" + opts.lease_name}});
      if (cb.on_started_leading) cb.on_started_leading();
    } else if (change == leadership_change::lost_leadership) {
      if (stopping)
        log.info("released leadership", {{"identity", opts.config.identity}});
      else
        log.warn("lost leadership", {{"identity", opts.config.identity}, {"holder", machine.observed_holder()}});
      if (cb.on_stopped_leading) cb.on_stopped_leading();
    }
  }

  static net::awaitable<void> run(std::shared_ptr<state> self) {
    auto step = self->machine.start(clock_now());
    bool stop_fed = false;
    for (;;) {
      self->announce(step.change);
      if (std::holds_alternative<stopped>(step.action)) break;
      leader_input input = co_await self->perform(step.action);
      if (self->stopping && !stop_fed) {
        // The outcome of the request in flight is abandoned, as the machine expects.
        stop_fed = true;
        input = stop_requested{};
      }
      step = self->machine.handle(std::move(input), clock_now());
    }
    self->finished = true;
    self->finished_signal.cancel();
  }
};

leader_elector::leader_elector(net::any_io_executor ex, kube::client& client, leader_elector_options options,
                               callbacks cb, log::logger logger)
    : st_(std::make_shared<state>(ex, client, std::move(options), std::move(cb), std::move(logger))) {}

leader_elector::~leader_elector() {
  st_->stopping = true;
  st_->sleeper.cancel();
}

void leader_elector::start() {
  if (st_->started) return;
  st_->started = true;
  net::co_spawn(st_->ex, state::run(st_), [log = st_->log](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      log.error("leader election stopped by an exception", {{"error", ex.what()}});
    }
  });
}

net::awaitable<void> leader_elector::stop(std::chrono::milliseconds grace) {
  auto self = st_;
  self->stopping = true;
  self->sleeper.cancel();
  if (!self->started || self->finished) co_return;
  net::steady_timer limit(self->ex, grace);
  (void)co_await (self->finished_signal.async_wait(tuple_awaitable) || limit.async_wait(tuple_awaitable));
  if (!self->finished) self->log.warn("leader election did not finish releasing the lease in time");
}

bool leader_elector::is_leader() const noexcept { return st_->machine.is_leader(); }
const std::string& leader_elector::identity() const noexcept { return st_->opts.config.identity; }
std::string leader_elector::holder() const { return st_->machine.observed_holder(); }

}  // namespace langop::runtime
