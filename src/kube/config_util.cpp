#include "config_util.hpp"

#include "langop/kube/config_errc.hpp"

#include <boost/url/parse.hpp>
#include <boost/url/url.hpp>

#include <openssl/err.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>

#include <cerrno>
#include <cstring>
#include <fstream>
#include <sstream>

namespace langop::kube::detail {

result<std::string> read_file(const std::filesystem::path& path, std::string_view what) {
  std::error_code ec;
  if (std::filesystem::is_directory(path, ec))
    return make_config_error(config_errc::file_unreadable,
                             "cannot read " + std::string(what) + " \"" + path.string() + "\": it is a directory");
  std::ifstream in(path, std::ios::binary);
  if (!in)
    return make_config_error(config_errc::file_unreadable, "cannot read " + std::string(what) + " \"" + path.string() +
                                                               "\": " + std::strerror(errno));
  std::ostringstream ss;
  ss << in.rdbuf();
  if (in.bad())
    return make_config_error(config_errc::file_unreadable,
                             "cannot read " + std::string(what) + " \"" + path.string() + "\": read error");
  return ss.str();
}

namespace {
std::unique_ptr<BIO, decltype(&BIO_free)> mem_bio(const std::string& s) {
  return {BIO_new_mem_buf(s.data(), static_cast<int>(s.size())), &BIO_free};
}
}  // namespace

bool pem_has_certificate(const std::string& pem) {
  auto bio = mem_bio(pem);
  X509* cert = bio ? PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  ERR_clear_error();
  if (!cert) return false;
  X509_free(cert);
  return true;
}

bool pem_has_private_key(const std::string& pem) {
  auto bio = mem_bio(pem);
  EVP_PKEY* key = bio ? PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr) : nullptr;
  ERR_clear_error();
  if (!key) return false;
  EVP_PKEY_free(key);
  return true;
}

result<boost::urls::url> parse_server_url(std::string_view text, const std::string& where) {
  std::string s(text);
  // kubectl accepts "host:port" and means https.
  if (s.find("://") == std::string::npos) s = "https://" + s;
  auto parsed = boost::urls::parse_uri(s);
  // Never echo user information: "https://user:password@host" carries a secret.
  auto at = std::string(text).find('@');
  const std::string shown = at == std::string::npos ? std::string(text) : "(redacted)";
  auto bad = [&](std::string why) {
    return make_config_error(config_errc::malformed, where + ": server \"" + shown + "\" " + why);
  };
  if (!parsed) return bad("is not a valid URL");
  if (parsed->scheme() != "https" && parsed->scheme() != "http") return bad("must use http or https");
  if (parsed->host_address().empty()) return bad("has no host");
  if (parsed->has_query() || parsed->has_fragment()) return bad("must not have a query or fragment");
  if (parsed->has_userinfo())
    return make_config_error(config_errc::malformed, where + ": server URL must not contain user information");
  return boost::urls::url(*parsed);
}

}  // namespace langop::kube::detail
