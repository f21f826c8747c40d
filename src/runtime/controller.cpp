#include "langop/runtime/controller.hpp"

#include "langop/informer/informer.hpp"
#include "langop/obs/registry.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <optional>

namespace langop::runtime {
namespace net = boost::asio;
using namespace net::experimental::awaitable_operators;

namespace {

constexpr auto tuple_awaitable = net::as_tuple(net::use_awaitable);

class runtime_category final : public boost::system::error_category {
 public:
  const char* name() const noexcept override { return "runtime"; }
  std::string message(int ev) const override { return ev == 1 ? "terminal reconcile error" : "reconcile exception"; }
};

const runtime_category& category() {
  static const runtime_category c;
  return c;
}

std::string owner_key(std::string_view ns, std::string_view name) {
  return ns.empty() ? std::string(name) : std::string(ns) + "/" + std::string(name);
}

}  // namespace

error terminal_error(std::string message) {
  return error(boost::system::error_code(1, category()), std::move(message));
}

bool is_terminal(const error& e) noexcept { return e.code == boost::system::error_code(1, category()); }

struct controller::state : std::enable_shared_from_this<state> {
  state(net::any_io_executor e, controller_options o, reconcile_fn r, log::logger l, obs::registry* m)
      : ex(e), opts(std::move(o)), reconcile(std::move(r)), log(l.with({{"controller", opts.name}})),
        queue(e, opts.queue), stop_signal(e, net::steady_timer::time_point::max()),
        workers_done(e, net::steady_timer::time_point::max()) {
    if (!m) return;
    const std::string& n = opts.name;
    auto& total = m->counter("langop_reconcile_total", "Reconciles by controller and result", {"controller", "result"});
    ok_total = total.with({{"controller", n}, {"result", "success"}});
    requeue_total = total.with({{"controller", n}, {"result", "requeue_after"}});
    error_total = total.with({{"controller", n}, {"result", "error"}});
    errors = m->counter("langop_reconcile_errors_total", "Failed reconciles", {"controller"}).with({{"controller", n}});
    duration = m->histogram("langop_reconcile_duration_seconds", "Time spent in one reconcile", {"controller"},
                            obs::exponential_buckets(0.0001, 2, 18))
                   .with({{"controller", n}});
    in_flight_gauge = m->gauge("langop_reconcile_in_flight", "Reconciles running now", {"controller"})
                          .with({{"controller", n}});
    depth = m->gauge("langop_workqueue_depth", "Keys ready to be reconciled", {"name"}).with({{"name", n}});
    adds = m->counter("langop_workqueue_adds_total", "Keys added to the work queue", {"name"}).with({{"name", n}});
    retries = m->counter("langop_workqueue_retries_total", "Rate-limited re-adds after failures", {"name"})
                  .with({{"name", n}});
    auto latency = m->histogram("langop_workqueue_queue_duration_seconds", "Time a key waits before it is handed out",
                                {"name"}, obs::exponential_buckets(0.0001, 2, 18))
                       .with({{"name", n}});
    auto work = m->histogram("langop_workqueue_work_duration_seconds", "Time from hand-out to done", {"name"},
                             obs::exponential_buckets(0.0001, 2, 18))
                    .with({{"name", n}});
    queue.set_hooks({[latency](queue::duration d) mutable { latency.observe(d); },
                     [work](queue::duration d) mutable { work.observe(d); }});
  }

  net::any_io_executor ex;
  controller_options opts;
  reconcile_fn reconcile;
  log::logger log;
  queue::async_work_queue queue;
  net::steady_timer stop_signal;   // cancelled to make idle workers leave
  net::steady_timer workers_done;  // cancelled when the last worker left
  bool running = false;
  std::size_t workers = 0;
  std::size_t in_flight = 0;
  std::uint64_t reconcile_ids = 0;
  std::optional<obs::counter> ok_total, requeue_total, error_total, errors, adds, retries;
  std::optional<obs::histogram> duration;
  std::optional<obs::gauge> in_flight_gauge, depth;

  void sample_depth() {
    if (depth) depth->set(static_cast<double>(queue.core().depth()));
  }

  void add(std::string_view key, queue::priority p) {
    queue.add(key, p);
    if (adds) adds->inc();
    sample_depth();
  }

  net::awaitable<void> process(std::string key) {
    const std::uint64_t id = ++reconcile_ids;
    ++in_flight;
    if (in_flight_gauge) in_flight_gauge->set(static_cast<double>(in_flight));
    const auto start = std::chrono::steady_clock::now();
    result<action> r = error();
    try {
      r = co_await reconcile(key);
    } catch (const std::exception& ex) {
      // A bug in one reconciler must not take the loop down: back off this key only.
      r = error(boost::system::error_code(2, category()), std::string("reconcile threw: ") + ex.what());
    }
    const auto took = std::chrono::steady_clock::now() - start;
    --in_flight;
    if (in_flight_gauge) in_flight_gauge->set(static_cast<double>(in_flight));
    if (duration) duration->observe(took);
    const auto ms = std::chrono::duration_cast<std::chrono::microseconds>(took).count() / 1000.0;
    if (r) {
      queue.forget(key);
      if (r->requeue()) {
        queue.add_after(key, std::chrono::duration_cast<queue::duration>(r->delay()));
        if (requeue_total) requeue_total->inc();
      } else if (ok_total) {
        ok_total->inc();
      }
      if (log.enabled(log::level::debug))
        log.debug("reconciled", {{"key", key}, {"reconcileID", id}, {"ms", ms},
                                 {"requeueAfterMs", std::chrono::duration_cast<std::chrono::milliseconds>(r->delay()).count()}});
    } else {
      if (error_total) error_total->inc();
      if (errors) errors->inc();
      if (is_terminal(r.error())) {
        queue.forget(key);
        log.error("reconcile failed; not retried until the object changes",
                  {{"key", key}, {"reconcileID", id}, {"error", r.error().message}});
      } else {
        auto delay = queue.add_rate_limited(key);
        if (retries) retries->inc();
        log.warn("reconcile failed; retrying",
                 {{"key", key}, {"reconcileID", id}, {"error", r.error().describe()},
                  {"retryInMs", std::chrono::duration_cast<std::chrono::milliseconds>(delay).count()}});
      }
    }
    queue.done(key);
    sample_depth();
  }

  static net::awaitable<void> worker(std::shared_ptr<state> self) {
    while (self->running) {
      auto next = co_await (self->queue.get() || self->stop_signal.async_wait(tuple_awaitable));
      if (next.index() == 1) break;  // stop(): leave; the queue keeps its keys
      auto key = std::get<0>(std::move(next));
      if (!key) break;  // the queue shut down
      co_await self->process(std::move(*key));
    }
    if (--self->workers == 0) self->workers_done.cancel();
  }
};

controller::controller(net::any_io_executor ex, controller_options options, reconcile_fn reconcile,
                       log::logger logger, obs::registry* metrics)
    : st_(std::make_shared<state>(ex, std::move(options), std::move(reconcile), std::move(logger), metrics)) {}

controller::~controller() {
  st_->running = false;
  st_->stop_signal.cancel();
  st_->queue.shutdown();
}

void controller::enqueue(std::string_view key, queue::priority p) { st_->add(key, p); }

void controller::enqueue_after(std::string_view key, std::chrono::nanoseconds delay) {
  st_->queue.add_after(key, std::chrono::duration_cast<queue::duration>(delay));
}

void controller::watch_primary(informer::informer& inf) {
  inf.add_handler([st = st_, &inf](const informer::change& c) {
    const auto& obj = c.current ? c.current : c.previous;
    if (!obj) return;
    st->add(obj->key(), inf.synced() ? queue::priority::normal : queue::priority::low);
  });
}

void controller::watch(informer::informer& inf, mapper map) {
  inf.add_handler([st = st_, &inf, map = std::move(map)](const informer::change& c) {
    const auto p = inf.synced() ? queue::priority::normal : queue::priority::low;
    map(c, [&](std::string key) { st->add(key, p); });
  });
}

void controller::watch_owned(informer::informer& inf, std::string owner_kind) {
  watch(inf, [owner_kind = std::move(owner_kind)](const informer::change& c, const auto& emit) {
    // Both the old and the new owner (an ownerReference may change).
    for (const auto* obj : {c.previous.get(), c.current.get()}) {
      if (!obj) continue;
      for (auto ref : obj->owner_references().elements()) {
        if (ref.find("kind").as_string() != owner_kind || !ref.find("controller").as_bool()) continue;
        emit(owner_key(obj->ns(), ref.find("name").as_string()));
      }
    }
  });
}

void controller::start() {
  if (st_->running) return;
  st_->running = true;
  st_->stop_signal.expires_at(net::steady_timer::time_point::max());
  st_->workers_done.expires_at(net::steady_timer::time_point::max());
  for (std::size_t i = 0; i < std::max<std::size_t>(1, st_->opts.concurrency); ++i) {
    ++st_->workers;
    net::co_spawn(st_->ex, state::worker(st_), [st = st_](std::exception_ptr e) {
      if (!e) return;
      try {
        std::rethrow_exception(e);
      } catch (const std::exception& ex) {
        st->log.error("controller worker stopped by an exception", {{"error", ex.what()}});
      }
    });
  }
  st_->log.info("controller started", {{"workers", st_->opts.concurrency}});
}

net::awaitable<void> controller::stop(std::chrono::milliseconds grace) {
  auto st = st_;
  if (!st->running) co_return;
  st->running = false;
  st->stop_signal.cancel();
  if (st->workers > 0) {
    net::steady_timer limit(st->ex, grace);
    (void)co_await (st->workers_done.async_wait(tuple_awaitable) || limit.async_wait(tuple_awaitable));
  }
  if (st->in_flight > 0)
    st->log.warn("controller stopped with reconciles still running", {{"inFlight", st->in_flight}});
  else
    st->log.info("controller stopped");
}

bool controller::running() const noexcept { return st_->running; }
std::size_t controller::in_flight() const noexcept { return st_->in_flight; }
const queue::async_work_queue& controller::work_queue() const noexcept { return st_->queue; }
const std::string& controller::name() const noexcept { return st_->opts.name; }

}  // namespace langop::runtime
