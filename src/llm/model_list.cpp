#include "langop/llm/model_list.hpp"

#include "langop/core/json.hpp"
#include "langop/llm/errc.hpp"

namespace langop::llm {

result<std::vector<std::string>> parse_model_list(std::string_view body) {
  std::string why;
  auto doc = jsonu::parse(body, &why);
  if (!doc) return make_error(errc::malformed_response, "models response: not JSON (" + why + ")");
  const auto* data = jsonu::find(*doc, {"data"});
  if (!data || !data->is_array()) return make_error(errc::malformed_response, "models response: no \"data\" list");
  std::vector<std::string> ids;
  for (const auto& m : data->get_array())
    if (auto id = jsonu::get_string(m, {"id"}); !id.empty()) ids.emplace_back(id);
  return ids;
}

}  // namespace langop::llm
