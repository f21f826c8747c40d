// Go-style rendering of JSON values (PURE, internal). kube-apiserver builds its
// validation and conflict messages with Go's fmt and encoding/json; matching those
// renderings byte for byte is what makes our messages identical to the real ones.
#pragma once

#include "langop/core/json.hpp"

#include <string>
#include <string_view>

namespace langop::localapi::detail {

// strconv.Quote: "a\"b", non-printable runes escaped, invalid UTF-8 bytes as \x..
[[nodiscard]] std::string go_quote(std::string_view s);

// fmt's %v of a float64 ("1.5", "1e+06", "-0", "+Inf").
[[nodiscard]] std::string go_float(double d);

// encoding/json's number text for a float64 ("1.5", "1e+21", "1e-7").
[[nodiscard]] std::string go_json_float(double d);

// encoding/json.Marshal of a JSON value. `sort_keys` mirrors Go maps (always sorted);
// false keeps the object's own order (used for fieldsV1 keys, which list key fields in
// x-kubernetes-list-map-keys order). Depth-limited: deeper values render as null.
[[nodiscard]] std::string go_json(const json::value& v, bool sort_keys = true);
// Appends encoding/json.Marshal of one string (what go_json renders for a string value).
void go_json_string_into(std::string& out, std::string_view s);

// fmt's %#v of the decoded value (map[string]interface {}{"a":1}, []interface {}{...}).
[[nodiscard]] std::string go_sharp_v(const json::value& v);

// The BadValue part of field.Error.ErrorBody: %q for strings, %v for numbers and
// booleans, "null" (quoted) for null, %#v for objects and arrays.
[[nodiscard]] std::string go_bad_value(const json::value& v);

// Number of Unicode code points (utf8.RuneCountInString: invalid bytes count as one).
[[nodiscard]] std::size_t rune_count(std::string_view s);

// Decodes one UTF-8 rune at `i` (advancing it); invalid sequences yield U+FFFD and
// advance by one byte, exactly like Go's utf8.DecodeRuneInString.
[[nodiscard]] char32_t decode_rune(std::string_view s, std::size_t& i);

// Numeric helpers shared by the schema validator and CEL.
[[nodiscard]] bool is_number(const json::value& v) noexcept;
[[nodiscard]] long double as_long_double(const json::value& v) noexcept;
// Integer-valued: int64/uint64, or a double with no fractional part.
[[nodiscard]] bool is_whole_number(const json::value& v) noexcept;

// Structural equality where numbers compare by value (1 == 1.0); no depth limit.
[[nodiscard]] bool json_equal(const json::value& a, const json::value& b);

}  // namespace langop::localapi::detail
