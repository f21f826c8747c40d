#include "langop/http/tls_certs.hpp"

#include "support/result_printing.hpp"

#include <catch2/catch.hpp>

#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <memory>

using namespace langop;

namespace {

struct x509_deleter { void operator()(X509* p) const { X509_free(p); } };
using x509_ptr = std::unique_ptr<X509, x509_deleter>;

x509_ptr parse_cert(const std::string& pem) {
  std::unique_ptr<BIO, decltype(&BIO_free)> bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())), &BIO_free);
  return x509_ptr(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

// X509_verify_cert of `leaf` against `ca` for `purpose`; returns the verify error code.
int verify(const std::string& ca_pem, const std::string& leaf_pem, int purpose) {
  auto ca = parse_cert(ca_pem);
  auto leaf = parse_cert(leaf_pem);
  REQUIRE(ca);
  REQUIRE(leaf);
  std::unique_ptr<X509_STORE, decltype(&X509_STORE_free)> store(X509_STORE_new(), &X509_STORE_free);
  REQUIRE(X509_STORE_add_cert(store.get(), ca.get()) == 1);
  std::unique_ptr<X509_STORE_CTX, decltype(&X509_STORE_CTX_free)> ctx(X509_STORE_CTX_new(), &X509_STORE_CTX_free);
  REQUIRE(X509_STORE_CTX_init(ctx.get(), store.get(), leaf.get(), nullptr) == 1);
  X509_STORE_CTX_set_purpose(ctx.get(), purpose);
  if (X509_verify_cert(ctx.get()) == 1) return X509_V_OK;
  return X509_STORE_CTX_get_error(ctx.get());
}

}  // namespace

TEST_CASE("generated server certificate chains to the generated CA and carries the SANs", "[tls]") {
  http::cert_request req;
  req.dns_names = {"localhost", "api.langop.test"};
  req.ip_addresses = {"127.0.0.1", "::1"};
  auto certs = http::generate_certs(req);
  REQUIRE(certs);
  CHECK(certs->ca_cert_pem.find("BEGIN CERTIFICATE") != std::string::npos);
  CHECK(certs->server_key_pem.find("BEGIN PRIVATE KEY") != std::string::npos);
  CHECK(certs->client_cert_pem.empty());

  CHECK(verify(certs->ca_cert_pem, certs->server_cert_pem, X509_PURPOSE_SSL_SERVER) == X509_V_OK);
  auto leaf = parse_cert(certs->server_cert_pem);
  REQUIRE(leaf);
  CHECK(X509_check_host(leaf.get(), "localhost", 0, 0, nullptr) == 1);
  CHECK(X509_check_host(leaf.get(), "api.langop.test", 0, 0, nullptr) == 1);
  CHECK(X509_check_host(leaf.get(), "other.test", 0, 0, nullptr) == 0);
  CHECK(X509_check_ip_asc(leaf.get(), "127.0.0.1", 0) == 1);
  CHECK(X509_check_ip_asc(leaf.get(), "::1", 0) == 1);
  CHECK(X509_check_ip_asc(leaf.get(), "10.0.0.1", 0) == 0);
  // A server certificate is not a CA: it must not be able to sign further certificates.
  CHECK(X509_check_ca(leaf.get()) == 0);
  auto ca = parse_cert(certs->ca_cert_pem);
  CHECK(X509_check_ca(ca.get()) != 0);
}

TEST_CASE("generated client certificate is for client auth only", "[tls]") {
  http::cert_request req;
  req.client_common_name = "langop-user";
  req.client_organization = "system:masters";
  auto certs = http::generate_certs(req);
  REQUIRE(certs);
  REQUIRE_FALSE(certs->client_cert_pem.empty());
  CHECK(verify(certs->ca_cert_pem, certs->client_cert_pem, X509_PURPOSE_SSL_CLIENT) == X509_V_OK);
  CHECK(verify(certs->ca_cert_pem, certs->client_cert_pem, X509_PURPOSE_SSL_SERVER) != X509_V_OK);
  auto leaf = parse_cert(certs->client_cert_pem);
  char cn[64] = {};
  X509_NAME_get_text_by_NID(X509_get_subject_name(leaf.get()), NID_commonName, cn, sizeof cn);
  CHECK(std::string(cn) == "langop-user");
}

TEST_CASE("a certificate does not verify against another CA", "[tls]") {
  auto a = http::generate_certs({});
  auto b = http::generate_certs({});
  REQUIRE(a);
  REQUIRE(b);
  CHECK(a->ca_cert_pem != b->ca_cert_pem);
  CHECK(verify(b->ca_cert_pem, a->server_cert_pem, X509_PURPOSE_SSL_SERVER) != X509_V_OK);
}

TEST_CASE("generate_certs rejects a malformed IP SAN", "[tls]") {
  http::cert_request req;
  req.ip_addresses = {"300.1.1.1"};
  auto certs = http::generate_certs(req);
  REQUIRE_FALSE(certs);
  CHECK(certs.error().message.find("300.1.1.1") != std::string::npos);
}
