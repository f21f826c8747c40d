#include "support/dns_server.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>
#include <boost/asio/ip/address.hpp>
#include <boost/asio/ip/udp.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

#include <array>
#include <cctype>
#include <optional>
#include <unordered_map>

namespace langop::test {
namespace asio = boost::asio;
using udp = asio::ip::udp;
constexpr auto use_tuple = asio::as_tuple(asio::use_awaitable);

namespace {

struct entry {
  enum class kind { nxdomain, answer, fail, drop } what = kind::nxdomain;
  std::vector<dns_record> a, aaaa;
  dns_rcode rcode = dns_rcode::noerror;
  std::chrono::milliseconds delay{0};
};

std::string canonical(std::string_view name) {
  if (!name.empty() && name.back() == '.') name.remove_suffix(1);
  std::string out;
  for (char c : name) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

void put16(std::string& out, unsigned v) {
  out += static_cast<char>((v >> 8) & 0xff);
  out += static_cast<char>(v & 0xff);
}
void put32(std::string& out, std::uint32_t v) {
  put16(out, v >> 16);
  put16(out, v & 0xffff);
}
unsigned get16(const unsigned char* p) { return (unsigned{p[0]} << 8) | p[1]; }

struct question {
  std::string name;   // canonical
  unsigned type = 0;
  std::size_t end = 0;  // offset just past the question
};

std::optional<question> parse_question(const unsigned char* msg, std::size_t len) {
  if (len < 12 || get16(msg + 4) != 1) return std::nullopt;
  question q;
  std::size_t pos = 12;
  std::string name;
  while (pos < len && msg[pos] != 0) {
    const std::size_t n = msg[pos];
    if (n > 63 || pos + 1 + n > len) return std::nullopt;  // queries carry no compression
    if (!name.empty()) name += '.';
    name.append(reinterpret_cast<const char*>(msg + pos + 1), n);
    pos += 1 + n;
  }
  if (pos + 5 > len) return std::nullopt;
  q.name = canonical(name);
  q.type = get16(msg + pos + 1);
  q.end = pos + 5;
  return q;
}

}  // namespace

struct dns_server::state {
  explicit state(asio::io_context& io)
      : ex(io.get_executor()), socket(io, udp::endpoint(asio::ip::make_address("127.0.0.1"), 0)) {}
  asio::any_io_executor ex;
  udp::socket socket;
  bool stopped = false;
  std::unordered_map<std::string, entry> names;
  std::unordered_map<std::string, std::size_t> counts;
  std::size_t total = 0;

  // The response for `msg`, or nullopt to stay silent.
  std::optional<std::string> respond(const unsigned char* msg, std::size_t len, std::chrono::milliseconds& delay) {
    const auto q = parse_question(msg, len);
    if (!q) return std::nullopt;
    ++counts[q->name];
    ++total;
    const auto it = names.find(q->name);
    dns_rcode rcode = dns_rcode::nxdomain;
    const std::vector<dns_record>* records = nullptr;
    if (it != names.end()) {
      delay = it->second.delay;
      switch (it->second.what) {
        case entry::kind::nxdomain: break;
        case entry::kind::drop: return std::nullopt;
        case entry::kind::fail: rcode = it->second.rcode; break;
        case entry::kind::answer:
          rcode = dns_rcode::noerror;
          if (q->type == 1) records = &it->second.a;
          if (q->type == 28) records = &it->second.aaaa;
          break;
      }
    }
    std::string out;
    put16(out, get16(msg));                                 // id
    const unsigned flags = 0x8000u | (get16(msg + 2) & 0x7900u) | 0x0400u | 0x0080u | static_cast<unsigned>(rcode);
    put16(out, flags);                                      // QR, opcode+RD copied, AA, RA, rcode
    put16(out, 1);                                          // QDCOUNT
    put16(out, records != nullptr ? static_cast<unsigned>(records->size()) : 0);
    put16(out, 0);
    put16(out, 0);
    out.append(reinterpret_cast<const char*>(msg + 12), q->end - 12);  // the question, verbatim
    if (records != nullptr) {
      for (const auto& r : *records) {
        const auto addr = asio::ip::make_address(r.address);
        put16(out, 0xc00c);  // pointer to the question name
        put16(out, q->type);
        put16(out, 1);
        put32(out, r.ttl);
        if (addr.is_v4()) {
          const auto b = addr.to_v4().to_bytes();
          put16(out, 4);
          out.append(reinterpret_cast<const char*>(b.data()), b.size());
        } else {
          const auto b = addr.to_v6().to_bytes();
          put16(out, 16);
          out.append(reinterpret_cast<const char*>(b.data()), b.size());
        }
      }
    }
    return out;
  }
};

namespace {

asio::awaitable<void> send_later(std::shared_ptr<dns_server::state> s, std::string reply, udp::endpoint to,
                                 std::chrono::milliseconds delay) {
  asio::steady_timer t(s->ex, delay);
  co_await t.async_wait(use_tuple);
  if (s->stopped) co_return;
  co_await s->socket.async_send_to(asio::buffer(reply), to, use_tuple);
}

asio::awaitable<void> serve(std::shared_ptr<dns_server::state> s) {
  std::array<unsigned char, 4096> buf{};
  for (;;) {
    udp::endpoint from;
    auto [ec, n] = co_await s->socket.async_receive_from(asio::buffer(buf), from, use_tuple);
    if (s->stopped || ec == asio::error::operation_aborted) co_return;
    if (ec) continue;
    std::chrono::milliseconds delay{0};
    auto reply = s->respond(buf.data(), n, delay);
    if (!reply) continue;
    if (delay.count() > 0) {
      asio::co_spawn(s->ex, send_later(s, std::move(*reply), from, delay), asio::detached);
    } else {
      co_await s->socket.async_send_to(asio::buffer(*reply), from, use_tuple);
    }
  }
}

}  // namespace

dns_server::dns_server(asio::io_context& io) : state_(std::make_shared<state>(io)) {
  asio::co_spawn(state_->ex, serve(state_), asio::detached);
}

dns_server::~dns_server() { stop(); }

std::uint16_t dns_server::port() const { return state_->socket.local_endpoint().port(); }
std::string dns_server::address() const { return "127.0.0.1:" + std::to_string(port()); }

void dns_server::set(std::string_view name, std::vector<dns_record> a, std::vector<dns_record> aaaa) {
  auto& e = state_->names[canonical(name)];
  const auto delay = e.delay;
  e = entry{entry::kind::answer, std::move(a), std::move(aaaa), dns_rcode::noerror, delay};
}

void dns_server::fail(std::string_view name, dns_rcode code) {
  auto& e = state_->names[canonical(name)];
  e.what = entry::kind::fail;
  e.rcode = code;
}

void dns_server::drop(std::string_view name) { state_->names[canonical(name)].what = entry::kind::drop; }

void dns_server::delay(std::string_view name, std::chrono::milliseconds d) { state_->names[canonical(name)].delay = d; }

void dns_server::remove(std::string_view name) { state_->names.erase(canonical(name)); }

std::size_t dns_server::queries(std::string_view name) const {
  const auto it = state_->counts.find(canonical(name));
  return it == state_->counts.end() ? 0 : it->second;
}

std::size_t dns_server::queries() const { return state_->total; }

void dns_server::stop() {
  if (state_->stopped) return;
  state_->stopped = true;
  boost::system::error_code ignored;
  state_->socket.close(ignored);
}

}  // namespace langop::test
