// TLS settings for one endpoint: trust anchors, optional client certificate, the name
// to verify. PEM material is secret where noted: never log these fields.
#pragma once

#include <string>

namespace langop::http {

struct tls_options {
  std::string ca_pem;           // trust only these CAs; empty = the system trust store
  std::string client_cert_pem;  // optional client certificate chain (leaf first)
  std::string client_key_pem;   // its private key — secret
  // Name verified against the server certificate and sent as SNI instead of the URL
  // host (kubeconfig tls-server-name). Empty = the URL host.
  std::string server_name;
  // No certificate or hostname verification at all (kubeconfig insecure-skip-tls-verify).
  bool insecure_skip_verify = false;
};

}  // namespace langop::http
