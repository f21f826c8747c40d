// Tree-walking CEL evaluator. Recursion is bounded by the AST height (checked at parse
// time); loops and allocations are bounded by cel_budget.
#include "cel_runtime.hpp"

#include <cmath>

namespace langop::localapi::detail {
namespace {

using outcome = cel_outcome;

// kube escapes property names that are not CEL identifiers (apiserver/pkg/cel/escaping.go).
std::string unescape_field(std::string_view name) {
  static constexpr std::string_view keywords[] = {"true", "false",  "null",     "in",     "as",     "break",
                                                  "const", "continue", "else", "for",    "function", "if",
                                                  "import", "let",  "loop",     "package", "namespace", "return",
                                                  "var",  "void",   "while"};
  if (name.size() > 4 && name.substr(0, 2) == "__" && name.substr(name.size() - 2) == "__") {
    auto inner = name.substr(2, name.size() - 4);
    for (auto kw : keywords)
      if (inner == kw) return std::string(kw);
  }
  static constexpr std::pair<std::string_view, std::string_view> escapes[] = {
      {"__underscores__", "__"}, {"__dot__", "."}, {"__dash__", "-"}, {"__slash__", "/"}};
  std::string out;
  for (std::size_t i = 0; i < name.size();) {
    bool replaced = false;
    if (name[i] == '_') {
      for (auto [from, to] : escapes) {
        if (name.substr(i, from.size()) == from) {
          out += to;
          i += from.size();
          replaced = true;
          break;
        }
      }
    }
    if (!replaced) out += name[i++];
  }
  return out;
}

bool is_num(cel_kind k) { return k == cel_kind::int_ || k == cel_kind::uint_ || k == cel_kind::double_; }

long double num(const cel_value& v) {
  if (auto* i = std::get_if<std::int64_t>(&v.v)) return static_cast<long double>(*i);
  if (auto* u = std::get_if<std::uint64_t>(&v.v)) return static_cast<long double>(*u);
  if (auto* d = std::get_if<double>(&v.v)) return static_cast<long double>(*d);
  return 0;
}

double as_double(const cel_value& v) { return static_cast<double>(num(v)); }

outcome overflow() { return cel_error("integer overflow"); }

outcome arithmetic(cel_bop op, const cel_value& a, const cel_value& b, cel_budget& budget) {
  cel_kind ka = kind_of(a), kb = kind_of(b);
  if (op == cel_bop::add && ka == cel_kind::string && kb == cel_kind::string) {
    auto x = *as_string(a);
    auto y = *as_string(b);
    if (!budget.take_bytes(x.size() + y.size())) return cel_error(std::string(cost_exceeded));
    std::string joined;
    joined.reserve(x.size() + y.size());
    joined.append(x).append(y);
    return cel_ok(cel_value{std::move(joined)});
  }
  if (op == cel_bop::add && ka == cel_kind::list && kb == cel_kind::list) {
    std::size_t n = list_size(a) + list_size(b);
    if (!budget.take_bytes(n * sizeof(cel_value))) return cel_error(std::string(cost_exceeded));
    auto out = std::make_shared<cel_list>();
    out->reserve(n);
    for (std::size_t i = 0; i < list_size(a); ++i) out->push_back(list_at(a, i));
    for (std::size_t i = 0; i < list_size(b); ++i) out->push_back(list_at(b, i));
    return cel_ok(cel_value{std::shared_ptr<const cel_list>(std::move(out))});
  }
  if (!is_num(ka) || !is_num(kb)) return cel_error(std::string(no_overload));
  if (ka == cel_kind::int_ && kb == cel_kind::int_) {
    std::int64_t x = std::get<std::int64_t>(a.v), y = std::get<std::int64_t>(b.v), r = 0;
    switch (op) {
      case cel_bop::add:
        if (__builtin_add_overflow(x, y, &r)) return overflow();
        break;
      case cel_bop::sub:
        if (__builtin_sub_overflow(x, y, &r)) return overflow();
        break;
      case cel_bop::mul:
        if (__builtin_mul_overflow(x, y, &r)) return overflow();
        break;
      case cel_bop::div:
        if (y == 0) return cel_error("division by zero");
        if (x == INT64_MIN && y == -1) return overflow();
        r = x / y;
        break;
      case cel_bop::mod:
        if (y == 0) return cel_error("modulus by zero");
        if (x == INT64_MIN && y == -1) return overflow();
        r = x % y;
        break;
      default: return cel_error(std::string(no_overload));
    }
    return cel_ok(cel_value{r});
  }
  if (ka == cel_kind::uint_ && kb == cel_kind::uint_) {
    std::uint64_t x = std::get<std::uint64_t>(a.v), y = std::get<std::uint64_t>(b.v), r = 0;
    switch (op) {
      case cel_bop::add:
        if (__builtin_add_overflow(x, y, &r)) return overflow();
        break;
      case cel_bop::sub:
        if (__builtin_sub_overflow(x, y, &r)) return overflow();
        break;
      case cel_bop::mul:
        if (__builtin_mul_overflow(x, y, &r)) return overflow();
        break;
      case cel_bop::div:
        if (y == 0) return cel_error("division by zero");
        r = x / y;
        break;
      case cel_bop::mod:
        if (y == 0) return cel_error("modulus by zero");
        r = x % y;
        break;
      default: return cel_error(std::string(no_overload));
    }
    return cel_ok(cel_value{r});
  }
  // int with uint is not defined in CEL; anything involving a double is computed in double
  // (lenient: JSON does not tell a `number` 3 from an `integer` 3, see cel.hpp).
  if (ka != cel_kind::double_ && kb != cel_kind::double_) return cel_error(std::string(no_overload));
  double x = as_double(a), y = as_double(b);
  switch (op) {
    case cel_bop::add: return cel_ok(cel_value{x + y});
    case cel_bop::sub: return cel_ok(cel_value{x - y});
    case cel_bop::mul: return cel_ok(cel_value{x * y});
    case cel_bop::div: return cel_ok(cel_value{x / y});
    default: return cel_error(std::string(no_overload));
  }
}

outcome compare(cel_bop op, const cel_value& a, const cel_value& b) {
  cel_kind ka = kind_of(a), kb = kind_of(b);
  int c = 0;
  if (is_num(ka) && is_num(kb)) {
    long double x = num(a), y = num(b);
    if (std::isnan(x) || std::isnan(y)) return cel_ok(cel_value{false});
    c = x < y ? -1 : (x > y ? 1 : 0);
  } else if (ka == cel_kind::string && kb == cel_kind::string) {
    int r = as_string(a)->compare(*as_string(b));
    c = r < 0 ? -1 : (r > 0 ? 1 : 0);
  } else if (ka == cel_kind::boolean && kb == cel_kind::boolean) {
    c = static_cast<int>(std::get<bool>(a.v)) - static_cast<int>(std::get<bool>(b.v));
  } else {
    return cel_error(std::string(no_overload));
  }
  bool r = false;
  switch (op) {
    case cel_bop::lt: r = c < 0; break;
    case cel_bop::le: r = c <= 0; break;
    case cel_bop::gt: r = c > 0; break;
    case cel_bop::ge: r = c >= 0; break;
    default: break;
  }
  return cel_ok(cel_value{r});
}

class evaluator {
 public:
  evaluator(const json::value& self, const json::value* old_self) : self_(self), old_self_(old_self) {}

  outcome eval(const cel_node& n) {
    if (!budget_.step()) return cel_error(std::string(cost_exceeded));
    switch (n.op) {
      case cel_op::literal: return cel_ok(from_json(n.value));
      case cel_op::ident: return ident(n);
      case cel_op::select:
      case cel_op::has: return select(n);
      case cel_op::index: return index(n);
      case cel_op::call: return call(n);
      case cel_op::list: return list(n);
      case cel_op::map: return map(n);
      case cel_op::logical_not: {
        auto x = eval(*n.args[0]);
        if (x.failed) return x;
        if (kind_of(x.value) != cel_kind::boolean) return cel_error(std::string(no_overload));
        return cel_ok(cel_value{!std::get<bool>(x.value.v)});
      }
      case cel_op::negate: {
        auto x = eval(*n.args[0]);
        if (x.failed) return x;
        if (auto* i = std::get_if<std::int64_t>(&x.value.v)) {
          if (*i == INT64_MIN) return overflow();
          return cel_ok(cel_value{-*i});
        }
        if (auto* d = std::get_if<double>(&x.value.v)) return cel_ok(cel_value{-*d});
        return cel_error(std::string(no_overload));
      }
      case cel_op::binary: return binary(n);
      case cel_op::conditional: {
        auto c = eval(*n.args[0]);
        if (c.failed) return c;
        if (kind_of(c.value) != cel_kind::boolean) return cel_error(std::string(no_overload));
        return eval(*n.args[std::get<bool>(c.value.v) ? 1 : 2]);
      }
      case cel_op::comprehension: return comprehension(n);
    }
    return cel_error(std::string(no_overload));
  }

 private:
  outcome ident(const cel_node& n) {
    for (auto it = vars_.rbegin(); it != vars_.rend(); ++it)
      if (it->first == n.name) return cel_ok(it->second);
    if (n.name == "self") return cel_ok(from_json(self_));
    if (n.name == "oldSelf") {
      if (!old_self_) return cel_error("no such attribute: oldSelf");
      return cel_ok(from_json(*old_self_));
    }
    return cel_error("no such attribute: " + n.name);
  }

  outcome select(const cel_node& n) {
    auto target = eval(*n.args[0]);
    if (target.failed) return target;
    if (kind_of(target.value) != cel_kind::map) return cel_error(std::string(no_overload));
    std::string key = unescape_field(n.name);
    auto found = map_get(target.value, key);
    if (n.op == cel_op::has) return cel_ok(cel_value{found.has_value()});
    if (!found) return cel_error("no such key: " + key);
    return cel_ok(std::move(*found));
  }

  outcome index(const cel_node& n) {
    auto target = eval(*n.args[0]);
    if (target.failed) return target;
    auto idx = eval(*n.args[1]);
    if (idx.failed) return idx;
    cel_kind kt = kind_of(target.value), ki = kind_of(idx.value);
    if (kt == cel_kind::map) {
      if (ki != cel_kind::string) return cel_error(std::string(no_overload));
      auto key = *as_string(idx.value);
      auto found = map_get(target.value, key);
      if (!found) return cel_error("no such key: " + std::string(key));
      return cel_ok(std::move(*found));
    }
    if (kt != cel_kind::list || !is_num(ki)) return cel_error(std::string(no_overload));
    long double i = num(idx.value);
    if (ki == cel_kind::double_ && std::trunc(i) != i) return cel_error(std::string(no_overload));
    std::size_t size = list_size(target.value);
    if (i < 0 || i >= static_cast<long double>(size)) {
      std::string shown = ki == cel_kind::uint_ ? std::to_string(std::get<std::uint64_t>(idx.value.v))
                                                : std::to_string(static_cast<long long>(i));
      return cel_error("index '" + shown + "' out of range in list size '" + std::to_string(size) + "'");
    }
    return cel_ok(list_at(target.value, static_cast<std::size_t>(i)));
  }

  outcome call(const cel_node& n) {
    std::vector<cel_value> args;
    args.reserve(n.args.size());
    for (const auto& a : n.args) {
      auto v = eval(*a);
      if (v.failed) return v;
      args.push_back(std::move(v.value));
    }
    return cel_call(n, args, budget_);
  }

  outcome list(const cel_node& n) {
    auto out = std::make_shared<cel_list>();
    for (const auto& a : n.args) {
      auto v = eval(*a);
      if (v.failed) return v;
      out->push_back(std::move(v.value));
    }
    return cel_ok(cel_value{std::shared_ptr<const cel_list>(std::move(out))});
  }

  outcome map(const cel_node& n) {
    auto out = std::make_shared<cel_map>();
    for (std::size_t i = 0; i + 1 < n.args.size(); i += 2) {
      auto k = eval(*n.args[i]);
      if (k.failed) return k;
      if (kind_of(k.value) != cel_kind::string) return cel_error("unsupported map key type");
      auto v = eval(*n.args[i + 1]);
      if (v.failed) return v;
      std::string key(*as_string(k.value));
      for (const auto& [existing, _] : *out)
        if (existing == key) return cel_error("Failed with repeated key");
      out->emplace_back(std::move(key), std::move(v.value));
    }
    return cel_ok(cel_value{std::shared_ptr<const cel_map>(std::move(out))});
  }

  outcome binary(const cel_node& n) {
    if (n.bop == cel_bop::logical_and || n.bop == cel_bop::logical_or) return logical(n);
    auto a = eval(*n.args[0]);
    if (a.failed) return a;
    auto b = eval(*n.args[1]);
    if (b.failed) return b;
    switch (n.bop) {
      case cel_bop::eq: return cel_ok(cel_value{cel_equal(a.value, b.value)});
      case cel_bop::ne: return cel_ok(cel_value{!cel_equal(a.value, b.value)});
      case cel_bop::lt:
      case cel_bop::le:
      case cel_bop::gt:
      case cel_bop::ge: return compare(n.bop, a.value, b.value);
      case cel_bop::in: return contains(a.value, b.value);
      default: return arithmetic(n.bop, a.value, b.value, budget_);
    }
  }

  // CEL's commutative logic: false && error == false, true || error == true.
  outcome logical(const cel_node& n) {
    bool is_and = n.bop == cel_bop::logical_and;
    auto a = eval(*n.args[0]);
    bool a_bool = !a.failed && kind_of(a.value) == cel_kind::boolean;
    if (a_bool && std::get<bool>(a.value.v) != is_and) return a;  // short circuit
    auto b = eval(*n.args[1]);
    bool b_bool = !b.failed && kind_of(b.value) == cel_kind::boolean;
    if (b_bool && std::get<bool>(b.value.v) != is_and) return b;
    if (a.failed) return a;
    if (!a_bool) return cel_error(std::string(no_overload));
    if (b.failed) return b;
    if (!b_bool) return cel_error(std::string(no_overload));
    return cel_ok(cel_value{is_and});
  }

  outcome contains(const cel_value& needle, const cel_value& haystack) {
    cel_kind k = kind_of(haystack);
    if (k == cel_kind::list) {
      for (std::size_t i = 0; i < list_size(haystack); ++i) {
        if (!budget_.step()) return cel_error(std::string(cost_exceeded));
        if (cel_equal(needle, list_at(haystack, i))) return cel_ok(cel_value{true});
      }
      return cel_ok(cel_value{false});
    }
    if (k == cel_kind::map) {
      if (kind_of(needle) != cel_kind::string) return cel_ok(cel_value{false});
      return cel_ok(cel_value{map_get(haystack, *as_string(needle)).has_value()});
    }
    return cel_error(std::string(no_overload));
  }

  outcome comprehension(const cel_node& n) {
    auto range = eval(*n.args[0]);
    if (range.failed) return range;
    std::vector<cel_value> items;
    cel_kind k = kind_of(range.value);
    if (k == cel_kind::list) {
      for (std::size_t i = 0; i < list_size(range.value); ++i) items.push_back(list_at(range.value, i));
    } else if (k == cel_kind::map) {
      for (auto& key : map_keys(range.value)) items.push_back(cel_value{std::move(key)});
    } else {
      return cel_error(std::string("expression of type '") + type_name(k) + "' cannot be range of a comprehension");
    }
    auto results = std::make_shared<cel_list>();
    std::optional<outcome> first_error;
    std::int64_t trues = 0;
    for (auto& item : items) {
      if (!budget_.step()) return cel_error(std::string(cost_exceeded));
      vars_.emplace_back(n.var, item);
      auto pred = eval(*n.args[1]);
      if (n.macro == cel_macro::map || n.macro == cel_macro::map_filter) {
        outcome produced;
        bool keep = n.macro == cel_macro::map;
        if (n.macro == cel_macro::map) {
          produced = std::move(pred);
        } else if (pred.failed) {
          produced = std::move(pred);
        } else if (kind_of(pred.value) != cel_kind::boolean) {
          produced = cel_error(std::string(no_overload));
        } else if (std::get<bool>(pred.value.v)) {
          produced = eval(*n.args[2]);
          keep = true;
        }
        vars_.pop_back();
        if (produced.failed) return produced;
        if (!keep) continue;
        if (!budget_.take_bytes(sizeof(cel_value))) return cel_error(std::string(cost_exceeded));
        results->push_back(std::move(produced.value));
        continue;
      }
      vars_.pop_back();
      if (pred.failed) {
        if (n.macro == cel_macro::all || n.macro == cel_macro::exists) {
          if (!first_error) first_error = std::move(pred);
          continue;
        }
        return pred;
      }
      if (kind_of(pred.value) != cel_kind::boolean) return cel_error(std::string(no_overload));
      bool b = std::get<bool>(pred.value.v);
      switch (n.macro) {
        case cel_macro::all:
          if (!b) return cel_ok(cel_value{false});
          break;
        case cel_macro::exists:
          if (b) return cel_ok(cel_value{true});
          break;
        case cel_macro::exists_one: trues += b ? 1 : 0; break;
        case cel_macro::filter:
          if (b) {
            if (!budget_.take_bytes(sizeof(cel_value))) return cel_error(std::string(cost_exceeded));
            results->push_back(item);
          }
          break;
        default: break;
      }
    }
    switch (n.macro) {
      case cel_macro::all: return first_error ? *first_error : cel_ok(cel_value{true});
      case cel_macro::exists: return first_error ? *first_error : cel_ok(cel_value{false});
      case cel_macro::exists_one: return cel_ok(cel_value{trues == 1});
      default: return cel_ok(cel_value{std::shared_ptr<const cel_list>(std::move(results))});
    }
  }

  const json::value& self_;
  const json::value* old_self_;
  std::vector<std::pair<std::string_view, cel_value>> vars_;
  cel_budget budget_;
};

}  // namespace

cel_outcome cel_eval(const cel_node& root, const json::value& self, const json::value* old_self) {
  return evaluator(self, old_self).eval(root);
}

}  // namespace langop::localapi::detail
