#include "cel_lexer.hpp"

#include <charconv>
#include <cstdint>

namespace langop::localapi::detail {
namespace {

bool ident_start(char c) { return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
bool ident_char(char c) { return ident_start(c) || (c >= '0' && c <= '9'); }
bool digit(char c) { return c >= '0' && c <= '9'; }
int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

std::string at(std::size_t pos) { return " at " + std::to_string(pos); }

// Printable rendering of one source character for messages.
std::string show_char(char c) {
  auto u = static_cast<unsigned char>(c);
  if (u >= 0x20 && u < 0x7F) return std::string(1, c);
  static const char* hex = "0123456789abcdef";
  return std::string("\\x") + hex[u >> 4] + hex[u & 0xF];
}

void append_utf8(std::string& out, std::uint32_t r) {
  if (r < 0x80) {
    out += static_cast<char>(r);
  } else if (r < 0x800) {
    out += static_cast<char>(0xC0 | (r >> 6));
    out += static_cast<char>(0x80 | (r & 0x3F));
  } else if (r < 0x10000) {
    out += static_cast<char>(0xE0 | (r >> 12));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (r & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (r >> 18));
    out += static_cast<char>(0x80 | ((r >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((r >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (r & 0x3F));
  }
}

class lexer {
 public:
  explicit lexer(std::string_view src) : src_(src) {}

  cel_lex_result run() {
    cel_lex_result out;
    while (true) {
      skip_space();
      cel_token t;
      t.pos = i_;
      if (i_ >= src_.size()) {
        out.tokens.push_back(std::move(t));
        return out;
      }
      if (!next(t)) {
        out.error = error_;
        out.tokens.clear();
        return out;
      }
      out.tokens.push_back(std::move(t));
    }
  }

 private:
  void skip_space() {
    while (i_ < src_.size()) {
      char c = src_[i_];
      if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v') {
        ++i_;
      } else if (c == '/' && i_ + 1 < src_.size() && src_[i_ + 1] == '/') {
        while (i_ < src_.size() && src_[i_] != '\n') ++i_;
      } else {
        return;
      }
    }
  }

  bool fail(std::string msg, std::size_t pos) {
    error_ = std::move(msg) + at(pos);
    return false;
  }

  bool next(cel_token& t) {
    char c = src_[i_];
    if (ident_start(c)) return ident_or_string(t);
    if (digit(c) || (c == '.' && i_ + 1 < src_.size() && digit(src_[i_ + 1]))) return number(t);
    if (c == '"' || c == '\'') return string(t, false);
    return punct(t);
  }

  bool ident_or_string(cel_token& t) {
    std::size_t start = i_;
    while (i_ < src_.size() && ident_char(src_[i_])) ++i_;
    std::string_view word = src_.substr(start, i_ - start);
    bool quote_follows = i_ < src_.size() && (src_[i_] == '"' || src_[i_] == '\'');
    if (quote_follows && (word == "r" || word == "R")) return string(t, true);
    if (quote_follows && (word == "b" || word == "B" || word == "rb" || word == "br" || word == "RB" ||
                          word == "BR" || word == "rB" || word == "Rb" || word == "bR" || word == "Br"))
      return fail("bytes literals are not supported", start);
    if (word == "true" || word == "false") {
      t.kind = cel_tok::literal;
      t.value = (word == "true");
    } else if (word == "null") {
      t.kind = cel_tok::literal;
      t.value = nullptr;
    } else if (word == "in") {
      t.kind = cel_tok::punct;
      t.text = "in";
    } else {
      t.kind = cel_tok::ident;
      t.text = std::string(word);
    }
    return true;
  }

  bool number(cel_token& t) {
    std::size_t start = i_;
    t.kind = cel_tok::literal;
    if (src_[i_] == '0' && i_ + 1 < src_.size() && (src_[i_ + 1] == 'x' || src_[i_ + 1] == 'X')) {
      i_ += 2;
      std::size_t digits_start = i_;
      while (i_ < src_.size() && hex_value(src_[i_]) >= 0) ++i_;
      if (i_ == digits_start) return fail("invalid hex literal", start);
      return integer(t, src_.substr(digits_start, i_ - digits_start), 16, start);
    }
    while (i_ < src_.size() && digit(src_[i_])) ++i_;
    bool is_double = false;
    if (i_ + 1 < src_.size() && src_[i_] == '.' && digit(src_[i_ + 1])) {
      is_double = true;
      ++i_;
      while (i_ < src_.size() && digit(src_[i_])) ++i_;
    }
    if (i_ < src_.size() && (src_[i_] == 'e' || src_[i_] == 'E')) {
      std::size_t save = i_;
      ++i_;
      if (i_ < src_.size() && (src_[i_] == '+' || src_[i_] == '-')) ++i_;
      if (i_ < src_.size() && digit(src_[i_])) {
        is_double = true;
        while (i_ < src_.size() && digit(src_[i_])) ++i_;
      } else {
        i_ = save;
      }
    }
    if (!is_double) return integer(t, src_.substr(start, i_ - start), 10, start);
    if (i_ < src_.size() && ident_char(src_[i_])) return fail("invalid number literal", start);
    double d = 0;
    auto text = src_.substr(start, i_ - start);
    auto res = std::from_chars(text.data(), text.data() + text.size(), d);
    if (res.ec != std::errc() && res.ec != std::errc::result_out_of_range)
      return fail("invalid number literal", start);
    t.value = d;
    return true;
  }

  bool integer(cel_token& t, std::string_view digits, int base, std::size_t start) {
    bool unsigned_suffix = i_ < src_.size() && (src_[i_] == 'u' || src_[i_] == 'U');
    if (unsigned_suffix) ++i_;
    if (i_ < src_.size() && (ident_char(src_[i_]) || src_[i_] == '.')) {
      if (!(src_[i_] == '.' && i_ + 1 < src_.size() && ident_start(src_[i_ + 1])))
        return fail("invalid number literal", start);
    }
    std::uint64_t v = 0;
    auto res = std::from_chars(digits.data(), digits.data() + digits.size(), v, base);
    if (res.ec != std::errc() || res.ptr != digits.data() + digits.size())
      return fail("invalid int literal", start);
    if (unsigned_suffix) {
      t.value = v;
    } else if (v <= static_cast<std::uint64_t>(INT64_MAX)) {
      t.value = static_cast<std::int64_t>(v);
    } else if (v == static_cast<std::uint64_t>(INT64_MAX) + 1) {
      t.value = v;
      t.int_min_magnitude = true;
    } else {
      return fail("invalid int literal", start);
    }
    return true;
  }

  bool string(cel_token& t, bool raw) {
    std::size_t start = raw ? i_ - 1 : i_;
    char q = src_[i_];
    bool triple = i_ + 2 < src_.size() && src_[i_ + 1] == q && src_[i_ + 2] == q;
    i_ += triple ? 3 : 1;
    std::string out;
    while (true) {
      if (i_ >= src_.size()) return fail("unterminated string literal", start);
      char c = src_[i_];
      if (triple) {
        if (c == q && i_ + 2 < src_.size() && src_[i_ + 1] == q && src_[i_ + 2] == q) {
          i_ += 3;
          break;
        }
      } else {
        if (c == q) {
          ++i_;
          break;
        }
        if (c == '\n' || c == '\r') return fail("unterminated string literal", start);
      }
      if (c == '\\' && !raw) {
        if (!escape(out)) return false;
        continue;
      }
      if (c == '\\' && raw && i_ + 1 < src_.size() && src_[i_ + 1] == q && !triple) {
        // A raw string still cannot contain its own quote; keep both characters.
        out += "\\";
        out += q;
        i_ += 2;
        continue;
      }
      out += c;
      ++i_;
    }
    t.kind = cel_tok::literal;
    t.value = json::string(out);
    return true;
  }

  bool escape(std::string& out) {
    std::size_t pos = i_;
    if (i_ + 1 >= src_.size()) return fail("invalid escape sequence", pos);
    char e = src_[i_ + 1];
    i_ += 2;
    switch (e) {
      case '\\': out += '\\'; return true;
      case '?': out += '?'; return true;
      case '"': out += '"'; return true;
      case '\'': out += '\''; return true;
      case '`': out += '`'; return true;
      case 'a': out += '\a'; return true;
      case 'b': out += '\b'; return true;
      case 'f': out += '\f'; return true;
      case 'n': out += '\n'; return true;
      case 'r': out += '\r'; return true;
      case 't': out += '\t'; return true;
      case 'v': out += '\v'; return true;
      default: break;
    }
    int n = 0;
    if (e == 'x' || e == 'X') n = 2;
    if (e == 'u') n = 4;
    if (e == 'U') n = 8;
    std::uint32_t r = 0;
    if (n > 0) {
      for (int k = 0; k < n; ++k) {
        if (i_ >= src_.size() || hex_value(src_[i_]) < 0) return fail("invalid escape sequence", pos);
        r = r * 16 + static_cast<std::uint32_t>(hex_value(src_[i_]));
        ++i_;
      }
    } else if (e >= '0' && e <= '3') {
      r = static_cast<std::uint32_t>(e - '0');
      for (int k = 0; k < 2; ++k) {
        if (i_ >= src_.size() || src_[i_] < '0' || src_[i_] > '7') return fail("invalid escape sequence", pos);
        r = r * 8 + static_cast<std::uint32_t>(src_[i_] - '0');
        ++i_;
      }
    } else {
      return fail("invalid escape sequence", pos);
    }
    if (r > 0x10FFFF || (r >= 0xD800 && r <= 0xDFFF)) return fail("invalid unicode code point", pos);
    append_utf8(out, r);
    return true;
  }

  bool punct(cel_token& t) {
    static constexpr std::string_view two[] = {"==", "!=", "<=", ">=", "&&", "||"};
    t.kind = cel_tok::punct;
    for (auto p : two) {
      if (src_.substr(i_, 2) == p) {
        t.text = std::string(p);
        i_ += 2;
        return true;
      }
    }
    static constexpr std::string_view one = "()[]{}.,?:!-+*/%<>";
    char c = src_[i_];
    if (one.find(c) == std::string_view::npos) return fail("unexpected character '" + show_char(c) + "'", i_);
    t.text = std::string(1, c);
    ++i_;
    return true;
  }

  std::string_view src_;
  std::size_t i_ = 0;
  std::string error_;
};

}  // namespace

cel_lex_result cel_lex(std::string_view src) { return lexer(src).run(); }

}  // namespace langop::localapi::detail
