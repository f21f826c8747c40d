// A minimal HTTP/1.1 client for tests: its own io_context, every call bounded by a
// deadline. Plain TCP only; TLS is covered by the real client and by kubectl.
#pragma once

#include <chrono>
#include <map>
#include <memory>
#include <optional>
#include <string>

namespace langop::test {

struct http_result {
  int status = 0;  // 0: no response (connection failed, cut, or deadline)
  std::string body;
  std::multimap<std::string, std::string> headers;
  [[nodiscard]] std::string header(const std::string& name) const;
};

class test_http {
 public:
  test_http(std::string host, unsigned short port, std::string token = {});
  ~test_http();

  http_result request(const std::string& method, const std::string& target, const std::string& body = {},
                      const std::string& content_type = "application/json",
                      std::chrono::milliseconds timeout = std::chrono::seconds(10),
                      const std::string& accept = "application/json");

  // A watch (or any chunked) stream read line by line.
  class stream {
   public:
    ~stream();
    [[nodiscard]] int status() const noexcept { return status_; }
    // The next newline-terminated line, or nullopt at the deadline or end of stream.
    std::optional<std::string> next_line(std::chrono::milliseconds timeout);
    [[nodiscard]] bool ended() const noexcept { return ended_; }
    struct impl;

   private:
    friend class test_http;
    std::unique_ptr<impl> impl_;
    int status_ = 0;
    bool ended_ = false;
  };
  std::unique_ptr<stream> open_stream(const std::string& target,
                                      std::chrono::milliseconds timeout = std::chrono::seconds(10));

 private:
  std::string host_;
  unsigned short port_;
  std::string token_;
};

}  // namespace langop::test
