// Where requests go: scheme, host, port, an optional path prefix, and for https a
// shared, immutable TLS client context (CA verification, optional client certificate).
// Cheap to copy; hostname verification and SNI are applied per connection.
#pragma once

#include "langop/core/error.hpp"
#include "langop/http/tls_options.hpp"

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

namespace boost::asio::ssl {
class context;
}

namespace langop::http {

class endpoint final {
 public:
  // Parses "http(s)://host[:port][/prefix]" (Boost.URL). Errors (errc::invalid_argument):
  // unparseable URL, other scheme, missing host, bad port, query/fragment present, unusable
  // TLS material (the message names the field, never its contents).
  [[nodiscard]] static result<endpoint> from_url(std::string_view url, const tls_options& tls = {});
  [[nodiscard]] static result<endpoint> make(bool use_tls, std::string host, std::uint16_t port,
                                             const tls_options& tls = {}, std::string base_path = {});

  [[nodiscard]] bool is_tls() const noexcept { return ssl_ != nullptr; }
  [[nodiscard]] const std::string& host() const noexcept { return host_; }  // no IPv6 brackets
  [[nodiscard]] std::uint16_t port() const noexcept { return port_; }
  // Prepended to every request target; "" or "/prefix" without a trailing '/'.
  [[nodiscard]] const std::string& base_path() const noexcept { return base_path_; }
  // The name the certificate must match (and, unless an IP, the SNI value).
  [[nodiscard]] const std::string& verify_name() const noexcept { return verify_name_; }
  [[nodiscard]] bool insecure_skip_verify() const noexcept { return insecure_; }
  // "host:port" with IPv6 brackets: for the Host header and error messages.
  [[nodiscard]] std::string authority() const;
  // Null for plain http.
  [[nodiscard]] boost::asio::ssl::context* ssl_context() const noexcept { return ssl_.get(); }

 private:
  endpoint() = default;

  std::string host_;
  std::uint16_t port_ = 0;
  std::string base_path_;
  std::string verify_name_;
  bool insecure_ = false;
  std::shared_ptr<boost::asio::ssl::context> ssl_;
};

}  // namespace langop::http
