#include "langop/obs/gauge.hpp"

#include "text_format.hpp"

namespace langop::obs {

gauge_family::gauge_family(std::string name, std::string help, std::vector<std::string> labels)
    : series_family(std::move(name), std::move(help), metric_type::gauge, std::move(labels)) {
  // An unlabelled gauge exists from the start (exported as 0 until set).
  if (this->label_names().empty()) (void)cell_for(std::initializer_list<std::string_view>{});
}

void gauge_family::render(std::string& out) const {
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
