#include "langop/http/response.hpp"

#include <array>
#include <charconv>

namespace langop::http {
namespace {

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t')) s.remove_suffix(1);
  return s;
}

bool parse_uint(std::string_view s, int& out) {
  if (s.empty()) return false;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), out);
  return ec == std::errc{} && p == s.data() + s.size();
}

// IMF-fixdate only ("Sun, 06 Nov 1994 08:49:37 GMT"): the one form RFC 9110 requires
// senders to produce; the obsolete RFC 850 and asctime forms are not worth the code.
std::optional<std::chrono::system_clock::time_point> parse_imf_fixdate(std::string_view s) {
  if (s.size() != 29 || s[3] != ',' || s[4] != ' ' || s[7] != ' ' || s[11] != ' ' || s[16] != ' ' ||
      s[19] != ':' || s[22] != ':' || s.substr(25) != " GMT")
    return std::nullopt;
  static constexpr std::array<std::string_view, 12> months = {"Jan", "Feb", "Mar", "Apr", "May", "Jun",
                                                              "Jul", "Aug", "Sep", "Oct", "Nov", "Dec"};
  unsigned month = 0;
  for (unsigned i = 0; i < months.size(); ++i)
    if (s.substr(8, 3) == months[i]) month = i + 1;
  int day = 0, year = 0, hh = 0, mm = 0, ss = 0;
  if (month == 0 || !parse_uint(s.substr(5, 2), day) || !parse_uint(s.substr(12, 4), year) ||
      !parse_uint(s.substr(17, 2), hh) || !parse_uint(s.substr(20, 2), mm) || !parse_uint(s.substr(23, 2), ss))
    return std::nullopt;
  using namespace std::chrono;
  year_month_day ymd{std::chrono::year{year}, std::chrono::month{month}, std::chrono::day{static_cast<unsigned>(day)}};
  if (!ymd.ok() || hh > 23 || mm > 59 || ss > 60) return std::nullopt;
  return sys_days{ymd} + hours{hh} + minutes{mm} + seconds{ss};
}

}  // namespace

std::optional<std::chrono::seconds> parse_retry_after(std::string_view value,
                                                      std::chrono::system_clock::time_point now) {
  value = trim(value);
  int secs = 0;
  if (parse_uint(value, secs)) return secs >= 0 ? std::optional(std::chrono::seconds{secs}) : std::nullopt;
  auto when = parse_imf_fixdate(value);
  if (!when) return std::nullopt;
  auto delta = std::chrono::ceil<std::chrono::seconds>(*when - now);
  return delta.count() > 0 ? delta : std::chrono::seconds{0};
}

std::optional<std::chrono::seconds> response::retry_after(std::chrono::system_clock::time_point now) const {
  auto v = headers.get("Retry-After");
  if (!v) return std::nullopt;
  return parse_retry_after(*v, now);
}

}  // namespace langop::http
