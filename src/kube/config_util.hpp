// Internal helpers shared by the kubeconfig and in-cluster loaders (no Asio; blocking
// file reads are fine: configuration loads once at start-up, files are tiny).
#pragma once

#include "langop/core/error.hpp"

#include <boost/url/url.hpp>

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>

namespace langop::kube::detail {

// The whole file, or config_errc::file_unreadable naming `what` and the path (never contents).
[[nodiscard]] result<std::string> read_file(const std::filesystem::path& path, std::string_view what);


// True when `pem` holds at least one parseable X.509 certificate / one private key.
[[nodiscard]] bool pem_has_certificate(const std::string& pem);
[[nodiscard]] bool pem_has_private_key(const std::string& pem);

// "https://" prepended when the text has no scheme; then parsed and checked (http/https,
// a host, no query/fragment). `where` prefixes the error message.
[[nodiscard]] result<boost::urls::url> parse_server_url(std::string_view text, const std::string& where);

}  // namespace langop::kube::detail
