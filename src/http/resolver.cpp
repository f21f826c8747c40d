#include "langop/http/resolver.hpp"

#include "langop/http/errc.hpp"

#include <boost/asio/as_tuple.hpp>
#include <boost/asio/experimental/awaitable_operators.hpp>
#include <boost/asio/steady_timer.hpp>
#include <boost/asio/use_awaitable.hpp>

namespace langop::http {
namespace {

namespace asio = boost::asio;
using asio::ip::tcp;

class system_resolver final : public resolver {
 public:
  explicit system_resolver(asio::any_io_executor ex) : ex_(std::move(ex)) {}

  asio::awaitable<result<std::vector<tcp::endpoint>>> resolve(std::string host, std::uint16_t port,
                                                              deadline d) override {
    boost::system::error_code ec;
    auto literal = asio::ip::make_address(host, ec);
    if (!ec) co_return std::vector<tcp::endpoint>{tcp::endpoint(literal, port)};

    using namespace asio::experimental::awaitable_operators;
    // A resolver and timer per call: lookups are rare (per new connection) and this
    // keeps concurrent lookups independent.
    tcp::resolver res(ex_);
    asio::steady_timer timer(ex_, d);
    auto outcome = co_await (res.async_resolve(host, std::to_string(port), asio::as_tuple(asio::use_awaitable)) ||
                             timer.async_wait(asio::as_tuple(asio::use_awaitable)));
    if (outcome.index() == 1) {
      auto [timer_ec] = std::get<1>(outcome);
      if (timer_ec == asio::error::operation_aborted)
        co_return make_error(errc::cancelled, "resolving " + host + ": cancelled");
      co_return make_error(errc::timeout, "resolving " + host + ": timed out");
    }
    auto [rec, results] = std::get<0>(outcome);
    if (rec == asio::error::operation_aborted) co_return make_error(errc::cancelled, "resolving " + host + ": cancelled");
    if (rec) co_return make_error(errc::resolve_failed, "resolving " + host + ": " + rec.message());
    std::vector<tcp::endpoint> out;
    for (const auto& entry : results) out.push_back(entry.endpoint());
    if (out.empty()) co_return make_error(errc::resolve_failed, "resolving " + host + ": no addresses");
    co_return out;
  }

 private:
  asio::any_io_executor ex_;
};

}  // namespace

std::shared_ptr<resolver> make_system_resolver(asio::any_io_executor ex) {
  return std::make_shared<system_resolver>(std::move(ex));
}

}  // namespace langop::http
