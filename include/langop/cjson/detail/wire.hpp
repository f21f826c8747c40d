// The byte encoding of cjson documents: tags, varints and O(1) skipping (PURE, internal).
//
//   value   := tag [payload]
//   0x00 null | 0x01 false | 0x02 true
//   0x03 int64  zigzag-varint          0x04 uint64 varint      0x05 double, 8 bytes LE IEEE-754
//   0x06 string varint(len) bytes      0x80|len  string of 0..127 bytes (bytes follow)
//   0x40|v     int64 0..63 in the tag  0x09 []   0x0A {}
//   0x07 array  varint(count) varint(body bytes) value*count
//   0x08 object varint(count) varint(body bytes) (key value)*count
//   key     := varint(id << 1)                     interned: id in the document's key_table
//            | varint(len << 1 | 1) bytes          inline key (not interned)
//
// Strings are stored unescaped, so string_views point straight into the buffer. The body
// length of a container lets readers skip it in O(1). Documents are built only by the
// encoder, so readers trust the structure (no bounds checks on the hot path).
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace langop::cjson::detail {

enum tag : std::uint8_t {
  tag_null = 0x00,
  tag_false = 0x01,
  tag_true = 0x02,
  tag_int64 = 0x03,
  tag_uint64 = 0x04,
  tag_double = 0x05,
  tag_string = 0x06,
  tag_array = 0x07,
  tag_object = 0x08,
  tag_empty_array = 0x09,
  tag_empty_object = 0x0A,
  tag_small_int = 0x40,     // 0x40..0x7F
  tag_short_string = 0x80,  // 0x80..0xFF
};
inline constexpr std::uint64_t small_int_max = 63;
inline constexpr std::size_t short_string_max = 127;
inline constexpr std::size_t max_varint_bytes = 10;

[[nodiscard]] inline std::size_t varint_size(std::uint64_t v) noexcept {
  std::size_t n = 1;
  while (v >= 0x80) {
    v >>= 7;
    ++n;
  }
  return n;
}

// Writes `v` at `out` (room for max_varint_bytes); returns the byte after it.
inline std::uint8_t* write_varint(std::uint8_t* out, std::uint64_t v) noexcept {
  while (v >= 0x80) {
    *out++ = static_cast<std::uint8_t>(v | 0x80);
    v >>= 7;
  }
  *out++ = static_cast<std::uint8_t>(v);
  return out;
}

[[nodiscard]] inline const std::uint8_t* read_varint(const std::uint8_t* p, std::uint64_t& v) noexcept {
  std::uint64_t b = *p++;
  if (b < 0x80) {
    v = b;
    return p;
  }
  std::uint64_t r = b & 0x7f;
  unsigned shift = 7;
  for (;;) {
    b = *p++;
    r |= (b & 0x7f) << shift;
    if (b < 0x80) break;
    shift += 7;
  }
  v = r;
  return p;
}

[[nodiscard]] inline std::uint64_t zigzag(std::int64_t v) noexcept {
  return (static_cast<std::uint64_t>(v) << 1) ^ static_cast<std::uint64_t>(v >> 63);
}
[[nodiscard]] inline std::int64_t unzigzag(std::uint64_t v) noexcept {
  return static_cast<std::int64_t>((v >> 1) ^ (~(v & 1) + 1));
}

// A container's header, decoded.
struct container_header {
  std::uint32_t count = 0;
  const std::uint8_t* body = nullptr;  // first element (or key)
  const std::uint8_t* end = nullptr;   // one past the last byte of the container
};

// `p` points at tag_array/tag_object/tag_empty_*.
[[nodiscard]] inline container_header read_container(const std::uint8_t* p) noexcept {
  if (*p == tag_empty_array || *p == tag_empty_object) return {0, p + 1, p + 1};
  std::uint64_t count = 0, len = 0;
  const std::uint8_t* q = read_varint(p + 1, count);
  q = read_varint(q, len);
  return {static_cast<std::uint32_t>(count), q, q + len};
}

// The byte after the value at `p`.
[[nodiscard]] inline const std::uint8_t* skip_value(const std::uint8_t* p) noexcept {
  const std::uint8_t t = *p;
  if (t >= tag_short_string) return p + 1 + (t & 0x7f);
  if (t >= tag_small_int) return p + 1;
  std::uint64_t v = 0;
  switch (t) {
    case tag_int64:
    case tag_uint64:
      return read_varint(p + 1, v);
    case tag_double:
      return p + 9;
    case tag_string: {
      const std::uint8_t* q = read_varint(p + 1, v);
      return q + v;
    }
    case tag_array:
    case tag_object:
      return read_container(p).end;
    default:  // null, false, true, empty containers
      return p + 1;
  }
}

// An object member's key as stored: interned id, or inline bytes.
struct raw_key {
  bool interned = false;
  std::uint32_t id = 0;
  std::string_view text;  // inline keys only
};

[[nodiscard]] inline const std::uint8_t* read_key(const std::uint8_t* p, raw_key& k) noexcept {
  std::uint64_t v = 0;
  p = read_varint(p, v);
  if ((v & 1) == 0) {
    k.interned = true;
    k.id = static_cast<std::uint32_t>(v >> 1);
    k.text = {};
    return p;
  }
  const std::size_t n = static_cast<std::size_t>(v >> 1);
  k.interned = false;
  k.text = std::string_view(reinterpret_cast<const char*>(p), n);
  return p + n;
}

// String payload of a value known to be a string.
[[nodiscard]] inline std::string_view read_string(const std::uint8_t* p) noexcept {
  const std::uint8_t t = *p;
  if (t >= tag_short_string) return {reinterpret_cast<const char*>(p + 1), static_cast<std::size_t>(t & 0x7f)};
  std::uint64_t n = 0;
  const std::uint8_t* q = read_varint(p + 1, n);
  return {reinterpret_cast<const char*>(q), static_cast<std::size_t>(n)};
}

[[nodiscard]] inline double read_double(const std::uint8_t* p) noexcept {
  double d;
  std::memcpy(&d, p + 1, 8);
  return d;
}

}  // namespace langop::cjson::detail
