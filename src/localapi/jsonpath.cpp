// Kubernetes JSONPath evaluation (client-go semantics with missing keys allowed, as CRD
// printer columns use it): each step maps the list of candidate values to the next list.
#include "jsonpath_detail.hpp"

#include <algorithm>

namespace langop::localapi {
namespace {

using detail::step_ptr;
using operand = detail::jsonpath_operand;
constexpr std::size_t max_results = detail::jsonpath_max_results;

using values = std::vector<const json::value*>;

values eval_steps(const std::vector<step_ptr>& steps, values in, const json::value& root);

std::optional<double> as_number(const json::value& v) {
  if (v.is_int64()) return static_cast<double>(v.get_int64());
  if (v.is_uint64()) return static_cast<double>(v.get_uint64());
  if (v.is_double()) return v.get_double();
  return std::nullopt;
}

// Ordering between two scalars of the same family; nullopt when they do not compare.
std::optional<int> compare(const json::value& a, const json::value& b) {
  if (a.is_int64() && b.is_int64()) {
    auto x = a.get_int64(), y = b.get_int64();
    return x < y ? -1 : (x > y ? 1 : 0);
  }
  auto na = as_number(a), nb = as_number(b);
  if (na && nb) return *na < *nb ? -1 : (*na > *nb ? 1 : 0);
  if (a.is_string() && b.is_string()) {
    int c = a.get_string().subview().compare(b.get_string().subview());
    return c < 0 ? -1 : (c > 0 ? 1 : 0);
  }
  return std::nullopt;
}

bool test(const std::string& op, const json::value& a, const json::value& b) {
  if (op == "==" || op == "!=") {
    bool eq;
    if (auto c = compare(a, b))
      eq = *c == 0;
    else
      eq = a == b;  // bools, nulls, and structured values compare by value
    return op == "==" ? eq : !eq;
  }
  auto c = compare(a, b);
  if (!c) return false;
  if (op == "<") return *c < 0;
  if (op == ">") return *c > 0;
  if (op == "<=") return *c <= 0;
  return *c >= 0;  // ">="
}

values eval_operand(const operand& o, const json::value& current, const json::value& root) {
  switch (o.k) {
    case operand::kind::path_current:
      return eval_steps(o.path, {&current}, root);
    case operand::kind::path_root:
      return eval_steps(o.path, {&root}, root);
    case operand::kind::literal:
      return {&o.literal};
  }
  return {};
}

void push(values& out, const json::value* v) {
  if (out.size() < max_results) out.push_back(v);
}

// Every value under `v` including itself, in document order, without recursion (documents
// built in memory can be deeper than the parser's depth limit).
void descendants(const json::value* v, values& out) {
  std::vector<const json::value*> stack{v};
  while (!stack.empty() && out.size() < max_results) {
    const json::value* cur = stack.back();
    stack.pop_back();
    out.push_back(cur);
    if (const auto* o = cur->if_object()) {
      for (auto it = o->end(); it != o->begin();) stack.push_back(&(--it)->value());
    } else if (const auto* a = cur->if_array()) {
      for (auto it = a->end(); it != a->begin();) stack.push_back(&*--it);
    }
  }
}

values apply(const jsonpath::step& st, const values& in, const json::value& root) {
  values out;
  using kind = jsonpath::step::kind;
  for (const json::value* v : in) {
    if (out.size() >= max_results) break;
    switch (st.k) {
      case kind::field:
        if (const auto* o = v->if_object()) {
          for (const auto& name : st.names) {
            auto it = o->find(name);
            if (it != o->end()) push(out, &it->value());
          }
        }
        break;
      case kind::wildcard:
        if (const auto* o = v->if_object()) {
          for (const auto& kv : *o) push(out, &kv.value());
        } else if (const auto* a = v->if_array()) {
          for (const auto& e : *a) push(out, &e);
        }
        break;
      case kind::recursive:
        descendants(v, out);
        break;
      case kind::indices:
        if (const auto* a = v->if_array()) {
          auto n = static_cast<std::int64_t>(a->size());
          for (auto i : st.indices) {
            if (i < 0) i += n;
            if (i >= 0 && i < n) push(out, &(*a)[static_cast<std::size_t>(i)]);
          }
        }
        break;
      case kind::slice:
        if (const auto* a = v->if_array()) {
          auto n = static_cast<std::int64_t>(a->size());
          std::int64_t b = st.start.value_or(0), e = st.end.value_or(n);
          if (b < 0) b += n;
          if (e < 0) e += n;
          b = std::clamp<std::int64_t>(b, 0, n);
          e = std::clamp<std::int64_t>(e, 0, n);
          for (std::int64_t i = b; i < e; i += st.stride) push(out, &(*a)[static_cast<std::size_t>(i)]);
        }
        break;
      case kind::filter:
        if (const auto* a = v->if_array()) {
          for (const auto& e : *a) {
            auto l = eval_operand(st.lhs, e, root);
            if (st.op.empty()) {
              if (!l.empty()) push(out, &e);
              continue;
            }
            // Like client-go: exactly one value on each side, else the element is skipped.
            if (l.size() != 1) continue;
            auto r = eval_operand(st.rhs, e, root);
            if (r.size() != 1) continue;
            if (test(st.op, *l.front(), *r.front())) push(out, &e);
          }
        }
        break;
    }
  }
  return out;
}

values eval_steps(const std::vector<step_ptr>& steps, values in, const json::value& root) {
  for (const auto& st : steps) {
    if (in.empty()) break;
    in = apply(*st, in, root);
  }
  return in;
}

}  // namespace

std::vector<const json::value*> jsonpath::eval(const json::value& root) const {
  return eval_steps(steps_, {&root}, root);
}

}  // namespace langop::localapi
