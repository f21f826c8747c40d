// The metrics registry: owns every family, renders Prometheus text format 0.0.4.
// Not a singleton: main builds one and passes it to whoever records metrics.
#pragma once

#include "langop/obs/counter.hpp"
#include "langop/obs/family.hpp"
#include "langop/obs/gauge.hpp"
#include "langop/obs/histogram.hpp"

#include <functional>
#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace langop::obs {

// Content-Type of render()'s output.
inline constexpr std::string_view text_content_type = "text/plain; version=0.0.4; charset=utf-8";

// Families are created once (usually at start-up) and live as long as the registry, so
// handles taken from them stay valid. Registering a name again with the same type, labels
// (and buckets) returns the existing family; anything else is a programming error and
// throws std::logic_error. Invalid metric or label names throw std::invalid_argument.
// One loop thread: no locking.
class registry final {
 public:
  registry() = default;
  registry(const registry&) = delete;
  registry& operator=(const registry&) = delete;

  counter_family& counter(std::string name, std::string help, std::vector<std::string> label_names = {});
  gauge_family& gauge(std::string name, std::string help, std::vector<std::string> label_names = {});
  histogram_family& histogram(std::string name, std::string help, std::vector<std::string> label_names = {},
                              std::vector<double> buckets = default_seconds_buckets());

  // Unlabelled metrics read at render time (process stats, sizes owned elsewhere).
  // `read` runs on every scrape and must be cheap and non-blocking.
  void counter_callback(std::string name, std::string help, std::function<double()> read);
  void gauge_callback(std::string name, std::string help, std::function<double()> read);

  // Every family sorted by name, series sorted by label values: byte-stable output.
  [[nodiscard]] std::string render() const;
  void render(std::string& out) const;

  [[nodiscard]] const detail::family* find(std::string_view name) const;

 private:
  template <class Family, class... Args>
  Family& add(std::string name, metric_type type, Args&&... args);

  std::map<std::string, std::unique_ptr<detail::family>, std::less<>> families_;
};

}  // namespace langop::obs
