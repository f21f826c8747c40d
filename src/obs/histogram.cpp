#include "langop/obs/histogram.hpp"

#include "text_format.hpp"

#include <cmath>
#include <stdexcept>

namespace langop::obs {
namespace {

std::vector<double> checked(const std::string& name, std::vector<double> bounds) {
  if (!bounds.empty() && std::isinf(bounds.back()) && bounds.back() > 0) bounds.pop_back();
  for (std::size_t i = 0; i < bounds.size(); ++i) {
    if (!std::isfinite(bounds[i]) || (i > 0 && bounds[i] <= bounds[i - 1])) {
      throw std::invalid_argument("histogram " + name + ": buckets must be finite and strictly increasing");
    }
  }
  return bounds;
}

}  // namespace

std::vector<double> default_seconds_buckets() { return {.005, .01, .025, .05, .1, .25, .5, 1, 2.5, 5, 10}; }

std::vector<double> exponential_buckets(double start, double factor, int count) {
  if (start <= 0 || factor <= 1 || count < 1) {
    throw std::invalid_argument("exponential_buckets: need start > 0, factor > 1, count >= 1");
  }
  std::vector<double> out;
  out.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i, start *= factor) out.push_back(start);
  return out;
}

std::vector<double> linear_buckets(double start, double width, int count) {
  if (width <= 0 || count < 1) throw std::invalid_argument("linear_buckets: need width > 0, count >= 1");
  std::vector<double> out;
  out.reserve(static_cast<std::size_t>(count));
  for (int i = 0; i < count; ++i) out.push_back(start + width * i);
  return out;
}

histogram_family::histogram_family(std::string name, std::string help, std::vector<std::string> labels,
                                   std::vector<double> buckets)
    : series_family(std::move(name), std::move(help), metric_type::histogram, std::move(labels)),
      bounds_(checked(this->name(), std::move(buckets))) {
  for (const auto& l : label_names()) {
    if (l == "le") throw std::invalid_argument("histogram " + this->name() + ": \"le\" is a reserved label name");
  }
  if (label_names().empty()) (void)cell_for(std::initializer_list<std::string_view>{});
}

detail::histogram_cell histogram_family::make_cell() const {
  detail::histogram_cell cell;
  cell.counts.assign(bounds_.size() + 1, 0);
  return cell;
}

void histogram_family::render(std::string& out) const {
  const auto series = sorted_series();
  if (series.empty()) return;
  append_header(out);
  std::string le;
  for (const auto* s : series) {
    std::uint64_t cumulative = 0;
    for (std::size_t i = 0; i <= bounds_.size(); ++i) {
      cumulative += s->cell.counts[i];
      le.clear();
      if (i < bounds_.size()) {
        detail::append_value(le, bounds_[i]);
      } else {
        le = "+Inf";
      }
      out += name();
      out += "_bucket";
      append_labels(out, s->values, "le", le);
      out += ' ';
      detail::append_value(out, static_cast<double>(cumulative));
      out += '\n';
    }
    out += name();
    out += "_sum";
    append_labels(out, s->values);
    out += ' ';
    detail::append_value(out, s->cell.sum);
    out += "\n";
    out += name();
    out += "_count";
    append_labels(out, s->values);
    out += ' ';
    detail::append_value(out, static_cast<double>(s->cell.count));
    out += '\n';
  }
}

}  // namespace langop::obs
