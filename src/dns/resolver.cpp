#include "langop/dns/resolver.hpp"

#include "channel.hpp"
#include "langop/dns/name.hpp"
#include "langop/obs/registry.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <arpa/inet.h>

#include <algorithm>
#include <array>
#include <cstring>
#include <limits>

namespace langop::dns {
namespace asio = boost::asio;

namespace detail {

struct resolver_metrics {
  obs::counter_family* lookups;
  obs::histogram duration;
};

struct query_ref {
  std::shared_ptr<lookup> owner;
  bool v6;
};

}  // namespace detail

namespace {

constexpr int type_a = 1;
constexpr int type_aaaa = 28;
// More addresses than one UDP answer can carry; ares_parse_*_reply truncates beyond it.
constexpr int max_addresses = 256;

errc from_ares(int status) noexcept {
  switch (status) {
    case ARES_ENODATA: return errc::no_data;
    case ARES_ENOTFOUND: return errc::not_found;
    case ARES_ESERVFAIL:
    case ARES_ENOTIMP:
    case ARES_EFORMERR: return errc::server_failure;
    case ARES_EREFUSED: return errc::refused;
    case ARES_ETIMEOUT: return errc::timeout;
    case ARES_ECONNREFUSED: return errc::connection_refused;
    case ARES_EBADRESP:
    case ARES_EOF: return errc::bad_response;
    case ARES_EBADNAME: return errc::bad_name;
    case ARES_EDESTRUCTION:
    case ARES_ECANCELLED: return errc::cancelled;
    default: return errc::resolver_failure;
  }
}

std::uint32_t clamp_ttl(int ttl) noexcept { return ttl < 0 ? 0U : static_cast<std::uint32_t>(ttl); }

int parse(const unsigned char* abuf, int alen, bool v6, family_outcome& out) {
  int n = max_addresses;
  std::uint32_t ttl = std::numeric_limits<std::uint32_t>::max();
  if (v6) {
    std::array<ares_addr6ttl, max_addresses> rows{};
    if (const int st = ares_parse_aaaa_reply(abuf, alen, nullptr, rows.data(), &n); st != ARES_SUCCESS) return st;
    for (int i = 0; i < n; ++i) {
      asio::ip::address_v6::bytes_type bytes;
      std::memcpy(bytes.data(), rows[i].ip6addr._S6_un._S6_u8, bytes.size());
      out.addresses.emplace_back(asio::ip::address_v6(bytes));
      ttl = std::min(ttl, clamp_ttl(rows[i].ttl));
    }
  } else {
    std::array<ares_addrttl, max_addresses> rows{};
    if (const int st = ares_parse_a_reply(abuf, alen, nullptr, rows.data(), &n); st != ARES_SUCCESS) return st;
    for (int i = 0; i < n; ++i) {
      out.addresses.emplace_back(asio::ip::address_v4(ntohl(rows[i].ipaddr.s_addr)));
      ttl = std::min(ttl, clamp_ttl(rows[i].ttl));
    }
  }
  if (n == 0) return ARES_ENODATA;
  out.min_ttl = ttl;
  return ARES_SUCCESS;
}

// Runs inside c-ares (from the loop, or from ares_cancel/ares_destroy): records the
// outcome and wakes the coroutine through its timer; never resumes it inline.
void on_reply(void* arg, int status, int /*timeouts*/, unsigned char* abuf, int alen) {
  const std::unique_ptr<detail::query_ref> ref(static_cast<detail::query_ref*>(arg));
  detail::lookup& l = *ref->owner;
  family_outcome& out = ref->v6 ? l.aaaa : l.a;
  if (status == ARES_SUCCESS) status = parse(abuf, alen, ref->v6, out);
  if (status != ARES_SUCCESS) {
    out.addresses.clear();
    out.failure = from_ares(status);
  }
  if (--l.pending == 0) l.wake.cancel();
}

std::string_view result_label(const result<answer>& r) {
  if (r) return "success";
  if (r.error().code.category() != category()) return "resolver_failure";
  switch (static_cast<errc>(r.error().code.value())) {
    case errc::not_found: return "not_found";
    case errc::no_data: return "no_data";
    case errc::timeout: return "timeout";
    case errc::server_failure: return "server_failure";
    case errc::refused: return "refused";
    case errc::connection_refused: return "connection_refused";
    case errc::bad_response: return "bad_response";
    case errc::bad_name: return "bad_name";
    case errc::cancelled: return "cancelled";
    case errc::resolver_failure: return "resolver_failure";
  }
  return "resolver_failure";
}

asio::awaitable<result<answer>> run_lookup(asio::any_io_executor ex, std::shared_ptr<detail::channel> ch,
                                           std::shared_ptr<const detail::resolver_metrics> metrics, std::string host,
                                           resolver::clock::time_point deadline);

void record(const std::shared_ptr<const detail::resolver_metrics>& m, const result<answer>& r,
            resolver::clock::time_point started) {
  if (!m) return;
  m->lookups->with({{"result", result_label(r)}}).inc();
  auto duration = m->duration;  // handles are cheap copies; observe() is non-const
  duration.observe(resolver::clock::now() - started);
}

}  // namespace

resolver::resolver(asio::any_io_executor ex, resolver_options options)
    : ex_(ex), channel_(std::make_shared<detail::channel>(std::move(ex), options)) {
  if (options.metrics != nullptr) {
    auto& lookups = options.metrics->counter("langop_dns_lookups_total",
                                             "DNS lookups (A and AAAA together) by result.", {"result"});
    auto& duration = options.metrics->histogram("langop_dns_lookup_duration_seconds",
                                                 "Time to resolve a name (A and AAAA together).");
    metrics_ = std::make_shared<const detail::resolver_metrics>(detail::resolver_metrics{&lookups, duration.with({})});
  }
}

resolver::~resolver() { channel_->destroy(); }

void resolver::shutdown() {
  channel_->cancel_all();
  channel_->destroy();
}

std::size_t resolver::queries_in_flight() const noexcept { return channel_->queries_in_flight(); }

asio::awaitable<result<answer>> resolver::resolve(std::string host, clock::duration timeout) {
  return resolve(std::move(host), clock::now() + timeout);
}

asio::awaitable<result<answer>> resolver::resolve(std::string host, clock::time_point deadline) {
  // Not a coroutine itself: the lookup's frame gets copies of everything it needs now,
  // because an awaitable may start (co_spawn) after the resolver is gone.
  return run_lookup(ex_, channel_, metrics_, std::move(host), deadline);
}

namespace {

asio::awaitable<result<answer>> run_lookup(asio::any_io_executor ex, std::shared_ptr<detail::channel> ch,
                                           std::shared_ptr<const detail::resolver_metrics> metrics, std::string host,
                                           resolver::clock::time_point deadline) {
  using clock = resolver::clock;
  const auto started = clock::now();
  auto finish = [&](result<answer> r) {
    record(metrics, r, started);
    return r;
  };
  auto name = normalize_host_name(host);
  if (!name) co_return finish(name.error());
  if (!ch->open()) co_return finish(make_error(errc::cancelled, *name, "resolver is shut down"));

  auto l = std::make_shared<detail::lookup>(ex, *std::move(name));
  l->wake.expires_at(deadline);
  if (!ch->try_admit()) {
    ch->enqueue(l);
    auto [ec] = co_await l->wake.async_wait(asio::as_tuple(asio::use_awaitable));
    const auto cancelled = (co_await asio::this_coro::cancellation_state).cancelled();
    if (!ch->open()) co_return finish(make_error(errc::cancelled, l->host, "resolver is shut down"));
    const bool expired = !ec || clock::now() >= deadline;
    if (!l->admitted || expired || cancelled != asio::cancellation_type::none) {
      if (l->admitted) ch->release_reserved();
      if (expired) {
        co_return finish(make_error(errc::timeout, l->host, "timed out waiting for a free query slot"));
      }
      co_return finish(make_error(errc::cancelled, l->host));
    }
    ch->use_reserved();
  }

  l->pending = 2;
  ch->query(l->host, type_a, &on_reply, new detail::query_ref{l, false});
  ch->query(l->host, type_aaaa, &on_reply, new detail::query_ref{l, true});
  if (l->pending > 0) {  // c-ares may have answered synchronously (e.g. shut down)
    auto [ec] = co_await l->wake.async_wait(asio::as_tuple(asio::use_awaitable));
    if (l->pending > 0) {
      // The deadline (ec == success) or per-operation cancellation (operation_aborted
      // while answers are still out). The queries stay with c-ares; late answers land in
      // `l`, which they keep alive, and are ignored.
      const errc why = ec ? errc::cancelled : errc::timeout;
      for (family_outcome* f : {&l->a, &l->aaaa}) {
        if (!f->failure && f->addresses.empty()) f->failure = why;
      }
    }
  }
  co_return finish(combine(l->host, l->a, l->aaaa));
}

}  // namespace
}  // namespace langop::dns
