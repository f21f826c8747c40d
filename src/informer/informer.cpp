#include "langop/informer/informer.hpp"

#include "langop/cjson/kube_envelope.hpp"
#include "langop/http/errc.hpp"
#include "langop/kube/client.hpp"
#include "langop/kube/errc.hpp"
#include "langop/obs/registry.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <algorithm>
#include <optional>

namespace langop::informer {
namespace net = boost::asio;

namespace {

constexpr auto tuple_awaitable = net::as_tuple(net::use_awaitable);

cjson::encode_options ingest_options() {
  cjson::encode_options o;
  o.strip_kube_bookkeeping = true;
  return o;
}

error decode_error(std::string what, const error& e) {
  return error(make_error_code(kube::errc::malformed_response), std::move(what) + ": " + e.message);
}

}  // namespace

struct informer::state : std::enable_shared_from_this<state> {
  state(net::any_io_executor e, kube::client& c, kube::resource r, std::string n, std::shared_ptr<cjson::key_table> k,
        informer_options o, log::logger l, obs::registry* m)
      : ex(e), client(c), resource(std::move(r)), ns(std::move(n)), keys(std::move(k)), opts(std::move(o)),
        log(std::move(l)), machine(opts.watcher), backoff_timer(e) {
    if (m) {
      const std::string kind = resource.kind;
      events_added = m->counter("langop_informer_events_total", "Watch events applied to an informer cache",
                                {"kind", "type"}).with({{"kind", kind}, {"type", "added"}});
      events_modified = m->counter("langop_informer_events_total", "", {"kind", "type"})
                            .with({{"kind", kind}, {"type", "modified"}});
      events_deleted = m->counter("langop_informer_events_total", "", {"kind", "type"})
                           .with({{"kind", kind}, {"type", "deleted"}});
      watch_restarts = m->counter("langop_watch_restarts_total",
                                  "Watches reopened (normal ends, failures and relists)", {"kind"})
                           .with({{"kind", kind}});
      relists = m->counter("langop_watch_relists_total", "Full relists after 410 Gone", {"kind"}).with({{"kind", kind}});
      objects = m->gauge("langop_informer_objects", "Objects in an informer cache", {"kind"}).with({{"kind", kind}});
      cache_bytes = m->gauge("langop_informer_cache_bytes", "Heap bytes held by an informer cache", {"kind"})
                        .with({{"kind", kind}});
      raw_bytes = m->gauge("langop_informer_raw_bytes", "JSON bytes the cached objects arrived as", {"kind"})
                      .with({{"kind", kind}});
    }
  }

  net::any_io_executor ex;
  kube::client& client;
  kube::resource resource;
  std::string ns;
  std::shared_ptr<cjson::key_table> keys;
  informer_options opts;
  log::logger log;
  watcher_machine machine;
  cache_store store;
  std::vector<change_handler> handlers;
  std::vector<std::function<void()>> synced_callbacks;
  std::optional<kube::watch_stream> stream;
  net::steady_timer backoff_timer;
  bool started = false;
  bool stopping = false;
  std::optional<obs::counter> events_added, events_modified, events_deleted, watch_restarts, relists;
  std::optional<obs::gauge> objects, cache_bytes, raw_bytes;

  void notify(const change& c) {
    if (c.type == change_type::unchanged) return;
    if (c.type == change_type::added && events_added) events_added->inc();
    if (c.type == change_type::modified && events_modified) events_modified->inc();
    if (c.type == change_type::deleted && events_deleted) events_deleted->inc();
    for (auto& h : handlers) h(c);
  }

  // The table part of the cache size is a walk over every index bucket: redone after a relist
  // and then once per size/8 changes (amortized O(1) per event, where a walk per event made
  // a cold start quadratic); the object part is exact on every change.
  void update_gauges(bool relisted = false) {
    if (objects) objects->set(static_cast<double>(store.size()));
    if (raw_bytes) raw_bytes->set(static_cast<double>(store.raw_bytes()));
    if (!cache_bytes) return;
    if (relisted || ++changes_since_table_walk >= std::max<std::size_t>(64, store.size() / 8)) {
      changes_since_table_walk = 0;
      table_bytes = store.table_bytes();
    }
    cache_bytes->set(static_cast<double>(store.object_bytes() + table_bytes));
  }
  std::size_t changes_since_table_walk = 0;
  std::size_t table_bytes = 0;

  void apply_effect(store_effect& effect) {
    if (auto* r = std::get_if<restarted>(&effect)) {
      const bool first = !was_synced;
      for (const auto& c : store.replace(std::move(r->objects))) notify(c);
      update_gauges(true);
      if (first) {
        was_synced = true;
        log.debug("informer synced", {{"kind", resource.kind}, {"objects", store.size()}});
        auto callbacks = std::move(synced_callbacks);
        synced_callbacks.clear();
        for (auto& cb : callbacks) cb();
      }
    } else if (auto* a = std::get_if<applied>(&effect)) {
      notify(store.apply(std::move(a->object)));
      update_gauges();
    } else if (auto* d = std::get_if<deleted>(&effect)) {
      if (auto previous = store.remove(d->object->ns(), d->object->name())) {
        // The event carries the final state (with the deletion's resourceVersion).
        notify(change{change_type::deleted, d->object, nullptr});
      }
      update_gauges();
    }
  }
  bool was_synced = false;

  result<object_ptr> ingest(cjson::document doc, std::size_t raw_size) {
    if (opts.transform) {
      auto t = opts.transform(std::move(doc), *keys);
      if (!t) return t.error();
      doc = std::move(*t);
    }
    return cached_object::from_document(std::move(doc), raw_size);
  }

  net::awaitable<watcher_input> list(const start_list& l) {
    kube::list_options o;
    o.limit = l.limit;
    o.continue_token = l.continue_token;
    o.label_selector = opts.label_selector;
    o.field_selector = opts.field_selector;
    auto call = kube::list_call(resource, ns, o);
    auto body = co_await client.send_raw(call);
    if (!body) co_return list_failed{body.error()};
    auto page = cjson::parse_list(*body, *keys, ingest_options());
    if (!page) co_return list_failed{decode_error(call.describe, page.error())};
    list_page out;
    out.resource_version = std::move(page->resource_version);
    out.continue_token = std::move(page->continue_token);
    out.items.reserve(page->items.size());
    // Item boundaries are not kept by the one-pass decoder: attribute the page's bytes evenly.
    const std::size_t share = page->items.empty() ? 0 : body->size() / page->items.size();
    for (auto& doc : page->items) {
      auto obj = ingest(std::move(doc), share);
      if (obj) out.items.push_back(std::move(*obj));
      else log.warn("list item dropped", {{"kind", resource.kind}, {"error", obj.error().message}});
    }
    co_return out;
  }

  net::awaitable<watcher_input> open_watch(const start_watch& w) {
    if (watch_restarts && machine.stats().watch_starts > 1) watch_restarts->inc();
    kube::watch_options o;
    o.resource_version = w.resource_version;
    o.allow_bookmarks = w.allow_bookmarks;
    o.timeout_seconds = w.timeout_seconds;
    o.label_selector = opts.label_selector;
    o.field_selector = opts.field_selector;
    auto s = co_await client.watch(resource, ns, o);
    if (!s) co_return watch_failed{s.error()};
    stream.emplace(std::move(*s));
    co_return watch_opened{};
  }

  net::awaitable<watcher_input> read_event() {
    if (!stream) co_return watch_failed{error(make_error_code(http::errc::connection_closed), "no open watch")};
    auto line = co_await stream->next_line(http::after(opts.idle_timeout));
    if (!line) {
      stream.reset();
      if (line.error().code == http::make_error_code(http::errc::end_of_stream)) co_return watch_closed{};
      co_return watch_failed{line.error()};
    }
    if (line->empty()) co_return co_await read_event();  // keep-alive blank line
    auto ev = cjson::parse_watch_event(*line, *keys, ingest_options());
    if (!ev) {
      stream.reset();
      co_return watch_failed{decode_error("watch " + resource.plural, ev.error())};
    }
    auto type = parse_watch_event_type(ev->type);
    if (!type) {
      stream.reset();
      co_return watch_failed{error(make_error_code(kube::errc::malformed_response),
                                   "watch " + resource.plural + ": unknown event type \"" + ev->type + "\"")};
    }
    watch_event out;
    out.type = *type;
    auto root = ev->object.root();
    if (*type == watch_event_type::bookmark) {
      out.resource_version = root.at_path({"metadata", "resourceVersion"}).as_string();
    } else if (*type == watch_event_type::error) {
      out.error_code = static_cast<int>(root.find("code").as_int64());
      out.error_reason = root.find("reason").as_string();
      log.info("watch ended by the server", {{"kind", resource.kind}, {"code", out.error_code},
                                             {"reason", out.error_reason},
                                             {"message", root.find("message").as_string()}});
    } else {
      auto obj = ingest(std::move(ev->object), line->size());
      if (!obj) {
        stream.reset();
        co_return watch_failed{decode_error("watch " + resource.plural, obj.error())};
      }
      out.object = std::move(*obj);
    }
    co_return out;
  }

  net::awaitable<watcher_input> perform(const watcher_action& action) {
    if (const auto* l = std::get_if<start_list>(&action)) {
      stream.reset();
      co_return co_await list(*l);
    }
    if (const auto* w = std::get_if<start_watch>(&action)) {
      stream.reset();
      co_return co_await open_watch(*w);
    }
    if (const auto* b = std::get_if<backoff_wait>(&action)) {
      stream.reset();
      backoff_timer.expires_after(b->delay);
      (void)co_await backoff_timer.async_wait(tuple_awaitable);
      co_return backoff_elapsed{};
    }
    co_return co_await read_event();  // carry_on: keep reading the open stream
  }

  static net::awaitable<void> run(std::shared_ptr<state> self) {
    auto step = self->machine.start(std::chrono::steady_clock::now());
    while (!self->stopping) {
      self->apply_effect(step.effect);
      if (std::holds_alternative<backoff_wait>(step.action))
        self->log.warn("informer backing off", {{"kind", self->resource.kind},
                                                 {"delayMs", std::chrono::duration_cast<std::chrono::milliseconds>(
                                                                 std::get<backoff_wait>(step.action).delay).count()}});
      auto input = co_await self->perform(step.action);
      if (self->stopping) break;
      if (auto* f = std::get_if<list_failed>(&input))
        self->log.warn("list failed", {{"kind", self->resource.kind}, {"error", f->err.message}});
      if (auto* f = std::get_if<watch_failed>(&input))
        self->log.info("watch interrupted", {{"kind", self->resource.kind}, {"error", f->err.message}});
      const auto relists_before = self->machine.stats().relists;
      step = self->machine.handle(std::move(input), std::chrono::steady_clock::now());
      if (self->relists && self->machine.stats().relists > relists_before) self->relists->inc();
    }
    self->stream.reset();
  }
};

informer::informer(net::any_io_executor ex, kube::client& client, kube::resource resource, std::string ns,
                   std::shared_ptr<cjson::key_table> keys, informer_options options, log::logger logger,
                   obs::registry* metrics)
    : st_(std::make_shared<state>(ex, client, std::move(resource), std::move(ns), std::move(keys),
                                  std::move(options), std::move(logger), metrics)) {}

informer::~informer() { stop(); }

void informer::start() {
  if (st_->started) return;
  st_->started = true;
  net::co_spawn(st_->ex, state::run(st_), [log = st_->log, kind = st_->resource.kind](std::exception_ptr e) {
    if (!e) return;
    try {
      std::rethrow_exception(e);
    } catch (const std::exception& ex) {
      log.error("informer stopped by an exception", {{"kind", kind}, {"error", ex.what()}});
    }
  });
}

void informer::stop() {
  st_->stopping = true;
  if (st_->stream) st_->stream->close();
  st_->backoff_timer.cancel();
}

bool informer::synced() const noexcept { return st_->was_synced; }
const cache_store& informer::store() const noexcept { return st_->store; }
cache_store& informer::store() noexcept { return st_->store; }
const kube::resource& informer::resource() const noexcept { return st_->resource; }
const watcher_stats& informer::stats() const noexcept { return st_->machine.stats(); }
void informer::add_handler(change_handler h) { st_->handlers.push_back(std::move(h)); }

void informer::on_synced(std::function<void()> fn) {
  if (st_->was_synced) fn();
  else st_->synced_callbacks.push_back(std::move(fn));
}

}  // namespace langop::informer
