// An immutable compact JSON value in one contiguous heap buffer (see detail/wire.hpp).
#pragma once

#include "langop/cjson/key_table.hpp"
#include "langop/cjson/value_view.hpp"

#include <cstddef>
#include <cstdint>
#include <memory>
#include <span>

namespace langop::cjson {

// Move-only owner of the bytes; share it by wrapping in a shared_ptr (cache_store does, via
// cached_object). The buffer never moves, so views and string_views taken from it stay
// valid for the document's life, across moves of the document object itself.
class document final {
 public:
  document() = default;  // empty: root() is a missing view
  document(std::unique_ptr<std::uint8_t[]> bytes, std::uint32_t size, std::shared_ptr<const key_table> keys) noexcept
      : bytes_(std::move(bytes)), size_(size), keys_(std::move(keys)) {}
  document(document&&) noexcept = default;
  document& operator=(document&&) noexcept = default;
  document(const document&) = delete;
  document& operator=(const document&) = delete;

  [[nodiscard]] value_view root() const noexcept {
    return bytes_ ? value_view(bytes_.get(), keys_.get()) : value_view();
  }
  [[nodiscard]] bool empty() const noexcept { return !bytes_; }
  [[nodiscard]] std::span<const std::uint8_t> bytes() const noexcept { return {bytes_.get(), size_}; }
  [[nodiscard]] std::size_t size_bytes() const noexcept { return size_; }
  [[nodiscard]] const std::shared_ptr<const key_table>& keys() const noexcept { return keys_; }
  // The view at a byte offset previously obtained from offset_of() on this document.
  [[nodiscard]] value_view at_offset(std::uint32_t off) const noexcept {
    return value_view(bytes_.get() + off, keys_.get());
  }
  [[nodiscard]] std::uint32_t offset_of(value_view v) const noexcept {
    return static_cast<std::uint32_t>(v.data() - bytes_.get());
  }

 private:
  std::unique_ptr<std::uint8_t[]> bytes_;
  std::uint32_t size_ = 0;
  std::shared_ptr<const key_table> keys_;
};

}  // namespace langop::cjson
