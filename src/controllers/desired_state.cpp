#include "langop/controllers/desired_state.hpp"

#include "langop/kube/quantity.hpp"

namespace langop::controllers {
namespace {

bool same_number(cjson::value_view live, const json::value& d) {
  if (!live.is_number()) return false;
  return live.as_double() == d.to_number<double>();
}

bool same_string(std::string_view live, std::string_view desired) {
  if (live == desired) return true;
  // Only strings that look numeric can be quantities; avoid parsing every mismatch.
  if (desired.empty() || live.empty()) return false;
  auto a = kube::parse_quantity(live), b = kube::parse_quantity(desired);
  return a && b && *a == *b;
}

}  // namespace

bool contains(cjson::value_view live, const json::value& desired) {
  switch (desired.kind()) {
    case json::kind::object: {
      if (!live.is_object()) return false;
      for (const auto& kv : desired.get_object())
        if (!contains(live.find(kv.key()), kv.value())) return false;
      return true;
    }
    case json::kind::array: {
      const auto& arr = desired.get_array();
      if (!live.is_array() || live.size() != arr.size()) return false;
      std::size_t i = 0;
      for (auto element : live.elements())
        if (!contains(element, arr[i++])) return false;
      return true;
    }
    case json::kind::string:
      return live.is_string() && same_string(live.as_string(), desired.get_string());
    case json::kind::bool_:
      return live.is_bool() && live.as_bool() == desired.get_bool();
    case json::kind::null:
      return !live.exists() || live.is_null();
    default:
      return same_number(live, desired);
  }
}

}  // namespace langop::controllers
