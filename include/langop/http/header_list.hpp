// An ordered list of HTTP header fields with case-insensitive lookup (PURE).
// Order and repeats are kept: Warning may appear several times.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace langop::http {

class header_list final {
 public:
  using field = std::pair<std::string, std::string>;

  header_list() = default;
  header_list(std::initializer_list<field> fields) : fields_(fields) {}

  void add(std::string name, std::string value) { fields_.emplace_back(std::move(name), std::move(value)); }
  // Replaces every field named `name` (case-insensitive) by one field.
  void set(std::string_view name, std::string value);
  void remove(std::string_view name);

  // The first value of `name`, case-insensitive.
  [[nodiscard]] std::optional<std::string_view> get(std::string_view name) const;
  // Every value of `name`, in order.
  [[nodiscard]] std::vector<std::string_view> get_all(std::string_view name) const;
  [[nodiscard]] bool contains(std::string_view name) const { return get(name).has_value(); }

  [[nodiscard]] const std::vector<field>& fields() const noexcept { return fields_; }
  [[nodiscard]] bool empty() const noexcept { return fields_.empty(); }
  [[nodiscard]] std::size_t size() const noexcept { return fields_.size(); }

 private:
  std::vector<field> fields_;
};

// ASCII case-insensitive comparison, as HTTP field names require.
[[nodiscard]] bool iequals(std::string_view a, std::string_view b) noexcept;

}  // namespace langop::http
