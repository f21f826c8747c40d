#include "langop/http/endpoint.hpp"

#include "langop/http/errc.hpp"

#include <boost/asio/ssl/context.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <charconv>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/ssl.h>
#include <openssl/x509.h>

namespace langop::http {
namespace {

namespace ssl = boost::asio::ssl;

std::string openssl_reason() {
  unsigned long e = ERR_peek_last_error();
  ERR_clear_error();
  if (e == 0) return {};
  const char* r = ERR_reason_error_string(e);
  return r ? std::string(": ") + r : std::string{};
}

// Adds every certificate of a PEM bundle to the context's trust store; asio's
// add_certificate_authority is avoided so an empty or garbage bundle is an error.
result<void> add_ca_bundle(SSL_CTX* ctx, const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  if (!bio) return make_error(errc::invalid_argument, "TLS CA bundle: out of memory");
  X509_STORE* store = SSL_CTX_get_cert_store(ctx);
  int added = 0;
  while (X509* cert = PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr)) {
    int ok = X509_STORE_add_cert(store, cert);
    X509_free(cert);
    if (ok != 1) return make_error(errc::invalid_argument, "TLS CA bundle: cannot add certificate" + openssl_reason());
    ++added;
  }
  ERR_clear_error();  // the loop ends on a "no start line" error by design
  if (added == 0) return make_error(errc::invalid_argument, "TLS CA bundle contains no PEM certificate");
  return {};
}

// Parses the pair ourselves first: loading into the context reports a mismatch only as
// an obscure "key values mismatch", and users need to know which of the two is wrong.
result<void> check_client_pair(const std::string& cert_pem, const std::string& key_pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> cb(BIO_new_mem_buf(cert_pem.data(), static_cast<int>(cert_pem.size())),
                                               &BIO_free);
  std::unique_ptr<X509, decltype(&X509_free)> cert(PEM_read_bio_X509(cb.get(), nullptr, nullptr, nullptr), &X509_free);
  if (!cert) return make_error(errc::invalid_argument, "TLS client certificate is not valid PEM" + openssl_reason());
  std::unique_ptr<BIO, decltype(&BIO_free)> kb(BIO_new_mem_buf(key_pem.data(), static_cast<int>(key_pem.size())),
                                               &BIO_free);
  std::unique_ptr<EVP_PKEY, decltype(&EVP_PKEY_free)> key(PEM_read_bio_PrivateKey(kb.get(), nullptr, nullptr, nullptr),
                                                          &EVP_PKEY_free);
  if (!key) return make_error(errc::invalid_argument, "TLS client key is not a valid PEM private key" + openssl_reason());
  if (X509_check_private_key(cert.get(), key.get()) != 1) {
    ERR_clear_error();
    return make_error(errc::invalid_argument, "TLS client key does not match the client certificate");
  }
  return {};
}

result<std::shared_ptr<ssl::context>> make_context(const tls_options& tls) {
  auto ctx = std::make_shared<ssl::context>(ssl::context::tls_client);
  SSL_CTX* raw = ctx->native_handle();
  SSL_CTX_set_min_proto_version(raw, TLS1_2_VERSION);
  boost::system::error_code ec;
  if (tls.insecure_skip_verify) {
    ctx->set_verify_mode(ssl::verify_none);
  } else {
    ctx->set_verify_mode(ssl::verify_peer);
    if (!tls.ca_pem.empty()) {
      if (auto r = add_ca_bundle(raw, tls.ca_pem); !r) return r.error();
    } else if (ctx->set_default_verify_paths(ec); ec) {
      return make_error(errc::invalid_argument, "TLS: cannot load the system trust store: " + ec.message());
    }
  }
  if (tls.client_cert_pem.empty() != tls.client_key_pem.empty())
    return make_error(errc::invalid_argument, "TLS client certificate and key must be given together");
  if (!tls.client_cert_pem.empty()) {
    if (auto r = check_client_pair(tls.client_cert_pem, tls.client_key_pem); !r) return r.error();
    ctx->use_certificate_chain(boost::asio::buffer(tls.client_cert_pem), ec);
    if (ec) return make_error(errc::invalid_argument, "TLS client certificate is not valid PEM" + openssl_reason());
    ctx->use_private_key(boost::asio::buffer(tls.client_key_pem), ssl::context::pem, ec);
    if (ec) return make_error(errc::invalid_argument, "TLS client key is not a valid PEM private key" + openssl_reason());
  }
  return ctx;
}

// A URL for messages: "user:password@" (which may hold a secret) becomes "***@".
std::string redact_userinfo(std::string_view url) {
  std::string out(url);
  auto scheme_end = out.find("://");
  std::size_t start = scheme_end == std::string::npos ? 0 : scheme_end + 3;
  auto at = out.find('@', start);
  auto slash = out.find('/', start);
  if (at != std::string::npos && (slash == std::string::npos || at < slash)) out.replace(start, at - start, "***");
  return out;
}

}  // namespace

result<endpoint> endpoint::make(bool use_tls, std::string host, std::uint16_t port, const tls_options& tls,
                                std::string base_path) {
  if (host.empty()) return make_error(errc::invalid_argument, "endpoint: empty host");
  if (port == 0) return make_error(errc::invalid_argument, "endpoint: port 0 for host " + host);
  while (!base_path.empty() && base_path.back() == '/') base_path.pop_back();
  if (!base_path.empty() && base_path.front() != '/') base_path.insert(base_path.begin(), '/');
  endpoint ep;
  ep.host_ = std::move(host);
  ep.port_ = port;
  ep.base_path_ = std::move(base_path);
  ep.verify_name_ = tls.server_name.empty() ? ep.host_ : tls.server_name;
  ep.insecure_ = tls.insecure_skip_verify;
  if (use_tls) {
    auto ctx = make_context(tls);
    if (!ctx) return ctx.error();
    ep.ssl_ = std::move(*ctx);
  }
  return ep;
}

result<endpoint> endpoint::from_url(std::string_view url, const tls_options& tls) {
  const std::string shown = redact_userinfo(url);
  auto parsed = boost::urls::parse_uri(url);
  if (!parsed) return make_error(errc::invalid_argument, "invalid URL \"" + shown + "\"");
  const auto& u = *parsed;
  bool use_tls;
  if (u.scheme() == "https")
    use_tls = true;
  else if (u.scheme() == "http")
    use_tls = false;
  else
    return make_error(errc::invalid_argument, "URL \"" + shown + "\": scheme must be http or https");
  if (u.has_userinfo() || u.has_query() || u.has_fragment())
    return make_error(errc::invalid_argument, "URL \"" + shown + "\": user info, query and fragment are not allowed");
  std::string host = u.host_address();
  if (host.empty()) return make_error(errc::invalid_argument, "URL \"" + shown + "\" has no host");
  std::uint16_t port = use_tls ? 443 : 80;
  if (u.has_port()) {
    // port_number() silently truncates values above 65535: validate the text.
    std::string_view text = u.port();
    unsigned long value = 0;
    auto [p, perr] = std::from_chars(text.data(), text.data() + text.size(), value);
    if (perr != std::errc{} || p != text.data() + text.size() || value == 0 || value > 65535)
      return make_error(errc::invalid_argument, "URL \"" + shown + "\" has an invalid port");
    port = static_cast<std::uint16_t>(value);
  }
  return make(use_tls, std::move(host), port, tls, std::string(u.encoded_path()));
}

std::string endpoint::authority() const {
  std::string out = host_.find(':') != std::string::npos ? "[" + host_ + "]" : host_;
  out += ':';
  out += std::to_string(port_);
  return out;
}

}  // namespace langop::http
