// A fast, seedable 64-bit hash of byte strings with a fixed algorithm (PURE, internal):
// results depend only on the bytes, so they are stable across runs and processes.
#pragma once

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

namespace langop::cjson::detail {

inline constexpr std::uint64_t hash_k0 = 0xa0761d6478bd642fULL;
inline constexpr std::uint64_t hash_k1 = 0xe7037ed1a0b428dbULL;
inline constexpr std::uint64_t hash_k2 = 0x8ebc6af09c88c6e3ULL;

// 64x64 -> 128 multiply folded to 64 bits (wyhash's mixer): one instruction pair on x86-64.
[[nodiscard]] inline std::uint64_t mix(std::uint64_t a, std::uint64_t b) noexcept {
  const unsigned __int128 r = static_cast<unsigned __int128>(a) * b;
  return static_cast<std::uint64_t>(r) ^ static_cast<std::uint64_t>(r >> 64);
}

// Little-endian word reads via memcpy (the byte order of x86-64 and aarch64): the hash is
// specified over little-endian words, so it would need byte swaps on a big-endian host.
[[nodiscard]] inline std::uint64_t read_u64(const unsigned char* p) noexcept {
  std::uint64_t v;
  std::memcpy(&v, p, 8);
  return v;
}

[[nodiscard]] inline std::uint64_t read_u32(const unsigned char* p) noexcept {
  std::uint32_t v;
  std::memcpy(&v, p, 4);
  return v;
}

// wyhash-style: short inputs (most object keys) cost two multiplies, longer ones one per
// 16 bytes. Overlapping loads cover the tail, with the length mixed in to tell them apart.
[[nodiscard]] inline std::uint64_t hash_bytes(const void* data, std::size_t n, std::uint64_t seed = 0) noexcept {
  const auto* p = static_cast<const unsigned char*>(data);
  std::uint64_t a = 0, b = 0;
  seed ^= hash_k0;
  if (n <= 16) {
    if (n >= 8) {
      a = read_u64(p);
      b = read_u64(p + n - 8);
    } else if (n >= 4) {
      a = read_u32(p);
      b = read_u32(p + n - 4);
    } else if (n > 0) {
      a = (std::uint64_t{p[0]} << 16) | (std::uint64_t{p[n >> 1]} << 8) | p[n - 1];
    }
  } else {
    std::size_t i = n;
    while (i > 16) {
      seed = mix(read_u64(p) ^ hash_k1, read_u64(p + 8) ^ seed);
      p += 16;
      i -= 16;
    }
    a = read_u64(p + i - 16);
    b = read_u64(p + i - 8);
  }
  return mix(hash_k1 ^ n, mix(a ^ hash_k1, b ^ seed) ^ hash_k2);
}

// Byte equality without a libc call for the short strings keys usually are.
[[nodiscard]] inline bool equal_bytes(const char* x, const char* y, std::size_t n) noexcept {
  const auto* a = reinterpret_cast<const unsigned char*>(x);
  const auto* b = reinterpret_cast<const unsigned char*>(y);
  if (n >= 8 && n <= 16) {
    return read_u64(a) == read_u64(b) && read_u64(a + n - 8) == read_u64(b + n - 8);
  }
  if (n >= 4 && n < 8) return read_u32(a) == read_u32(b) && read_u32(a + n - 4) == read_u32(b + n - 4);
  if (n < 4) {
    for (std::size_t i = 0; i < n; ++i) {
      if (a[i] != b[i]) return false;
    }
    return true;
  }
  return std::memcmp(a, b, n) == 0;
}

[[nodiscard]] inline std::uint64_t hash_string(std::string_view s, std::uint64_t seed = 0) noexcept {
  return hash_bytes(s.data(), s.size(), seed);
}

}  // namespace langop::cjson::detail
