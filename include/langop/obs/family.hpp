// What every metric family shares: name, help, type, label names, and the table of
// labelled series behind `family.with({...})` (O(1) amortized, stable cell addresses).
#pragma once

#include <boost/unordered/unordered_flat_map.hpp>

#include <algorithm>
#include <cstdint>
#include <cstring>
#include <functional>
#include <initializer_list>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace langop::obs {

// {"verb", "get"}: a label name and its value for one series.
using label = std::pair<std::string_view, std::string_view>;

enum class metric_type { counter, gauge, histogram };

namespace detail {

// Base of every family: identity plus Prometheus text rendering. Families are owned by
// a registry and never move, so handles may keep raw pointers into them.
class family {
 public:
  family(std::string name, std::string help, metric_type type, std::vector<std::string> label_names);
  virtual ~family() = default;
  family(const family&) = delete;
  family& operator=(const family&) = delete;

  [[nodiscard]] const std::string& name() const noexcept { return name_; }
  [[nodiscard]] const std::string& help() const noexcept { return help_; }
  [[nodiscard]] metric_type type() const noexcept { return type_; }
  [[nodiscard]] const std::vector<std::string>& label_names() const noexcept { return label_names_; }

  // Appends "# HELP", "# TYPE" and every sample, series sorted by label values. A labelled
  // family with no series yet renders nothing (as client_golang does).
  virtual void render(std::string& out) const = 0;

 protected:
  // The lookup key for `labels` (any order, every declared name exactly once) or for
  // positional `values`; a view of a scratch buffer valid until the next call. Throws
  // std::invalid_argument when the labels do not match the family's label names.
  std::string_view key_for(std::initializer_list<label> labels) const;
  std::string_view key_for(std::initializer_list<std::string_view> values) const;
  // The label values encoded in a key made by key_for.
  [[nodiscard]] static std::vector<std::string> values_of(std::string_view key);
  // Appends {a="x",b="y"[,extra="v"]} (nothing when there are no labels at all).
  void append_labels(std::string& out, const std::vector<std::string>& values, std::string_view extra_name = {},
                     std::string_view extra_value = {}) const;
  void append_header(std::string& out) const;

 private:
  std::string name_, help_;
  metric_type type_;
  std::vector<std::string> label_names_;
  mutable std::string scratch_;  // one loop thread: a reused buffer keeps lookups allocation-free
};

struct string_hash {
  using is_transparent = void;
  std::size_t operator()(std::string_view s) const noexcept { return std::hash<std::string_view>{}(s); }
};
struct string_equal {
  using is_transparent = void;
  bool operator()(std::string_view a, std::string_view b) const noexcept { return a == b; }
};

// A family whose series each own a `Cell` (double for counters and gauges).
template <class Cell>
class series_family : public family {
 public:
  using family::family;

 protected:
  struct series {
    std::vector<std::string> values;
    Cell cell;
  };

  template <class Labels>
  Cell& cell_for(Labels labels) {
    const std::string_view key = key_for(labels);
    if (auto it = series_.find(key); it != series_.end()) return it->second->cell;
    std::string owned(key);
    auto s = std::make_unique<series>(series{values_of(owned), make_cell()});
    Cell& cell = s->cell;
    series_.emplace(std::move(owned), std::move(s));
    return cell;
  }

  // Series sorted by label values: stable exposition order.
  [[nodiscard]] std::vector<const series*> sorted_series() const;

  virtual Cell make_cell() const { return Cell{}; }

 private:
  // unique_ptr: the flat map moves its slots on rehash, handles must not move.
  boost::unordered_flat_map<std::string, std::unique_ptr<series>, string_hash, string_equal> series_;
};

template <class Cell>
std::vector<const typename series_family<Cell>::series*> series_family<Cell>::sorted_series() const {
  std::vector<const series*> out;
  out.reserve(series_.size());
  for (const auto& [key, s] : series_) out.push_back(s.get());
  std::sort(out.begin(), out.end(), [](const series* a, const series* b) { return a->values < b->values; });
  return out;
}

}  // namespace detail
}  // namespace langop::obs
