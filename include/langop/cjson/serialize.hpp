// cjson -> JSON text and -> boost::json::value (when a builder or patch needs a mutable copy).
#pragma once

#include "langop/cjson/value_view.hpp"
#include "langop/core/json.hpp"

#include <string>

namespace langop::cjson {

// Compact JSON text, byte-identical to boost::json::serialize() of the same value (same
// escaping, same number formatting). A missing view serializes as "null".
[[nodiscard]] std::string serialize(value_view v);
// Appends to `out` (reuse one buffer across calls).
void serialize_to(value_view v, std::string& out);

// A mutable copy; key order and number kinds are preserved. A missing view gives null.
[[nodiscard]] json::value to_json(value_view v, json::storage_ptr sp = {});

}  // namespace langop::cjson
