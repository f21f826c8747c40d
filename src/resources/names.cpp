#include "langop/resources/names.hpp"

#include "langop/resources/common.hpp"

namespace langop::resources {

namespace {
constexpr std::size_t hash_chars = 8;
}  // namespace

std::string bounded_name(std::string_view base, std::string_view suffix, std::size_t limit) {
  if (base.size() + suffix.size() <= limit) {
    std::string out(base);
    out += suffix;
    return out;
  }
  const std::size_t reserved = suffix.size() + 1 + hash_chars;
  std::string_view keep = base.substr(0, limit > reserved ? limit - reserved : 0);
  // A name part must end alphanumeric: never leave "-" or "." before the joining "-".
  while (!keep.empty() && (keep.back() == '-' || keep.back() == '.')) keep.remove_suffix(1);
  std::string out(keep);
  if (!out.empty()) out += '-';
  out += sha256_hex(base).substr(0, hash_chars);
  out += suffix;
  return out;
}

std::string label_value(std::string_view name) { return bounded_name(name, "", max_label_length); }

}  // namespace langop::resources
