// Equality and content hashing of cjson values.
//
// Equality follows boost::json::value::operator== exactly, so comparing two documents
// agrees with comparing their to_json() copies: objects are equal when they have the same
// key set with equal values (key order ignored); arrays element-wise; int64 and uint64
// compare by numeric value; a double never equals an integer (1.0 != 1, as in boost::json:
// "the same JSON text" is the useful notion for change detection, and the API server keeps
// the number's spelling); -0.0 == 0.0; NaN cannot come out of a parse.
//
// content_hash is a 64-bit fingerprint consistent with ==: it depends only on content (not
// on key order, interning or the key table), so it is stable across runs and processes and
// suitable for a spec fingerprint. Not cryptographic.
#pragma once

#include "langop/cjson/value_view.hpp"
#include "langop/core/json.hpp"

#include <cstdint>

namespace langop::cjson {

[[nodiscard]] bool equal(value_view a, value_view b) noexcept;
[[nodiscard]] bool equal(value_view a, const json::value& b) noexcept;

[[nodiscard]] inline bool operator==(value_view a, value_view b) noexcept { return equal(a, b); }
[[nodiscard]] inline bool operator==(value_view a, const json::value& b) noexcept { return equal(a, b); }

[[nodiscard]] std::uint64_t content_hash(value_view v) noexcept;

}  // namespace langop::cjson
