#include "patch_support.hpp"

#include <boost/json/serialize.hpp>
#include <boost/system/errc.hpp>

#include <algorithm>
#include <cstdint>
#include <vector>

namespace langop::localapi::detail {
namespace {

const json::value* identity(const json::value& element, std::string_view merge_key) {
  if (merge_key.empty()) return &element;
  const auto* obj = element.if_object();
  return obj ? obj->if_contains(merge_key) : nullptr;
}

constexpr std::size_t npos = static_cast<std::size_t>(-1);

std::size_t position(const json::array& ids, const json::value* id) {
  if (!id) return npos;
  for (std::size_t i = 0; i < ids.size(); ++i)
    if (json_equal(ids[i], *id)) return i;
  return npos;
}

}  // namespace

error malformed_patch(std::string message) {
  return error(make_error_code(boost::system::errc::bad_message), std::move(message), 400, "BadRequest");
}

error unappliable_patch(std::string message) {
  return error(make_error_code(boost::system::errc::invalid_argument), std::move(message), 422, "Invalid");
}

std::string excerpt(const json::value& v) {
  std::string text = json::serialize(v);
  if (text.size() > 160) text = text.substr(0, 157) + "...";
  return text;
}

json::array order_merged_list(json::array merged, std::string_view merge_key, const json::array& patch_ids,
                              const json::array& server_ids) {
  struct item {
    json::value value;
    std::size_t patch_pos;
    std::size_t server_pos;
  };
  std::vector<item> from_patch, server_only;
  for (auto& element : merged) {
    const json::value* id = identity(element, merge_key);
    const std::size_t p = position(patch_ids, id), s = position(server_ids, id);
    (p != npos ? from_patch : server_only).push_back(item{std::move(element), p, s});
  }
  std::stable_sort(from_patch.begin(), from_patch.end(), [](auto& a, auto& b) { return a.patch_pos < b.patch_pos; });
  std::stable_sort(server_only.begin(), server_only.end(),
                   [](auto& a, auto& b) { return a.server_pos < b.server_pos; });

  json::array out;
  out.reserve(from_patch.size() + server_only.size());
  std::size_t i = 0, j = 0;
  while (i < server_only.size() || j < from_patch.size()) {
    bool take_server = j >= from_patch.size();
    if (!take_server && i < server_only.size()) {
      const std::size_t l = server_only[i].server_pos, r = from_patch[j].server_pos;
      take_server = l != npos && r != npos && l < r;
    }
    out.push_back(std::move(take_server ? server_only[i++].value : from_patch[j++].value));
  }
  return out;
}

}  // namespace langop::localapi::detail
