// HTTPS_PROXY / NO_PROXY parsing and matching (PURE).
#include "langop/http/errc.hpp"
#include "langop/http/proxy.hpp"

#include "support/result_printing.hpp"

#include <catch2/catch.hpp>

#include <map>

using namespace langop;

namespace {

http::proxy_settings settings(std::string_view proxy, std::string_view no_proxy) {
  auto s = http::proxy_settings::make(proxy, no_proxy);
  REQUIRE(s);
  return *s;
}

}  // namespace

TEST_CASE("proxy: HTTPS_PROXY forms", "[http]") {
  SECTION("no proxy configured") {
    auto s = settings("", "");
    CHECK_FALSE(s.enabled());
    CHECK_FALSE(s.for_target(true, "api.openai.com", 443));
  }
  SECTION("host:port without a scheme") {
    auto p = settings("proxy.corp:3128", "").for_target(true, "api.openai.com", 443);
    REQUIRE(p);
    CHECK(p->host == "proxy.corp");
    CHECK(p->port == 3128);
    CHECK(p->authorization.empty());
    CHECK(p->authority() == "proxy.corp:3128");
  }
  SECTION("default port 80, credentials become Basic authorization") {
    auto p = settings("http://user:pass@proxy.corp", "").for_target(true, "api.openai.com", 443);
    REQUIRE(p);
    CHECK(p->port == 80);
    CHECK(p->authorization == "Basic dXNlcjpwYXNz");
  }
  SECTION("IPv6 proxy authority is bracketed") {
    auto p = settings("http://[fd00::1]:8080", "").for_target(true, "api.openai.com", 443);
    REQUIRE(p);
    CHECK(p->authority() == "[fd00::1]:8080");
  }
  SECTION("plain http targets always go direct") {
    CHECK_FALSE(settings("proxy.corp:3128", "").for_target(false, "api.openai.com", 80));
  }
}

TEST_CASE("proxy: unsupported or invalid proxies are errors without credentials", "[http]") {
  for (const char* bad : {"https://user:hunter2@proxy.corp:443", "socks5://user:hunter2@proxy.corp:1080",
                          "http://user:hunter2@proxy.corp:99999"}) {
    INFO(bad);
    auto s = http::proxy_settings::make(bad, "");
    REQUIRE_FALSE(s);
    CHECK(s.error().code == http::make_error_code(http::errc::invalid_argument));
    CHECK(s.error().message.find("hunter2") == std::string::npos);
  }
}

TEST_CASE("proxy: NO_PROXY rules", "[http]") {
  auto s = settings("proxy.corp:3128",
                    "example.com, .internal.test,*.svc.local 10.0.0.0/8 192.168.1.7 fd00::/16 api.port.test:8443");
  const std::pair<std::pair<const char*, int>, bool> cases[] = {
      {{"example.com", 443}, true},
      {{"API.Example.COM", 443}, true},
      {{"notexample.com", 443}, false},
      {{"internal.test", 443}, false},
      {{"a.internal.test", 443}, true},
      {{"svc.local", 443}, false},
      {{"x.svc.local", 443}, true},
      {{"10.1.2.3", 443}, true},
      {{"11.1.2.3", 443}, false},
      {{"192.168.1.7", 443}, true},
      {{"192.168.1.8", 443}, false},
      {{"[fd00::5]", 443}, true},
      {{"api.port.test", 8443}, true},
      {{"api.port.test", 443}, false},
      {{"localhost", 443}, true},
      {{"127.0.0.1", 443}, true},
      {{"[::1]", 443}, true},
      {{"api.openai.com", 443}, false},
  };
  for (const auto& [target, bypass] : cases) {
    INFO(target.first << ":" << target.second);
    CHECK(s.bypasses(target.first, static_cast<std::uint16_t>(target.second)) == bypass);
    CHECK(s.for_target(true, target.first, static_cast<std::uint16_t>(target.second)).has_value() == !bypass);
  }
  CHECK(settings("proxy.corp:3128", "*").bypasses("api.openai.com", 443));
  CHECK_FALSE(settings("proxy.corp:3128", "10.0.0.0/99, ,").bypasses("10.1.1.1", 443));  // bad entries ignored
}

TEST_CASE("proxy: from_env prefers the upper-case variables", "[http]") {
  std::map<std::string, std::string> env{{"HTTPS_PROXY", "upper:1"}, {"https_proxy", "lower:2"}, {"no_proxy", "x.test"}};
  auto s = http::proxy_settings::from_env([&](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
  REQUIRE(s);
  auto p = s->for_target(true, "api.openai.com", 443);
  REQUIRE(p);
  CHECK(p->host == "upper");
  CHECK(s->bypasses("x.test", 443));
  env.erase("HTTPS_PROXY");
  auto lower = http::proxy_settings::from_env([&](const char* name) -> const char* {
    auto it = env.find(name);
    return it == env.end() ? nullptr : it->second.c_str();
  });
  REQUIRE(lower);
  CHECK(lower->for_target(true, "api.openai.com", 443)->host == "lower");
}
