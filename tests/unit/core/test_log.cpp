#include "langop/core/log.hpp"

#include <boost/json/parse.hpp>
#include <catch2/catch.hpp>

#include <memory>
#include <vector>

using namespace langop;

namespace {
struct capture final : log::sink {
  std::vector<std::string> lines;
  void write(std::string_view l) override { lines.emplace_back(l); }
};
}  // namespace

TEST_CASE("json log lines carry level, message, bound and call fields", "[core][log]") {
  auto cap = std::make_shared<capture>();
  log::logger root(log::level::info, log::format::json, cap);
  auto child = root.with({{"controller", "agent"}, {"namespace", "demo"}});
  child.debug("hidden");
  child.info("reconciled \"x\"\n", {{"name", "a"}, {"ms", 12}, {"ok", true}});
  REQUIRE(cap->lines.size() == 1);
  auto v = boost::json::parse(cap->lines[0]).as_object();
  CHECK(v.at("level") == "info");
  CHECK(v.at("msg") == "reconciled \"x\"\n");
  CHECK(v.at("controller") == "agent");
  CHECK(v.at("namespace") == "demo");
  CHECK(v.at("ms").as_int64() == 12);
  CHECK(v.at("ok").as_bool());
}

TEST_CASE("text log lines quote values with spaces", "[core][log]") {
  auto cap = std::make_shared<capture>();
  log::logger l(log::level::debug, log::format::text, cap);
  l.warn("watch restarted", {{"reason", "too old"}, {"kind", "ConfigMap"}});
  REQUIRE(cap->lines.size() == 1);
  CHECK(cap->lines[0].find(" warn watch restarted reason=\"too old\" kind=ConfigMap\n") != std::string::npos);
  log::level lv;
  CHECK(log::parse_level("warning", lv));
  CHECK(lv == log::level::warn);
  CHECK_FALSE(log::parse_level("loud", lv));
}
