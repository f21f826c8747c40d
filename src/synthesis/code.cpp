#include "langop/synthesis/code.hpp"

#include <algorithm>
#include <cctype>
#include <regex>

namespace langop::synthesis {

namespace {

std::string trimmed_code(std::string_view s) {
  while (!s.empty() && (s.front() == '\n' || s.front() == '\r')) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  if (s.empty()) return {};
  return std::string(s) + "\n";
}

struct fence {
  std::string language;
  std::string body;
};

// Every ``` fence of the answer, in order. An unclosed last fence runs to the end (a
// model that hit its token limit): validation then says what is wrong with it.
std::vector<fence> fences(std::string_view text) {
  std::vector<fence> out;
  std::size_t pos = 0;
  while (true) {
    auto open = text.find("```", pos);
    if (open == std::string_view::npos) break;
    auto eol = text.find('\n', open);
    if (eol == std::string_view::npos) break;
    fence f;
    f.language = std::string(text.substr(open + 3, eol - open - 3));
    f.language.erase(std::remove_if(f.language.begin(), f.language.end(),
                                    [](unsigned char c) { return std::isspace(c); }),
                     f.language.end());
    std::transform(f.language.begin(), f.language.end(), f.language.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    auto close = text.find("```", eol + 1);
    f.body = std::string(text.substr(eol + 1, close == std::string_view::npos ? std::string_view::npos : close - eol - 1));
    out.push_back(std::move(f));
    if (close == std::string_view::npos) break;
    pos = close + 3;
  }
  return out;
}

bool looks_like_code(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  return s.starts_with("require ") || s.starts_with("agent ");
}

bool word_char(char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '?' || c == '!'; }

// The code with string literals and comments blanked (same length, newlines kept), so
// keywords and brackets inside them do not count.
std::string blank_strings_and_comments(std::string_view code) {
  std::string out(code);
  char quote = 0;
  bool comment = false;
  for (std::size_t i = 0; i < out.size(); ++i) {
    char c = out[i];
    if (comment) {
      if (c == '\n') comment = false;
      else out[i] = ' ';
      continue;
    }
    if (quote) {
      if (c == '\\' && i + 1 < out.size()) {
        out[i] = ' ';
        if (out[i + 1] != '\n') out[i + 1] = ' ';
        ++i;
      } else if (c == quote) {
        quote = 0;
      } else if (c != '\n') {
        out[i] = ' ';
      }
      continue;
    }
    if (c == '#') {
      comment = true;
      out[i] = ' ';
    } else if (c == '\'' || c == '"') {
      quote = c;
    }
  }
  return out;
}

std::optional<std::string> check_balance(std::string_view code) {
  const std::string text = blank_strings_and_comments(code);
  struct open_block {
    std::string what;
    int line;
  };
  std::vector<open_block> stack;
  int line = 1;
  bool line_start = true;        // no token yet on this line
  bool loop_header = false;      // this line began with while/until/for (its `do` is optional)
  for (std::size_t i = 0; i < text.size();) {
    char c = text[i];
    if (c == '\n') {
      ++line;
      line_start = true;
      loop_header = false;
      ++i;
      continue;
    }
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
      continue;
    }
    if (c == '{' || c == '[' || c == '(') {
      stack.push_back({std::string(1, c), line});
      line_start = false;
      ++i;
      continue;
    }
    if (c == '}' || c == ']' || c == ')') {
      const char want = c == '}' ? '{' : c == ']' ? '[' : '(';
      if (stack.empty() || stack.back().what != std::string(1, want))
        return "unbalanced blocks: '" + std::string(1, c) + "' on line " + std::to_string(line) +
               (stack.empty() ? " closes nothing" : " closes '" + stack.back().what + "' opened on line " +
                                                         std::to_string(stack.back().line));
      stack.pop_back();
      line_start = false;
      ++i;
      continue;
    }
    if (std::isalpha(static_cast<unsigned char>(c)) || c == '_') {
      std::size_t j = i;
      while (j < text.size() && word_char(text[j])) ++j;
      const std::string word = text.substr(i, j - i);
      const bool after_dot = i > 0 && text[i - 1] == '.';  // x.end, x.class are method calls
      const bool symbol_key = j < text.size() && text[j] == ':' && (j + 1 >= text.size() || text[j + 1] != ':');
      if (!after_dot && !symbol_key) {
        if (word == "end") {
          if (stack.empty() || stack.back().what.size() == 1)
            return "unbalanced blocks: 'end' on line " + std::to_string(line) +
                   (stack.empty() ? " closes nothing" : " inside '" + stack.back().what + "' opened on line " +
                                                             std::to_string(stack.back().line));
          stack.pop_back();
        } else if (word == "do") {
          if (!loop_header) stack.push_back({"do", line});
        } else if (word == "def" || word == "class" || word == "module" || word == "begin" || word == "case") {
          stack.push_back({word, line});
        } else if (line_start && (word == "if" || word == "unless" || word == "while" || word == "until" ||
                                  word == "for")) {
          stack.push_back({word, line});
          loop_header = word == "while" || word == "until" || word == "for";
        }
      }
      line_start = false;
      i = j;
      continue;
    }
    line_start = false;
    ++i;
  }
  if (!stack.empty()) {
    const auto& open = stack.back();
    return "unbalanced blocks: '" + open.what + "' opened on line " + std::to_string(open.line) +
           " is never closed" + (open.what.size() > 1 ? " (missing 'end')" : "");
  }
  return std::nullopt;
}

std::string joined(const std::vector<std::string>& names) {
  std::string out;
  for (const auto& n : names) out += (out.empty() ? "" : ", ") + n;
  return out.empty() ? "none" : out;
}

}  // namespace

std::optional<std::string> extract_code(std::string_view answer) {
  auto all = fences(answer);
  for (const auto& f : all)
    if (f.language == "ruby" || f.language == "rb")
      if (auto c = trimmed_code(f.body); !c.empty()) return c;
  for (const auto& f : all)
    if (auto c = trimmed_code(f.body); !c.empty()) return c;
  if (all.empty() && looks_like_code(answer)) return trimmed_code(answer);
  return std::nullopt;
}

std::optional<std::string> validate_code(std::string_view code, const validation_options& o) {
  if (code.size() > o.max_bytes)
    return "the code is " + std::to_string(code.size()) + " bytes; the limit is " + std::to_string(o.max_bytes);
  static const std::regex header(R"((^|\n)\s*agent\s*\(?\s*['"]([^'"\n]*)['"]\s*\)?\s*do\b)");
  std::match_results<std::string_view::const_iterator> m;
  if (!std::regex_search(code.begin(), code.end(), m, header))
    return "no agent header: the file must define agent '" + o.agent_name + "' do ... end";
  if (m[2].str() != o.agent_name)
    return "the agent header names '" + m[2].str() + "'; it must be agent '" + o.agent_name + "'";
  if (auto why = check_balance(code)) return why;
  static const std::regex use_tool(R"(\buse_tool\s*\(?\s*(?:['"]([^'"\n]*)['"]|:([A-Za-z_][A-Za-z0-9_]*)))");
  for (auto it = std::regex_iterator<std::string_view::const_iterator>(code.begin(), code.end(), use_tool);
       it != std::regex_iterator<std::string_view::const_iterator>(); ++it) {
    const std::string name = (*it)[1].matched ? (*it)[1].str() : (*it)[2].str();
    if (std::find(o.known_tools.begin(), o.known_tools.end(), name) == o.known_tools.end())
      return "use_tool '" + name + "' names a tool the agent does not have; known tools: " + joined(o.known_tools);
  }
  return std::nullopt;
}

}  // namespace langop::synthesis
