// Kubernetes client configuration: kubeconfig files (good, bad, merged), in-cluster,
// precedence, and bearer token rotation.
#include "langop/kube/config.hpp"
#include "langop/kube/config_errc.hpp"
#include "langop/kube/config_loader.hpp"
#include "langop/kube/in_cluster.hpp"
#include "langop/kube/kubeconfig.hpp"
#include "langop/kube/token_source.hpp"

#include "support/result_printing.hpp"
#include "support/temp_dir.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <map>
#include <sstream>

using namespace langop;
using namespace std::chrono_literals;
using kube::config_errc;

namespace {

const std::string fixtures = std::string(LANGOP_SOURCE_DIR) + "/tests/fixtures/kubeconfig/";

std::string slurp(const std::string& path) {
  std::ifstream in(path);
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

result<kube::cluster_config> load(const std::string& file, std::string context = {}) {
  return kube::load_kubeconfig({.files = {fixtures + file}, .context = std::move(context), .skip_missing_files = false});
}

// The error must be `code`, mention every fragment, and never leak fixture secrets.
void check_error(const result<kube::cluster_config>& r, config_errc code, std::initializer_list<std::string> fragments) {
  REQUIRE_FALSE(r);
  INFO(r.error().message);
  CHECK(r.error().code == code);
  for (const auto& f : fragments) CHECK(r.error().message.find(f) != std::string::npos);
  for (const char* secret : {"fixture-static-token", "BEGIN", "token-a"})
    CHECK(r.error().message.find(secret) == std::string::npos);
}

}  // namespace

TEST_CASE("kubeconfig with inline data: current-context, token, namespace", "[kubeconfig]") {
  auto cfg = load("data.yaml");
  REQUIRE(cfg);
  CHECK(cfg->server.buffer() == "https://127.0.0.1:6443");
  CHECK(cfg->ca_pem == slurp(fixtures + "certs/ca.crt"));
  CHECK(cfg->token == "fixture-static-token");
  CHECK(cfg->token_file.empty());
  CHECK(cfg->client_cert_pem.empty());
  CHECK(cfg->default_namespace == "team-a");
  CHECK_FALSE(cfg->insecure_skip_tls_verify);
  CHECK(cfg->source.find("context \"dev\"") != std::string::npos);

  auto ep = kube::make_endpoint(*cfg);
  REQUIRE(ep);
  CHECK(ep->is_tls());
  CHECK(ep->port() == 6443);
}

TEST_CASE("kubeconfig --context selects another context: client certificate, SNI, path prefix", "[kubeconfig]") {
  auto cfg = load("data.yaml", "prod");
  REQUIRE(cfg);
  CHECK(cfg->server.host_address() == "prod.example.test");
  CHECK(cfg->tls_server_name == "kubernetes.prod.internal");
  CHECK(cfg->client_cert_pem == slurp(fixtures + "certs/client.crt"));
  CHECK(cfg->client_key_pem == slurp(fixtures + "certs/client.key"));
  CHECK(cfg->token.empty());
  CHECK(cfg->default_namespace == "default");
  auto ep = kube::make_endpoint(*cfg);
  REQUIRE(ep);
  CHECK(ep->base_path() == "/k8s/clusters/c-1");
  CHECK(ep->verify_name() == "kubernetes.prod.internal");
  CHECK(kube::make_token_source(*cfg) == nullptr);

  check_error(load("data.yaml", "staging"), config_errc::missing_entry, {"\"staging\"", "--context", "data.yaml"});
}

TEST_CASE("kubeconfig with file references resolves them against the kubeconfig's directory", "[kubeconfig]") {
  // A relative kubeconfig path must work from any working directory.
  auto cwd = std::filesystem::current_path();
  std::filesystem::current_path(fixtures);
  auto cfg = kube::load_kubeconfig({.files = {"files/config.yaml"}, .context = {}, .skip_missing_files = false});
  std::filesystem::current_path(cwd);
  REQUIRE(cfg);
  CHECK(cfg->server.host_address() == "::1");
  CHECK(cfg->ca_pem == slurp(fixtures + "certs/ca.crt"));
  CHECK(cfg->client_cert_pem == slurp(fixtures + "certs/client.crt"));
  CHECK(std::filesystem::equivalent(cfg->token_file, fixtures + "certs/token"));
  auto src = kube::make_token_source(*cfg);
  REQUIRE(src);
  auto tok = src->token();
  REQUIRE(tok);
  CHECK(*tok == "fixture-file-token");
  auto ep = kube::make_endpoint(*cfg);
  REQUIRE(ep);
  CHECK(ep->authority() == "[::1]:7443");
}

TEST_CASE("kubeconfig errors are specific and never echo secrets", "[kubeconfig]") {
  check_error(load("bad-no-current-context.yaml"), config_errc::missing_entry, {"current-context is not set"});
  check_error(load("bad-missing-cluster.yaml"), config_errc::missing_entry,
              {"context \"x\"", "cluster \"absent-cluster\"", "not defined"});
  check_error(load("bad-missing-user.yaml"), config_errc::missing_entry, {"context \"x\"", "user \"ghost\"", "not defined"});
  check_error(load("bad-base64.yaml"), config_errc::malformed,
              {"cluster \"c\"", "bad-base64.yaml", "certificate-authority-data is not valid base64"});
  check_error(load("bad-ca-file.yaml"), config_errc::file_unreadable,
              {"cluster \"c\"", "certificate-authority", "does-not-exist/ca.crt", "No such file"});
  check_error(load("bad-exec.yaml"), config_errc::unsupported,
              {"user \"aws\"", "exec credential plugins are not supported; use a token or client certificate"});
  check_error(load("bad-yaml.yaml"), config_errc::malformed, {"bad-yaml.yaml", "invalid YAML at line"});
  check_error(load("bad-insecure-with-ca.yaml"), config_errc::conflicting, {"insecure-skip-tls-verify"});
  check_error(load("bad-cert-without-key.yaml"), config_errc::missing_entry,
              {"user \"half\"", "client-certificate is set but client-key is not"});
  check_error(load("bad-no-server.yaml"), config_errc::missing_entry, {"cluster \"c\"", "has no server"});
  check_error(load("no-such-file.yaml"), config_errc::file_unreadable, {"no-such-file.yaml"});
}

TEST_CASE("kubeconfig data that decodes but is not PEM is rejected by field", "[kubeconfig]") {
  test::temp_dir dir;
  auto file = dir.write("config", R"(
current-context: x
clusters:
- name: c
  cluster:
    server: 10.0.0.1:6443
    certificate-authority-data: aGVsbG8gd29ybGQ=
contexts:
- name: x
  context: {cluster: c}
)");
  auto r = kube::load_kubeconfig({.files = {file.string()}, .context = {}, .skip_missing_files = false});
  check_error(r, config_errc::malformed, {"cluster \"c\"", "does not contain a PEM certificate"});
}

TEST_CASE("KUBECONFIG merges files first-wins, like kubectl", "[kubeconfig]") {
  std::map<std::string, std::string> env{
      {"KUBECONFIG", fixtures + "merge-first.yaml:" + fixtures + "missing.yaml:" + fixtures + "merge-second.yaml"},
      {"KUBERNETES_SERVICE_HOST", "10.0.0.1"},  // ignored: KUBECONFIG has precedence
      {"KUBERNETES_SERVICE_PORT", "443"}};
  kube::load_options opts;
  opts.getenv = [&](const std::string& k) -> std::optional<std::string> {
    auto it = env.find(k);
    return it == env.end() ? std::nullopt : std::optional(it->second);
  };
  SECTION("current-context and cluster from the first file") {
    auto cfg = kube::load_cluster_config(opts);
    REQUIRE(cfg);
    CHECK(cfg->server.host_address() == "first.example.test");
    CHECK(cfg->token == "token-a");  // user "ua" defined in both: the first wins
    CHECK(cfg->insecure_skip_tls_verify);
  }
  SECTION("--context reaches a context only the second file defines") {
    opts.context = "b";
    auto cfg = kube::load_cluster_config(opts);
    REQUIRE(cfg);
    CHECK(cfg->server.host_address() == "first.example.test");  // cluster "shared": first wins
    CHECK(cfg->token == "token-b");
    CHECK(cfg->default_namespace == "from-second");
  }
  SECTION("the --kubeconfig flag beats KUBECONFIG") {
    opts.kubeconfig_flag = fixtures + "data.yaml";
    auto cfg = kube::load_cluster_config(opts);
    REQUIRE(cfg);
    CHECK(cfg->token == "fixture-static-token");
  }
  SECTION("every KUBECONFIG file missing is an error") {
    env["KUBECONFIG"] = fixtures + "nope1.yaml:" + fixtures + "nope2.yaml";
    auto cfg = kube::load_cluster_config(opts);
    check_error(cfg, config_errc::no_configuration, {"nope1.yaml", "nope2.yaml"});
  }
}

TEST_CASE("in-cluster configuration from a service account directory", "[kubeconfig]") {
  test::temp_dir sa;
  sa.write("token", "sa-token-1\n");
  sa.write("ca.crt", slurp(fixtures + "certs/ca.crt"));
  sa.write("namespace", "langop-system\n");
  kube::in_cluster_options opts{.host = "10.96.0.1", .port = "443", .service_account_dir = sa.path().string()};

  SECTION("complete") {
    auto cfg = kube::load_in_cluster(opts);
    REQUIRE(cfg);
    CHECK(cfg->server.buffer() == "https://10.96.0.1:443");
    CHECK(cfg->default_namespace == "langop-system");
    CHECK(cfg->token.empty());  // by reference only, so rotation is seen
    CHECK(cfg->token_file == (sa.path() / "token").string());
    CHECK(cfg->source == "in-cluster");
    auto src = kube::make_token_source(*cfg);
    REQUIRE(src);
    auto tok = src->token();
    REQUIRE(tok);
    CHECK(*tok == "sa-token-1");
  }
  SECTION("IPv6 service host") {
    opts.host = "fd00::1";
    auto cfg = kube::load_in_cluster(opts);
    REQUIRE(cfg);
    CHECK(cfg->server.buffer() == "https://[fd00::1]:443");
  }
  SECTION("missing namespace file means default") {
    std::filesystem::remove(sa.path() / "namespace");
    auto cfg = kube::load_in_cluster(opts);
    REQUIRE(cfg);
    CHECK(cfg->default_namespace == "default");
  }
  SECTION("missing token") {
    std::filesystem::remove(sa.path() / "token");
    check_error(kube::load_in_cluster(opts), config_errc::file_unreadable, {"in-cluster", "token", "No such file"});
  }
  SECTION("CA not PEM") {
    sa.write("ca.crt", "garbage");
    check_error(kube::load_in_cluster(opts), config_errc::malformed, {"ca.crt", "PEM certificate"});
  }
  SECTION("bad port") {
    opts.port = "https";
    check_error(kube::load_in_cluster(opts), config_errc::malformed, {"KUBERNETES_SERVICE_PORT"});
  }
  SECTION("chosen by load_cluster_config when KUBECONFIG is unset") {
    kube::load_options lo;
    lo.service_account_dir = sa.path().string();
    lo.getenv = [](const std::string& k) -> std::optional<std::string> {
      if (k == "KUBERNETES_SERVICE_HOST") return "10.96.0.1";
      if (k == "KUBERNETES_SERVICE_PORT") return "443";
      if (k == "HOME") return "/nonexistent-home";
      return std::nullopt;
    };
    auto cfg = kube::load_cluster_config(lo);
    REQUIRE(cfg);
    CHECK(cfg->source == "in-cluster");
  }
}

TEST_CASE("load_cluster_config falls back to ~/.kube/config, else says what it tried", "[kubeconfig]") {
  test::temp_dir home;
  kube::load_options lo;
  lo.getenv = [&](const std::string& k) -> std::optional<std::string> {
    if (k == "HOME") return home.path().string();
    return std::nullopt;
  };
  check_error(kube::load_cluster_config(lo), config_errc::no_configuration,
              {"--kubeconfig", "KUBECONFIG", "KUBERNETES_SERVICE_HOST", "~/.kube/config"});
  home.write(".kube/config", slurp(fixtures + "data.yaml"));
  auto cfg = kube::load_cluster_config(lo);
  REQUIRE(cfg);
  CHECK(cfg->token == "fixture-static-token");
}

TEST_CASE("token_source re-reads a rotated token file, at most every recheck period", "[kubeconfig]") {
  test::temp_dir dir;
  auto file = dir.write("token", "first-token\n");
  auto now = std::chrono::steady_clock::time_point{} + 1h;
  kube::token_source src(file, 10s, [&] { return now; });

  auto t1 = src.token();
  REQUIRE(t1);
  CHECK(*t1 == "first-token");
  CHECK(src.reads() == 1);

  // Rotate: new content and a visibly newer mtime (coarse filesystem clocks).
  dir.write("token", "second-token-longer\n");
  std::filesystem::last_write_time(file, std::filesystem::last_write_time(file) + 2s);

  now += 5s;  // within the recheck period: no stat, the cached token
  auto t2 = src.token();
  REQUIRE(t2);
  CHECK(*t2 == "first-token");
  CHECK(src.reads() == 1);

  now += 6s;
  auto t3 = src.token();
  REQUIRE(t3);
  CHECK(*t3 == "second-token-longer");
  CHECK(src.reads() == 2);

  now += 11s;  // unchanged file: stat only, no read
  auto t4 = src.token();
  REQUIRE(t4);
  CHECK(src.reads() == 2);

  // The file disappears (mid-rotation): the last good token keeps working.
  std::filesystem::remove(file);
  now += 11s;
  auto t5 = src.token();
  REQUIRE(t5);
  CHECK(*t5 == "second-token-longer");

  // Through the http bearer provider interface.
  auto shared = std::make_shared<kube::token_source>("fixed\n");
  auto provider = kube::token_source::provider(shared);
  auto p = provider();
  REQUIRE(p);
  CHECK(*p == "fixed");
}

TEST_CASE("token_source without a readable file fails clearly, without contents", "[kubeconfig]") {
  test::temp_dir dir;
  kube::token_source missing(dir.path() / "absent", 10s);
  auto r = missing.token();
  REQUIRE_FALSE(r);
  CHECK(r.error().code == config_errc::file_unreadable);
  CHECK(r.error().message.find("absent") != std::string::npos);

  auto empty_file = dir.write("empty", "\n");
  kube::token_source empty(empty_file, 10s);
  auto e = empty.token();
  REQUIRE_FALSE(e);
  CHECK(e.error().code == config_errc::malformed);
}
