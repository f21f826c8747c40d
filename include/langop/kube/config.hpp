// How to reach and authenticate to one Kubernetes API server, however it was found
// (kubeconfig or in-cluster service account), and the transport built from it.
// `token` and `client_key_pem` are secrets: never log a cluster_config field by field.
#pragma once

#include "langop/core/error.hpp"
#include "langop/http/endpoint.hpp"
#include "langop/http/tls_options.hpp"

#include <boost/url/url.hpp>

#include <string>

namespace langop::kube {

struct cluster_config {
  boost::urls::url server;  // http(s)://host[:port][/prefix]
  std::string ca_pem;       // trusted CAs; empty = system trust store
  bool insecure_skip_tls_verify = false;
  std::string tls_server_name;  // verify/SNI name instead of the server host
  std::string token;            // static bearer token (secret)
  std::string token_file;       // bearer token file, re-read on rotation; wins over `token`
  std::string client_cert_pem;
  std::string client_key_pem;  // secret
  std::string default_namespace = "default";
  std::string user_agent = "langop/0.1";
  // Provenance for logs and errors: "kubeconfig /path (context \"x\")" or "in-cluster".
  std::string source;
};

// The TLS settings for the API server connection.
[[nodiscard]] http::tls_options tls_options_for(const cluster_config& cfg);
// The HTTP endpoint (URL + TLS context). Errors: http::errc::invalid_argument when the
// URL or TLS material is unusable; the message names the config source.
[[nodiscard]] result<http::endpoint> make_endpoint(const cluster_config& cfg);

}  // namespace langop::kube
