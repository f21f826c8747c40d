#include "langop/cjson/compare.hpp"

#include "langop/cjson/detail/fast_hash.hpp"

#include <cstring>

namespace langop::cjson {
namespace {

using namespace detail;

bool same_key(const raw_key& a, const key_table* ta, const raw_key& b, const key_table* tb) noexcept {
  if (a.interned && b.interned && ta == tb) return a.id == b.id;
  const std::string_view sa = a.interned ? ta->key(a.id) : a.text;
  const std::string_view sb = b.interned ? tb->key(b.id) : b.text;
  return sa == sb;
}

bool equal_objects(value_view a, value_view b) noexcept {
  const auto ha = read_container(a.data());
  const auto hb = read_container(b.data());
  if (ha.count != hb.count) return false;
  // Fast path: same keys in the same order (the common case for two versions of an object).
  const std::uint8_t* pa = ha.body;
  const std::uint8_t* pb = hb.body;
  while (pa != ha.end) {
    raw_key ka, kb;
    const std::uint8_t* va = read_key(pa, ka);
    const std::uint8_t* vb = read_key(pb, kb);
    if (!same_key(ka, a.keys(), kb, b.keys())) break;
    if (!equal(value_view(va, a.keys()), value_view(vb, b.keys()))) return false;
    pa = skip_value(va);
    pb = skip_value(vb);
  }
  // Slow path for the rest: keys are unique within a document and the counts match, so
  // every remaining key of `a` found in `b` with an equal value means equal key sets.
  for (object_iterator it(pa, a.keys()), end(ha.end, a.keys()); it != end; ++it) {
    const member m = *it;
    const value_view other = b.find(m.key);
    if (!other || !equal(m.value, other)) return false;
  }
  return true;
}

}  // namespace

bool equal(value_view a, value_view b) noexcept {
  const kind ka = a.type();
  const kind kb = b.type();
  switch (ka) {
    case kind::missing:
    case kind::null:
      return kb == ka;
    case kind::boolean:
      return kb == kind::boolean && a.as_bool() == b.as_bool();
    case kind::int64:
      if (kb == kind::int64) return a.as_int64() == b.as_int64();
      return kb == kind::uint64 && a.as_int64() >= 0 && static_cast<std::uint64_t>(a.as_int64()) == b.as_uint64();
    case kind::uint64:
      if (kb == kind::uint64) return a.as_uint64() == b.as_uint64();
      return kb == kind::int64 && b.as_int64() >= 0 && static_cast<std::uint64_t>(b.as_int64()) == a.as_uint64();
    case kind::double_:
      return kb == kind::double_ && a.as_double() == b.as_double();
    case kind::string:
      return kb == kind::string && a.as_string() == b.as_string();
    case kind::array: {
      if (kb != kind::array || a.size() != b.size()) return false;
      auto rb = b.elements();
      auto ib = rb.begin();
      for (value_view e : a.elements()) {
        if (!equal(e, *ib)) return false;
        ++ib;
      }
      return true;
    }
    case kind::object:
      return kb == kind::object && equal_objects(a, b);
  }
  return false;
}

bool equal(value_view a, const json::value& b) noexcept {
  switch (a.type()) {
    case kind::missing:
      return false;
    case kind::null:
      return b.is_null();
    case kind::boolean:
      return b.is_bool() && b.get_bool() == a.as_bool();
    case kind::int64:
      if (b.is_int64()) return b.get_int64() == a.as_int64();
      return b.is_uint64() && a.as_int64() >= 0 && static_cast<std::uint64_t>(a.as_int64()) == b.get_uint64();
    case kind::uint64:
      if (b.is_uint64()) return b.get_uint64() == a.as_uint64();
      return b.is_int64() && b.get_int64() >= 0 && static_cast<std::uint64_t>(b.get_int64()) == a.as_uint64();
    case kind::double_:
      return b.is_double() && b.get_double() == a.as_double();
    case kind::string: {
      if (!b.is_string()) return false;
      const auto s = a.as_string();
      const auto& t = b.get_string();
      return s == std::string_view(t.data(), t.size());
    }
    case kind::array: {
      const auto* arr = b.if_array();
      if (!arr || arr->size() != a.size()) return false;
      std::size_t i = 0;
      for (value_view e : a.elements()) {
        if (!equal(e, (*arr)[i++])) return false;
      }
      return true;
    }
    case kind::object: {
      const auto* obj = b.if_object();
      if (!obj || obj->size() != a.size()) return false;
      for (const member m : a.members()) {
        const auto it = obj->find(json::string_view(m.key.data(), m.key.size()));
        if (it == obj->end() || !equal(m.value, it->value())) return false;
      }
      return true;
    }
  }
  return false;
}

namespace {

constexpr std::uint64_t h_missing = 0x6d697373696e6721ULL;
constexpr std::uint64_t h_null = 0x6e756c6c6e756c6cULL;
constexpr std::uint64_t h_false = 0x66616c7365212121ULL;
constexpr std::uint64_t h_true = 0x7472756521212121ULL;
constexpr std::uint64_t h_nonneg = 0x2b696e7465676572ULL;
constexpr std::uint64_t h_neg = 0x2d696e7465676572ULL;
constexpr std::uint64_t h_double = 0x646f75626c652121ULL;
constexpr std::uint64_t h_string = 0x737472696e672121ULL;
constexpr std::uint64_t h_array = 0x6172726179212121ULL;
constexpr std::uint64_t h_object = 0x6f626a6563742121ULL;

std::uint64_t hash_value(value_view v) noexcept {
  switch (v.type()) {
    case kind::missing:
      return h_missing;
    case kind::null:
      return h_null;
    case kind::boolean:
      return v.as_bool() ? h_true : h_false;
    case kind::int64: {
      // int64 and uint64 of the same value are equal, so they must hash alike.
      const std::int64_t i = v.as_int64();
      return mix((i >= 0 ? h_nonneg : h_neg) ^ static_cast<std::uint64_t>(i), hash_k1);
    }
    case kind::uint64:
      return mix(h_nonneg ^ v.as_uint64(), hash_k1);
    case kind::double_: {
      double d = v.as_double();
      if (d == 0) d = 0;  // -0.0 == 0.0
      std::uint64_t bits;
      std::memcpy(&bits, &d, 8);
      return mix(h_double ^ bits, hash_k1);
    }
    case kind::string:
      return hash_string(v.as_string(), h_string);
    case kind::array: {
      std::uint64_t h = h_array ^ v.size();
      for (value_view e : v.elements()) h = mix(h ^ hash_value(e), hash_k2);
      return h;
    }
    case kind::object: {
      // Order-independent (a sum of per-member hashes) because equality ignores key order.
      std::uint64_t sum = 0;
      const auto hdr = read_container(v.data());
      const std::uint8_t* p = hdr.body;
      while (p != hdr.end) {
        raw_key k;
        const std::uint8_t* val = read_key(p, k);
        const std::uint64_t hk = k.interned ? v.keys()->hash_of(k.id) : hash_string(k.text);
        sum += mix(hk ^ hash_k0, hash_value(value_view(val, v.keys())) ^ hash_k2);
        p = skip_value(val);
      }
      return mix(h_object ^ v.size(), sum ^ hash_k1);
    }
  }
  return h_missing;
}

}  // namespace

std::uint64_t content_hash(value_view v) noexcept { return hash_value(v); }

}  // namespace langop::cjson
