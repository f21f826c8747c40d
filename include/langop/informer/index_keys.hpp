// The keys an index function files one cached object under (reused buffer, no allocation
// per object once warm).
#pragma once

#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace langop::informer {

class cached_object;

class index_keys final {
 public:
  // Copies `key`; an object may be filed under any number of keys (duplicates are merged).
  void add(std::string_view key) {
    spans_.emplace_back(static_cast<std::uint32_t>(bytes_.size()), static_cast<std::uint32_t>(key.size()));
    bytes_.append(key);
  }
  [[nodiscard]] std::size_t size() const noexcept { return spans_.size(); }
  [[nodiscard]] bool empty() const noexcept { return spans_.empty(); }
  [[nodiscard]] std::string_view operator[](std::size_t i) const noexcept {
    return std::string_view(bytes_).substr(spans_[i].first, spans_[i].second);
  }
  void clear() noexcept {
    bytes_.clear();
    spans_.clear();
  }
  // Sorts and removes duplicates, so two key sets can be diffed with one merge.
  void normalize();

 private:
  std::string bytes_;
  std::vector<std::pair<std::uint32_t, std::uint32_t>> spans_;
};

// Must be a pure function of the object (it is re-run on the old version to unfile it).
using index_fn = std::function<void(const cached_object&, index_keys&)>;

}  // namespace langop::informer
