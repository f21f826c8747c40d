#include "langop/cjson/value_view.hpp"

#include "langop/cjson/detail/fast_hash.hpp"

#include <array>
#include <cstring>
#include <limits>

namespace langop::cjson {
namespace {

using namespace detail;

constexpr std::array<kind, 256> make_kinds() {
  std::array<kind, 256> k{};
  for (auto& e : k) e = kind::missing;
  k[tag_null] = kind::null;
  k[tag_false] = kind::boolean;
  k[tag_true] = kind::boolean;
  k[tag_int64] = kind::int64;
  k[tag_uint64] = kind::uint64;
  k[tag_double] = kind::double_;
  k[tag_string] = kind::string;
  k[tag_array] = kind::array;
  k[tag_empty_array] = kind::array;
  k[tag_object] = kind::object;
  k[tag_empty_object] = kind::object;
  for (int t = tag_small_int; t < tag_short_string; ++t) k[static_cast<std::size_t>(t)] = kind::int64;
  for (int t = tag_short_string; t < 256; ++t) k[static_cast<std::size_t>(t)] = kind::string;
  return k;
}
constexpr std::array<kind, 256> kinds = make_kinds();

// The member value for key `key` (interned as `qid`, or npos) in the object body [q, end).
const std::uint8_t* find_member(const std::uint8_t* q, const std::uint8_t* end, std::string_view key,
                                std::uint32_t qid) noexcept {
  while (q != end) {
    std::uint64_t v = 0;
    q = read_varint(q, v);
    if ((v & 1) == 0) {
      if (static_cast<std::uint32_t>(v >> 1) == qid) return q;
    } else {
      // An inline key may equal an interned query: it was stored before the table learnt it.
      const auto n = static_cast<std::size_t>(v >> 1);
      if (n == key.size() && equal_bytes(reinterpret_cast<const char*>(q), key.data(), n)) return q + n;
      q += n;
    }
    q = skip_value(q);
  }
  return nullptr;
}

}  // namespace

kind value_view::type() const noexcept { return p_ ? kinds[*p_] : kind::missing; }

bool value_view::is_number() const noexcept {
  const kind k = type();
  return k == kind::int64 || k == kind::uint64 || k == kind::double_;
}

std::int64_t value_view::as_int64(std::int64_t fallback) const noexcept {
  if (!p_) return fallback;
  const std::uint8_t t = *p_;
  if (t >= tag_small_int && t < tag_short_string) return t - tag_small_int;
  std::uint64_t v = 0;
  if (t == tag_int64) {
    (void)read_varint(p_ + 1, v);
    return unzigzag(v);
  }
  if (t == tag_uint64) {
    (void)read_varint(p_ + 1, v);
    if (v <= static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) return static_cast<std::int64_t>(v);
  }
  return fallback;
}

std::optional<std::int64_t> value_view::if_int64() const noexcept {
  const kind k = type();
  if (k != kind::int64 && k != kind::uint64) return std::nullopt;
  if (k == kind::uint64 && as_uint64() > static_cast<std::uint64_t>(std::numeric_limits<std::int64_t>::max())) {
    return std::nullopt;
  }
  return as_int64();
}

std::uint64_t value_view::as_uint64(std::uint64_t fallback) const noexcept {
  if (!p_) return fallback;
  const std::uint8_t t = *p_;
  if (t >= tag_small_int && t < tag_short_string) return t - tag_small_int;
  std::uint64_t v = 0;
  if (t == tag_uint64) {
    (void)read_varint(p_ + 1, v);
    return v;
  }
  if (t == tag_int64) {
    (void)read_varint(p_ + 1, v);
    const std::int64_t i = unzigzag(v);
    if (i >= 0) return static_cast<std::uint64_t>(i);
  }
  return fallback;
}

double value_view::as_double(double fallback) const noexcept {
  switch (type()) {
    case kind::double_:
      return read_double(p_);
    case kind::int64:
      return static_cast<double>(as_int64());
    case kind::uint64:
      return static_cast<double>(as_uint64());
    default:
      return fallback;
  }
}

bool value_view::as_bool(bool fallback) const noexcept {
  if (!p_) return fallback;
  if (*p_ == tag_true) return true;
  if (*p_ == tag_false) return false;
  return fallback;
}

std::size_t value_view::size() const noexcept {
  if (!is_array() && !is_object()) return 0;
  return read_container(p_).count;
}

value_view value_view::find(std::string_view key) const noexcept {
  if (!p_ || *p_ != tag_object) return {};
  const auto h = read_container(p_);
  const std::uint8_t* v = find_member(h.body, h.end, key, keys_->find(key));
  return v ? value_view(v, keys_) : value_view();
}

value_view value_view::at(std::size_t i) const noexcept {
  if (!p_ || *p_ != tag_array) return {};
  const auto h = read_container(p_);
  if (i >= h.count) return {};
  const std::uint8_t* q = h.body;
  for (; i > 0; --i) q = skip_value(q);
  return {q, keys_};
}

value_view value_view::at_path(std::initializer_list<std::string_view> path) const noexcept {
  value_view cur = *this;
  for (std::string_view key : path) {
    cur = cur.find(key);
    if (!cur.p_) break;
  }
  return cur;
}

}  // namespace langop::cjson
