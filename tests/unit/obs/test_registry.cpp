#include "langop/obs/process_metrics.hpp"
#include "langop/obs/registry.hpp"

#include <catch2/catch.hpp>

#include <cmath>
#include <ctime>
#include <limits>
#include <sstream>

using namespace langop;

TEST_CASE("registry renders counters, gauges and histograms in exposition format 0.0.4", "[metrics]") {
  obs::registry reg;
  auto& requests = reg.counter("api_requests_total", "API requests by verb and code.", {"verb", "code"});
  requests.with({{"verb", "get"}, {"code", "200"}}).inc();
  requests.with({{"code", "200"}, {"verb", "get"}}).inc(2);  // label order does not matter
  requests.with_values({"list", "500"}).inc();
  auto& depth = reg.gauge("queue_depth", "Items waiting.\nSecond line with \\ backslash.", {"kind"});
  depth.with({{"kind", "Agent \"a\"\\b\nc"}}).set(3.5);
  auto& lat = reg.histogram("request_seconds", "Latency.", {}, {0.1, 1, 2.5});
  auto h = lat.with({});
  h.observe(0.05);
  h.observe(0.1);  // on a bound: that bucket (le is inclusive)
  h.observe(2);
  h.observe(7);
  reg.gauge("build_info", "Constant 1.");  // unlabelled: present from the start
  reg.counter("unused_total", "Labelled, never used.", {"x"});  // no series: not rendered
  reg.gauge_callback("answer", "Read at scrape time.", [] { return 42.0; });

  const std::string expected =
      "# HELP answer Read at scrape time.\n"
      "# TYPE answer gauge\n"
      "answer 42\n"
      "# HELP api_requests_total API requests by verb and code.\n"
      "# TYPE api_requests_total counter\n"
      "api_requests_total{verb=\"get\",code=\"200\"} 3\n"
      "api_requests_total{verb=\"list\",code=\"500\"} 1\n"
      "# HELP build_info Constant 1.\n"
      "# TYPE build_info gauge\n"
      "build_info 0\n"
      "# HELP queue_depth Items waiting.\\nSecond line with \\\\ backslash.\n"
      "# TYPE queue_depth gauge\n"
      "queue_depth{kind=\"Agent \\\"a\\\"\\\\b\\nc\"} 3.5\n"
      "# HELP request_seconds Latency.\n"
      "# TYPE request_seconds histogram\n"
      "request_seconds_bucket{le=\"0.1\"} 2\n"
      "request_seconds_bucket{le=\"1\"} 2\n"
      "request_seconds_bucket{le=\"2.5\"} 3\n"
      "request_seconds_bucket{le=\"+Inf\"} 4\n"
      "request_seconds_sum 9.15\n"
      "request_seconds_count 4\n";
  CHECK(reg.render() == expected);
}

TEST_CASE("histogram buckets: labels, cumulative counts, sum and count", "[metrics]") {
  obs::registry reg;
  auto& fam = reg.histogram("reconcile_seconds", "Reconcile time.", {"kind"});
  auto agent = fam.with({{"kind", "agent"}});
  for (double v : {0.001, 0.005, 0.006, 0.3, 0.3, 11.0}) agent.observe(v);
  fam.with({{"kind", "tool"}}).observe(std::chrono::milliseconds(20));
  CHECK(agent.count() == 6);
  CHECK(agent.sum() == Approx(11.612));
  const std::string text = reg.render();
  CHECK_THAT(text, Catch::Contains("reconcile_seconds_bucket{kind=\"agent\",le=\"0.005\"} 2\n"
                                   "reconcile_seconds_bucket{kind=\"agent\",le=\"0.01\"} 3\n"
                                   "reconcile_seconds_bucket{kind=\"agent\",le=\"0.025\"} 3\n"
                                   "reconcile_seconds_bucket{kind=\"agent\",le=\"0.05\"} 3\n"
                                   "reconcile_seconds_bucket{kind=\"agent\",le=\"0.1\"} 3\n"
                                   "reconcile_seconds_bucket{kind=\"agent\",le=\"0.25\"} 3\n"
                                   "reconcile_seconds_bucket{kind=\"agent\",le=\"0.5\"} 5\n"
                                   "reconcile_seconds_bucket{kind=\"agent\",le=\"1\"} 5\n"
                                   "reconcile_seconds_bucket{kind=\"agent\",le=\"2.5\"} 5\n"
                                   "reconcile_seconds_bucket{kind=\"agent\",le=\"5\"} 5\n"
                                   "reconcile_seconds_bucket{kind=\"agent\",le=\"10\"} 5\n"
                                   "reconcile_seconds_bucket{kind=\"agent\",le=\"+Inf\"} 6\n"
                                   "reconcile_seconds_sum{kind=\"agent\"} 11.612\n"
                                   "reconcile_seconds_count{kind=\"agent\"} 6\n"
                                   "reconcile_seconds_bucket{kind=\"tool\",le=\"0.005\"} 0\n"));
  CHECK_THAT(text, Catch::Contains("reconcile_seconds_bucket{kind=\"tool\",le=\"0.025\"} 1\n"));
  CHECK_THAT(text, Catch::Contains("reconcile_seconds_sum{kind=\"tool\"} 0.02\n"));
}

TEST_CASE("bucket helpers and validation", "[metrics]") {
  CHECK(obs::exponential_buckets(0.001, 10, 4) == std::vector<double>{0.001, 0.01, 0.1, 1});
  CHECK(obs::linear_buckets(1, 2, 3) == std::vector<double>{1, 3, 5});
  CHECK_THROWS_AS(obs::exponential_buckets(0, 2, 3), std::invalid_argument);
  CHECK_THROWS_AS(obs::linear_buckets(0, 0, 3), std::invalid_argument);
  obs::registry reg;
  CHECK_THROWS_AS(reg.histogram("h1", "x", {}, {1, 1}), std::invalid_argument);
  CHECK_THROWS_AS(reg.histogram("h2", "x", {}, {2, 1}), std::invalid_argument);
  CHECK_THROWS_AS(reg.histogram("h3", "x", {"le"}), std::invalid_argument);
  auto& inf = reg.histogram("h4", "x", {}, {1, std::numeric_limits<double>::infinity()});
  CHECK(inf.buckets() == std::vector<double>{1});
  CHECK(&reg.histogram("h4", "x", {}, {1}) == &inf);
}

TEST_CASE("handles are stable and lookups find the same series", "[metrics]") {
  obs::registry reg;
  auto& fam = reg.counter("c_total", "c", {"a", "b"});
  auto h1 = fam.with({{"a", "x"}, {"b", "y"}});
  // Many more series force rehashing; the first handle must stay valid.
  for (int i = 0; i < 1000; ++i) fam.with_values({std::to_string(i), "z"}).inc();
  h1.inc(5);
  CHECK(fam.with({{"b", "y"}, {"a", "x"}}).value() == 5);
  CHECK(fam.with_values({"x", "y"}).value() == 5);
  // Values that would collide under naive joining stay distinct.
  fam.with_values({"p,q", "r"}).inc();
  CHECK(fam.with_values({"p", "q,r"}).value() == 0);
  h1.inc(-3);  // ignored: counters only go up
  CHECK(h1.value() == 5);
}

TEST_CASE("registry rejects bad names, label mismatches and conflicting re-registration", "[metrics]") {
  obs::registry reg;
  CHECK_THROWS_AS(reg.counter("1bad", "x"), std::invalid_argument);
  CHECK_THROWS_AS(reg.counter("bad-name", "x"), std::invalid_argument);
  CHECK_THROWS_AS(reg.counter("ok_total", "x", {"__reserved"}), std::invalid_argument);
  CHECK_THROWS_AS(reg.counter("ok_total", "x", {"a", "a"}), std::invalid_argument);
  auto& fam = reg.counter("ok_total", "x", {"a"});
  CHECK(&reg.counter("ok_total", "x", {"a"}) == &fam);
  CHECK_THROWS_AS(reg.counter("ok_total", "x", {"b"}), std::logic_error);
  CHECK_THROWS_AS(reg.gauge("ok_total", "x", {"a"}), std::logic_error);
  CHECK_THROWS_AS(reg.gauge_callback("ok_total", "x", [] { return 1.0; }), std::logic_error);
  CHECK_THROWS_AS((void)fam.with({{"b", "1"}}), std::invalid_argument);
  CHECK_THROWS_AS((void)fam.with({}), std::invalid_argument);
  CHECK_THROWS_AS((void)fam.with_values({"1", "2"}), std::invalid_argument);
  CHECK(reg.find("ok_total") == &fam);
  CHECK(reg.find("nope") == nullptr);
}

TEST_CASE("sample values: integers, fractions, large numbers and specials", "[metrics]") {
  obs::registry reg;
  auto& g = reg.gauge("g", "g", {"case"});
  g.with_values({"a"}).set(1e21);
  g.with_values({"b"}).set(-0.25);
  g.with_values({"c"}).set(std::numeric_limits<double>::infinity());
  g.with_values({"d"}).set(-std::numeric_limits<double>::infinity());
  g.with_values({"e"}).set(std::nan(""));
  g.with_values({"f"}).set(123456789);
  g.with_values({"g"}).set(0.1 + 0.2);
  const std::string text = reg.render();
  CHECK_THAT(text, Catch::Contains("g{case=\"a\"} 1e+21\n"));
  CHECK_THAT(text, Catch::Contains("g{case=\"b\"} -0.25\n"));
  CHECK_THAT(text, Catch::Contains("g{case=\"c\"} +Inf\n"));
  CHECK_THAT(text, Catch::Contains("g{case=\"d\"} -Inf\n"));
  CHECK_THAT(text, Catch::Contains("g{case=\"e\"} NaN\n"));
  CHECK_THAT(text, Catch::Contains("g{case=\"f\"} 123456789\n"));
  CHECK_THAT(text, Catch::Contains("g{case=\"g\"} 0.30000000000000004\n"));
}

TEST_CASE("process metrics are present and sane", "[metrics]") {
  obs::registry reg;
  obs::register_process_metrics(reg);
  const std::string text = reg.render();
  auto value_of = [&](const std::string& name) {
    const auto pos = text.find("\n" + name + " ");
    REQUIRE(pos != std::string::npos);
    return std::stod(text.substr(pos + name.size() + 2));
  };
  CHECK_THAT(text, Catch::Contains("# TYPE process_cpu_seconds_total counter\n"));
  CHECK_THAT(text, Catch::Contains("# TYPE process_resident_memory_bytes gauge\n"));
  const double rss = value_of("process_resident_memory_bytes");
  CHECK(rss > 1024 * 1024);
  CHECK(rss < 64.0 * 1024 * 1024 * 1024);
  CHECK(value_of("process_virtual_memory_bytes") >= rss);
  CHECK(value_of("process_cpu_seconds_total") >= 0);
  const double fds = value_of("process_open_fds");
  CHECK(fds >= 3);  // stdin, stdout, stderr at least
  CHECK(fds <= value_of("process_max_fds"));
  const double started = value_of("process_start_time_seconds");
  const double now = static_cast<double>(std::time(nullptr));
  CHECK(started <= now + 1);
  CHECK(started > now - 7 * 24 * 3600);
}
