// JSONPath parsing: a hand-written recursive descent over the client-go grammar subset
// (fields with backslash escapes, wildcards, recursive descent, indices, slices, quoted
// key unions and filters), producing the step list the evaluator walks.
#include "jsonpath_detail.hpp"

#include <boost/system/errc.hpp>

#include <charconv>
#include <cmath>
#include <utility>

namespace langop::localapi {
namespace {

using detail::step_ptr;
using operand = detail::jsonpath_operand;
constexpr int max_filter_nesting = detail::jsonpath_max_filter_nesting;

error parse_error(std::string msg) {
  return error(boost::system::errc::make_error_code(boost::system::errc::invalid_argument), std::move(msg));
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r'; }

// Characters that end an unquoted field name (client-go's isTerminator).
bool is_terminator(char c) {
  switch (c) {
    case '.':
    case ',':
    case '[':
    case ']':
    case '$':
    case '@':
    case '{':
    case '}':
      return true;
    default:
      return is_space(c);
  }
}

class parser {
 public:
  parser(std::string_view text, int depth) : s_(text), depth_(depth) {}

  // A whole path: segments until the end of input.
  result<std::vector<step_ptr>> parse_path() {
    std::vector<step_ptr> steps;
    skip_space();
    if (peek() == '$') ++pos_;
    while (true) {
      skip_space();
      if (at_end()) break;
      char c = peek();
      if (c == '.') {
        ++pos_;
        bool recursive = false;
        if (peek() == '.') {
          ++pos_;
          recursive = true;
          auto r = std::make_shared<jsonpath::step>();
          r->k = jsonpath::step::kind::recursive;
          steps.push_back(std::move(r));
        }
        if (peek() == '[') {
          if (!recursive) return parse_error("unexpected '[' after '.' at position " + std::to_string(pos_));
          auto b = parse_bracket();
          if (!b) return b.error();
          steps.push_back(std::move(*b));
          continue;
        }
        auto f = parse_field();
        if (!f) return f.error();
        if (*f)
          steps.push_back(std::move(*f));
        else if (!recursive && !at_end())
          return parse_error("empty field name at position " + std::to_string(pos_));
        // A trailing "." (".metadata.") is accepted like client-go does: it selects the current value.
      } else if (c == '[') {
        auto b = parse_bracket();
        if (!b) return b.error();
        steps.push_back(std::move(*b));
      } else {
        return parse_error(std::string("unexpected character '") + c + "' at position " + std::to_string(pos_));
      }
    }
    return steps;
  }

 private:
  [[nodiscard]] bool at_end() const { return pos_ >= s_.size(); }
  [[nodiscard]] char peek(std::size_t ahead = 0) const { return pos_ + ahead < s_.size() ? s_[pos_ + ahead] : '\0'; }
  void skip_space() {
    while (!at_end() && is_space(s_[pos_])) ++pos_;
  }

  // Unquoted field name with backslash escapes ("a\.b" is the key "a.b"); "*" is the wildcard.
  // Returns null for an empty name.
  result<step_ptr> parse_field() {
    std::string name;
    while (!at_end()) {
      char c = s_[pos_];
      if (c == '\\') {
        if (pos_ + 1 >= s_.size()) return parse_error("dangling escape at end of expression");
        name += s_[pos_ + 1];
        pos_ += 2;
        continue;
      }
      if (is_terminator(c)) break;
      name += c;
      ++pos_;
    }
    if (name.empty()) return step_ptr{};
    auto st = std::make_shared<jsonpath::step>();
    if (name == "*") {
      st->k = jsonpath::step::kind::wildcard;
    } else {
      st->k = jsonpath::step::kind::field;
      st->names.push_back(std::move(name));
    }
    return step_ptr(std::move(st));
  }

  result<std::string> parse_quoted() {
    char q = s_[pos_++];
    std::string out;
    while (!at_end()) {
      char c = s_[pos_++];
      if (c == '\\' && !at_end()) {
        char e = s_[pos_++];
        switch (e) {
          case 'n':
            out += '\n';
            break;
          case 't':
            out += '\t';
            break;
          default:
            out += e;
            break;
        }
        continue;
      }
      if (c == q) return out;
      out += c;
    }
    return parse_error("unterminated quoted string");
  }

  static std::optional<std::int64_t> to_int(std::string_view t) {
    if (t.empty()) return std::nullopt;
    std::int64_t v = 0;
    auto [p, ec] = std::from_chars(t.data(), t.data() + t.size(), v);
    if (ec != std::errc() || p != t.data() + t.size()) return std::nullopt;
    return v;
  }

  // "[...]": wildcard, filter, quoted-key union, index union or slice.
  result<step_ptr> parse_bracket() {
    ++pos_;  // '['
    skip_space();
    auto st = std::make_shared<jsonpath::step>();
    if (peek() == '?') return parse_filter();
    if (peek() == '*') {
      ++pos_;
      skip_space();
      if (peek() != ']') return parse_error("expected ']' after '[*'");
      ++pos_;
      st->k = jsonpath::step::kind::wildcard;
      return step_ptr(std::move(st));
    }
    if (peek() == '\'' || peek() == '"') {
      st->k = jsonpath::step::kind::field;
      while (true) {
        skip_space();
        if (peek() != '\'' && peek() != '"') return parse_error("expected a quoted key in '[...]'");
        auto key = parse_quoted();
        if (!key) return key.error();
        st->names.push_back(std::move(*key));
        skip_space();
        if (peek() == ',') {
          ++pos_;
          continue;
        }
        if (peek() == ']') {
          ++pos_;
          return step_ptr(std::move(st));
        }
        return parse_error("expected ',' or ']' after a quoted key");
      }
    }
    auto close = s_.find(']', pos_);
    if (close == std::string_view::npos) return parse_error("unclosed '['");
    std::string body;
    for (char c : s_.substr(pos_, close - pos_))
      if (!is_space(c)) body += c;
    pos_ = close + 1;
    if (body.find(':') != std::string::npos) {
      // start:end[:step], each part optional.
      std::string_view b(body);
      auto c1 = b.find(':');
      auto c2 = b.find(':', c1 + 1);
      std::string_view a = b.substr(0, c1);
      std::string_view e = b.substr(c1 + 1, c2 == std::string_view::npos ? std::string_view::npos : c2 - c1 - 1);
      std::string_view s = c2 == std::string_view::npos ? std::string_view{} : b.substr(c2 + 1);
      if (s.find(':') != std::string_view::npos) return parse_error("invalid slice '[" + body + "]'");
      st->k = jsonpath::step::kind::slice;
      if (!a.empty()) {
        st->start = to_int(a);
        if (!st->start) return parse_error("invalid slice start '" + std::string(a) + "'");
      }
      if (!e.empty()) {
        st->end = to_int(e);
        if (!st->end) return parse_error("invalid slice end '" + std::string(e) + "'");
      }
      if (!s.empty()) {
        auto v = to_int(s);
        if (!v || *v <= 0) return parse_error("invalid slice step '" + std::string(s) + "'");
        st->stride = *v;
      }
      return step_ptr(std::move(st));
    }
    st->k = jsonpath::step::kind::indices;
    std::string_view rest(body);
    while (true) {
      auto comma = rest.find(',');
      auto part = rest.substr(0, comma);
      auto v = to_int(part);
      if (!v) return parse_error("invalid array index '" + std::string(part) + "'");
      st->indices.push_back(*v);
      if (comma == std::string_view::npos) break;
      rest.remove_prefix(comma + 1);
    }
    return step_ptr(std::move(st));
  }

  // "[?(<lhs> [op <rhs>])]" — the body ends at the ')' that is outside quotes.
  result<step_ptr> parse_filter() {
    ++pos_;  // '?'
    skip_space();
    if (peek() != '(') return parse_error("expected '(' after '[?'");
    ++pos_;
    if (depth_ >= max_filter_nesting) return parse_error("filters nested too deeply");
    std::size_t begin = pos_;
    char quote = 0;
    int parens = 0;
    for (; pos_ < s_.size(); ++pos_) {
      char c = s_[pos_];
      if (quote) {
        if (c == '\\')
          ++pos_;
        else if (c == quote)
          quote = 0;
        continue;
      }
      if (c == '\'' || c == '"')
        quote = c;
      else if (c == '(')
        ++parens;
      else if (c == ')') {
        if (parens == 0) break;
        --parens;
      }
    }
    if (pos_ >= s_.size()) return parse_error("unterminated filter");
    std::string_view body = s_.substr(begin, pos_ - begin);
    ++pos_;  // ')'
    skip_space();
    if (peek() != ']') return parse_error("unclosed filter, expected ']'");
    ++pos_;

    auto st = std::make_shared<jsonpath::step>();
    st->k = jsonpath::step::kind::filter;
    // The operator is the first run of comparison characters outside quotes (client-go
    // splits on the first run of [!<>=]).
    std::size_t op_at = std::string_view::npos;
    quote = 0;
    for (std::size_t i = 0; i < body.size(); ++i) {
      char c = body[i];
      if (quote) {
        if (c == '\\')
          ++i;
        else if (c == quote)
          quote = 0;
        continue;
      }
      if (c == '\'' || c == '"')
        quote = c;
      else if (c == '!' || c == '<' || c == '>' || c == '=') {
        op_at = i;
        break;
      }
    }
    std::string_view lhs_text = body, rhs_text;
    if (op_at != std::string_view::npos) {
      std::size_t op_end = op_at;
      while (op_end < body.size() && std::string_view("!<>=").find(body[op_end]) != std::string_view::npos) ++op_end;
      st->op = std::string(body.substr(op_at, op_end - op_at));
      if (st->op != "==" && st->op != "!=" && st->op != "<" && st->op != ">" && st->op != "<=" && st->op != ">=")
        return parse_error("unrecognized filter operator " + st->op);
      lhs_text = body.substr(0, op_at);
      rhs_text = body.substr(op_end);
    }
    auto l = parse_operand(lhs_text);
    if (!l) return l.error();
    st->lhs = std::move(*l);
    if (!st->op.empty()) {
      auto r = parse_operand(rhs_text);
      if (!r) return r.error();
      st->rhs = std::move(*r);
    } else if (st->lhs.k == operand::kind::literal) {
      return parse_error("filter needs a path, found a literal");
    }
    return step_ptr(std::move(st));
  }

  result<operand> parse_operand(std::string_view text) {
    while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
    while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
    operand o;
    if (text.empty()) return parse_error("empty filter operand");
    if (text.front() == '@' || text.front() == '$') {
      o.k = text.front() == '@' ? operand::kind::path_current : operand::kind::path_root;
      parser sub(text.substr(1), depth_ + 1);
      auto p = sub.parse_path();
      if (!p) return p.error();
      o.path = std::move(*p);
      return o;
    }
    o.k = operand::kind::literal;
    if (text.front() == '"' || text.front() == '\'') {
      parser sub(text, depth_ + 1);
      auto q = sub.parse_quoted();
      if (!q) return q.error();
      if (sub.pos_ != text.size()) return parse_error("unexpected text after quoted string in filter");
      o.literal = json::string(*q);
      return o;
    }
    if (text == "true" || text == "false") {
      o.literal = text == "true";
      return o;
    }
    if (text == "null") return o;  // literal stays null
    if (auto i = to_int(text)) {
      o.literal = *i;
      return o;
    }
    double d = 0;
    auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), d);
    if (ec == std::errc() && p == text.data() + text.size() && std::isfinite(d)) {
      o.literal = d;
      return o;
    }
    return parse_error("unrecognized filter operand '" + std::string(text) + "'");
  }

  std::string_view s_;
  std::size_t pos_ = 0;
  int depth_ = 0;
};

}  // namespace

result<jsonpath> jsonpath::parse(std::string_view expr) {
  if (expr.size() > detail::jsonpath_max_expression_length) return parse_error("expression too long");
  std::string_view text = expr;
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  while (!text.empty() && is_space(text.back())) text.remove_suffix(1);
  if (!text.empty() && text.front() == '{') {
    if (text.back() != '}') return parse_error("unclosed action, expected '}'");
    text = text.substr(1, text.size() - 2);
  } else if (!text.empty() && text.back() == '}') {
    return parse_error("unexpected '}'");
  }
  while (!text.empty() && is_space(text.front())) text.remove_prefix(1);
  if (text.empty()) return parse_error("empty expression");
  if (text.front() != '.' && text.front() != '$' && text.front() != '[')
    return parse_error("expression must start with '.', '$' or '['");
  parser p(text, 0);
  auto steps = p.parse_path();
  if (!steps) return steps.error();
  jsonpath out;
  out.steps_ = std::move(*steps);
  return out;
}

}  // namespace langop::localapi
