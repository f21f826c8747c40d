// Standard base64 (RFC 4648, with padding) (PURE).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace langop {

[[nodiscard]] std::string base64_encode(std::string_view data);
// Accepts padded or unpadded input and ignores whitespace; nullopt when malformed.
[[nodiscard]] std::optional<std::string> base64_decode(std::string_view text);

}  // namespace langop
