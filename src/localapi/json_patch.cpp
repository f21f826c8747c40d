// application/json-patch+json (RFC 6902) over RFC 6901 pointers.
#include "langop/localapi/patch.hpp"

#include "patch_support.hpp"

#include <optional>
#include <vector>

namespace langop::localapi {
namespace {

struct pointer {
  std::string text;
  std::vector<std::string> tokens;
};

enum class op_kind { add, remove, replace, move, copy, test };

struct operation {
  op_kind kind = op_kind::add;
  std::string_view name;
  pointer path;
  pointer from;
  const json::value* value = nullptr;
};

result<pointer> parse_pointer(std::string_view text) {
  pointer p{std::string(text), {}};
  if (text.empty()) return p;  // the whole document
  if (text.front() != '/')
    return detail::malformed_patch("invalid JSON pointer \"" + p.text + "\": must be empty or start with '/'");
  std::string token;
  for (std::size_t i = 1; i <= text.size(); ++i) {
    if (i == text.size() || text[i] == '/') {
      p.tokens.push_back(std::move(token));
      token.clear();
    } else if (text[i] == '~') {
      // RFC 6901: only ~0 ('~') and ~1 ('/') are escapes; "~01" is "~1" decoded once.
      if (i + 1 >= text.size() || (text[i + 1] != '0' && text[i + 1] != '1'))
        return detail::malformed_patch("invalid JSON pointer \"" + p.text + "\": '~' must be followed by 0 or 1");
      token += text[++i] == '0' ? '~' : '/';
    } else {
      token += text[i];
    }
  }
  return p;
}

result<operation> parse_operation(const json::value& v, std::size_t index) {
  const std::string where = "json patch operation " + std::to_string(index);
  const auto* obj = v.if_object();
  if (!obj) return detail::malformed_patch(where + " is not an object");
  const auto* op = obj->if_contains("op");
  if (!op || !op->is_string()) return detail::malformed_patch(where + " has no string \"op\" member");
  operation out;
  out.name = op->get_string();
  if (out.name == "add") out.kind = op_kind::add;
  else if (out.name == "remove") out.kind = op_kind::remove;
  else if (out.name == "replace") out.kind = op_kind::replace;
  else if (out.name == "move") out.kind = op_kind::move;
  else if (out.name == "copy") out.kind = op_kind::copy;
  else if (out.name == "test") out.kind = op_kind::test;
  else return detail::malformed_patch(where + " has unknown op \"" + std::string(out.name) + "\"");

  const auto* path = obj->if_contains("path");
  if (!path || !path->is_string())
    return detail::malformed_patch(where + " (" + std::string(out.name) + ") has no string \"path\" member");
  auto p = parse_pointer(path->get_string());
  if (!p) return p.error();
  out.path = std::move(*p);

  if (out.kind == op_kind::add || out.kind == op_kind::replace || out.kind == op_kind::test) {
    out.value = obj->if_contains("value");  // null is a value; absence is not
    if (!out.value) return detail::malformed_patch(where + " (" + std::string(out.name) + ") has no \"value\" member");
  }
  if (out.kind == op_kind::move || out.kind == op_kind::copy) {
    const auto* from = obj->if_contains("from");
    if (!from || !from->is_string())
      return detail::malformed_patch(where + " (" + std::string(out.name) + ") has no string \"from\" member");
    auto f = parse_pointer(from->get_string());
    if (!f) return f.error();
    out.from = std::move(*f);
  }
  return out;
}

// An array index token: "0" or digits without a leading zero ("-" is handled by callers).
std::optional<std::size_t> parse_index(std::string_view token) {
  if (token.empty() || token.size() > 15 || (token.size() > 1 && token.front() == '0')) return std::nullopt;
  std::size_t v = 0;
  for (char c : token) {
    if (c < '0' || c > '9') return std::nullopt;
    v = v * 10 + static_cast<std::size_t>(c - '0');
  }
  return v;
}

// The value at the first `count` tokens of `p`, or nullptr when any step is missing.
json::value* resolve(json::value& doc, const pointer& p, std::size_t count) {
  json::value* cur = &doc;
  for (std::size_t i = 0; i < count; ++i) {
    const std::string& token = p.tokens[i];
    if (auto* obj = cur->if_object()) {
      auto it = obj->find(token);
      if (it == obj->end()) return nullptr;
      cur = &it->value();
    } else if (auto* arr = cur->if_array()) {
      auto idx = parse_index(token);
      if (!idx || *idx >= arr->size()) return nullptr;
      cur = &(*arr)[*idx];
    } else {
      return nullptr;
    }
  }
  return cur;
}

error fail(const operation& op, const pointer& at, std::string_view why) {
  return detail::unappliable_patch("json patch " + std::string(op.name) + " operation on \"" + at.text +
                                   "\" failed: " + std::string(why));
}

result<void> add_value(json::value& doc, const operation& op, json::value value) {
  const pointer& p = op.path;
  if (p.tokens.empty()) {
    doc = std::move(value);
    return {};
  }
  json::value* parent = resolve(doc, p, p.tokens.size() - 1);
  if (!parent) return fail(op, p, "the parent location does not exist");
  const std::string& last = p.tokens.back();
  if (auto* obj = parent->if_object()) {
    obj->insert_or_assign(last, std::move(value));
    return {};
  }
  if (auto* arr = parent->if_array()) {
    if (last == "-") {
      arr->push_back(std::move(value));
      return {};
    }
    auto idx = parse_index(last);
    if (!idx) return fail(op, p, "\"" + last + "\" is not an array index");
    if (*idx > arr->size()) return fail(op, p, "index " + last + " is out of bounds");
    arr->insert(arr->begin() + static_cast<std::ptrdiff_t>(*idx), std::move(value));
    return {};
  }
  return fail(op, p, "the parent is neither an object nor an array");
}

result<void> remove_value(json::value& doc, const operation& op, const pointer& p) {
  if (p.tokens.empty()) return fail(op, p, "the document root cannot be removed");
  json::value* parent = resolve(doc, p, p.tokens.size() - 1);
  if (!parent) return fail(op, p, "the parent location does not exist");
  const std::string& last = p.tokens.back();
  if (auto* obj = parent->if_object()) {
    if (!obj->stable_erase(last)) return fail(op, p, "the member does not exist");
    return {};
  }
  if (auto* arr = parent->if_array()) {
    auto idx = parse_index(last);
    if (!idx || *idx >= arr->size()) return fail(op, p, "index \"" + last + "\" is out of bounds");
    arr->erase(arr->begin() + static_cast<std::ptrdiff_t>(*idx));
    return {};
  }
  return fail(op, p, "the parent is neither an object nor an array");
}

bool is_proper_prefix(const pointer& prefix, const pointer& p) {
  return prefix.tokens.size() < p.tokens.size() &&
         std::equal(prefix.tokens.begin(), prefix.tokens.end(), p.tokens.begin());
}

result<void> apply_one(json::value& doc, const operation& op) {
  switch (op.kind) {
    case op_kind::add: return add_value(doc, op, *op.value);
    case op_kind::remove: return remove_value(doc, op, op.path);
    case op_kind::replace: {
      json::value* target = resolve(doc, op.path, op.path.tokens.size());
      if (!target) return fail(op, op.path, "the target location does not exist");
      *target = *op.value;
      return {};
    }
    case op_kind::test: {
      json::value* target = resolve(doc, op.path, op.path.tokens.size());
      if (!target) return fail(op, op.path, "the target location does not exist");
      if (!detail::json_equal(*target, *op.value))
        return fail(op, op.path, "the value " + detail::excerpt(*target) + " is not " + detail::excerpt(*op.value));
      return {};
    }
    case op_kind::copy: {
      json::value* source = resolve(doc, op.from, op.from.tokens.size());
      if (!source) return fail(op, op.from, "the \"from\" location does not exist");
      return add_value(doc, op, *source);
    }
    case op_kind::move: {
      if (is_proper_prefix(op.from, op.path))
        return fail(op, op.from, "a value cannot be moved into one of its children (\"" + op.path.text + "\")");
      json::value* source = resolve(doc, op.from, op.from.tokens.size());
      if (!source) return fail(op, op.from, "the \"from\" location does not exist");
      if (op.from.tokens == op.path.tokens) return {};
      json::value value = std::move(*source);
      if (auto r = remove_value(doc, op, op.from); !r) return r;
      return add_value(doc, op, std::move(value));
    }
  }
  return {};
}

}  // namespace

result<json::value> apply_json_patch(const json::value& target, const json::value& patch) {
  const auto* ops = patch.if_array();
  if (!ops) return detail::malformed_patch("a json patch must be a JSON array of operations");
  // Validate the whole document first: a malformed patch is a 400 wherever the bad operation is.
  std::vector<operation> parsed;
  parsed.reserve(ops->size());
  for (std::size_t i = 0; i < ops->size(); ++i) {
    auto op = parse_operation((*ops)[i], i);
    if (!op) return op.error();
    parsed.push_back(std::move(*op));
  }
  json::value doc = target;  // operations are atomic: a failure leaves `target` untouched
  for (const auto& op : parsed)
    if (auto r = apply_one(doc, op); !r) return r.error();
  return doc;
}

}  // namespace langop::localapi
