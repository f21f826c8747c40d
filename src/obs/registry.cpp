#include "langop/obs/registry.hpp"

#include "text_format.hpp"

#include <cmath>
#include <stdexcept>

namespace langop::obs {
namespace {

// An unlabelled metric whose value is read at render time.
class callback_family final : public detail::family {
 public:
  callback_family(std::string name, std::string help, metric_type type, std::function<double()> read)
      : family(std::move(name), std::move(help), type, {}), read_(std::move(read)) {}

  void render(std::string& out) const override {
    append_header(out);
    out += name();
    out += ' ';
    detail::append_value(out, read_());
    out += '\n';
  }

 private:
  std::function<double()> read_;
};

[[noreturn]] void conflict(const std::string& name) {
  throw std::logic_error("metric " + name + " is already registered with a different type, labels or buckets");
}

}  // namespace

template <class Family, class... Args>
Family& registry::add(std::string name, metric_type type, Args&&... args) {
  if (auto it = families_.find(name); it != families_.end()) {
    auto* existing = dynamic_cast<Family*>(it->second.get());
    if (existing == nullptr || existing->type() != type) conflict(name);
    return *existing;
  }
  auto family = std::make_unique<Family>(name, std::forward<Args>(args)...);
  Family& ref = *family;
  families_.emplace(std::move(name), std::move(family));
  return ref;
}

counter_family& registry::counter(std::string name, std::string help, std::vector<std::string> label_names) {
  auto& f = add<counter_family>(std::move(name), metric_type::counter, std::move(help), label_names);
  if (f.label_names() != label_names) conflict(f.name());
  return f;
}

gauge_family& registry::gauge(std::string name, std::string help, std::vector<std::string> label_names) {
  auto& f = add<gauge_family>(std::move(name), metric_type::gauge, std::move(help), label_names);
  if (f.label_names() != label_names) conflict(f.name());
  return f;
}

histogram_family& registry::histogram(std::string name, std::string help, std::vector<std::string> label_names,
                                      std::vector<double> buckets) {
  auto& f = add<histogram_family>(std::move(name), metric_type::histogram, std::move(help), label_names, buckets);
  if (!buckets.empty() && std::isinf(buckets.back())) buckets.pop_back();
  if (f.label_names() != label_names || f.buckets() != buckets) conflict(f.name());
  return f;
}

void registry::counter_callback(std::string name, std::string help, std::function<double()> read) {
  if (families_.contains(name)) conflict(name);
  auto f = std::make_unique<callback_family>(name, std::move(help), metric_type::counter, std::move(read));
  families_.emplace(std::move(name), std::move(f));
}

void registry::gauge_callback(std::string name, std::string help, std::function<double()> read) {
  if (families_.contains(name)) conflict(name);
  auto f = std::make_unique<callback_family>(name, std::move(help), metric_type::gauge, std::move(read));
  families_.emplace(std::move(name), std::move(f));
}

std::string registry::render() const {
  std::string out;
  render(out);
  return out;
}

void registry::render(std::string& out) const {
  for (const auto& [name, family] : families_) family->render(out);
}

const detail::family* registry::find(std::string_view name) const {
  auto it = families_.find(name);
  return it == families_.end() ? nullptr : it->second.get();
}

}  // namespace langop::obs
