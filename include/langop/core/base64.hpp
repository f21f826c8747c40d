// Standard base64 (RFC 4648, with padding) (PURE).
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace langop {

[[nodiscard]] std::string base64_encode(std::string_view data);
enum class base64_padding { optional, required };
// Ignores whitespace; nullopt when malformed. `required` is Go's StdEncoding (what
// kubeconfig *-data fields use): the length must be a multiple of 4, '=' only at the end.
[[nodiscard]] std::optional<std::string> base64_decode(std::string_view text,
                                                       base64_padding padding = base64_padding::optional);

}  // namespace langop
