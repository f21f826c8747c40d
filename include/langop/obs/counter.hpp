// Monotonic counters: a family per metric name, a cheap handle per label set.
#pragma once

#include "langop/obs/family.hpp"

namespace langop::obs {

// A handle to one series: an add on a stable pointer, valid as long as the registry.
class counter final {
 public:
  void inc() noexcept { *value_ += 1; }
  // Negative amounts are ignored: a counter that goes down breaks rate().
  void inc(double amount) noexcept {
    if (amount > 0) *value_ += amount;
  }
  [[nodiscard]] double value() const noexcept { return *value_; }

 private:
  friend class counter_family;
  explicit counter(double* value) noexcept : value_(value) {}
  double* value_;
};

class counter_family final : public detail::series_family<double> {
 public:
  counter_family(std::string name, std::string help, std::vector<std::string> label_names);

  // The series for these labels, created at 0 on first use. Keep the handle on hot paths.
  [[nodiscard]] counter with(std::initializer_list<label> labels) { return counter(&cell_for(labels)); }
  // Positional: values in the order the label names were declared.
  [[nodiscard]] counter with_values(std::initializer_list<std::string_view> values) {
    return counter(&cell_for(values));
  }

  void render(std::string& out) const override;
};

}  // namespace langop::obs
