// Gauges: values that go up and down (queue depth, in-flight requests, timestamps).
#pragma once

#include "langop/obs/family.hpp"

namespace langop::obs {

// A handle to one series, valid as long as the registry.
class gauge final {
 public:
  void set(double v) noexcept { *value_ = v; }
  void inc(double amount = 1) noexcept { *value_ += amount; }
  void dec(double amount = 1) noexcept { *value_ -= amount; }
  [[nodiscard]] double value() const noexcept { return *value_; }

 private:
  friend class gauge_family;
  explicit gauge(double* value) noexcept : value_(value) {}
  double* value_;
};

class gauge_family final : public detail::series_family<double> {
 public:
  gauge_family(std::string name, std::string help, std::vector<std::string> label_names);

  [[nodiscard]] gauge with(std::initializer_list<label> labels) { return gauge(&cell_for(labels)); }
  [[nodiscard]] gauge with_values(std::initializer_list<std::string_view> values) { return gauge(&cell_for(values)); }

  void render(std::string& out) const override;
};

}  // namespace langop::obs
