// A scripted DNS responder for tests: UDP on 127.0.0.1, an ephemeral port, on the test's
// io_context. Answers A/AAAA from a table; unknown names get NXDOMAIN.
//
//   dns_server srv(io);
//   srv.set("api.example.com", {{"1.2.3.4", 30}}, {{"2001:db8::1", 60}});
//   srv.fail("x.example", dns_rcode::servfail);
//   srv.drop("y.example");                      // never answers: the client times out
//   dns::resolver r(io.get_executor(), {.servers = {srv.address()}});
//
// Calling set() again changes the answer for the next query. UDP only (no truncation,
// no TCP fallback), one question per query, no CNAMEs.
#pragma once

#include <boost/asio/io_context.hpp>

#include <chrono>
#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace langop::test {

enum class dns_rcode : std::uint8_t { noerror = 0, formerr = 1, servfail = 2, nxdomain = 3, notimp = 4, refused = 5 };

struct dns_record {
  std::string address;     // "1.2.3.4" or "2001:db8::1"
  std::uint32_t ttl = 300;  // seconds
};

class dns_server final {
 public:
  explicit dns_server(boost::asio::io_context& io);
  ~dns_server();  // stop()
  dns_server(const dns_server&) = delete;
  dns_server& operator=(const dns_server&) = delete;

  [[nodiscard]] std::uint16_t port() const;
  [[nodiscard]] std::string address() const;  // "127.0.0.1:<port>", for resolver_options::servers

  // Names match case-insensitively, with or without a trailing dot. Each call replaces
  // what the name had before. An empty list answers NOERROR with no records (no_data).
  void set(std::string_view name, std::vector<dns_record> a, std::vector<dns_record> aaaa = {});
  void fail(std::string_view name, dns_rcode code);
  void drop(std::string_view name);
  // Answers `name` as scripted, but `d` after the query arrives.
  void delay(std::string_view name, std::chrono::milliseconds d);
  void remove(std::string_view name);  // back to NXDOMAIN

  // Queries received (A and AAAA counted separately), for one name or in total.
  [[nodiscard]] std::size_t queries(std::string_view name) const;
  [[nodiscard]] std::size_t queries() const;

  void stop();  // closes the socket; pending delayed answers are dropped

  struct state;

 private:
  std::shared_ptr<state> state_;
};

}  // namespace langop::test
