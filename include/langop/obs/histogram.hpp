// Histograms with fixed buckets (cumulative `le` buckets, _sum and _count on exposition).
#pragma once

#include "langop/obs/family.hpp"

#include <chrono>
#include <cstdint>
#include <vector>

namespace langop::obs {

// Prometheus' default buckets, for latencies in seconds: .005 .01 .025 .05 .1 .25 .5 1 2.5 5 10.
[[nodiscard]] std::vector<double> default_seconds_buckets();
// start, start*factor, ... (`count` bounds). Throws std::invalid_argument on start <= 0,
// factor <= 1 or count < 1.
[[nodiscard]] std::vector<double> exponential_buckets(double start, double factor, int count);
// start, start+width, ... (`count` bounds). Throws std::invalid_argument on width <= 0 or count < 1.
[[nodiscard]] std::vector<double> linear_buckets(double start, double width, int count);

namespace detail {
struct histogram_cell {
  std::vector<std::uint64_t> counts;  // per bucket, not cumulative; the last is +Inf
  double sum = 0;
  std::uint64_t count = 0;
};
}  // namespace detail

// A handle to one series, valid as long as the registry.
class histogram final {
 public:
  // Counts `v` in the first bucket whose upper bound is >= v (bounds are inclusive).
  void observe(double v) noexcept {
    const std::size_t n = bounds_->size();
    std::size_t i = 0;
    // A linear scan beats binary search for the usual dozen buckets.
    while (i < n && v > (*bounds_)[i]) ++i;
    ++cell_->counts[i];
    cell_->sum += v;
    ++cell_->count;
  }
  template <class Rep, class Period>
  void observe(std::chrono::duration<Rep, Period> d) noexcept {
    observe(std::chrono::duration<double>(d).count());
  }
  [[nodiscard]] std::uint64_t count() const noexcept { return cell_->count; }
  [[nodiscard]] double sum() const noexcept { return cell_->sum; }

 private:
  friend class histogram_family;
  histogram(const std::vector<double>* bounds, detail::histogram_cell* cell) noexcept : bounds_(bounds), cell_(cell) {}
  const std::vector<double>* bounds_;
  detail::histogram_cell* cell_;
};

class histogram_family final : public detail::series_family<detail::histogram_cell> {
 public:
  // `buckets`: finite, strictly increasing upper bounds; a trailing +Inf is implied (and
  // dropped if given). Throws std::invalid_argument otherwise, or for a label named "le".
  histogram_family(std::string name, std::string help, std::vector<std::string> label_names,
                   std::vector<double> buckets);

  [[nodiscard]] histogram with(std::initializer_list<label> labels) { return {&bounds_, &cell_for(labels)}; }
  [[nodiscard]] histogram with_values(std::initializer_list<std::string_view> values) {
    return {&bounds_, &cell_for(values)};
  }
  [[nodiscard]] const std::vector<double>& buckets() const noexcept { return bounds_; }

  void render(std::string& out) const override;

 protected:
  detail::histogram_cell make_cell() const override;

 private:
  std::vector<double> bounds_;
};

}  // namespace langop::obs
