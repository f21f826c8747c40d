// Internals of the JSONPath implementation shared by its parser and evaluator (PURE).
#pragma once

#include "langop/localapi/jsonpath.hpp"

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace langop::localapi {
namespace detail {

using step_ptr = std::shared_ptr<const jsonpath::step>;

// One side of a filter comparison: a path from the current element or the root, or a literal.
struct jsonpath_operand {
  enum class kind { path_current, path_root, literal };
  kind k = kind::literal;
  std::vector<step_ptr> path;
  json::value literal;
};

}  // namespace detail

struct jsonpath::step {
  enum class kind { field, wildcard, recursive, indices, slice, filter };
  kind k = kind::field;
  std::vector<std::string> names;          // field: one or more (union of quoted keys)
  std::vector<std::int64_t> indices;       // indices: union of positions (negative from end)
  std::optional<std::int64_t> start, end;  // slice bounds
  std::int64_t stride = 1;
  std::string op;  // filter: "", "==", "!=", "<", ">", "<=", ">="
  detail::jsonpath_operand lhs, rhs;
};

namespace detail {

// Bounds that keep hostile expressions and documents from exhausting memory or stack.
constexpr std::size_t jsonpath_max_expression_length = 4096;
constexpr int jsonpath_max_filter_nesting = 16;
constexpr std::size_t jsonpath_max_results = 100000;

}  // namespace detail
}  // namespace langop::localapi
