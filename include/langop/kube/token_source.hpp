// The bearer token for API requests: fixed, or read from a file that the kubelet
// rotates (projected service account tokens). The file is stat'ed at most every
// `recheck` and re-read only when its mtime or size changed: a tiny, bounded blocking
// call on the loop thread, cheap enough to sit on the request path.
#pragma once

#include "langop/core/error.hpp"
#include "langop/http/bearer_provider.hpp"
#include "langop/kube/config.hpp"

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <string>

namespace langop::kube {

class token_source final {
 public:
  using clock = std::chrono::steady_clock;
  using now_fn = std::function<clock::time_point()>;

  explicit token_source(std::string fixed_token);
  // `now` injectable for tests; empty = steady_clock::now.
  token_source(std::filesystem::path file, std::chrono::seconds recheck, now_fn now = {});

  // The current token (trailing whitespace trimmed). If a re-read fails after a token
  // was once read, the last good token is returned (the kubelet replaces the file
  // atomically; a transient failure should not fail requests). Errors, only before the
  // first successful read: config_errc::file_unreadable or malformed (empty file).
  // Messages name the file, never its contents.
  [[nodiscard]] result<std::string> token();

  // How many times the file was (re)read; for tests and metrics.
  [[nodiscard]] std::uint64_t reads() const noexcept { return reads_; }

  // An http::bearer_provider sharing ownership of `src`.
  [[nodiscard]] static http::bearer_provider provider(std::shared_ptr<token_source> src);

 private:
  std::string token_;
  std::filesystem::path file_;
  std::chrono::seconds recheck_{0};
  now_fn now_;
  bool loaded_ = false;
  clock::time_point last_check_{};
  std::filesystem::file_time_type mtime_{};
  std::uintmax_t size_ = 0;
  std::uint64_t reads_ = 0;
};

// The token source for `cfg` (token_file wins over token, as in client-go), or null when
// the configuration has no bearer token (client certificate or anonymous).
[[nodiscard]] std::shared_ptr<token_source> make_token_source(const cluster_config& cfg,
                                                              std::chrono::seconds recheck = std::chrono::seconds(10));

}  // namespace langop::kube
