// A set of object slot ids for one index bucket (internal to cache_store): a plain vector
// while small (most buckets: the children of one owner), a flat hash set once large (a
// namespace with thousands of objects) so removal stays O(1).
#pragma once

#include <boost/unordered/unordered_flat_set.hpp>

#include <algorithm>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <vector>

namespace langop::informer::detail {

class id_set final {
 public:
  static constexpr std::size_t small_max = 32;

  void insert(std::uint32_t id) {
    if (large_) {
      large_->insert(id);
      return;
    }
    if (std::find(small_.begin(), small_.end(), id) != small_.end()) return;
    if (small_.size() < small_max) {
      small_.push_back(id);
      return;
    }
    large_ = std::make_unique<boost::unordered_flat_set<std::uint32_t>>(small_.begin(), small_.end());
    large_->insert(id);
    small_ = {};
  }
  void erase(std::uint32_t id) {
    if (large_) {
      large_->erase(id);
      return;
    }
    auto it = std::find(small_.begin(), small_.end(), id);
    if (it == small_.end()) return;
    *it = small_.back();
    small_.pop_back();
  }
  [[nodiscard]] std::size_t size() const noexcept { return large_ ? large_->size() : small_.size(); }
  [[nodiscard]] bool empty() const noexcept { return size() == 0; }
  template <class Fn>
  void for_each(Fn&& fn) const {
    if (large_) {
      for (std::uint32_t id : *large_) fn(id);
    } else {
      for (std::uint32_t id : small_) fn(id);
    }
  }
  // Heap bytes (vector storage, or the flat set's slots + 16-byte group metadata per 15).
  [[nodiscard]] std::size_t heap_bytes() const noexcept {
    if (large_) {
      const std::size_t n = large_->bucket_count();
      return 16 + sizeof(*large_) + n * sizeof(std::uint32_t) + (n / 15 + 1) * 16 + 32;
    }
    return small_.capacity() ? ((small_.capacity() * sizeof(std::uint32_t) + 8 + 15) & ~std::size_t{15}) : 0;
  }

 private:
  std::vector<std::uint32_t> small_;
  std::unique_ptr<boost::unordered_flat_set<std::uint32_t>> large_;
};

}  // namespace langop::informer::detail
