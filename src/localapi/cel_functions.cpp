// CEL values over borrowed JSON, equality, and the function library (size, string
// methods, conversions).
#include "cel_runtime.hpp"
#include "go_format.hpp"

#include <charconv>
#include <cmath>

namespace langop::localapi::detail {

cel_kind kind_of(const cel_value& v) noexcept {
  switch (v.v.index()) {
    case 0: return cel_kind::null;
    case 1: return cel_kind::boolean;
    case 2: return cel_kind::int_;
    case 3: return cel_kind::uint_;
    case 4: return cel_kind::double_;
    case 5:
    case 10: return cel_kind::string;
    case 6:
    case 8: return cel_kind::list;
    default: return cel_kind::map;
  }
}

const char* type_name(cel_kind k) noexcept {
  switch (k) {
    case cel_kind::null: return "null_type";
    case cel_kind::boolean: return "bool";
    case cel_kind::int_: return "int";
    case cel_kind::uint_: return "uint";
    case cel_kind::double_: return "double";
    case cel_kind::string: return "string";
    case cel_kind::list: return "list";
    case cel_kind::map: return "map";
  }
  return "dyn";
}

cel_value from_json(const json::value& j) {
  switch (j.kind()) {
    case json::kind::null: return {};
    case json::kind::bool_: return cel_value{j.get_bool()};
    case json::kind::int64: return cel_value{j.get_int64()};
    case json::kind::uint64: return cel_value{j.get_uint64()};
    case json::kind::double_: return cel_value{j.get_double()};
    case json::kind::string: return cel_value{&j.get_string()};
    case json::kind::array: return cel_value{&j.get_array()};
    case json::kind::object: return cel_value{&j.get_object()};
  }
  return {};
}

std::optional<std::string_view> as_string(const cel_value& v) noexcept {
  if (auto* s = std::get_if<std::string>(&v.v)) return std::string_view(*s);
  if (auto* b = std::get_if<const json::string*>(&v.v)) return std::string_view(**b);
  return std::nullopt;
}

std::size_t list_size(const cel_value& v) noexcept {
  if (auto* a = std::get_if<const json::array*>(&v.v)) return (*a)->size();
  if (auto* l = std::get_if<std::shared_ptr<const cel_list>>(&v.v)) return (*l)->size();
  return 0;
}

cel_value list_at(const cel_value& v, std::size_t i) {
  if (auto* a = std::get_if<const json::array*>(&v.v)) return from_json((**a)[i]);
  return (*std::get<std::shared_ptr<const cel_list>>(v.v))[i];
}

std::size_t map_size(const cel_value& v) noexcept {
  if (auto* o = std::get_if<const json::object*>(&v.v)) return (*o)->size();
  if (auto* m = std::get_if<std::shared_ptr<const cel_map>>(&v.v)) return (*m)->size();
  return 0;
}

std::optional<cel_value> map_get(const cel_value& v, std::string_view key) {
  if (auto* o = std::get_if<const json::object*>(&v.v)) {
    auto it = (*o)->find(key);
    if (it == (*o)->end()) return std::nullopt;
    return from_json(it->value());
  }
  if (auto* m = std::get_if<std::shared_ptr<const cel_map>>(&v.v)) {
    for (const auto& [k, val] : **m)
      if (k == key) return val;
  }
  return std::nullopt;
}

std::vector<std::string> map_keys(const cel_value& v) {
  std::vector<std::string> out;
  if (auto* o = std::get_if<const json::object*>(&v.v)) {
    for (const auto& kv : **o) out.emplace_back(kv.key());
  } else if (auto* m = std::get_if<std::shared_ptr<const cel_map>>(&v.v)) {
    for (const auto& kv : **m) out.push_back(kv.first);
  }
  return out;
}

bool cel_equal(const cel_value& a, const cel_value& b, int depth) {
  if (depth > 512) return false;
  cel_kind ka = kind_of(a), kb = kind_of(b);
  auto numeric = [](cel_kind k) { return k == cel_kind::int_ || k == cel_kind::uint_ || k == cel_kind::double_; };
  if (numeric(ka) && numeric(kb)) {
    auto value = [](const cel_value& v) -> long double {
      if (auto* i = std::get_if<std::int64_t>(&v.v)) return static_cast<long double>(*i);
      if (auto* u = std::get_if<std::uint64_t>(&v.v)) return static_cast<long double>(*u);
      return static_cast<long double>(std::get<double>(v.v));
    };
    return value(a) == value(b);
  }
  if (ka != kb) return false;  // heterogeneous equality is false, never an error
  switch (ka) {
    case cel_kind::null: return true;
    case cel_kind::boolean: return std::get<bool>(a.v) == std::get<bool>(b.v);
    case cel_kind::string: return *as_string(a) == *as_string(b);
    case cel_kind::list: {
      std::size_t n = list_size(a);
      if (n != list_size(b)) return false;
      for (std::size_t i = 0; i < n; ++i)
        if (!cel_equal(list_at(a, i), list_at(b, i), depth + 1)) return false;
      return true;
    }
    case cel_kind::map: {
      if (map_size(a) != map_size(b)) return false;
      for (const auto& k : map_keys(a)) {
        auto x = map_get(a, k);
        auto y = map_get(b, k);
        if (!y || !cel_equal(*x, *y, depth + 1)) return false;
      }
      return true;
    }
    default: return false;
  }
}

namespace {

using outcome = cel_outcome;

std::optional<std::string_view> str(const cel_value& v) { return as_string(v); }

// Values quoted in messages are cut short: a message is not a place for a megabyte.
std::string shown(std::string_view s) {
  if (s.size() <= 64) return std::string(s);
  return std::string(s.substr(0, 64)) + "...";
}

outcome to_int(const cel_value& v) {
  switch (kind_of(v)) {
    case cel_kind::int_: return cel_ok(v);
    case cel_kind::uint_: {
      auto u = std::get<std::uint64_t>(v.v);
      if (u > static_cast<std::uint64_t>(INT64_MAX)) return cel_error("int range error");
      return cel_ok(cel_value{static_cast<std::int64_t>(u)});
    }
    case cel_kind::double_: {
      double d = std::get<double>(v.v);
      if (!std::isfinite(d) || d >= 9223372036854775808.0 || d < -9223372036854775808.0)
        return cel_error("int range error");
      return cel_ok(cel_value{static_cast<std::int64_t>(d)});
    }
    case cel_kind::string: {
      auto s = *as_string(v);
      std::int64_t i = 0;
      const char* b = s.data();
      if (!s.empty() && s[0] == '+') ++b;
      auto r = std::from_chars(b, s.data() + s.size(), i);
      if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size())
        return cel_error("cannot convert string '" + shown(s) + "' to int");
      return cel_ok(cel_value{i});
    }
    default: return cel_error(std::string(no_overload));
  }
}

outcome to_uint(const cel_value& v) {
  switch (kind_of(v)) {
    case cel_kind::uint_: return cel_ok(v);
    case cel_kind::int_: {
      auto i = std::get<std::int64_t>(v.v);
      if (i < 0) return cel_error("uint range error");
      return cel_ok(cel_value{static_cast<std::uint64_t>(i)});
    }
    case cel_kind::double_: {
      double d = std::get<double>(v.v);
      if (!std::isfinite(d) || d < 0 || d >= 18446744073709551616.0) return cel_error("uint range error");
      return cel_ok(cel_value{static_cast<std::uint64_t>(d)});
    }
    case cel_kind::string: {
      auto s = *as_string(v);
      std::uint64_t u = 0;
      auto r = std::from_chars(s.data(), s.data() + s.size(), u);
      if (s.empty() || r.ec != std::errc() || r.ptr != s.data() + s.size())
        return cel_error("cannot convert string '" + shown(s) + "' to uint");
      return cel_ok(cel_value{u});
    }
    default: return cel_error(std::string(no_overload));
  }
}

outcome to_double(const cel_value& v) {
  switch (kind_of(v)) {
    case cel_kind::double_: return cel_ok(v);
    case cel_kind::int_: return cel_ok(cel_value{static_cast<double>(std::get<std::int64_t>(v.v))});
    case cel_kind::uint_: return cel_ok(cel_value{static_cast<double>(std::get<std::uint64_t>(v.v))});
    case cel_kind::string: {
      auto s = *as_string(v);
      double d = 0;
      auto r = std::from_chars(s.data(), s.data() + s.size(), d);
      if (s.empty() || (r.ec != std::errc() && r.ec != std::errc::result_out_of_range) ||
          r.ptr != s.data() + s.size())
        return cel_error("cannot convert string '" + shown(s) + "' to double");
      return cel_ok(cel_value{d});
    }
    default: return cel_error(std::string(no_overload));
  }
}

outcome to_string(const cel_value& v) {
  switch (kind_of(v)) {
    case cel_kind::string: return cel_ok(v);
    case cel_kind::int_: return cel_ok(cel_value{std::to_string(std::get<std::int64_t>(v.v))});
    case cel_kind::uint_: return cel_ok(cel_value{std::to_string(std::get<std::uint64_t>(v.v))});
    case cel_kind::double_: return cel_ok(cel_value{go_float(std::get<double>(v.v))});
    case cel_kind::boolean: return cel_ok(cel_value{std::string(std::get<bool>(v.v) ? "true" : "false")});
    default: return cel_error(std::string(no_overload));
  }
}

outcome to_bool(const cel_value& v) {
  if (kind_of(v) == cel_kind::boolean) return cel_ok(v);
  auto s = str(v);
  if (!s) return cel_error(std::string(no_overload));
  // strconv.ParseBool
  for (std::string_view t : {"1", "t", "T", "TRUE", "true", "True"})
    if (*s == t) return cel_ok(cel_value{true});
  for (std::string_view f : {"0", "f", "F", "FALSE", "false", "False"})
    if (*s == f) return cel_ok(cel_value{false});
  return cel_error("cannot convert string '" + shown(*s) + "' to bool");
}

bool is_space_rune(char32_t r) {
  return r == ' ' || (r >= '\t' && r <= '\r') || r == 0x85 || r == 0xA0 || r == 0x1680 ||
         (r >= 0x2000 && r <= 0x200A) || r == 0x2028 || r == 0x2029 || r == 0x202F || r == 0x205F || r == 0x3000;
}

std::string trim(std::string_view s) {
  std::size_t begin = 0, end = s.size();
  while (begin < end) {
    std::size_t i = begin;
    if (!is_space_rune(decode_rune(s, i))) break;
    begin = i;
  }
  // Find the end by scanning runes forward and remembering the last non-space end.
  std::size_t last = begin;
  for (std::size_t i = begin; i < end;) {
    char32_t r = decode_rune(s, i);
    if (!is_space_rune(r)) last = i;
  }
  return std::string(s.substr(begin, last - begin));
}

outcome split(std::string_view s, std::string_view sep, cel_budget& budget) {
  auto out = std::make_shared<cel_list>();
  if (!budget.take_bytes(s.size() * 2 + sizeof(cel_value))) return cel_error(std::string(cost_exceeded));
  if (sep.empty()) {  // strings.Split(s, "") splits after each UTF-8 sequence
    for (std::size_t i = 0; i < s.size();) {
      std::size_t start = i;
      (void)decode_rune(s, i);
      out->push_back(cel_value{std::string(s.substr(start, i - start))});
    }
  } else {
    std::size_t start = 0;
    while (true) {
      auto at = s.find(sep, start);
      if (at == std::string_view::npos) break;
      out->push_back(cel_value{std::string(s.substr(start, at - start))});
      start = at + sep.size();
    }
    out->push_back(cel_value{std::string(s.substr(start))});
  }
  if (!budget.take_bytes(out->size() * sizeof(cel_value))) return cel_error(std::string(cost_exceeded));
  return cel_ok(cel_value{std::shared_ptr<const cel_list>(std::move(out))});
}

outcome replace(std::string_view s, std::string_view from, std::string_view to, cel_budget& budget) {
  std::size_t count = 0;
  if (from.empty()) {
    count = rune_count(s) + 1;
  } else {
    for (auto at = s.find(from); at != std::string_view::npos; at = s.find(from, at + from.size())) ++count;
  }
  if (!budget.take_bytes(s.size() + count * to.size())) return cel_error(std::string(cost_exceeded));
  std::string out;
  if (from.empty()) {  // strings.Replace with an empty old inserts `to` around every rune
    out += to;
    for (std::size_t i = 0; i < s.size();) {
      std::size_t start = i;
      (void)decode_rune(s, i);
      out.append(s.substr(start, i - start));
      out += to;
    }
  } else {
    std::size_t start = 0;
    for (auto at = s.find(from); at != std::string_view::npos; at = s.find(from, start)) {
      out.append(s.substr(start, at - start));
      out += to;
      start = at + from.size();
    }
    out.append(s.substr(start));
  }
  return cel_ok(cel_value{std::move(out)});
}

outcome matches(const cel_node& call, std::string_view text, std::string_view pattern, cel_budget& budget) {
  std::shared_ptr<const safe_regex> re = call.regex;
  if (!re) {
    if (!budget.take_bytes(pattern.size() * 16)) return cel_error(std::string(cost_exceeded));
    auto compiled = compile_regex(pattern);
    if (auto* err = std::get_if<std::string>(&compiled)) return cel_error(*err);
    re = std::get<std::shared_ptr<const safe_regex>>(compiled);
  }
  auto found = regex_search(*re, text);
  if (!found) return cel_error("regular expression match too expensive");
  return cel_ok(cel_value{*found});
}

}  // namespace

cel_outcome cel_call(const cel_node& call, std::vector<cel_value>& args, cel_budget& budget) {
  const std::string& fn = call.name;
  const std::size_t n = args.size();
  auto arg_str = [&](std::size_t i) { return i < n ? str(args[i]) : std::nullopt; };

  if (fn == "size" && n == 1) {
    switch (kind_of(args[0])) {
      case cel_kind::string: return cel_ok(cel_value{static_cast<std::int64_t>(rune_count(*str(args[0])))});
      case cel_kind::list: return cel_ok(cel_value{static_cast<std::int64_t>(list_size(args[0]))});
      case cel_kind::map: return cel_ok(cel_value{static_cast<std::int64_t>(map_size(args[0]))});
      default: return cel_error(std::string(no_overload));
    }
  }
  if (fn == "int" && n == 1) return to_int(args[0]);
  if (fn == "uint" && n == 1) return to_uint(args[0]);
  if (fn == "double" && n == 1) return to_double(args[0]);
  if (fn == "string" && n == 1) return to_string(args[0]);
  if (fn == "bool" && n == 1) return to_bool(args[0]);
  if (fn == "dyn" && n == 1) return cel_ok(args[0]);

  // Everything below operates on a string target (join on a list).
  if (fn == "join" && (n == 1 || n == 2)) {
    if (kind_of(args[0]) != cel_kind::list) return cel_error(std::string(no_overload));
    std::string_view sep;  // join() without a separator concatenates
    if (n == 2) {
      auto given = arg_str(1);
      if (!given) return cel_error(std::string(no_overload));
      sep = *given;
    }
    std::string out;
    for (std::size_t i = 0; i < list_size(args[0]); ++i) {
      auto item = list_at(args[0], i);
      auto s = str(item);
      if (!s) return cel_error(std::string(no_overload));
      if (!budget.take_bytes(s->size() + sep.size())) return cel_error(std::string(cost_exceeded));
      if (i) out += sep;
      out += *s;
    }
    return cel_ok(cel_value{std::move(out)});
  }
  auto target = arg_str(0);
  if (!target) return cel_error(std::string(no_overload));
  if (n == 1) {
    if (fn == "lowerAscii" || fn == "upperAscii") {
      if (!budget.take_bytes(target->size())) return cel_error(std::string(cost_exceeded));
      std::string out(*target);
      for (char& c : out) {
        if (fn == "lowerAscii" && c >= 'A' && c <= 'Z') c = static_cast<char>(c - 'A' + 'a');
        if (fn == "upperAscii" && c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
      }
      return cel_ok(cel_value{std::move(out)});
    }
    if (fn == "trim") return cel_ok(cel_value{trim(*target)});
    return cel_error(std::string(no_overload));
  }
  auto a1 = arg_str(1);
  if (!a1) return cel_error(std::string(no_overload));
  if (n == 2) {
    if (fn == "startsWith") return cel_ok(cel_value{target->compare(0, a1->size(), *a1) == 0});
    if (fn == "endsWith")
      return cel_ok(cel_value{a1->size() <= target->size() &&
                              target->compare(target->size() - a1->size(), a1->size(), *a1) == 0});
    if (fn == "contains") return cel_ok(cel_value{target->find(*a1) != std::string_view::npos});
    if (fn == "matches") return matches(call, *target, *a1, budget);
    if (fn == "split") return split(*target, *a1, budget);
    return cel_error(std::string(no_overload));
  }
  auto a2 = arg_str(2);
  if (n == 3 && a2 && fn == "replace") return replace(*target, *a1, *a2, budget);
  return cel_error(std::string(no_overload));
}

}  // namespace langop::localapi::detail
