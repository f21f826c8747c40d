#include "langop/obs/counter.hpp"

#include "text_format.hpp"

namespace langop::obs {

counter_family::counter_family(std::string name, std::string help, std::vector<std::string> labels)
    : series_family(std::move(name), std::move(help), metric_type::counter, std::move(labels)) {
  // An unlabelled counter exists from the start, so it is exported as 0 before any event.
  if (this->label_names().empty()) (void)cell_for(std::initializer_list<std::string_view>{});
}

void counter_family::render(std::string& out) const {
  const auto series = sorted_series();
  if (series.empty()) return;
  append_header(out);
  for (const auto* s : series) {
    out += name();
    append_labels(out, s->values);
    out += ' ';
    detail::append_value(out, s->cell);
    out += '\n';
  }
}

}  // namespace langop::obs
