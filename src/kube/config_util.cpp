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

std::optional<std::string> base64_decode(std::string_view text) {
  auto value = [](char c) -> int {
    if (c >= 'A' && c <= 'Z') return c - 'A';
    if (c >= 'a' && c <= 'z') return c - 'a' + 26;
    if (c >= '0' && c <= '9') return c - '0' + 52;
    if (c == '+') return 62;
    if (c == '/') return 63;
    return -1;
  };
  std::string clean;
  clean.reserve(text.size());
  for (char c : text)
    if (c != ' ' && c != '\n' && c != '\r' && c != '\t') clean += c;
  if (clean.size() % 4 != 0) return std::nullopt;
  std::string out;
  out.reserve(clean.size() / 4 * 3);
  for (std::size_t i = 0; i < clean.size(); i += 4) {
    int v[4];
    int pad = 0;
    for (int j = 0; j < 4; ++j) {
      char c = clean[i + j];
      if (c == '=') {
        // Padding only in the last quantum, only in the last two positions, only trailing.
        if (i + 4 != clean.size() || j < 2) return std::nullopt;
        v[j] = 0;
        ++pad;
      } else {
        if (pad > 0) return std::nullopt;
        v[j] = value(c);
        if (v[j] < 0) return std::nullopt;
      }
    }
    const unsigned triple = (unsigned(v[0]) << 18) | (unsigned(v[1]) << 12) | (unsigned(v[2]) << 6) | unsigned(v[3]);
    out += static_cast<char>((triple >> 16) & 0xff);
    if (pad < 2) out += static_cast<char>((triple >> 8) & 0xff);
    if (pad < 1) out += static_cast<char>(triple & 0xff);
  }
  return out;
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
