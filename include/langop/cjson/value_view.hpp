// Read-only, non-owning views into a cjson document: typed accessors, key lookup, iteration.
//
// A view is two pointers (value bytes + key table); copy it freely. It is valid while its
// document lives. Lookups never throw: a missing key, an out-of-range index or a lookup on
// the wrong type yields a *missing* view (type() == kind::missing, exists() == false), and
// the as_*() accessors of a missing or mistyped view return their fallback.
#pragma once

#include "langop/cjson/detail/wire.hpp"
#include "langop/cjson/key_table.hpp"

#include <cstddef>
#include <cstdint>
#include <initializer_list>
#include <iterator>
#include <optional>
#include <string_view>

namespace langop::cjson {

enum class kind : std::uint8_t { missing, null, boolean, int64, uint64, double_, string, array, object };

class value_view;
struct member;

class array_iterator;
class object_iterator;

class value_view final {
 public:
  value_view() noexcept = default;
  value_view(const std::uint8_t* p, const key_table* keys) noexcept : p_(p), keys_(keys) {}

  [[nodiscard]] kind type() const noexcept;
  [[nodiscard]] bool exists() const noexcept { return p_ != nullptr; }
  explicit operator bool() const noexcept { return p_ != nullptr; }
  [[nodiscard]] bool is_null() const noexcept { return p_ && *p_ == detail::tag_null; }
  [[nodiscard]] bool is_bool() const noexcept { return p_ && (*p_ == detail::tag_true || *p_ == detail::tag_false); }
  [[nodiscard]] bool is_int64() const noexcept { return type() == kind::int64; }
  [[nodiscard]] bool is_uint64() const noexcept { return type() == kind::uint64; }
  [[nodiscard]] bool is_double() const noexcept { return p_ && *p_ == detail::tag_double; }
  [[nodiscard]] bool is_number() const noexcept;
  [[nodiscard]] bool is_string() const noexcept { return p_ && (*p_ >= detail::tag_short_string || *p_ == detail::tag_string); }
  [[nodiscard]] bool is_array() const noexcept { return p_ && (*p_ == detail::tag_array || *p_ == detail::tag_empty_array); }
  [[nodiscard]] bool is_object() const noexcept { return p_ && (*p_ == detail::tag_object || *p_ == detail::tag_empty_object); }

  // The string's bytes (unescaped; points into the document), or `fallback`.
  [[nodiscard]] std::string_view as_string(std::string_view fallback = {}) const noexcept {
    return is_string() ? detail::read_string(p_) : fallback;
  }
  // int64, or a uint64 that fits; else `fallback` (doubles are not truncated).
  [[nodiscard]] std::int64_t as_int64(std::int64_t fallback = 0) const noexcept;
  // uint64, or a non-negative int64; else `fallback`.
  [[nodiscard]] std::uint64_t as_uint64(std::uint64_t fallback = 0) const noexcept;
  // Any number, converted to double; else `fallback`.
  [[nodiscard]] double as_double(double fallback = 0) const noexcept;
  [[nodiscard]] bool as_bool(bool fallback = false) const noexcept;
  [[nodiscard]] std::optional<std::int64_t> if_int64() const noexcept;

  // Elements of an array or members of an object; 0 for anything else. O(1).
  [[nodiscard]] std::size_t size() const noexcept;

  // Member `key` of an object (interned ids compared first), or missing.
  [[nodiscard]] value_view find(std::string_view key) const noexcept;
  [[nodiscard]] value_view operator[](std::string_view key) const noexcept { return find(key); }
  // Element `i` of an array (O(i): each element is skipped in O(1)), or missing.
  [[nodiscard]] value_view at(std::size_t i) const noexcept;
  [[nodiscard]] value_view operator[](std::size_t i) const noexcept { return at(i); }
  // Follows object keys; missing as soon as a step is missing.
  [[nodiscard]] value_view at_path(std::initializer_list<std::string_view> path) const noexcept;

  // Iteration; an empty range for a non-container.
  class array_range;
  class object_range;
  [[nodiscard]] array_range elements() const noexcept;
  [[nodiscard]] object_range members() const noexcept;

  // Raw access for the codec: the value's first byte, and its encoded length.
  [[nodiscard]] const std::uint8_t* data() const noexcept { return p_; }
  [[nodiscard]] std::size_t encoded_size() const noexcept {
    return p_ ? static_cast<std::size_t>(detail::skip_value(p_) - p_) : 0;
  }
  [[nodiscard]] const key_table* keys() const noexcept { return keys_; }

 private:
  const std::uint8_t* p_ = nullptr;
  const key_table* keys_ = nullptr;
};

struct member {
  std::string_view key;
  value_view value;
};

class array_iterator final {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = value_view;
  using difference_type = std::ptrdiff_t;
  using pointer = void;
  using reference = value_view;

  array_iterator() noexcept = default;
  array_iterator(const std::uint8_t* p, const key_table* keys) noexcept : p_(p), keys_(keys) {}
  [[nodiscard]] value_view operator*() const noexcept { return {p_, keys_}; }
  array_iterator& operator++() noexcept {
    p_ = detail::skip_value(p_);
    return *this;
  }
  array_iterator operator++(int) noexcept {
    auto t = *this;
    ++*this;
    return t;
  }
  [[nodiscard]] bool operator==(const array_iterator& o) const noexcept { return p_ == o.p_; }

 private:
  const std::uint8_t* p_ = nullptr;
  const key_table* keys_ = nullptr;
};

class object_iterator final {
 public:
  using iterator_category = std::forward_iterator_tag;
  using value_type = member;
  using difference_type = std::ptrdiff_t;
  using pointer = void;
  using reference = member;

  object_iterator() noexcept = default;
  object_iterator(const std::uint8_t* p, const key_table* keys) noexcept : p_(p), keys_(keys) {}
  [[nodiscard]] member operator*() const noexcept {
    detail::raw_key k;
    const std::uint8_t* v = detail::read_key(p_, k);
    return {k.interned ? keys_->key(k.id) : k.text, value_view(v, keys_)};
  }
  object_iterator& operator++() noexcept {
    detail::raw_key k;
    p_ = detail::skip_value(detail::read_key(p_, k));
    return *this;
  }
  object_iterator operator++(int) noexcept {
    auto t = *this;
    ++*this;
    return t;
  }
  [[nodiscard]] bool operator==(const object_iterator& o) const noexcept { return p_ == o.p_; }

 private:
  const std::uint8_t* p_ = nullptr;
  const key_table* keys_ = nullptr;
};

class value_view::array_range final {
 public:
  array_range(array_iterator b, array_iterator e) noexcept : b_(b), e_(e) {}
  [[nodiscard]] array_iterator begin() const noexcept { return b_; }
  [[nodiscard]] array_iterator end() const noexcept { return e_; }

 private:
  array_iterator b_, e_;
};

class value_view::object_range final {
 public:
  object_range(object_iterator b, object_iterator e) noexcept : b_(b), e_(e) {}
  [[nodiscard]] object_iterator begin() const noexcept { return b_; }
  [[nodiscard]] object_iterator end() const noexcept { return e_; }

 private:
  object_iterator b_, e_;
};

inline value_view::array_range value_view::elements() const noexcept {
  if (!is_array()) return {{}, {}};
  const auto h = detail::read_container(p_);
  return {{h.body, keys_}, {h.end, keys_}};
}

inline value_view::object_range value_view::members() const noexcept {
  if (!is_object()) return {{}, {}};
  const auto h = detail::read_container(p_);
  return {{h.body, keys_}, {h.end, keys_}};
}

}  // namespace langop::cjson
