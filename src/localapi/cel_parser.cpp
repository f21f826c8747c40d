// CEL parser: precedence climbing over the token stream, macro expansion (has, all,
// exists, exists_one, map, filter) and a check pass that resolves identifiers and
// function signatures, so typos fail when the CRD is created rather than per object.
#include "cel_ast.hpp"
#include "cel_lexer.hpp"

#include <algorithm>
#include <array>

namespace langop::localapi::detail {
namespace {

constexpr std::size_t max_source_bytes = 100'000;
constexpr int max_nesting = 100;         // parenthesised / bracketed depth
constexpr std::uint32_t max_height = 250;  // AST height (cel-go's recursion limit)

constexpr std::array<std::string_view, 19> reserved = {
    "as",  "break",  "const",   "continue", "else",      "for", "function", "if",   "import", "let",
    "loop", "package", "namespace", "return", "var", "void", "while", "in", "__result__"};

bool is_reserved(std::string_view s) { return std::find(reserved.begin(), reserved.end(), s) != reserved.end(); }

using node_ptr = std::unique_ptr<cel_node>;

struct signature {
  std::string_view name;
  bool method;
  int min_args, max_args;  // not counting the target
};
constexpr std::array<signature, 19> functions = {{
    {"size", false, 1, 1},      {"matches", false, 2, 2},   {"int", false, 1, 1},
    {"uint", false, 1, 1},      {"double", false, 1, 1},    {"string", false, 1, 1},
    {"bool", false, 1, 1},      {"dyn", false, 1, 1},       {"size", true, 0, 0},
    {"startsWith", true, 1, 1}, {"endsWith", true, 1, 1},   {"contains", true, 1, 1},
    {"matches", true, 1, 1},    {"lowerAscii", true, 0, 0}, {"upperAscii", true, 0, 0},
    {"trim", true, 0, 0},       {"split", true, 1, 1},      {"join", true, 0, 1},
    {"replace", true, 2, 2},
}};

class parser {
 public:
  parser(std::vector<cel_token> tokens, std::string_view src) : toks_(std::move(tokens)), src_(src) {}

  std::variant<node_ptr, std::string> run() {
    auto root = expr(0);
    if (root && peek().kind != cel_tok::end) fail_token(peek());
    if (!root || !error_.empty()) return error_;
    std::vector<std::string_view> scope;
    check(*root, scope);
    if (!error_.empty()) return error_;
    return root;
  }

 private:
  const cel_token& peek() const { return toks_[pos_]; }
  const cel_token& advance() { return toks_[pos_ < toks_.size() - 1 ? pos_++ : pos_]; }
  bool at_punct(std::string_view p) const { return peek().kind == cel_tok::punct && peek().text == p; }

  std::string raw_text(const cel_token& t) const {
    if (t.kind == cel_tok::ident || t.kind == cel_tok::punct) return t.text;
    std::size_t idx = static_cast<std::size_t>(&t - toks_.data());
    std::size_t end = idx + 1 < toks_.size() ? toks_[idx + 1].pos : src_.size();
    auto text = src_.substr(t.pos, end - t.pos);
    while (!text.empty() && (text.back() == ' ' || text.back() == '\n' || text.back() == '\t' || text.back() == '\r'))
      text.remove_suffix(1);
    if (text.size() > 40) return std::string(text.substr(0, 40)) + "...";
    return std::string(text);
  }

  std::nullptr_t fail(std::string msg, std::size_t pos) {
    if (error_.empty()) error_ = std::move(msg) + " at " + std::to_string(pos);
    return nullptr;
  }
  std::nullptr_t fail_token(const cel_token& t) {
    if (t.kind == cel_tok::end) return fail("unexpected end of expression", t.pos);
    return fail("unexpected token '" + raw_text(t) + "'", t.pos);
  }
  bool expect(std::string_view p) {
    if (at_punct(p)) {
      advance();
      return true;
    }
    fail_token(peek());
    return false;
  }

  node_ptr make(cel_op op, std::size_t pos, std::vector<node_ptr> args = {}) {
    auto n = std::make_unique<cel_node>();
    n->op = op;
    n->pos = pos;
    std::uint32_t h = 0;
    for (const auto& a : args) h = std::max(h, a->height);
    n->height = h + 1;
    n->args = std::move(args);
    if (n->height > max_height) return fail("expression too deeply nested", pos);
    return n;
  }

  node_ptr expr(int depth) {
    if (depth > max_nesting) return fail("expression too deeply nested", peek().pos);
    auto cond = or_expr(depth);
    if (!cond || !at_punct("?")) return cond;
    std::size_t pos = advance().pos;
    auto yes = or_expr(depth);
    if (!yes || !expect(":")) return nullptr;
    auto no = expr(depth + 1);
    if (!no) return nullptr;
    std::vector<node_ptr> args;
    args.push_back(std::move(cond));
    args.push_back(std::move(yes));
    args.push_back(std::move(no));
    return make(cel_op::conditional, pos, std::move(args));
  }

  node_ptr binary(cel_bop op, std::size_t pos, node_ptr l, node_ptr r) {
    std::vector<node_ptr> args;
    args.push_back(std::move(l));
    args.push_back(std::move(r));
    auto n = make(cel_op::binary, pos, std::move(args));
    if (n) n->bop = op;
    return n;
  }

  node_ptr or_expr(int depth) {
    auto l = and_expr(depth);
    while (l && at_punct("||")) {
      std::size_t pos = advance().pos;
      auto r = and_expr(depth);
      if (!r) return nullptr;
      l = binary(cel_bop::logical_or, pos, std::move(l), std::move(r));
    }
    return l;
  }

  node_ptr and_expr(int depth) {
    auto l = rel_expr(depth);
    while (l && at_punct("&&")) {
      std::size_t pos = advance().pos;
      auto r = rel_expr(depth);
      if (!r) return nullptr;
      l = binary(cel_bop::logical_and, pos, std::move(l), std::move(r));
    }
    return l;
  }

  node_ptr rel_expr(int depth) {
    static const std::pair<std::string_view, cel_bop> ops[] = {
        {"==", cel_bop::eq}, {"!=", cel_bop::ne}, {"<", cel_bop::lt},  {"<=", cel_bop::le},
        {">", cel_bop::gt},  {">=", cel_bop::ge}, {"in", cel_bop::in}};
    auto l = add_expr(depth);
    while (l) {
      const auto* found = std::find_if(std::begin(ops), std::end(ops), [&](auto& o) { return at_punct(o.first); });
      if (found == std::end(ops)) break;
      std::size_t pos = advance().pos;
      auto r = add_expr(depth);
      if (!r) return nullptr;
      l = binary(found->second, pos, std::move(l), std::move(r));
    }
    return l;
  }

  node_ptr add_expr(int depth) {
    auto l = mul_expr(depth);
    while (l && (at_punct("+") || at_punct("-"))) {
      cel_bop op = peek().text == "+" ? cel_bop::add : cel_bop::sub;
      std::size_t pos = advance().pos;
      auto r = mul_expr(depth);
      if (!r) return nullptr;
      l = binary(op, pos, std::move(l), std::move(r));
    }
    return l;
  }

  node_ptr mul_expr(int depth) {
    auto l = unary(depth);
    while (l && (at_punct("*") || at_punct("/") || at_punct("%"))) {
      cel_bop op = peek().text == "*" ? cel_bop::mul : peek().text == "/" ? cel_bop::div : cel_bop::mod;
      std::size_t pos = advance().pos;
      auto r = unary(depth);
      if (!r) return nullptr;
      l = binary(op, pos, std::move(l), std::move(r));
    }
    return l;
  }

  node_ptr unary(int depth) {
    if (!at_punct("!") && !at_punct("-")) return member(depth);
    std::string op = peek().text;
    std::size_t pos = peek().pos;
    int count = 0;
    while (at_punct(op)) {
      advance();
      ++count;
    }
    // Negative numeric literals are folded, as cel-go does (this is how INT64_MIN is written).
    if (op == "-" && peek().kind == cel_tok::literal && (peek().value.is_int64() || peek().value.is_uint64() ||
                                                          peek().value.is_double())) {
      const auto& t = peek();
      bool folded = true;
      json::value v;
      if (t.int_min_magnitude) {
        v = INT64_MIN;
      } else if (t.value.is_int64()) {
        v = -t.value.get_int64();
      } else if (t.value.is_double()) {
        v = -t.value.get_double();
      } else {
        folded = false;  // -1u: no negative unsigned literal
      }
      if (folded) {
        advance();
        auto lit = make(cel_op::literal, pos);
        if (!lit) return nullptr;
        lit->value = std::move(v);
        auto operand = member_suffix(depth, std::move(lit));
        if (!operand) return nullptr;
        return wrap_unary(cel_op::negate, pos, std::move(operand), count - 1);
      }
    }
    auto operand = member(depth);
    if (!operand) return nullptr;
    return wrap_unary(op == "!" ? cel_op::logical_not : cel_op::negate, pos, std::move(operand), count);
  }

  node_ptr wrap_unary(cel_op op, std::size_t pos, node_ptr operand, int count) {
    for (int i = 0; i < count && operand; ++i) {
      std::vector<node_ptr> args;
      args.push_back(std::move(operand));
      operand = make(op, pos, std::move(args));
    }
    return operand;
  }

  node_ptr member(int depth) {
    auto p = primary(depth);
    if (!p) return nullptr;
    return member_suffix(depth, std::move(p));
  }

  node_ptr member_suffix(int depth, node_ptr p) {
    while (p) {
      if (at_punct(".")) {
        advance();
        const cel_token& name = peek();
        if (name.kind != cel_tok::ident) return fail_token(name);
        if (is_reserved(name.text)) return fail("reserved identifier '" + name.text + "'", name.pos);
        advance();
        if (at_punct("(")) {
          p = method_call(depth, name, std::move(p));
        } else {
          std::vector<node_ptr> args;
          args.push_back(std::move(p));
          p = make(cel_op::select, name.pos, std::move(args));
          if (p) p->name = name.text;
        }
      } else if (at_punct("[")) {
        std::size_t pos = advance().pos;
        auto idx = expr(depth + 1);
        if (!idx || !expect("]")) return nullptr;
        std::vector<node_ptr> args;
        args.push_back(std::move(p));
        args.push_back(std::move(idx));
        p = make(cel_op::index, pos, std::move(args));
      } else {
        break;
      }
    }
    return p;
  }

  // Arguments after '(' up to ')'; false on error.
  bool arguments(int depth, std::vector<node_ptr>& out, std::string_view close) {
    if (at_punct(close)) {
      advance();
      return true;
    }
    while (true) {
      auto e = expr(depth + 1);
      if (!e) return false;
      out.push_back(std::move(e));
      if (at_punct(",")) {
        advance();
        if (close != ")" && at_punct(close)) break;  // trailing comma in list literals
        continue;
      }
      break;
    }
    return expect(close);
  }

  node_ptr method_call(int depth, const cel_token& name, node_ptr target) {
    advance();  // '('
    std::vector<node_ptr> args;
    args.push_back(std::move(target));
    if (!arguments(depth, args, ")")) return nullptr;
    static const std::pair<std::string_view, cel_macro> macros[] = {
        {"all", cel_macro::all}, {"exists", cel_macro::exists}, {"exists_one", cel_macro::exists_one},
        {"map", cel_macro::map}, {"filter", cel_macro::filter}};
    const auto* m = std::find_if(std::begin(macros), std::end(macros), [&](auto& x) { return x.first == name.text; });
    std::size_t nargs = args.size() - 1;
    bool is_macro = m != std::end(macros) && (nargs == 2 || (nargs == 3 && m->second == cel_macro::map));
    if (!is_macro) {
      auto n = make(cel_op::call, name.pos, std::move(args));
      if (n) {
        n->name = name.text;
        n->has_target = true;
      }
      return n;
    }
    if (args[1]->op != cel_op::ident) return fail("argument must be a simple name", args[1]->pos);
    std::string var = args[1]->name;
    std::vector<node_ptr> parts;
    parts.push_back(std::move(args[0]));
    for (std::size_t i = 2; i < args.size(); ++i) parts.push_back(std::move(args[i]));
    auto n = make(cel_op::comprehension, name.pos, std::move(parts));
    if (!n) return nullptr;
    n->var = std::move(var);
    n->macro = (m->second == cel_macro::map && nargs == 3) ? cel_macro::map_filter : m->second;
    n->name = name.text;
    return n;
  }

  node_ptr primary(int depth) {
    const cel_token& t = peek();
    switch (t.kind) {
      case cel_tok::end: return fail_token(t);
      case cel_tok::literal: {
        if (t.int_min_magnitude) return fail("invalid int literal", t.pos);
        advance();
        auto n = make(cel_op::literal, t.pos);
        if (n) n->value = t.value;
        return n;
      }
      case cel_tok::ident: {
        if (is_reserved(t.text)) return fail("reserved identifier '" + t.text + "'", t.pos);
        const cel_token& name = advance();
        if (at_punct("(")) return global_call(depth, name);
        auto n = make(cel_op::ident, name.pos);
        if (n) n->name = name.text;
        return n;
      }
      case cel_tok::punct: break;
    }
    if (t.text == "(") {
      advance();
      auto e = expr(depth + 1);
      if (!e || !expect(")")) return nullptr;
      return e;
    }
    if (t.text == "[") {
      std::size_t pos = advance().pos;
      std::vector<node_ptr> elems;
      if (!arguments(depth, elems, "]")) return nullptr;
      return make(cel_op::list, pos, std::move(elems));
    }
    if (t.text == "{") {
      std::size_t pos = advance().pos;
      std::vector<node_ptr> entries;
      while (!at_punct("}")) {
        auto k = expr(depth + 1);
        if (!k || !expect(":")) return nullptr;
        auto v = expr(depth + 1);
        if (!v) return nullptr;
        entries.push_back(std::move(k));
        entries.push_back(std::move(v));
        if (!at_punct(",")) break;
        advance();
      }
      if (!expect("}")) return nullptr;
      return make(cel_op::map, pos, std::move(entries));
    }
    return fail_token(t);
  }

  node_ptr global_call(int depth, const cel_token& name) {
    advance();  // '('
    std::vector<node_ptr> args;
    if (!arguments(depth, args, ")")) return nullptr;
    if (name.text == "has") {
      if (args.size() != 1 || args[0]->op != cel_op::select)
        return fail("invalid argument to has() macro", name.pos);
      auto n = std::move(args[0]);
      n->op = cel_op::has;
      return n;
    }
    auto n = make(cel_op::call, name.pos, std::move(args));
    if (n) n->name = name.text;
    return n;
  }

  void check(cel_node& n, std::vector<std::string_view>& scope);

  std::vector<cel_token> toks_;
  std::size_t pos_ = 0;
  std::string_view src_;
  std::string error_;

 public:
  bool uses_old_self = false;
};

// Resolves identifiers against self, oldSelf and comprehension variables, checks call
// signatures, and compiles literal matches() patterns once.
void parser::check(cel_node& n, std::vector<std::string_view>& scope) {
  if (!error_.empty()) return;
  switch (n.op) {
    case cel_op::ident:
      if (n.name == "oldSelf") uses_old_self = true;
      if (n.name != "self" && n.name != "oldSelf" &&
          std::find(scope.begin(), scope.end(), n.name) == scope.end())
        fail("undeclared reference to '" + n.name + "'", n.pos);
      return;
    case cel_op::comprehension:
      check(*n.args[0], scope);
      scope.push_back(n.var);
      for (std::size_t i = 1; i < n.args.size(); ++i) check(*n.args[i], scope);
      scope.pop_back();
      return;
    case cel_op::call: {
      int nargs = static_cast<int>(n.args.size()) - (n.has_target ? 1 : 0);
      bool known = false;
      bool matched = false;
      for (const auto& f : functions) {
        if (f.name != n.name) continue;
        known = true;
        if (f.method == n.has_target && nargs >= f.min_args && nargs <= f.max_args) matched = true;
      }
      if (!known) return (void)fail("undeclared reference to '" + n.name + "'", n.pos);
      if (!matched)
        return (void)fail("found no matching overload for '" + n.name + "' applied to " + std::to_string(nargs) +
                              " argument(s)",
                          n.pos);
      if (n.name == "matches" && n.args.size() == 2 && n.args[1]->op == cel_op::literal &&
          n.args[1]->value.is_string()) {
        auto compiled = compile_regex(n.args[1]->value.get_string());
        if (auto* err = std::get_if<std::string>(&compiled)) return (void)fail(*err, n.args[1]->pos);
        n.regex = std::get<std::shared_ptr<const safe_regex>>(compiled);
      }
      break;
    }
    default: break;
  }
  for (auto& a : n.args) check(*a, scope);
}

}  // namespace
}  // namespace langop::localapi::detail

namespace langop::localapi::detail {

std::variant<std::unique_ptr<cel_node>, std::string> cel_parse(std::string_view source, bool* uses_old_self) {
  if (source.size() > max_source_bytes) return std::string("expression too long");
  auto lexed = cel_lex(source);
  if (!lexed.error.empty()) return lexed.error;
  parser p(std::move(lexed.tokens), source);
  auto out = p.run();
  if (uses_old_self) *uses_old_self = p.uses_old_self;
  return out;
}

}  // namespace langop::localapi::detail
