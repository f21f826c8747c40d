#include "managed_entries.hpp"

#include "go_format.hpp"
#include "langop/core/time.hpp"
#include "ssa_walk.hpp"

#include <algorithm>

namespace langop::localapi::detail {
namespace {

constexpr std::size_t max_update_managers = 10;  // kube's DefaultMaxUpdateManagers
constexpr std::string_view ancient_changes = "ancient-changes";

std::int64_t seconds(const std::string& time) {
  if (time.empty()) return 0;
  auto t = parse_rfc3339(time);
  if (!t) return 0;
  return std::chrono::duration_cast<std::chrono::seconds>(t->time_since_epoch()).count();
}

std::string str(const json::object& o, std::string_view key) { return std::string(jsonu::get_string(o, key)); }

}  // namespace

std::string managed_entry::identity() const {
  // go_json of {"manager","operation","apiVersion"?,"subresource"?}, written directly:
  // this runs for every entry on every write.
  std::string id;
  id.reserve(48 + manager.size() + api_version.size() + subresource.size());
  id += "{\"manager\":";
  go_json_string_into(id, manager);
  id += ",\"operation\":";
  go_json_string_into(id, operation);
  if (operation != "Apply" && !api_version.empty()) {
    id += ",\"apiVersion\":";
    go_json_string_into(id, api_version);
  }
  if (!subresource.empty()) {
    id += ",\"subresource\":";
    go_json_string_into(id, subresource);
  }
  id += '}';
  return id;
}

std::string managed_entry::describe() const {
  std::string s = go_quote(manager);
  if (!subresource.empty()) s += " with subresource " + go_quote(subresource);
  if (operation == "Update") s += " using " + api_version;
  return s;
}

std::vector<managed_entry> read_entries(const json::value* managed_fields) {
  std::vector<managed_entry> out;
  const auto* arr = managed_fields ? managed_fields->if_array() : nullptr;
  if (!arr) return out;
  for (const auto& item : *arr) {
    const auto* o = item.if_object();
    if (!o) continue;
    managed_entry e;
    e.manager = str(*o, "manager");
    e.operation = str(*o, "operation");
    e.api_version = str(*o, "apiVersion");
    e.time = str(*o, "time");
    e.subresource = str(*o, "subresource");
    if (e.operation != "Apply" && e.operation != "Update") continue;
    if (auto it = o->find("fieldsV1");
        it != o->end() && jsonu::get_string(*o, "fieldsType", "FieldsV1") == "FieldsV1") {
      e.set = field_set::from_fields_v1(it->value());
      strip_meta_in_place(e.set);
    }
    const std::string id = e.identity();
    auto same = std::find_if(out.begin(), out.end(), [&](const auto& x) { return x.identity() == id; });
    if (same != out.end()) {
      same->set.merge(e.set);
      if (seconds(e.time) > seconds(same->time)) same->time = e.time;
    } else {
      out.push_back(std::move(e));
    }
  }
  return out;
}

json::array encode_entries(std::vector<managed_entry> entries) {
  entries.erase(std::remove_if(entries.begin(), entries.end(), [](const auto& e) { return e.set.empty(); }),
                entries.end());

  // Cap the Update entries: the oldest are merged into one "ancient-changes" bucket per
  // apiVersion (kube's capManagers).
  std::vector<std::size_t> updaters;
  for (std::size_t i = 0; i < entries.size(); ++i)
    if (entries[i].operation != "Apply" && entries[i].manager != ancient_changes) updaters.push_back(i);
  if (updaters.size() > max_update_managers) {
    std::sort(updaters.begin(), updaters.end(), [&](std::size_t a, std::size_t b) {
      auto sa = seconds(entries[a].time), sb = seconds(entries[b].time);
      if (sa != sb) return sa < sb;
      return entries[a].identity() < entries[b].identity();
    });
    std::vector<bool> dropped(entries.size(), false);
    std::vector<managed_entry> buckets;
    for (std::size_t i = 0, remaining = updaters.size(); i < updaters.size() && remaining > max_update_managers;
         ++i, --remaining) {
      auto& e = entries[updaters[i]];
      auto bucket = std::find_if(entries.begin(), entries.end(), [&](const auto& b) {
        return b.manager == ancient_changes && b.operation == "Update" && b.api_version == e.api_version;
      });
      managed_entry* target = bucket != entries.end() ? &*bucket : nullptr;
      if (!target) {
        auto nb = std::find_if(buckets.begin(), buckets.end(), [&](const auto& b) { return b.api_version == e.api_version; });
        if (nb == buckets.end()) {
          managed_entry b;
          b.manager = std::string(ancient_changes);
          b.operation = "Update";
          b.api_version = e.api_version;
          buckets.push_back(std::move(b));
          nb = buckets.end() - 1;
        }
        target = &*nb;
      }
      target->set.merge(e.set);
      target->time = e.time;  // the newest merged so far (oldest first)
      dropped[updaters[i]] = true;
    }
    std::vector<managed_entry> kept;
    for (std::size_t i = 0; i < entries.size(); ++i)
      if (!dropped[i]) kept.push_back(std::move(entries[i]));
    for (auto& b : buckets) kept.push_back(std::move(b));
    entries = std::move(kept);
  }

  std::sort(entries.begin(), entries.end(), [](const managed_entry& p, const managed_entry& q) {
    if (p.operation != q.operation) return p.operation < q.operation;
    auto ps = seconds(p.time), qs = seconds(q.time);
    if (ps != qs) return ps < qs;
    if (p.manager != q.manager) return p.manager < q.manager;
    if (p.api_version != q.api_version) return p.api_version < q.api_version;
    return p.subresource < q.subresource;
  });

  json::array out;
  out.reserve(entries.size());
  for (const auto& e : entries) {
    json::object o;
    o.reserve(7);  // sized once: growing key by key rehashes
    o.emplace("manager", e.manager);
    o.emplace("operation", e.operation);
    o.emplace("apiVersion", e.api_version);
    if (!e.time.empty()) o.emplace("time", e.time);
    o.emplace("fieldsType", "FieldsV1");
    o.emplace("fieldsV1", e.set.to_fields_v1());
    if (!e.subresource.empty()) o.emplace("subresource", e.subresource);
    out.push_back(std::move(o));
  }
  return out;
}

std::string rfc3339_seconds(sys_time t) {
  thread_local std::int64_t cached_second = -1;
  thread_local std::string cached_text;
  const auto second = std::chrono::floor<std::chrono::seconds>(t).time_since_epoch().count();
  if (second != cached_second || cached_text.empty()) {
    cached_text = format_rfc3339(t);
    cached_second = second;
  }
  return cached_text;
}

const json::value* managed_fields_of(const json::object& object) {
  return jsonu::find(object, {"metadata", "managedFields"});
}

void erase_managed_fields(json::object& object) {
  auto it = object.find("metadata");
  if (it != object.end())
    if (auto* meta = it->value().if_object()) meta->erase("managedFields");
}

void store_managed_fields(json::object& object, json::array entries) {
  if (entries.empty()) {
    erase_managed_fields(object);
    return;
  }
  jsonu::ensure_object(object, {"metadata"})["managedFields"] = std::move(entries);
}

}  // namespace langop::localapi::detail
