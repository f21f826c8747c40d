// json::value -> document: the same builder as parse(), fed by a tree walk.
#include "builder.hpp"

#include "langop/cjson/codec.hpp"

namespace langop::cjson {
namespace {

// Recursion is bounded: the builder refuses to open a container past max_depth.
bool walk(const json::value& v, detail::builder& b) {
  switch (v.kind()) {
    case json::kind::null:
      return b.null();
    case json::kind::bool_:
      return b.boolean(v.get_bool());
    case json::kind::int64:
      return b.int64(v.get_int64());
    case json::kind::uint64:
      return b.uint64(v.get_uint64());
    case json::kind::double_:
      return b.dbl(v.get_double());
    case json::kind::string: {
      const auto& s = v.get_string();
      return b.string({s.data(), s.size()});
    }
    case json::kind::array:
      if (!b.begin_array()) return false;
      for (const auto& e : v.get_array()) {
        if (!walk(e, b)) return false;
      }
      return b.end_array();
    case json::kind::object:
      if (!b.begin_object()) return false;
      for (const auto& kv : v.get_object()) {
        if (!b.key({kv.key().data(), kv.key().size()}) || !walk(kv.value(), b)) return false;
      }
      return b.end_object();
  }
  return false;
}

}  // namespace

result<document> encode(const json::value& v, key_table& keys, const encode_options& opt) {
  detail::builder b(keys, opt);
  if (!walk(v, b)) return error(b.error(), "cannot encode JSON value: " + b.error().message());
  return b.finish();
}

}  // namespace langop::cjson
