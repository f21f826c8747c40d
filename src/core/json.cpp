#include "langop/core/json.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

namespace langop::jsonu {

const json::value* find(const json::value& v, std::initializer_list<std::string_view> path) {
  const json::value* cur = &v;
  for (std::string_view key : path) {
    const auto* obj = cur->if_object();
    if (!obj) return nullptr;
    auto it = obj->find(key);
    if (it == obj->end()) return nullptr;
    cur = &it->value();
  }
  return cur;
}

json::value* find(json::value& v, std::initializer_list<std::string_view> path) {
  return const_cast<json::value*>(find(static_cast<const json::value&>(v), path));
}

const json::value* find(const json::object& o, std::initializer_list<std::string_view> path) {
  if (path.size() == 0) return nullptr;
  auto it = path.begin();
  auto f = o.find(*it);
  if (f == o.end()) return nullptr;
  const json::value* cur = &f->value();
  for (++it; it != path.end(); ++it) {
    const auto* obj = cur->if_object();
    if (!obj) return nullptr;
    auto g = obj->find(*it);
    if (g == obj->end()) return nullptr;
    cur = &g->value();
  }
  return cur;
}

json::value* find(json::object& o, std::initializer_list<std::string_view> path) {
  return const_cast<json::value*>(find(static_cast<const json::object&>(o), path));
}

std::string_view get_string(const json::value& v, std::initializer_list<std::string_view> path,
                            std::string_view fallback) {
  const auto* p = find(v, path);
  if (!p || !p->is_string()) return fallback;
  return p->get_string();
}

std::string_view get_string(const json::object& o, std::string_view key, std::string_view fallback) {
  auto it = o.find(key);
  if (it == o.end() || !it->value().is_string()) return fallback;
  return it->value().get_string();
}

std::optional<std::int64_t> get_int(const json::value& v, std::initializer_list<std::string_view> path) {
  const auto* p = find(v, path);
  if (!p) return std::nullopt;
  if (p->is_int64()) return p->get_int64();
  if (p->is_uint64() && p->get_uint64() <= static_cast<std::uint64_t>(INT64_MAX))
    return static_cast<std::int64_t>(p->get_uint64());
  if (p->is_double()) {
    double d = p->get_double();
    if (d == static_cast<double>(static_cast<std::int64_t>(d))) return static_cast<std::int64_t>(d);
  }
  return std::nullopt;
}

std::optional<bool> get_bool(const json::value& v, std::initializer_list<std::string_view> path) {
  const auto* p = find(v, path);
  if (!p || !p->is_bool()) return std::nullopt;
  return p->get_bool();
}

json::object& ensure_object(json::object& root, std::initializer_list<std::string_view> path) {
  json::object* cur = &root;
  for (std::string_view key : path) {
    json::value& next = (*cur)[key];
    if (!next.is_object()) next = json::object(cur->storage());
    cur = &next.get_object();
  }
  return *cur;
}

std::string dump(const json::value& v) { return json::serialize(v); }

std::optional<json::value> parse(std::string_view text, std::string* err) {
  boost::system::error_code ec;
  // Kubernetes objects (CRD schemas above all) nest deeper than Boost.JSON's default 32.
  json::parse_options opts;
  opts.max_depth = 512;
  json::value v = json::parse(text, ec, {}, opts);
  if (ec) {
    if (err) *err = ec.message();
    return std::nullopt;
  }
  return v;
}

}  // namespace langop::jsonu
