#include "langop/http/proxy.hpp"

#include "langop/core/base64.hpp"
#include "langop/http/errc.hpp"

#include <boost/asio/ip/address.hpp>
#include <boost/url/parse.hpp>
#include <boost/url/url_view.hpp>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <cstdlib>

namespace langop::http {
namespace {

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(), [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

std::optional<std::uint16_t> parse_port(std::string_view text) {
  unsigned long v = 0;
  auto [p, ec] = std::from_chars(text.data(), text.data() + text.size(), v);
  if (ec != std::errc{} || p != text.data() + text.size() || v == 0 || v > 65535) return std::nullopt;
  return static_cast<std::uint16_t>(v);
}

std::optional<boost::asio::ip::address> parse_ip(std::string_view text) {
  if (text.size() > 2 && text.front() == '[' && text.back() == ']') text = text.substr(1, text.size() - 2);
  boost::system::error_code ec;
  auto a = boost::asio::ip::make_address(std::string(text), ec);
  if (ec) return std::nullopt;
  // An IPv4-mapped IPv6 address is the IPv4 address for matching purposes.
  if (a.is_v6() && a.to_v6().is_v4_mapped()) return boost::asio::ip::address(boost::asio::ip::make_address_v4(boost::asio::ip::v4_mapped, a.to_v6()));
  return a;
}

std::vector<unsigned char> bytes_of(const boost::asio::ip::address& a) {
  if (a.is_v4()) {
    auto b = a.to_v4().to_bytes();
    return {b.begin(), b.end()};
  }
  auto b = a.to_v6().to_bytes();
  return {b.begin(), b.end()};
}

bool prefix_matches(const std::vector<unsigned char>& net, const std::vector<unsigned char>& addr, int prefix) {
  if (net.size() != addr.size()) return false;
  for (int bit = 0; bit < prefix; ++bit) {
    const auto i = static_cast<std::size_t>(bit / 8);
    const int mask = 0x80 >> (bit % 8);
    if ((net[i] & mask) != (addr[i] & mask)) return false;
  }
  return true;
}

// Splits "entry:port" when the part after the last ':' is a port and the entry is not
// a bare IPv6 address (which has colons of its own).
std::pair<std::string_view, std::uint16_t> split_port(std::string_view entry) {
  if (entry.starts_with('[')) {
    auto close = entry.find(']');
    if (close != std::string_view::npos && close + 1 < entry.size() && entry[close + 1] == ':')
      if (auto p = parse_port(entry.substr(close + 2))) return {entry.substr(1, close - 1), *p};
    if (close != std::string_view::npos) return {entry.substr(1, close - 1), 0};
    return {entry, 0};
  }
  auto colon = entry.rfind(':');
  if (colon == std::string_view::npos || entry.find(':') != colon) return {entry, 0};
  if (auto p = parse_port(entry.substr(colon + 1))) return {entry.substr(0, colon), *p};
  return {entry, 0};
}

}  // namespace

std::string proxy_server::authority() const {
  std::string out = host.find(':') != std::string::npos ? "[" + host + "]" : host;
  return out + ':' + std::to_string(port);
}

result<proxy_settings> proxy_settings::make(std::string_view https_proxy, std::string_view no_proxy) {
  proxy_settings out;
  https_proxy = trim(https_proxy);
  if (!https_proxy.empty()) {
    std::string url(https_proxy);
    if (url.find("://") == std::string::npos) url = "http://" + url;
    auto parsed = boost::urls::parse_uri(url);
    // Messages name the proxy by host only: the URL may carry a password.
    if (!parsed) return make_error(errc::invalid_argument, "HTTPS_PROXY is not a valid URL");
    const auto& u = *parsed;
    const std::string scheme = lower(u.scheme());
    if (scheme != "http")
      return make_error(errc::invalid_argument, "HTTPS_PROXY scheme \"" + scheme +
                                                    "\" is not supported (only http:// proxies, via CONNECT)");
    proxy_server p;
    p.host = u.host_address();
    if (p.host.empty()) return make_error(errc::invalid_argument, "HTTPS_PROXY has no host");
    p.port = 80;
    if (u.has_port()) {
      auto port = parse_port(u.port());
      if (!port) return make_error(errc::invalid_argument, "HTTPS_PROXY has an invalid port");
      p.port = *port;
    }
    if (u.has_userinfo()) p.authorization = "Basic " + base64_encode(u.user() + ":" + u.password());
    out.proxy_ = std::move(p);
  }

  std::string_view rest = no_proxy;
  while (!rest.empty()) {
    auto sep = rest.find_first_of(", ");
    std::string_view raw = trim(rest.substr(0, sep));
    rest = sep == std::string_view::npos ? std::string_view{} : rest.substr(sep + 1);
    if (raw.empty()) continue;
    rule r;
    if (raw == "*") {
      r.what = rule::kind::any;
      out.no_proxy_.push_back(std::move(r));
      continue;
    }
    if (auto slash = raw.find('/'); slash != std::string_view::npos) {
      auto ip = parse_ip(raw.substr(0, slash));
      int prefix = -1;
      auto bits = raw.substr(slash + 1);
      auto [p, ec] = std::from_chars(bits.data(), bits.data() + bits.size(), prefix);
      if (!ip || ec != std::errc{} || p != bits.data() + bits.size() || prefix < 0 ||
          prefix > (ip->is_v4() ? 32 : 128))
        continue;  // like curl and Go: an entry that cannot match is ignored, not fatal
      r.what = rule::kind::cidr;
      r.network = bytes_of(*ip);
      r.prefix = prefix;
      r.text = std::string(raw);
      out.no_proxy_.push_back(std::move(r));
      continue;
    }
    if (auto ip = parse_ip(raw)) {
      r.what = rule::kind::ip;
      r.network = bytes_of(*ip);
      r.text = std::string(raw);
      out.no_proxy_.push_back(std::move(r));
      continue;
    }
    auto [name, port] = split_port(raw);
    if (auto ip = parse_ip(name)) {
      r.what = rule::kind::ip;
      r.network = bytes_of(*ip);
    } else if (name.starts_with("*.")) {
      r.what = rule::kind::subdomains_only;
      r.text = lower(name.substr(1));  // keeps the leading '.'
    } else if (name.starts_with('.')) {
      r.what = rule::kind::subdomains_only;
      r.text = lower(name);
    } else {
      r.what = rule::kind::domain;
      r.text = lower(name);
    }
    while (!r.text.empty() && r.text.back() == '.') r.text.pop_back();  // FQDN form
    r.port = port;
    out.no_proxy_.push_back(std::move(r));
  }
  return out;
}

result<proxy_settings> proxy_settings::from_env(const std::function<const char*(const char*)>& getenv_fn) {
  auto get = [&](const char* name) -> std::string_view {
    const char* v = getenv_fn ? getenv_fn(name) : std::getenv(name);
    return v ? std::string_view(v) : std::string_view{};
  };
  std::string_view proxy = get("HTTPS_PROXY");
  if (proxy.empty()) proxy = get("https_proxy");
  std::string_view no_proxy = get("NO_PROXY");
  if (no_proxy.empty()) no_proxy = get("no_proxy");
  return make(proxy, no_proxy);
}

bool proxy_settings::bypasses(std::string_view host_in, std::uint16_t port) const {
  std::string host = lower(host_in);
  if (host.size() > 2 && host.front() == '[' && host.back() == ']') host = host.substr(1, host.size() - 2);
  while (!host.empty() && host.back() == '.') host.pop_back();
  const auto ip = parse_ip(host);
  if (host == "localhost" || host.ends_with(".localhost") || (ip && ip->is_loopback())) return true;
  const auto addr = ip ? bytes_of(*ip) : std::vector<unsigned char>{};
  for (const rule& r : no_proxy_) {
    if (r.port != 0 && r.port != port) continue;
    switch (r.what) {
      case rule::kind::any: return true;
      case rule::kind::ip:
        if (ip && r.network == addr) return true;
        break;
      case rule::kind::cidr:
        if (ip && prefix_matches(r.network, addr, r.prefix)) return true;
        break;
      case rule::kind::domain:
        if (!ip && (host == r.text || (host.size() > r.text.size() && host.ends_with(r.text) &&
                                       host[host.size() - r.text.size() - 1] == '.')))
          return true;
        break;
      case rule::kind::subdomains_only:
        if (!ip && host.size() > r.text.size() && host.ends_with(r.text)) return true;
        break;
    }
  }
  return false;
}

std::optional<proxy_server> proxy_settings::for_target(bool tls, std::string_view host, std::uint16_t port) const {
  if (!proxy_ || !tls || bypasses(host, port)) return std::nullopt;
  return proxy_;
}

}  // namespace langop::http
