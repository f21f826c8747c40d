// Boost.JSON alias and small PURE accessors used everywhere (no Asio here).
#pragma once

#include <boost/json/object.hpp>
#include <boost/json/value.hpp>
#include <boost/json/array.hpp>
#include <boost/json/string.hpp>

#include <cstdint>
#include <initializer_list>
#include <optional>
#include <string>
#include <string_view>

namespace langop {
namespace json = boost::json;

namespace jsonu {

// Follows object keys; nullptr when any step is missing or not an object.
[[nodiscard]] const json::value* find(const json::value& v, std::initializer_list<std::string_view> path);
[[nodiscard]] json::value* find(json::value& v, std::initializer_list<std::string_view> path);
[[nodiscard]] const json::value* find(const json::object& o, std::initializer_list<std::string_view> path);
[[nodiscard]] json::value* find(json::object& o, std::initializer_list<std::string_view> path);

// The string at `path`, or `fallback` when absent or not a string.
[[nodiscard]] std::string_view get_string(const json::value& v, std::initializer_list<std::string_view> path,
                                          std::string_view fallback = {});
[[nodiscard]] std::string_view get_string(const json::object& o, std::string_view key,
                                          std::string_view fallback = {});
[[nodiscard]] std::optional<std::int64_t> get_int(const json::value& v, std::initializer_list<std::string_view> path);
[[nodiscard]] std::optional<bool> get_bool(const json::value& v, std::initializer_list<std::string_view> path);

// Returns the object at `path`, creating empty objects along the way (replacing non-objects).
json::object& ensure_object(json::object& root, std::initializer_list<std::string_view> path);

// Compact serialization.
[[nodiscard]] std::string dump(const json::value& v);

// Parses text; nullopt plus a message on malformed input (never throws).
[[nodiscard]] std::optional<json::value> parse(std::string_view text, std::string* err = nullptr);

}  // namespace jsonu
}  // namespace langop
