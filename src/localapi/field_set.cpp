#include "field_set.hpp"

#include "go_format.hpp"

namespace langop::localapi::detail {
namespace {

constexpr int max_depth = 256;  // fieldsV1 read from objects is user input

void from_json_into(field_set& out, const json::object& o, int depth) {
  if (depth > max_depth) return;
  for (const auto& kv : o) {
    if (kv.key() == ".") {
      out.member = true;
      continue;
    }
    // Only the four element prefixes exist; anything else is not a fieldsV1 entry.
    std::string_view key = kv.key();
    if (key.size() < 2 || key[1] != ':' || std::string_view("fkvi").find(key[0]) == std::string_view::npos) continue;
    field_set child;
    if (const auto* sub = kv.value().if_object()) {
      if (sub->empty())
        child.member = true;
      else
        from_json_into(child, *sub, depth + 1);
    } else {
      child.member = true;
    }
    if (!child.empty()) out.children[std::string(key)].merge(child);
  }
}

// Objects are sized up front: growing a json::object key by key rehashes it each time,
// and this runs for every managedFields entry on every write.
void to_json_into(json::object& out, const field_set& s) {
  for (const auto& [key, child] : s.children) {
    json::object sub;
    const bool dot = child.member && !child.children.empty();
    sub.reserve(child.children.size() + (dot ? 1 : 0));
    if (dot) sub.emplace(".", json::object());
    to_json_into(sub, child);
    out.emplace(key, std::move(sub));
  }
}

void members(const field_set& s, std::vector<std::string>& path,
             const std::function<void(const std::vector<std::string>&)>& fn) {
  if (s.member && !path.empty()) fn(path);
  for (const auto& [key, child] : s.children) {
    path.push_back(key);
    members(child, path, fn);
    path.pop_back();
  }
}

}  // namespace

const field_set* field_set::child(std::string_view element) const {
  auto it = children.find(element);
  return it == children.end() ? nullptr : &it->second;
}

void field_set::insert(const std::vector<std::string>& path) {
  field_set* cur = this;
  for (const auto& e : path) cur = &cur->children[e];
  cur->member = true;
}

void field_set::merge(const field_set& other) {
  member = member || other.member;
  for (const auto& [key, child] : other.children) children[key].merge(child);
}

void field_set::subtract(const field_set& other) {
  if (other.member) member = false;
  for (const auto& [key, sub] : other.children) {
    auto it = children.find(key);
    if (it == children.end()) continue;
    it->second.subtract(sub);
    if (it->second.empty()) children.erase(it);
  }
}

field_set field_set::difference(const field_set& other) const {
  field_set out;
  out.member = member && !other.member;
  for (const auto& [key, c] : children) {
    const field_set* o = other.child(key);
    field_set d = o ? c.difference(*o) : c;
    if (!d.empty()) out.children.emplace(key, std::move(d));
  }
  return out;
}

field_set field_set::intersection(const field_set& other) const {
  field_set out;
  out.member = member && other.member;
  for (const auto& [key, c] : children) {
    const field_set* o = other.child(key);
    if (!o) continue;
    field_set i = c.intersection(*o);
    if (!i.empty()) out.children.emplace(key, std::move(i));
  }
  return out;
}

void field_set::for_each_member(const std::function<void(const std::vector<std::string>&)>& fn) const {
  std::vector<std::string> path;
  members(*this, path, fn);
}

json::object field_set::to_fields_v1() const {
  json::object out;
  out.reserve(children.size());
  to_json_into(out, *this);
  return out;
}

field_set field_set::from_fields_v1(const json::value& v) {
  field_set out;
  if (const auto* o = v.if_object()) from_json_into(out, *o, 0);
  out.member = false;  // the root itself is never a field
  return out;
}

std::string field_element(std::string_view name) { return "f:" + std::string(name); }

std::string value_element(const json::value& v) { return "v:" + go_json(v, false); }

std::string key_element(const json::object& key_fields) { return "k:" + go_json(json::value(key_fields), false); }

std::string path_string(const std::vector<std::string>& elements) {
  std::string out;
  for (const auto& e : elements) {
    std::string_view body = std::string_view(e).substr(2);
    switch (e.empty() ? ' ' : e[0]) {
      case 'f': out += "." + std::string(body); break;
      case 'v': out += "[=" + std::string(body) + "]"; break;
      case 'i': out += "[" + std::string(body) + "]"; break;
      case 'k': {
        out += "[";
        auto parsed = jsonu::parse(body);
        if (parsed && parsed->is_object()) {
          bool first = true;
          for (const auto& kv : parsed->get_object()) {
            if (!first) out += ",";
            first = false;
            out += std::string(kv.key()) + "=" + go_json(kv.value(), false);
          }
        } else {
          out += body;
        }
        out += "]";
        break;
      }
      default: out += e;
    }
  }
  return out;
}

}  // namespace langop::localapi::detail
