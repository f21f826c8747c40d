// A langop-localapi server running in-process on its own thread, for integration tests.
// Every interaction with its state goes through run(), on the server's thread, with a deadline.
#pragma once

#include "langop/localapi/apiserver.hpp"
#include "langop/localapi/server.hpp"
#include "langop/localapi/simulation.hpp"

#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>

#include <chrono>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <thread>

namespace langop::test {

struct local_cluster_options {
  bool tls = false;
  std::string token;
  bool simulate_workloads = false;
  std::chrono::milliseconds ready_delay{20};
  std::size_t history_size = 10000;
  std::chrono::seconds bookmark_interval{60};
};

class local_cluster {
 public:
  explicit local_cluster(local_cluster_options options = {});
  ~local_cluster();
  local_cluster(const local_cluster&) = delete;
  local_cluster& operator=(const local_cluster&) = delete;

  [[nodiscard]] unsigned short port() const noexcept { return port_; }
  [[nodiscard]] std::string url() const;
  [[nodiscard]] const std::string& kubeconfig_path() const noexcept { return kubeconfig_; }
  [[nodiscard]] const std::string& dir() const noexcept { return dir_; }
  [[nodiscard]] const std::string& ca_pem() const noexcept { return ca_pem_; }
  [[nodiscard]] const local_cluster_options& options() const noexcept { return options_; }

  // Runs `f(api, server)` on the server thread and returns its result (throws after 10 s).
  template <class F>
  auto run(F&& f) -> decltype(f(std::declval<localapi::apiserver&>(), std::declval<localapi::server&>())) {
    using R = decltype(f(*api_, *server_));
    std::packaged_task<R()> task([&] { return f(*api_, *server_); });
    auto fut = task.get_future();
    boost::asio::post(ioc_, [&task] { task(); });
    if (fut.wait_for(std::chrono::seconds(10)) != std::future_status::ready)
      throw std::runtime_error("local_cluster::run timed out");
    return fut.get();
  }

 private:
  local_cluster_options options_;
  boost::asio::io_context ioc_{1};
  std::unique_ptr<localapi::apiserver> api_;
  std::unique_ptr<localapi::server> server_;
  std::unique_ptr<localapi::workload_simulator> sim_;
  std::thread thread_;
  unsigned short port_ = 0;
  std::string dir_, kubeconfig_, ca_pem_;
};

}  // namespace langop::test
