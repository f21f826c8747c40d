#include "langop/http/tls_certs.hpp"

#include "langop/http/errc.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/ec.h>
#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/rand.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <arpa/inet.h>

#include <memory>

namespace langop::http {
namespace {

struct evp_pkey_free { void operator()(EVP_PKEY* p) const { EVP_PKEY_free(p); } };
struct x509_free { void operator()(X509* p) const { X509_free(p); } };
struct bio_free { void operator()(BIO* p) const { BIO_free(p); } };
struct ext_free { void operator()(X509_EXTENSION* p) const { X509_EXTENSION_free(p); } };
using pkey_ptr = std::unique_ptr<EVP_PKEY, evp_pkey_free>;
using x509_ptr = std::unique_ptr<X509, x509_free>;
using bio_ptr = std::unique_ptr<BIO, bio_free>;

error openssl_error(std::string what) {
  unsigned long e = ERR_get_error();
  ERR_clear_error();
  if (e != 0) {
    char buf[256];
    ERR_error_string_n(e, buf, sizeof buf);
    what += ": ";
    what += buf;
  }
  return make_error(errc::invalid_argument, "generating certificates: " + what);
}

result<pkey_ptr> new_ec_key() {
  pkey_ptr key(EVP_EC_gen("P-256"));
  if (!key) return openssl_error("EC P-256 key generation failed");
  return key;
}

// Adds one v3 extension from its OpenSSL config-string form ("critical,CA:TRUE").
bool add_ext(X509* cert, X509* issuer, int nid, const std::string& value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  std::unique_ptr<X509_EXTENSION, ext_free> ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value.c_str()));
  return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

bool set_name(X509_NAME* name, const std::string& cn, const std::string& org) {
  auto add = [&](const char* field, const std::string& v) {
    return v.empty() ||
           X509_NAME_add_entry_by_txt(name, field, MBSTRING_UTF8, reinterpret_cast<const unsigned char*>(v.data()),
                                      static_cast<int>(v.size()), -1, 0) == 1;
  };
  return add("O", org) && add("CN", cn);
}

struct cert_spec {
  std::string cn;
  std::string org;
  bool is_ca = false;
  std::string ext_key_usage;  // "serverAuth" / "clientAuth"
  std::string san;            // "DNS:a,IP:1.2.3.4"
};

// Builds and signs one certificate; `issuer`/`issuer_key` null means self-signed.
result<x509_ptr> make_cert(const cert_spec& spec, EVP_PKEY* key, X509* issuer, EVP_PKEY* issuer_key,
                           std::chrono::hours validity) {
  x509_ptr cert(X509_new());
  if (!cert) return openssl_error("X509_new");
  // Random 159-bit positive serial: unique enough that browsers/OpenSSL never see two
  // different certificates with the same issuer+serial across test runs.
  unsigned char serial_bytes[20];
  if (RAND_bytes(serial_bytes, sizeof serial_bytes) != 1) return openssl_error("RAND_bytes");
  serial_bytes[0] &= 0x7f;
  std::unique_ptr<BIGNUM, decltype(&BN_free)> bn(BN_bin2bn(serial_bytes, sizeof serial_bytes, nullptr), &BN_free);
  if (!bn || !BN_to_ASN1_INTEGER(bn.get(), X509_get_serialNumber(cert.get()))) return openssl_error("serial");

  // Backdate an hour so a peer with a slightly slow clock still accepts the certificate.
  const long validity_s = static_cast<long>(std::chrono::duration_cast<std::chrono::seconds>(validity).count());
  if (X509_set_version(cert.get(), X509_VERSION_3) != 1 || !X509_gmtime_adj(X509_getm_notBefore(cert.get()), -3600) ||
      !X509_gmtime_adj(X509_getm_notAfter(cert.get()), validity_s) || X509_set_pubkey(cert.get(), key) != 1)
    return openssl_error("certificate fields");
  if (!set_name(X509_get_subject_name(cert.get()), spec.cn, spec.org)) return openssl_error("subject name");
  X509* signer = issuer ? issuer : cert.get();
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(signer)) != 1) return openssl_error("issuer name");

  bool ok = add_ext(cert.get(), signer, NID_subject_key_identifier, "hash") &&
            add_ext(cert.get(), signer, NID_authority_key_identifier, "keyid:always");
  if (spec.is_ca) {
    ok = ok && add_ext(cert.get(), signer, NID_basic_constraints, "critical,CA:TRUE,pathlen:0") &&
         add_ext(cert.get(), signer, NID_key_usage, "critical,keyCertSign,cRLSign,digitalSignature");
  } else {
    ok = ok && add_ext(cert.get(), signer, NID_basic_constraints, "critical,CA:FALSE") &&
         add_ext(cert.get(), signer, NID_key_usage, "critical,digitalSignature,keyEncipherment") &&
         add_ext(cert.get(), signer, NID_ext_key_usage, spec.ext_key_usage);
    if (!spec.san.empty()) ok = ok && add_ext(cert.get(), signer, NID_subject_alt_name, spec.san);
  }
  if (!ok) return openssl_error("certificate extensions for " + spec.cn);
  if (X509_sign(cert.get(), issuer_key ? issuer_key : key, EVP_sha256()) <= 0) return openssl_error("signing");
  return cert;
}

result<std::string> bio_to_string(BIO* bio) {
  char* data = nullptr;
  long n = BIO_get_mem_data(bio, &data);
  if (n <= 0 || data == nullptr) return openssl_error("PEM encoding");
  return std::string(data, static_cast<std::size_t>(n));
}

result<std::string> cert_pem(X509* cert) {
  bio_ptr bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert) != 1) return openssl_error("PEM_write_bio_X509");
  return bio_to_string(bio.get());
}

result<std::string> key_pem(EVP_PKEY* key) {
  bio_ptr bio(BIO_new(BIO_s_mem()));
  // PKCS#8 ("BEGIN PRIVATE KEY"): the form every TLS stack, Go included, reads.
  if (!bio || PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr) != 1)
    return openssl_error("PEM_write_bio_PrivateKey");
  return bio_to_string(bio.get());
}

}  // namespace

result<generated_certs> generate_certs(const cert_request& req) {
  std::string san;
  for (const auto& d : req.dns_names) san += (san.empty() ? "DNS:" : ",DNS:") + d;
  for (const auto& ip : req.ip_addresses) {
    unsigned char buf[16];
    if (inet_pton(AF_INET, ip.c_str(), buf) != 1 && inet_pton(AF_INET6, ip.c_str(), buf) != 1)
      return make_error(errc::invalid_argument, "generating certificates: \"" + ip + "\" is not an IP address");
    san += (san.empty() ? "IP:" : ",IP:") + ip;
  }

  auto ca_key = new_ec_key();
  if (!ca_key) return ca_key.error();
  auto ca = make_cert({req.ca_common_name, "", true, "", ""}, ca_key->get(), nullptr, nullptr, req.validity);
  if (!ca) return ca.error();

  auto server_key = new_ec_key();
  if (!server_key) return server_key.error();
  auto server = make_cert({req.server_common_name, "", false, "serverAuth", san}, server_key->get(), ca->get(),
                          ca_key->get(), req.validity);
  if (!server) return server.error();

  generated_certs out;
  auto fill = [](std::string& dst, result<std::string> r) -> bool {
    if (!r) return false;
    dst = std::move(*r);
    return true;
  };
  if (!fill(out.ca_cert_pem, cert_pem(ca->get())) || !fill(out.ca_key_pem, key_pem(ca_key->get())) ||
      !fill(out.server_cert_pem, cert_pem(server->get())) || !fill(out.server_key_pem, key_pem(server_key->get())))
    return openssl_error("PEM encoding");

  if (req.client_common_name) {
    auto client_key = new_ec_key();
    if (!client_key) return client_key.error();
    auto client = make_cert({*req.client_common_name, req.client_organization, false, "clientAuth", ""},
                            client_key->get(), ca->get(), ca_key->get(), req.validity);
    if (!client) return client.error();
    if (!fill(out.client_cert_pem, cert_pem(client->get())) || !fill(out.client_key_pem, key_pem(client_key->get())))
      return openssl_error("PEM encoding");
  }
  return out;
}

}  // namespace langop::http
