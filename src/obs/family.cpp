#include "langop/obs/family.hpp"

#include "text_format.hpp"

#include <stdexcept>

namespace langop::obs::detail {
namespace {

// Keys are length-prefixed values, so no label value can forge a separator.
void append_part(std::string& key, std::string_view value) {
  const auto n = static_cast<std::uint32_t>(value.size());
  char len[sizeof n];
  std::memcpy(len, &n, sizeof n);
  key.append(len, sizeof n);
  key.append(value);
}

const char* type_name(metric_type t) noexcept {
  switch (t) {
    case metric_type::counter: return "counter";
    case metric_type::gauge: return "gauge";
    case metric_type::histogram: return "histogram";
  }
  return "untyped";
}

template <class Names>
std::string join(const Names& names) {
  std::string out = "{";
  for (const auto& n : names) {
    if (out.size() > 1) out += ',';
    out += n;
  }
  return out + "}";
}

}  // namespace

family::family(std::string name, std::string help, metric_type type, std::vector<std::string> label_names)
    : name_(std::move(name)), help_(std::move(help)), type_(type), label_names_(std::move(label_names)) {
  if (!valid_metric_name(name_)) throw std::invalid_argument("invalid metric name \"" + name_ + "\"");
  for (std::size_t i = 0; i < label_names_.size(); ++i) {
    if (!valid_label_name(label_names_[i])) {
      throw std::invalid_argument("metric " + name_ + ": invalid label name \"" + label_names_[i] + "\"");
    }
    for (std::size_t j = 0; j < i; ++j) {
      if (label_names_[j] == label_names_[i]) {
        throw std::invalid_argument("metric " + name_ + ": duplicate label name \"" + label_names_[i] + "\"");
      }
    }
  }
}

std::string_view family::key_for(std::initializer_list<label> labels) const {
  auto mismatch = [&] {
    std::vector<std::string_view> given;
    for (const auto& l : labels) given.push_back(l.first);
    return std::invalid_argument("metric " + name_ + ": labels " + join(given) + " do not match " +
                                 join(label_names_));
  };
  if (labels.size() != label_names_.size()) throw mismatch();
  scratch_.clear();
  for (const auto& name : label_names_) {
    const label* found = nullptr;
    for (const auto& l : labels) {
      if (l.first == name) {
        found = &l;
        break;
      }
    }
    if (found == nullptr) throw mismatch();
    append_part(scratch_, found->second);
  }
  return scratch_;
}

std::string_view family::key_for(std::initializer_list<std::string_view> values) const {
  if (values.size() != label_names_.size()) {
    throw std::invalid_argument("metric " + name_ + ": " + std::to_string(values.size()) + " label values for " +
                                join(label_names_));
  }
  scratch_.clear();
  for (std::string_view v : values) append_part(scratch_, v);
  return scratch_;
}

std::vector<std::string> family::values_of(std::string_view key) {
  std::vector<std::string> out;
  while (key.size() >= sizeof(std::uint32_t)) {
    std::uint32_t n = 0;
    std::memcpy(&n, key.data(), sizeof n);
    key.remove_prefix(sizeof n);
    out.emplace_back(key.substr(0, n));
    key.remove_prefix(n);
  }
  return out;
}

void family::append_labels(std::string& out, const std::vector<std::string>& values, std::string_view extra_name,
                           std::string_view extra_value) const {
  if (values.empty() && extra_name.empty()) return;
  out += '{';
  for (std::size_t i = 0; i < values.size(); ++i) {
    if (i > 0) out += ',';
    out += label_names_[i];
    out += "=\"";
    append_label_value_escaped(out, values[i]);
    out += '"';
  }
  if (!extra_name.empty()) {
    if (!values.empty()) out += ',';
    out += extra_name;
    out += "=\"";
    out += extra_value;  // our own `le` rendering: nothing to escape
    out += '"';
  }
  out += '}';
}

void family::append_header(std::string& out) const {
  out += "# HELP ";
  out += name_;
  out += ' ';
  append_help_escaped(out, help_);
  out += "\n# TYPE ";
  out += name_;
  out += ' ';
  out += type_name(type_);
  out += '\n';
}

}  // namespace langop::obs::detail
