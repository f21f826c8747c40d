// Label selectors (k8s.io/apimachinery/pkg/labels), parsed and matched the way
// kube-apiserver does, including its error wording.
#include "langop/localapi/selector.hpp"

#include "label_validation.hpp"

#include <boost/json/serialize.hpp>
#include <boost/system/errc.hpp>

#include <algorithm>
#include <charconv>
#include <optional>

namespace langop::localapi {
namespace {

using op = label_requirement::op;

error bad_selector(std::string message) {
  return error(make_error_code(boost::system::errc::invalid_argument), std::move(message), 400, "BadRequest");
}

// ---- lexer (mirrors labels.Lexer: identifiers run until whitespace or a special symbol) ----

enum class tok { end, ident, not_op, not_equals, equals, double_equals, open, close, comma, in, not_in, greater, less };

struct token {
  tok kind = tok::end;
  std::string_view text;
};

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool is_special(char c) {
  return c == '=' || c == '!' || c == '(' || c == ')' || c == ',' || c == '>' || c == '<';
}

std::optional<tok> symbol(std::string_view s) {
  if (s == "(") return tok::open;
  if (s == ")") return tok::close;
  if (s == ",") return tok::comma;
  if (s == "!") return tok::not_op;
  if (s == "!=") return tok::not_equals;
  if (s == "=") return tok::equals;
  if (s == "==") return tok::double_equals;
  if (s == ">") return tok::greater;
  if (s == "<") return tok::less;
  return std::nullopt;
}

std::vector<token> lex(std::string_view s) {
  std::vector<token> out;
  std::size_t pos = 0;
  for (;;) {
    while (pos < s.size() && is_space(s[pos])) ++pos;
    // Like the Go lexer, a NUL byte reads as the end of the string.
    if (pos >= s.size() || s[pos] == '\0') break;
    const std::size_t start = pos;
    if (is_special(s[pos])) {
      // Longest run of special symbols that still forms a token ("!=" but "=" then "!").
      tok kind = *symbol(s.substr(pos, 1));
      std::size_t len = 1;
      while (start + len < s.size() && is_special(s[start + len])) {
        auto longer = symbol(s.substr(start, len + 1));
        if (!longer) break;
        kind = *longer;
        ++len;
      }
      pos = start + len;
      out.push_back({kind, s.substr(start, len)});
      continue;
    }
    while (pos < s.size() && s[pos] != '\0' && !is_space(s[pos]) && !is_special(s[pos])) ++pos;
    std::string_view word = s.substr(start, pos - start);
    tok kind = word == "in" ? tok::in : word == "notin" ? tok::not_in : tok::ident;
    out.push_back({kind, word});
  }
  out.push_back({tok::end, {}});
  return out;
}

// ---- validation shared by the parser and from_json ----

std::string quoted(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::optional<std::int64_t> parse_int64(std::string_view s) {
  // strconv.ParseInt(s, 10, 64): optional sign, decimal digits, no overflow.
  if (!s.empty() && s.front() == '+') s.remove_prefix(1);
  if (s.empty() || s.front() == '+') return std::nullopt;
  std::int64_t v = 0;
  auto [ptr, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || ptr != s.data() + s.size()) return std::nullopt;
  return v;
}

// NewRequirement's checks: operator arity, integer values for gt/lt, valid label values.
std::optional<std::string> validate(const label_requirement& r) {
  if (auto msg = detail::label_key_error(r.key)) return "key: Invalid value: " + quoted(r.key) + ": " + *msg;
  switch (r.operation) {
    case op::in:
    case op::not_in:
      if (r.values.empty()) return "values: Invalid value: []: for 'in', 'notin' operators, values set can't be empty";
      break;
    case op::equals:
    case op::not_equals:
      if (r.values.size() != 1) return "values: Invalid value: exact-match compatibility requires one single value";
      break;
    case op::exists:
    case op::does_not_exist:
      if (!r.values.empty()) return "values: Invalid value: values set must be empty for exists and does not exist";
      break;
    case op::greater_than:
    case op::less_than:
      if (r.values.size() != 1) return "values: Invalid value: for 'Gt', 'Lt' operators, exactly one value is required";
      if (!parse_int64(r.values.front()))
        return "values[0]: Invalid value: " + quoted(r.values.front()) +
               ": for 'Gt', 'Lt' operators, the value must be an integer";
      break;
  }
  for (std::size_t i = 0; i < r.values.size(); ++i) {
    if (auto msg = detail::label_value_error(r.values[i]))
      return "values[" + std::to_string(i) + "][" + r.key + "]: Invalid value: " + quoted(r.values[i]) + ": " + *msg;
  }
  return std::nullopt;
}

void sort_unique(std::vector<std::string>& v) {
  std::sort(v.begin(), v.end());
  v.erase(std::unique(v.begin(), v.end()), v.end());
}

// ---- parser (mirrors labels.Parser, including its error wording) ----

class parser {
 public:
  explicit parser(std::string_view text) : tokens_(lex(text)) {}

  result<std::vector<label_requirement>> parse() {
    std::vector<label_requirement> reqs;
    for (;;) {
      token t = peek(true);
      if (t.kind == tok::end) return reqs;
      if (t.kind != tok::ident && t.kind != tok::not_op)
        return bad_selector("found '" + std::string(t.text) + "', expected: !, identifier, or 'end of string'");
      auto r = parse_requirement();
      if (!r) return bad_selector("unable to parse requirement: " + r.error().message);
      reqs.push_back(std::move(*r));
      token sep = next(true);
      if (sep.kind == tok::end) return reqs;
      if (sep.kind != tok::comma)
        return bad_selector("found '" + std::string(sep.text) + "', expected: ',' or 'end of string'");
      token after = peek(true);
      if (after.kind != tok::ident && after.kind != tok::not_op)
        return bad_selector("found '" + std::string(after.text) + "', expected: identifier after ','");
    }
  }

 private:
  // In value position the keywords "in"/"notin" are ordinary identifiers.
  token peek(bool values) const { return adjust(tokens_[pos_], values); }
  token next(bool values) {
    token t = adjust(tokens_[pos_], values);
    if (pos_ + 1 < tokens_.size()) ++pos_;
    return t;
  }
  static token adjust(token t, bool values) {
    if (values && (t.kind == tok::in || t.kind == tok::not_in)) t.kind = tok::ident;
    return t;
  }

  result<label_requirement> parse_requirement() {
    label_requirement r;
    std::optional<op> unary;
    token t = next(true);
    if (t.kind == tok::not_op) {
      unary = op::does_not_exist;
      t = next(true);
    }
    if (t.kind != tok::ident) return bad_selector("found '" + std::string(t.text) + "', expected: identifier");
    r.key = std::string(t.text);
    if (auto msg = detail::label_key_error(r.key))
      return bad_selector("key: Invalid value: " + quoted(r.key) + ": " + *msg);
    token la = peek(true);
    if (!unary && (la.kind == tok::end || la.kind == tok::comma)) unary = op::exists;
    if (unary) {
      // "!key=x" ends here; the caller then rejects the dangling "=".
      r.operation = *unary;
      return r;
    }
    token o = next(false);
    switch (o.kind) {
      case tok::in: r.operation = op::in; break;
      case tok::not_in: r.operation = op::not_in; break;
      case tok::equals:
      case tok::double_equals: r.operation = op::equals; break;
      case tok::not_equals: r.operation = op::not_equals; break;
      case tok::greater: r.operation = op::greater_than; break;
      case tok::less: r.operation = op::less_than; break;
      default:
        return bad_selector("found '" + std::string(o.text) + "', expected: in, notin, =, ==, !=, gt, lt");
    }
    auto values = (r.operation == op::in || r.operation == op::not_in) ? parse_set() : parse_exact();
    if (!values) return values.error();
    r.values = std::move(*values);
    sort_unique(r.values);
    if (auto msg = validate(r)) return bad_selector(*msg);
    return r;
  }

  result<std::vector<std::string>> parse_exact() {
    token t = peek(true);
    if (t.kind == tok::end || t.kind == tok::comma) return std::vector<std::string>{""};  // "a=" means a == ""
    t = next(true);
    if (t.kind != tok::ident) return bad_selector("found '" + std::string(t.text) + "', expected: identifier");
    return std::vector<std::string>{std::string(t.text)};
  }

  result<std::vector<std::string>> parse_set() {
    token t = next(true);
    if (t.kind != tok::open) return bad_selector("found '" + std::string(t.text) + "', expected: '('");
    t = peek(true);
    if (t.kind == tok::close) {
      next(true);
      return std::vector<std::string>{""};  // "()" is the set {""}, as in kube
    }
    if (t.kind != tok::ident && t.kind != tok::comma)
      return bad_selector("found '" + std::string(t.text) + "', expected: ',', ')' or identifier");
    auto values = parse_identifiers();
    if (!values) return values;
    t = next(true);
    if (t.kind != tok::close) return bad_selector("found '" + std::string(t.text) + "', expected: ')'");
    return values;
  }

  // Empty members ("(a,,b)", "(,a)", "(a,)") are the empty string, as in kube.
  result<std::vector<std::string>> parse_identifiers() {
    std::vector<std::string> out;
    for (;;) {
      token t = next(true);
      if (t.kind == tok::ident) {
        out.emplace_back(t.text);
        token la = peek(true);
        if (la.kind == tok::comma) continue;
        if (la.kind == tok::close) return out;
        return bad_selector("found '" + std::string(la.text) + "', expected: ',' or ')'");
      }
      if (t.kind != tok::comma)
        return bad_selector("found '" + std::string(t.text) + "', expected: ',', or identifier");
      if (out.empty()) out.emplace_back();
      token la = peek(true);
      if (la.kind == tok::close) {
        out.emplace_back();
        return out;
      }
      if (la.kind == tok::comma) {
        next(true);
        out.emplace_back();
      }
    }
  }

  std::vector<token> tokens_;
  std::size_t pos_ = 0;
};

void sort_by_key(std::vector<label_requirement>& reqs) {
  std::stable_sort(reqs.begin(), reqs.end(), [](const auto& a, const auto& b) { return a.key < b.key; });
}

// A label value as text; labels should be strings, anything else compares by its JSON text.
std::string label_text(const json::value& v) {
  if (const auto* s = v.if_string()) return std::string(*s);
  return json::serialize(v);
}

bool requirement_matches(const label_requirement& r, const json::object* labels) {
  const json::value* v = nullptr;
  if (labels) {
    auto it = labels->find(r.key);
    if (it != labels->end()) v = &it->value();
  }
  auto has_value = [&] { return std::find(r.values.begin(), r.values.end(), label_text(*v)) != r.values.end(); };
  switch (r.operation) {
    case op::equals:
    case op::in: return v && has_value();
    case op::not_equals:
    case op::not_in: return !v || !has_value();
    case op::exists: return v != nullptr;
    case op::does_not_exist: return v == nullptr;
    case op::greater_than:
    case op::less_than: {
      if (!v || r.values.size() != 1) return false;
      auto have = parse_int64(label_text(*v));
      auto want = parse_int64(r.values.front());
      if (!have || !want) return false;
      return r.operation == op::greater_than ? *have > *want : *have < *want;
    }
  }
  return false;
}

// ---- metav1.LabelSelector ----

result<std::vector<std::string>> string_list(const json::value* v, std::string_view what) {
  std::vector<std::string> out;
  if (!v || v->is_null()) return out;
  const auto* arr = v->if_array();
  if (!arr) return bad_selector(std::string(what) + " must be a list of strings");
  for (const auto& e : *arr) {
    if (!e.is_string()) return bad_selector(std::string(what) + " must be a list of strings");
    out.emplace_back(e.get_string());
  }
  return out;
}

result<label_requirement> expression_from_json(const json::value& expr, std::size_t index) {
  const std::string where = "matchExpressions[" + std::to_string(index) + "]";
  const auto* obj = expr.if_object();
  if (!obj) return bad_selector(where + " must be an object");
  label_requirement r;
  if (const auto* key = obj->if_contains("key"); key && !key->is_null()) {
    if (!key->is_string()) return bad_selector(where + ".key must be a string");
    r.key = std::string(key->get_string());
  }
  std::string_view oper;
  if (const auto* o = obj->if_contains("operator"); o && o->is_string()) oper = o->get_string();
  if (oper == "In") r.operation = op::in;
  else if (oper == "NotIn") r.operation = op::not_in;
  else if (oper == "Exists") r.operation = op::exists;
  else if (oper == "DoesNotExist") r.operation = op::does_not_exist;
  else return bad_selector(quoted(oper) + " is not a valid label selector operator");
  auto values = string_list(obj->if_contains("values"), where + ".values");
  if (!values) return values.error();
  r.values = std::move(*values);
  sort_unique(r.values);
  if (auto msg = validate(r)) return bad_selector(*msg);
  return r;
}

}  // namespace

result<label_selector> label_selector::parse(std::string_view text) {
  auto reqs = parser(text).parse();
  if (!reqs) return reqs.error();
  label_selector s;
  s.reqs_ = std::move(*reqs);
  sort_by_key(s.reqs_);
  return s;
}

result<label_selector> label_selector::from_json(const json::value& selector) {
  label_selector s;
  if (selector.is_null()) return s;
  const auto* obj = selector.if_object();
  if (!obj) return bad_selector("label selector must be an object");
  if (const auto* ml = obj->if_contains("matchLabels"); ml && !ml->is_null()) {
    const auto* labels = ml->if_object();
    if (!labels) return bad_selector("matchLabels must be an object of strings");
    for (const auto& [k, v] : *labels) {
      if (!v.is_string()) return bad_selector("matchLabels[" + std::string(k) + "] must be a string");
      label_requirement r{std::string(k), op::equals, {std::string(v.get_string())}};
      if (auto msg = validate(r)) return bad_selector(*msg);
      s.reqs_.push_back(std::move(r));
    }
  }
  if (const auto* me = obj->if_contains("matchExpressions"); me && !me->is_null()) {
    const auto* exprs = me->if_array();
    if (!exprs) return bad_selector("matchExpressions must be a list");
    for (std::size_t i = 0; i < exprs->size(); ++i) {
      auto r = expression_from_json((*exprs)[i], i);
      if (!r) return r.error();
      s.reqs_.push_back(std::move(*r));
    }
  }
  sort_by_key(s.reqs_);
  return s;
}

bool label_selector::matches(const json::object* labels) const {
  return std::all_of(reqs_.begin(), reqs_.end(), [&](const auto& r) { return requirement_matches(r, labels); });
}

std::string label_selector::to_string() const {
  std::string out;
  for (const auto& r : reqs_) {
    if (!out.empty()) out += ',';
    auto joined = [&] {
      std::string s;
      for (std::size_t i = 0; i < r.values.size(); ++i) s += (i ? "," : "") + r.values[i];
      return s;
    };
    const std::string first = r.values.empty() ? std::string() : r.values.front();
    switch (r.operation) {
      case op::equals: out += r.key + "=" + first; break;
      case op::not_equals: out += r.key + "!=" + first; break;
      case op::in: out += r.key + " in (" + joined() + ")"; break;
      case op::not_in: out += r.key + " notin (" + joined() + ")"; break;
      case op::exists: out += r.key; break;
      case op::does_not_exist: out += "!" + r.key; break;
      case op::greater_than: out += r.key + ">" + first; break;
      case op::less_than: out += r.key + "<" + first; break;
    }
  }
  return out;
}

}  // namespace langop::localapi
