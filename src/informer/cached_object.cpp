#include "langop/informer/cached_object.hpp"

#include <boost/json/serializer.hpp>
#include <boost/system/errc.hpp>

namespace langop::informer {
namespace {

cjson::encode_options ingest_options() {
  cjson::encode_options opt;
  opt.strip_kube_bookkeeping = true;
  return opt;
}

// Size of the compact serialization without materializing it.
std::size_t serialized_size(const json::value& v) {
  json::serializer sr;
  sr.reset(&v);
  char buf[4096];
  std::size_t n = 0;
  while (!sr.done()) n += sr.read(buf, sizeof buf).size();
  return n;
}

error invalid(std::string msg) {
  return error(boost::system::errc::make_error_code(boost::system::errc::invalid_argument), std::move(msg));
}

}  // namespace

result<object_ptr> cached_object::parse(std::string_view json_text, cjson::key_table& keys) {
  return adopt(cjson::parse(json_text, keys, ingest_options()), json_text.size());
}

result<object_ptr> cached_object::from_json(const json::value& v, cjson::key_table& keys, std::size_t raw_size) {
  return adopt(cjson::encode(v, keys, ingest_options()), raw_size ? raw_size : serialized_size(v));
}

result<object_ptr> cached_object::from_document(cjson::document doc, std::size_t raw_size) {
  if (doc.empty()) return invalid("cached object is missing");
  return adopt(std::move(doc), raw_size);
}

result<object_ptr> cached_object::adopt(result<cjson::document> doc, std::size_t raw_size) {
  if (!doc) return doc.error();
  const auto root = doc->root();
  if (!root.is_object()) return invalid("cached object is not a JSON object");
  if (!root.at_path({"metadata", "name"}).is_string()) return invalid("cached object has no string metadata.name");
  return std::make_shared<const cached_object>(passkey{}, std::move(*doc), raw_size);
}

cached_object::cached_object(passkey, cjson::document doc, std::size_t raw_size) noexcept
    : doc_(std::move(doc)), raw_size_(static_cast<std::uint32_t>(raw_size)) {
  const auto meta = doc_.root()["metadata"];
  const auto offset_if = [&](cjson::value_view v, bool want_string) -> std::uint32_t {
    if (!v || (want_string && !v.is_string())) return 0;
    return doc_.offset_of(v);
  };
  ns_ = offset_if(meta["namespace"], true);
  name_ = offset_if(meta["name"], true);
  uid_ = offset_if(meta["uid"], true);
  rv_ = offset_if(meta["resourceVersion"], true);
  labels_ = offset_if(meta["labels"], false);
  owners_ = offset_if(meta["ownerReferences"], false);
  generation_ = meta["generation"].as_int64();
  const auto ts = meta["deletionTimestamp"];
  deleting_ = ts.exists() && !ts.is_null();
  for (const auto ref : owner_references().elements()) {
    if (ref["controller"].as_bool()) {
      controller_uid_ = offset_if(ref["uid"], true);
      break;
    }
  }
}

std::string cached_object::key() const {
  std::string k;
  k.reserve(ns().size() + 1 + name().size());
  if (!ns().empty()) {
    k += ns();
    k += '/';
  }
  k += name();
  return k;
}

std::size_t cached_object::approx_bytes() const noexcept {
  // make_shared: one block holding the control block (vtable + two counts) and the object.
  return malloc_footprint(sizeof(cached_object) + 16) + malloc_footprint(doc_.size_bytes());
}

}  // namespace langop::informer
