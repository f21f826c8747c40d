// A scriptable HTTP/1.1 (optionally TLS) server on 127.0.0.1 for transport tests: each
// request is answered as a handler scripts it — delays, chunked streams, silence, drops,
// closes mid-response, raw bytes — and the server counts connections and concurrency.
#pragma once

#include "langop/http/header_list.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <vector>

namespace langop::test {

struct scripted_chunk {
  std::string data;
  std::chrono::milliseconds delay{0};  // before this chunk
};

struct scripted_reply {
  int status = 200;
  std::vector<std::pair<std::string, std::string>> headers;
  std::string body;
  std::chrono::milliseconds delay{0};      // before the response head
  bool never_answer = false;               // read the request, then stay silent
  bool drop = false;                       // read the request, then close without a byte
  bool close_after = false;                // answer (keep-alive advertised), then close
  std::optional<std::vector<scripted_chunk>> chunks;  // chunked body instead of `body`
  bool end_chunks = true;                  // false: hold the stream open after the chunks
  std::optional<std::size_t> cut_after;    // close after this many bytes of the response
  std::string raw;                         // sent verbatim instead, then close
};

// A complete response with a JSON body (Content-Type application/json).
[[nodiscard]] scripted_reply json_reply(int status, std::string body);

struct seen_request {
  std::string method;
  std::string target;
  std::string body;
  http::header_list headers;
  std::size_t connection = 0;           // 1-based connection number
  std::size_t index_on_connection = 0;  // 1-based request number on that connection
  std::string sni;                      // TLS server name the client sent, if any
  std::string client_cn;                // CN of the verified client certificate, if any
};

struct server_tls {
  std::string cert_pem;
  std::string key_pem;
  std::string client_ca_pem;  // with require_client_cert: the CA client certs must chain to
  bool require_client_cert = false;
};

// Where the server listens and how much it remembers (the fake LLM server runs as a
// long-lived demo process too).
struct listen_options {
  std::string address = "127.0.0.1";
  std::uint16_t port = 0;      // 0: an ephemeral port
  std::size_t max_seen = 0;    // 0: keep every request; else the most recent ones (at least)
};

class test_http_server final {
 public:
  using handler = std::function<scripted_reply(const seen_request&)>;

  test_http_server(boost::asio::any_io_executor ex, handler h, std::optional<server_tls> tls = {});
  // Throws boost::system::system_error when the address cannot be bound.
  test_http_server(boost::asio::any_io_executor ex, handler h, std::optional<server_tls> tls, listen_options listen);
  ~test_http_server();
  test_http_server(const test_http_server&) = delete;
  test_http_server& operator=(const test_http_server&) = delete;

  [[nodiscard]] std::uint16_t port() const;
  [[nodiscard]] std::string url() const;  // http(s)://<address>:port
  // Closes the listener and every open connection.
  void stop();

  [[nodiscard]] std::size_t connections() const;        // accepted
  [[nodiscard]] std::size_t tls_failures() const;       // failed server-side handshakes
  [[nodiscard]] std::size_t peak_concurrent() const;    // requests being answered at once
  [[nodiscard]] const std::vector<seen_request>& seen() const;

 private:
  struct impl;
  std::shared_ptr<impl> impl_;
};

}  // namespace langop::test
