// Which HTTP proxy a connection goes through (PURE): HTTPS_PROXY and NO_PROXY as curl and
// Go's net/http read them. Only https endpoints are proxied, through an HTTP CONNECT
// tunnel (the TLS session stays end to end); plain http endpoints always go direct.
#pragma once

#include "langop/core/error.hpp"

#include <cstdint>
#include <functional>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace langop::http {

// The proxy to CONNECT through. `authorization` ("Basic …", from the proxy URL's
// user:password) is secret: never log it.
struct proxy_server {
  std::string host;
  std::uint16_t port = 0;
  std::string authorization;

  [[nodiscard]] std::string authority() const;  // "host:port", IPv6 bracketed
};

class proxy_settings final {
 public:
  proxy_settings() = default;  // no proxy

  // `https_proxy`: "http://[user:pass@]host[:port]" or "host:port" (port default 80);
  // empty means no proxy.
  // `no_proxy`: comma/space separated; "*" (everything), a domain ("example.com" matches
  // it and its subdomains, ".example.com" and "*.example.com" only subdomains), an IP,
  // a CIDR ("10.0.0.0/8"), each optionally with ":port". Case-insensitive.
  // Errors (http::errc::invalid_argument): unparseable proxy URL, an https:// or socks
  // proxy (unsupported). Messages never contain the proxy credentials.
  [[nodiscard]] static result<proxy_settings> make(std::string_view https_proxy, std::string_view no_proxy);

  // HTTPS_PROXY (else https_proxy) and NO_PROXY (else no_proxy). `getenv_fn` null:
  // ::getenv. An unset HTTPS_PROXY gives no proxy.
  [[nodiscard]] static result<proxy_settings> from_env(
      const std::function<const char*(const char*)>& getenv_fn = nullptr);

  // The proxy for a connection to host:port, or nullopt to connect directly: no proxy
  // configured, plain http, NO_PROXY matches, or the host is localhost / a loopback IP
  // (as Go does: a local sidecar or port-forward is never behind the proxy).
  [[nodiscard]] std::optional<proxy_server> for_target(bool tls, std::string_view host, std::uint16_t port) const;

  // True when NO_PROXY (or the loopback rule) exempts host:port.
  [[nodiscard]] bool bypasses(std::string_view host, std::uint16_t port) const;

  [[nodiscard]] bool enabled() const noexcept { return proxy_.has_value(); }

 private:
  struct rule {
    enum class kind { any, domain, subdomains_only, ip, cidr } what = kind::any;
    std::string text;      // lower-case domain, or the IP/CIDR network text
    std::vector<unsigned char> network;  // ip/cidr: address bytes (4 or 16)
    int prefix = 0;        // cidr prefix length
    std::uint16_t port = 0;  // 0: any port
  };

  std::optional<proxy_server> proxy_;
  std::vector<rule> no_proxy_;
};

}  // namespace langop::http
