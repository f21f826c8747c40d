#include "langop/localapi/jsonpath.hpp"

#include <catch2/catch.hpp>

#include <random>
#include <string>
#include <vector>

using namespace langop;
using namespace langop::localapi;

namespace {

json::value doc() {
  return *jsonu::parse(R"({
    "metadata": {"name": "web", "labels": {"app.kubernetes.io/name": "web", "tier": "fe"},
                 "annotations": {"a.b/c": "dotted"}},
    "spec": {"replicas": 3, "ratio": 0.5, "paused": false,
             "ports": [{"name": "http", "port": 80}, {"name": "https", "port": 443}, {"port": 8080}],
             "empty": []},
    "status": {"conditions": [
        {"type": "Available", "status": "True", "count": 2},
        {"type": "Ready", "status": "False", "count": 5},
        {"type": "Progressing", "status": "True", "count": 9}]}
  })");
}

// Every selected value, serialized, for compact assertions.
std::vector<std::string> run(std::string_view expr, const json::value& root) {
  auto p = jsonpath::parse(expr);
  INFO(expr);
  REQUIRE(p.has_value());
  std::vector<std::string> out;
  for (const auto* v : p->eval(root)) out.push_back(jsonu::dump(*v));
  return out;
}

using strings = std::vector<std::string>;

}  // namespace

TEST_CASE("jsonpath selects fields, indices, wildcards and slices", "[jsonpath]") {
  const auto d = doc();
  struct row {
    const char* expr;
    strings want;
  };
  const std::vector<row> rows = {
      {".metadata.name", {R"("web")"}},
      {"{.metadata.name}", {R"("web")"}},
      {"  { .metadata.name }  ", {R"("web")"}},
      {"$.metadata.name", {R"("web")"}},
      {".spec.replicas", {"3"}},
      {".spec.paused", {"false"}},
      {".spec.ports[0].port", {"80"}},
      {".spec.ports[-1].port", {"8080"}},
      {".spec.ports[-3].name", {R"("http")"}},
      {".spec.ports[*].port", {"80", "443", "8080"}},
      {".spec.ports[*].name", {R"("http")", R"("https")"}},  // missing keys are skipped
      {".spec.ports[0,2].port", {"80", "8080"}},
      {".spec.ports[1:].port", {"443", "8080"}},
      {".spec.ports[:2].port", {"80", "443"}},
      {".spec.ports[0:3:2].port", {"80", "8080"}},
      {".spec.ports[-2:].port", {"443", "8080"}},
      {".metadata.labels['app.kubernetes.io/name']", {R"("web")"}},
      {".metadata.labels[\"tier\"]", {R"("fe")"}},
      {".metadata.labels['tier','app.kubernetes.io/name']", {R"("fe")", R"("web")"}},
      {".metadata.annotations.a\\.b/c", {R"("dotted")"}},
      {".metadata.labels.*", {R"("web")", R"("fe")"}},
      {"..port", {"80", "443", "8080"}},
      {"$..type", {R"("Available")", R"("Ready")", R"("Progressing")"}},
      {".spec.ports[*]", {R"({"name":"http","port":80})", R"({"name":"https","port":443})", R"({"port":8080})"}},
  };
  for (const auto& r : rows) {
    INFO(r.expr);
    CHECK(run(r.expr, d) == r.want);
  }
}

TEST_CASE("jsonpath filters compare strings, numbers and existence", "[jsonpath]") {
  const auto d = doc();
  struct row {
    const char* expr;
    strings want;
  };
  const std::vector<row> rows = {
      {R"(.status.conditions[?(@.type=="Ready")].status)", {R"("False")"}},
      {R"(.status.conditions[?(@.type == 'Ready')].status)", {R"("False")"}},
      {R"(.status.conditions[?(@.status!="True")].type)", {R"("Ready")"}},
      {R"(.status.conditions[?(@.count>2)].type)", {R"("Ready")", R"("Progressing")"}},
      {R"(.status.conditions[?(@.count>=5)].type)", {R"("Ready")", R"("Progressing")"}},
      {R"(.status.conditions[?(@.count<5)].type)", {R"("Available")"}},
      {R"(.status.conditions[?(@.count<=5.0)].type)", {R"("Available")", R"("Ready")"}},
      {R"(.status.conditions[?(@.type>"Q")].type)", {R"("Ready")"}},
      {R"(.spec.ports[?(@.name)].port)", {"80", "443"}},
      {R"(.spec.ports[?(@.port==$.spec.ports[1].port)].name)", {R"("https")"}},
      {R"(.status.conditions[?(@.type=="Nope")].status)", {}},
      {R"(.status.conditions[?(@.count=="2")].type)", {}},  // string never equals number
      {R"(.status.conditions[?(@.type=="a)b")].type)", {}},  // ')' inside quotes does not end the filter
  };
  for (const auto& r : rows) {
    INFO(r.expr);
    CHECK(run(r.expr, d) == r.want);
  }
}

TEST_CASE("jsonpath yields nothing for missing or mistyped data", "[jsonpath]") {
  const auto d = doc();
  for (const char* expr : {".nope", ".metadata.name.first", ".spec.ports[7].port", ".spec.ports[-9]",
                           ".spec.replicas[0]", ".spec.empty[0]", ".metadata[0]", ".spec.ports.name",
                           ".spec.replicas[*]", ".spec.ports[5:9]", ".metadata.labels[?(@.x)]"}) {
    INFO(expr);
    CHECK(run(expr, d).empty());
  }
  CHECK(run(".a", json::value(42)).empty());
  CHECK(run(".a[0]", json::value(nullptr)).empty());
}

TEST_CASE("jsonpath rejects malformed expressions with a message", "[jsonpath]") {
  for (const char* expr : {"", "{}", "metadata.name", "{.a", ".a}", ".a[", ".a[x]", ".a[1:2:0]", ".a[1:2:3:4]",
                           ".a[?(@.b==)]", ".a[?(@.b===1)]", ".a[?(@.b=>1)]", ".a[?(@.b", ".a[?(@.b)", ".a[?@.b]",
                           ".a['x", ".a\\", ".a[?(\"lit\")]", ".a[?(@.b==bare)]", ".a b"}) {
    INFO(expr);
    auto p = jsonpath::parse(expr);
    CHECK_FALSE(p.has_value());
    if (!p) CHECK_FALSE(p.error().message.empty());
  }
  CHECK_FALSE(jsonpath::parse(std::string(5000, '.')).has_value());
  std::string nested = ".a";
  for (int i = 0; i < 40; ++i) nested = ".a[?(@" + nested + ")]";
  CHECK_FALSE(jsonpath::parse(nested).has_value());
}

TEST_CASE("jsonpath survives random expressions against random documents", "[jsonpath]") {
  // Fuzz-style robustness: nothing here may crash or hang; results are not checked.
  const auto d = doc();
  const std::string alphabet = ".[]*?()@$'\"=!<>:,-0123456789abc{} \\";
  std::mt19937 rng(12345);
  std::uniform_int_distribution<std::size_t> pick(0, alphabet.size() - 1), len(0, 24);
  int parsed = 0;
  for (int i = 0; i < 20000; ++i) {
    std::string expr;
    for (std::size_t n = len(rng); n > 0; --n) expr += alphabet[pick(rng)];
    auto p = jsonpath::parse(expr);
    if (p) {
      ++parsed;
      (void)p->eval(d);
      (void)p->eval(json::value(json::array{1, "x", json::object{{"a", 1}}}));
    }
  }
  CHECK(parsed > 0);
}

TEST_CASE("jsonpath recursive descent is bounded on deep documents", "[jsonpath]") {
  json::value deep = json::object{};
  json::value* cur = &deep;
  for (int i = 0; i < 1000; ++i) cur = &(cur->as_object()["a"] = json::object{});
  auto p = jsonpath::parse("$..a..a");
  REQUIRE(p.has_value());
  auto out = p->eval(deep);
  CHECK(!out.empty());
  CHECK(out.size() <= 100000);  // capped, not quadratic
}
