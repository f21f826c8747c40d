#include "support/operator_side.hpp"

#include <cstdlib>

#include "langop/kube/kubeconfig.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/detached.hpp>

#include <stdexcept>

namespace langop::test {

operator_side::operator_side(const local_cluster& cluster, runtime::manager_options options,
                             kube::client_options client_options) {
  kube::kubeconfig_options ko;
  ko.files = {cluster.kubeconfig_path()};
  auto cfg = kube::load_kubeconfig(ko);
  if (!cfg) throw std::runtime_error(cfg.error().message);
  if (!client_options.observer) client_options.observer = runtime::api_request_metrics(metrics);
  auto c = kube::client::create(ioc.get_executor(), *cfg, client_options);
  if (!c) throw std::runtime_error(c.error().message);
  client = std::move(*c);
  if (options.metrics_bind_address == ":8080") options.metrics_bind_address = "127.0.0.1:0";
  if (options.health_bind_address == ":8081") options.health_bind_address = "127.0.0.1:0";
  // LANGOP_TEST_LOG=1 shows the operator's own log lines when a test needs explaining.
  log::logger quiet(std::getenv("LANGOP_TEST_LOG") ? log::level::debug : log::level::error, log::format::text);
  manager = std::make_unique<runtime::manager>(ioc.get_executor(), *client, metrics, options, quiet);
}

operator_side::~operator_side() {
  shutdown();
  manager.reset();
  ioc.restart();
  ioc.run_for(std::chrono::milliseconds(200));  // let cancelled operations unwind
}

void operator_side::shutdown() {
  if (!started_) return;
  started_ = false;
  bool done = false;
  boost::asio::co_spawn(
      ioc, [&]() -> boost::asio::awaitable<void> { co_await manager->shutdown(); },
      [&](std::exception_ptr) { done = true; });
  run_until([&] { return done; }, std::chrono::seconds(15));
}

bool operator_side::start(std::chrono::milliseconds limit) {
  bool done = false, ok = false;
  boost::asio::co_spawn(
      ioc,
      [&]() -> boost::asio::awaitable<void> {
        auto r = co_await manager->start(std::chrono::duration_cast<std::chrono::seconds>(limit));
        ok = r.has_value();
      },
      [&](std::exception_ptr) { done = true; });
  run_until([&] { return done; }, limit + std::chrono::seconds(1));
  started_ = ok;
  return ok;
}

bool operator_side::run_until(const std::function<bool()>& done, std::chrono::milliseconds limit) {
  const auto deadline = std::chrono::steady_clock::now() + limit;
  while (!done()) {
    if (std::chrono::steady_clock::now() >= deadline) return false;
    ioc.restart();
    ioc.run_for(std::chrono::milliseconds(20));
  }
  return true;
}

void operator_side::run_for(std::chrono::milliseconds d) {
  ioc.restart();
  ioc.run_for(d);
}

runtime::manager_options quiet_manager_options() {
  runtime::manager_options m;
  m.metrics_bind_address = "0";
  m.health_bind_address = "0";
  return m;
}

}  // namespace langop::test
