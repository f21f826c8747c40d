// Smoke tests of the benchmark tools (bench/tools): each binary runs with a tiny N,
// exits 0 and prints its one-line JSON summary, so the benchmarks keep working as the
// code they measure changes. The numbers themselves are not checked here.
#include "support/process.hpp"

#include "langop/core/json.hpp"

#include <catch2/catch.hpp>

#include <filesystem>
#include <sstream>

using namespace langop;
using namespace langop::test;
using namespace std::chrono_literals;

namespace {

std::string tool_path(const std::string& name) { return std::string(LANGOP_BINARY_DIR) + "/bench/" + name; }

// The object of the tool's "JSON {...}" line; null when absent or malformed.
json::value summary(const std::string& out) {
  std::istringstream lines(out);
  std::string line;
  while (std::getline(lines, line)) {
    if (line.rfind("JSON ", 0) != 0) continue;
    auto v = jsonu::parse(std::string_view(line).substr(5));
    if (v && v->is_object()) return *v;
  }
  return nullptr;
}

}  // namespace

TEST_CASE("bench tool langop-bench-localapi runs with a tiny N", "[bench]") {
  const auto tool = tool_path("langop-bench-localapi");
  if (!std::filesystem::exists(tool)) {  // LANGOP_BUILD_BENCH=OFF
    WARN("not built: " << tool);
    return;
  }
  auto r = run_command({tool, "--objects", "200", "--concurrency", "8", "--watchers", "3"}, 60s);
  INFO(r.out << r.err);
  REQUIRE_FALSE(r.timed_out);
  REQUIRE(r.exit_code == 0);
  const auto s = summary(r.out);
  REQUIRE(s.is_object());
  CHECK(s.at("tool") == "localapi");
  CHECK(s.at("objects").to_number<double>() == 200);
  CHECK(s.at("creates_per_s").to_number<double>() > 0);
  CHECK(s.at("updates_per_s").to_number<double>() > 0);
  CHECK(s.at("watch_events").to_number<double>() == 600);  // 3 watchers x 200 updates
  CHECK(s.at("raw_json_bytes_per_object").to_number<double>() > 100);
  CHECK(s.at("errors").to_number<double>() == 0);
}

TEST_CASE("bench tool langop-bench-runtime runs with a tiny N", "[bench]") {
  const auto tool = tool_path("langop-bench-runtime");
  if (!std::filesystem::exists(tool)) {  // LANGOP_BUILD_BENCH=OFF
    WARN("not built: " << tool);
    return;
  }
  auto r = run_command({tool, "--objects", "200"}, 60s);
  INFO(r.out << r.err);
  REQUIRE_FALSE(r.timed_out);
  REQUIRE(r.exit_code == 0);
  const auto s = summary(r.out);
  REQUIRE(s.is_object());
  CHECK(s.at("tool") == "runtime");
  CHECK(s.at("cached").to_number<double>() == 200);
  CHECK(s.at("watch_events").to_number<double>() == 200);
  CHECK(s.at("list_objects_per_s").to_number<double>() > 0);
  CHECK(s.at("cache_ratio").to_number<double>() > 0);
}

TEST_CASE("bench tool langop-bench-synthesis runs with a tiny N", "[bench]") {
  const auto tool = tool_path("langop-bench-synthesis");
  if (!std::filesystem::exists(tool)) {  // LANGOP_BUILD_BENCH=OFF
    WARN("not built: " << tool);
    return;
  }
  auto r = run_command({tool, "--agents", "8", "--latency-ms", "20", "--concurrency", "4"}, 60s);
  INFO(r.out << r.err);
  REQUIRE_FALSE(r.timed_out);
  REQUIRE(r.exit_code == 0);
  const auto s = summary(r.out);
  REQUIRE(s.is_object());
  CHECK(s.at("tool") == "synthesis");
  CHECK(s.at("agents").to_number<double>() == 8);
  CHECK(s.at("wall_s").to_number<double>() > 0);
  CHECK(s.at("operator_cpu_s").to_number<double>() > 0);
}

TEST_CASE("bench tools reject unknown flags", "[bench]") {
  for (const char* name :
       {"langop-bench-localapi", "langop-bench-runtime", "langop-bench-converge", "langop-bench-synthesis"}) {
    const auto tool = tool_path(name);
    if (!std::filesystem::exists(tool)) continue;
    auto r = run_command({tool, "--no-such-flag", "1"}, 20s);
    INFO(name << ": " << r.out << r.err);
    CHECK(r.exit_code == 2);
  }
}

// The whole convergence benchmark once, small: a langop-localapi child, the operator as a
// child, 200 agents, a restart for the no-op resync, 2 s of churn, the write floor.
TEST_CASE("bench tool langop-bench-converge runs with N=200", "[bench]") {
  const auto tool = tool_path("langop-bench-converge");
  if (!std::filesystem::exists(tool)) {  // LANGOP_BUILD_BENCH=OFF
    WARN("not built: " << tool);
    return;
  }
  auto r = run_command({tool, "--agents", "200", "--concurrency", "16", "--steady-seconds", "2", "--churn-percent",
                        "5", "--timeout-seconds", "60"},
                       90s);
  INFO(r.out << r.err);
  REQUIRE_FALSE(r.timed_out);
  REQUIRE(r.exit_code == 0);
  const auto s = summary(r.out);
  REQUIRE(s.is_object());
  CHECK(s.at("tool") == "converge");
  const auto& run = s.at("runs").as_array().at(0);
  CHECK(run.at("converged") == true);
  CHECK(run.at("running").to_number<double>() == 200);
  CHECK(run.at("converge_s").to_number<double>() > 0);
  CHECK(run.at("floor_objects").to_number<double>() >= 200);  // at least a Deployment or CronJob each
  CHECK(run.at("floor_errors").to_number<double>() == 0);
  CHECK(run.at("resync_writes").to_number<double>() == 0);  // a restart on converged state writes nothing
  CHECK(run.at("resync_reconciles").to_number<double>() >= 200);
  CHECK(run.at("churn_samples").to_number<double>() > 0);
  CHECK(run.at("cached_objects").to_number<double>() > 200);
  CHECK(r.out.find("| **operator ÷ floor** |") != std::string::npos);
}
