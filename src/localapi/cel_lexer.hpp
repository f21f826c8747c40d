// CEL tokenizer (PURE, internal).
#pragma once

#include "langop/core/json.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace langop::localapi::detail {

enum class cel_tok { end, ident, literal, punct };

struct cel_token {
  cel_tok kind = cel_tok::end;
  std::string text;   // identifier or punctuation ("<=", "&&", "in", ...)
  json::value value;  // literal: null, bool, int64, uint64, double, string
  std::size_t pos = 0;
  // An integer literal too large for int64 without the 'u' suffix; legal only as the
  // operand of unary minus (-9223372036854775808).
  bool int_min_magnitude = false;
};

// The whole token stream ending with cel_tok::end, or an error message with position.
struct cel_lex_result {
  std::vector<cel_token> tokens;
  std::string error;
};
[[nodiscard]] cel_lex_result cel_lex(std::string_view src);

}  // namespace langop::localapi::detail
