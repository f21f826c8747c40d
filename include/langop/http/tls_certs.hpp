// In-memory test/dev PKI (OpenSSL 3, EC P-256): a self-signed CA, a server certificate
// for given DNS names and IPs, and optionally a client certificate, all as PEM strings.
// Used by the local API server's --tls mode and by transport tests. Keys are secrets:
// never log the *_key_pem fields.
#pragma once

#include "langop/core/error.hpp"

#include <chrono>
#include <optional>
#include <string>
#include <vector>

namespace langop::http {

struct cert_request {
  std::vector<std::string> dns_names = {"localhost"};
  std::vector<std::string> ip_addresses = {"127.0.0.1", "::1"};
  std::string ca_common_name = "langop-ca";
  std::string server_common_name = "langop-server";
  // When set, a client certificate (extendedKeyUsage clientAuth) with this CN is issued;
  // `client_organization` becomes O, which Kubernetes maps to a group.
  std::optional<std::string> client_common_name;
  std::string client_organization;
  std::chrono::hours validity{24 * 365};
};

struct generated_certs {
  std::string ca_cert_pem;
  std::string ca_key_pem;
  std::string server_cert_pem;
  std::string server_key_pem;
  std::string client_cert_pem;  // empty unless requested
  std::string client_key_pem;   // empty unless requested
};

// Fails (errc::invalid_argument) on an unparseable IP address or an OpenSSL failure.
[[nodiscard]] result<generated_certs> generate_certs(const cert_request& req);

}  // namespace langop::http
