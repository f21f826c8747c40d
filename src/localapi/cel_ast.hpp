// CEL internals shared by the parser and the evaluator (PURE, internal).
#pragma once

#include "langop/core/json.hpp"
#include "langop/localapi/cel.hpp"
#include "safe_regex.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <variant>
#include <vector>

namespace langop::localapi::detail {

enum class cel_op {
  literal,        // value
  ident,          // name
  select,         // args[0].name
  has,            // has(args[0].name)
  index,          // args[0][args[1]]
  call,           // name(args...) or args[0].name(args[1..]) when has_target
  list,           // [args...]
  map,            // {args[0]: args[1], ...}
  logical_not,    // !args[0]
  negate,         // -args[0]
  binary,         // args[0] <bop> args[1]
  conditional,    // args[0] ? args[1] : args[2]
  comprehension,  // args[0].<macro>(var, args[1] [, args[2]])
};

enum class cel_bop { logical_or, logical_and, eq, ne, lt, le, gt, ge, in, add, sub, mul, div, mod };

enum class cel_macro { all, exists, exists_one, map, map_filter, filter };

struct cel_node {
  cel_op op = cel_op::literal;
  std::size_t pos = 0;  // offset in the source, for messages
  json::value value;    // cel_op::literal (null, bool, int64, uint64, double, string)
  std::string name;     // identifier, field, function
  cel_bop bop = cel_bop::eq;
  cel_macro macro = cel_macro::all;
  std::string var;  // comprehension variable
  bool has_target = false;
  std::uint32_t height = 1;  // of the subtree; bounds the evaluator's recursion
  std::vector<std::unique_ptr<cel_node>> args;
  std::shared_ptr<const safe_regex> regex;  // matches() with a literal pattern, compiled once
};

}  // namespace langop::localapi::detail

namespace langop::localapi {

struct cel_program::expr {
  std::unique_ptr<detail::cel_node> root;
  bool uses_old_self = false;
};

}  // namespace langop::localapi

namespace langop::localapi::detail {

// Parses and checks `source`; the error says what and where ("unexpected token ')' at 14").
// `uses_old_self` (optional) reports whether the expression references oldSelf.
[[nodiscard]] std::variant<std::unique_ptr<cel_node>, std::string> cel_parse(std::string_view source,
                                                                           bool* uses_old_self = nullptr);

// Runtime value. Strings, lists and maps read from the evaluated JSON are borrowed
// (pointers into self/oldSelf, which outlive the evaluation), so reading a large field in
// a loop costs nothing; values built by the expression are owned (and budgeted).
struct cel_value;
using cel_list = std::vector<cel_value>;
using cel_map = std::vector<std::pair<std::string, cel_value>>;

struct cel_value {
  std::variant<std::monostate, bool, std::int64_t, std::uint64_t, double, std::string,
               std::shared_ptr<const cel_list>, std::shared_ptr<const cel_map>, const json::array*,
               const json::object*, const json::string*>
      v;
};

// Evaluates `root`. An error value (message) for runtime failures; never throws.
struct cel_outcome {
  cel_value value;
  std::string error;
  bool failed = false;
};
[[nodiscard]] cel_outcome cel_eval(const cel_node& root, const json::value& self, const json::value* old_self);

}  // namespace langop::localapi::detail
