#include "converge_floor.hpp"

#include "converge_mix.hpp"

#include "langop/controllers/kinds.hpp"
#include "langop/core/json.hpp"
#include "langop/kube/errc.hpp"

namespace bench::converge {

namespace json = langop::json;
namespace kube = langop::kube;
namespace kinds = langop::controllers::kinds;

namespace {

// The kinds the operator creates for its objects (the children), and its own kinds.
const std::vector<const kube::resource*>& child_kinds() {
  static const std::vector<const kube::resource*> k{&kinds::configmaps, &kinds::services,         &kinds::deployments,
                                                    &kinds::cronjobs,   &kinds::pvcs,             &kinds::network_policies,
                                                    &kinds::ingresses,  &kinds::hpas,             &kinds::pdbs};
  return k;
}
const std::vector<const kube::resource*>& langop_kinds() {
  static const std::vector<const kube::resource*> k{&kinds::model, &kinds::tool, &kinds::persona, &kinds::agent,
                                                    &kinds::client};
  return k;
}

struct write_item {
  const kube::resource* type = nullptr;
  std::string ns, name;
  json::value body;
};

json::value namespace_object(const std::string& name) {
  return json::object{{"apiVersion", "v1"}, {"kind", "Namespace"}, {"metadata", json::object{{"name", name}}}};
}

json::value status_patch(const json::value& stored) {
  const auto* st = stored.is_object() ? stored.as_object().if_contains("status") : nullptr;
  return json::object{{"status", st ? *st : json::value(json::object())}};
}

std::string floor_namespace(const std::string& ns) { return ns + "-floor"; }

// An Event copied into `ns`: its involvedObject must live in the Event's namespace.
json::value event_copy(const json::value& stored, const std::string& ns) {
  json::value out = strip_for_create(stored, ns);
  if (auto* io = out.as_object().if_contains("involvedObject"); io && io->is_object()) {
    io->as_object()["namespace"] = ns;
    io->as_object().erase("uid");
    io->as_object().erase("resourceVersion");
  }
  return out;
}

// Every object of `type` in `ns` matching `selector` (unpaged list).
json::array list_all(net::io_context& ioc, kube::client& c, const kube::resource& type, const std::string& ns,
                     const std::string& selector, steady::duration limit) {
  json::array items;
  kube::list_options lo;
  lo.label_selector = selector;
  run_one(
      ioc,
      [&]() -> net::awaitable<void> {
        auto page = co_await c.list(type, ns, lo);
        if (page) items = std::move(page->items);
      },
      limit);
  return items;
}

}  // namespace

floor_result write_floor(net::io_context& ioc, kube::client& c, const std::vector<std::string>& namespaces,
                         std::size_t concurrency, bool write_status, steady::duration limit) {
  floor_result r;
  std::vector<write_item> untimed, timed, statuses, events;
  for (const auto& ns : namespaces) {
    const std::string to = floor_namespace(ns);
    untimed.push_back({&kinds::namespaces, "", to, namespace_object(to)});
    for (auto& s : list_all(ioc, c, kinds::secrets, ns, "app.kubernetes.io/part-of=langop-bench", limit))
      untimed.push_back({&kinds::secrets, to, "", strip_for_create(s, to)});
    for (const auto* type : child_kinds())
      for (auto& o : list_all(ioc, c, *type, ns, "app.kubernetes.io/managed-by=langop", limit)) {
        timed.push_back({type, to, "", strip_for_create(o, to)});
        r.children_by_kind[type->kind] += 1;
      }
    for (auto& e : list_all(ioc, c, kinds::events, ns, "", limit))
      events.push_back({&kinds::events, to, "", event_copy(e, to)});
    if (!write_status) continue;
    for (const auto* type : langop_kinds())
      for (auto& o : list_all(ioc, c, *type, ns, "", limit)) {
        const std::string name(langop::jsonu::get_string(o, {"metadata", "name"}));
        untimed.push_back({type, to, "", strip_for_create(o, to)});
        statuses.push_back({type, to, name, status_patch(o)});
      }
  }
  auto note = [&r](const langop::error& e) {
    if (r.errors++ == 0) r.first_error = e.message;
  };
  auto create = [&](std::vector<write_item>& items) {
    return [&](std::size_t i) -> net::awaitable<bool> {
      const auto& it = items[i];
      auto out = co_await c.create(*it.type, it.ns, it.body);
      if (!out && out.error().code != kube::errc::already_exists) {
        note(out.error());
        co_return false;
      }
      co_return true;
    };
  };
  // Namespaces first (everything else lives in them), then the rest of the untimed copies.
  std::vector<write_item> ns_items;
  std::vector<write_item> copies;
  for (auto& it : untimed) (it.type == &kinds::namespaces ? ns_items : copies).push_back(std::move(it));
  (void)for_each_concurrently(ioc, ns_items.size(), concurrency, create(ns_items), limit);
  (void)for_each_concurrently(ioc, copies.size(), concurrency, create(copies), limit);
  r.errors = 0;
  r.first_error.clear();

  // Timed: the children, then one status write per langop object, `concurrency` in flight.
  const std::size_t children = timed.size();
  for (auto& s : statuses) timed.push_back(std::move(s));
  const kube::patch_options patch_opts;
  auto write = [&](std::size_t i) -> net::awaitable<bool> {
    const auto& it = timed[i];
    langop::result<json::value> out = json::value();
    if (i < children) out = co_await c.create(*it.type, it.ns, it.body);
    else out = co_await c.patch(*it.type, it.ns, it.name, kube::patch_type::merge, it.body, patch_opts, "status");
    if (!out) {
      note(out.error());
      co_return false;
    }
    co_return true;
  };
  const auto t0 = steady::now();
  (void)for_each_concurrently(ioc, timed.size(), concurrency, write, limit);
  r.seconds = std::chrono::duration<double>(steady::now() - t0).count();
  r.objects = children;
  r.status_writes = timed.size() - children;

  const auto t1 = steady::now();
  (void)for_each_concurrently(ioc, events.size(), concurrency, create(events), limit);
  r.events_seconds = std::chrono::duration<double>(steady::now() - t1).count();
  r.events = events.size();
  return r;
}

}  // namespace bench::converge
