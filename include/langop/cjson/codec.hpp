// Building cjson documents: straight from JSON text (the watch-event hot path: one SAX pass,
// no json::value in between) or from a json::value.
#pragma once

#include "langop/cjson/document.hpp"
#include "langop/cjson/key_table.hpp"
#include "langop/core/error.hpp"
#include "langop/core/json.hpp"

#include <cstdint>
#include <string_view>

namespace langop::cjson {

struct encode_options {
  // Kubernetes informer ingest: drop the root object's metadata.managedFields and the
  // metadata.annotations["kubectl.kubernetes.io/last-applied-configuration"] entry while
  // encoding (they are never read by controllers and are often half of an object's bytes).
  // An annotations object left empty stays as {}.
  bool strip_kube_bookkeeping = false;
  // Deepest container nesting accepted (the parser recurses, so this bounds stack use).
  std::uint32_t max_depth = 512;
};

// Encodes a value. Fails only when nesting exceeds max_depth (boost::json::error::too_deep).
[[nodiscard]] result<document> encode(const json::value& v, key_table& keys, const encode_options& opt = {});

// Parses one JSON text (RFC 8259; no comments, no trailing commas; surrounding whitespace
// allowed) into a document. Invalid UTF-8 inside strings is kept as raw bytes. Malformed
// text, trailing data, nesting deeper than max_depth or a document over 4 GiB give an error
// (boost::json error codes) whose message says where. Duplicate keys behave as in
// boost::json::parse: the last value wins, at the first key's position.
[[nodiscard]] result<document> parse(std::string_view json_text, key_table& keys, const encode_options& opt = {});

}  // namespace langop::cjson
