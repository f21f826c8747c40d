#include "langop/obs/bind_address.hpp"

#include <arpa/inet.h>

#include <charconv>

namespace langop::obs {
namespace {

error invalid(std::string_view text, std::string_view why) {
  std::string msg = "bind address \"";
  msg += text;
  msg += "\": ";
  msg += why;
  return error{make_error_code(boost::system::errc::invalid_argument), std::move(msg)};
}

bool is_ip(const std::string& host, int family) {
  unsigned char buf[16];
  return ::inet_pton(family, host.c_str(), buf) == 1;
}

}  // namespace

result<std::optional<bind_address>> parse_bind_address(std::string_view text) {
  if (text == "0") return std::optional<bind_address>{};
  const std::size_t colon = text.rfind(':');
  if (colon == std::string_view::npos) return invalid(text, "expected [host]:port, or 0 to disable");
  std::string_view host = text.substr(0, colon);
  const std::string_view port_text = text.substr(colon + 1);
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (port_text.empty() || ec != std::errc{} || end != port_text.data() + port_text.size() || port > 65535) {
    return invalid(text, "port must be a number from 0 to 65535");
  }
  bind_address out;
  out.port = static_cast<std::uint16_t>(port);
  if (host.size() >= 2 && host.front() == '[' && host.back() == ']') {
    out.host = std::string(host.substr(1, host.size() - 2));
    if (!is_ip(out.host, AF_INET6)) return invalid(text, "not an IPv6 address in brackets");
    return std::optional<bind_address>(std::move(out));
  }
  if (host == "localhost") host = "127.0.0.1";
  out.host = std::string(host);
  if (!out.host.empty() && !is_ip(out.host, AF_INET)) {
    return invalid(text, "host must be an IP address (IPv6 in brackets), localhost, or empty for all interfaces");
  }
  return std::optional<bind_address>(std::move(out));
}

}  // namespace langop::obs
