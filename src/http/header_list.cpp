#include "langop/http/header_list.hpp"

#include <algorithm>

namespace langop::http {

bool iequals(std::string_view a, std::string_view b) noexcept {
  if (a.size() != b.size()) return false;
  for (std::size_t i = 0; i < a.size(); ++i) {
    auto lower = [](char c) { return c >= 'A' && c <= 'Z' ? static_cast<char>(c - 'A' + 'a') : c; };
    if (lower(a[i]) != lower(b[i])) return false;
  }
  return true;
}

void header_list::set(std::string_view name, std::string value) {
  remove(name);
  fields_.emplace_back(std::string(name), std::move(value));
}

void header_list::remove(std::string_view name) {
  std::erase_if(fields_, [&](const field& f) { return iequals(f.first, name); });
}

std::optional<std::string_view> header_list::get(std::string_view name) const {
  for (const auto& [k, v] : fields_)
    if (iequals(k, name)) return std::string_view(v);
  return std::nullopt;
}

std::vector<std::string_view> header_list::get_all(std::string_view name) const {
  std::vector<std::string_view> out;
  for (const auto& [k, v] : fields_)
    if (iequals(k, name)) out.emplace_back(v);
  return out;
}

}  // namespace langop::http
