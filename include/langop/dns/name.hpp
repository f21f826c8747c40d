// Host name validation and normalization for DNS lookups (PURE, no Asio).
#pragma once

#include "langop/core/error.hpp"

#include <string>
#include <string_view>

namespace langop::dns {

// Longest name we accept, without the optional trailing dot (RFC 1035 §2.3.4 / RFC 1123).
inline constexpr std::size_t max_name_length = 253;
inline constexpr std::size_t max_label_length = 63;

// The lookup form of `name`: ASCII-lowercased, one trailing dot removed. Valid names are
// RFC 1123 host names: dot-separated labels of 1–63 letters, digits and '-', no label
// starting or ending with '-', at most 253 characters, and a top-level label that is not
// all digits (so IP literals are rejected with a hint to use a CIDR instead).
// Error: errc::bad_name, message names the (possibly shortened) input and the reason.
[[nodiscard]] result<std::string> normalize_host_name(std::string_view name);

// `name` shortened for messages (user input may be huge): at most 80 characters plus "...".
[[nodiscard]] std::string quote_for_message(std::string_view name);

}  // namespace langop::dns
