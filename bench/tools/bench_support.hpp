// Shared pieces of the langop-bench-* tools (header only: every bench/tools/*.cpp is its
// own executable): an in-process langop-localapi server on its own thread, a kube client
// for a URL, flag parsing, process memory readings and output helpers.
#pragma once

#include "langop/core/log.hpp"
#include "langop/kube/client.hpp"
#include "langop/kube/config.hpp"
#include "langop/localapi/apiserver.hpp"
#include "langop/localapi/server.hpp"

#include <boost/asio/co_spawn.hpp>
#include <boost/asio/executor_work_guard.hpp>
#include <boost/asio/io_context.hpp>
#include <boost/asio/post.hpp>
#include <boost/url/parse.hpp>

#include <malloc.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <fstream>
#include <future>
#include <memory>
#include <stdexcept>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

namespace bench {

namespace net = boost::asio;

// --name value / --name=value flags; anything unknown is an error (typos must not
// silently run the default benchmark).
class flags {
 public:
  flags(int argc, char** argv, std::vector<std::string> known) : known_(std::move(known)) {
    for (int i = 1; i < argc; ++i) {
      std::string a = argv[i];
      if (a == "--help" || a == "-h") {
        help = true;
        continue;
      }
      if (a.rfind("--", 0) != 0) throw std::runtime_error("unexpected argument " + a);
      std::string name = a.substr(2), value;
      if (auto eq = name.find('='); eq != std::string::npos) {
        value = name.substr(eq + 1);
        name.resize(eq);
      } else if (i + 1 < argc) {
        value = argv[++i];
      } else {
        throw std::runtime_error("flag --" + name + " needs a value");
      }
      bool ok = false;
      for (const auto& k : known_) ok = ok || k == name;
      if (!ok) throw std::runtime_error("unknown flag --" + name);
      values_.emplace_back(std::move(name), std::move(value));
    }
  }
  [[nodiscard]] std::string str(std::string_view name, std::string fallback) const {
    for (const auto& [k, v] : values_)
      if (k == name) return v;
    return fallback;
  }
  [[nodiscard]] long num(std::string_view name, long fallback) const {
    auto s = str(name, {});
    if (s.empty()) return fallback;
    char* end = nullptr;
    long v = std::strtol(s.c_str(), &end, 10);
    if (!end || *end != '\0' || v < 0) throw std::runtime_error("--" + std::string(name) + ": not a count: " + s);
    return v;
  }
  bool help = false;

 private:
  std::vector<std::string> known_;
  std::vector<std::pair<std::string, std::string>> values_;
};

// langop-localapi in this process, serving from its own thread (as tests/support/local_cluster
// does), so the measuring client's loop and the server's loop each have a core.
class local_server {
 public:
  explicit local_server(std::size_t history_size = 10000) {
    langop::localapi::apiserver_options api_opts;
    api_opts.history_size = history_size;
    api_ = std::make_unique<langop::localapi::apiserver>(api_opts);
    langop::localapi::server_options srv;
    langop::log::logger quiet(langop::log::level::warn, langop::log::format::text);
    server_ = std::make_unique<langop::localapi::server>(ioc_, *api_, srv, quiet);
    server_->start();
    port_ = server_->port();
    thread_ = std::thread([this] {
      auto guard = net::make_work_guard(ioc_);
      ioc_.run();
    });
  }
  ~local_server() {
    net::post(ioc_, [this] {
      server_->stop();
      ioc_.stop();
    });
    if (thread_.joinable()) thread_.join();
    server_.reset();
    api_.reset();
  }
  local_server(const local_server&) = delete;
  local_server& operator=(const local_server&) = delete;

  [[nodiscard]] std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

  // Queues `f(api)` on the server thread (FIFO with the server's own work).
  template <class F>
  void post(F f) {
    net::post(ioc_, [this, f = std::move(f)]() mutable { f(*api_); });
  }

  // Runs `f(api)` on the server thread and returns its result.
  template <class F>
  auto run(F&& f) -> decltype(f(std::declval<langop::localapi::apiserver&>())) {
    using R = decltype(f(*api_));
    std::packaged_task<R()> task([&] { return f(*api_); });
    auto fut = task.get_future();
    net::post(ioc_, [&task] { task(); });
    if (fut.wait_for(std::chrono::seconds(60)) != std::future_status::ready)
      throw std::runtime_error("local_server::run timed out");
    return fut.get();
  }

 private:
  net::io_context ioc_{1};
  std::unique_ptr<langop::localapi::apiserver> api_;
  std::unique_ptr<langop::localapi::server> server_;
  std::thread thread_;
  unsigned short port_ = 0;
};

inline std::unique_ptr<langop::kube::client> make_client(net::io_context& ioc, const std::string& url,
                                                         std::size_t in_flight) {
  langop::kube::cluster_config cfg;
  auto u = boost::urls::parse_uri(url);
  if (!u) throw std::runtime_error("bad --server URL " + url);
  cfg.server = *u;
  cfg.source = "bench";
  langop::kube::client_options o;
  o.max_requests_in_flight = in_flight;
  o.request_timeout = std::chrono::seconds(60);
  auto c = langop::kube::client::create(ioc.get_executor(), cfg, o);
  if (!c) throw std::runtime_error(c.error().message);
  return std::move(*c);
}

// Runs `body` to completion on `ioc` (rethrowing its exception), bounded by `limit`.
template <class F>
void run_coro(net::io_context& ioc, F body, std::chrono::seconds limit) {
  bool done = false;
  std::exception_ptr failure;
  net::co_spawn(ioc, body(), [&](std::exception_ptr e) {
    failure = e;
    done = true;
  });
  const auto end = std::chrono::steady_clock::now() + limit;
  while (!done && std::chrono::steady_clock::now() < end) {
    ioc.restart();
    ioc.run_one_until(end);
  }
  if (failure) std::rethrow_exception(failure);
  if (!done) throw std::runtime_error("benchmark phase did not finish within its deadline");
}

// Resident set size of a process ("self" or a pid), from /proc/<pid>/status VmRSS.
inline std::size_t rss_bytes(const std::string& pid = "self") {
  std::ifstream in("/proc/" + pid + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind("VmRSS:", 0) == 0) return std::strtoull(line.c_str() + 6, nullptr, 10) * 1024;
  }
  return 0;
}

// glibc heap in use (chunks handed out, malloc overhead included).
inline std::size_t heap_in_use() {
  const auto mi = mallinfo2();
  return mi.uordblks + mi.hblkhd;
}

inline double seconds_since(std::chrono::steady_clock::time_point t) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t).count();
}

}  // namespace bench
