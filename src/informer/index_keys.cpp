#include "langop/informer/index_keys.hpp"

#include <algorithm>

namespace langop::informer {

void index_keys::normalize() {
  auto less = [this](const auto& a, const auto& b) {
    return std::string_view(bytes_).substr(a.first, a.second) < std::string_view(bytes_).substr(b.first, b.second);
  };
  auto same = [this](const auto& a, const auto& b) {
    return std::string_view(bytes_).substr(a.first, a.second) == std::string_view(bytes_).substr(b.first, b.second);
  };
  if (spans_.size() < 2) return;
  std::sort(spans_.begin(), spans_.end(), less);
  spans_.erase(std::unique(spans_.begin(), spans_.end(), same), spans_.end());
}

}  // namespace langop::informer
