#include "langop/resources/common.hpp"

#include "langop/resources/names.hpp"

#include <boost/json/serialize.hpp>
#include <openssl/evp.h>

#include <cctype>

namespace langop::resources {

owner owner_of(const json::object& cr) {
  owner o;
  o.kind = std::string(jsonu::get_string(cr, "kind"));
  // No copy of `cr` (called for every child of every reconcile).
  const auto* m = cr.if_contains("metadata");
  if (!m || !m->is_object()) return o;
  const json::object& meta = m->get_object();
  o.name = std::string(jsonu::get_string(meta, "name"));
  o.ns = std::string(jsonu::get_string(meta, "namespace"));
  o.uid = std::string(jsonu::get_string(meta, "uid"));
  return o;
}

std::string kind_label_key(std::string_view owner_kind) {
  std::string_view k = owner_kind;
  if (k.starts_with("Language")) k.remove_prefix(8);
  std::string out = "langop.io/";
  for (char c : k) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}

namespace {
std::string lower(std::string_view s) {
  std::string out;
  for (char c : s) out += static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
  return out;
}
}  // namespace

json::object selector_labels(const owner& o) {
  json::object l;
  l[kind_label_key(o.kind)] = label_value(o.name);
  return l;
}

json::object child_labels(const owner& o) {
  json::object l;
  l["app.kubernetes.io/managed-by"] = "langop";
  l["app.kubernetes.io/name"] = lower(o.kind);
  l["app.kubernetes.io/instance"] = label_value(o.name);
  l[kind_label_key(o.kind)] = label_value(o.name);
  return l;
}

json::object controller_reference(const owner& o) {
  json::object r;
  r["apiVersion"] = api_version;
  r["kind"] = o.kind;
  r["name"] = o.name;
  r["uid"] = o.uid;
  r["controller"] = true;
  r["blockOwnerDeletion"] = true;
  return r;
}

json::object child_metadata(const owner& o, std::string_view name, std::string_view ns,
                            const json::object& extra_labels, const json::object& annotations) {
  json::object m;
  m["name"] = name;
  if (!ns.empty()) m["namespace"] = ns;
  json::object labels = child_labels(o);
  for (const auto& kv : extra_labels) labels[kv.key()] = kv.value();
  m["labels"] = std::move(labels);
  if (!annotations.empty()) m["annotations"] = annotations;
  m["ownerReferences"] = json::array{controller_reference(o)};
  return m;
}

std::string sha256_hex(std::string_view data) {
  unsigned char digest[EVP_MAX_MD_SIZE];
  unsigned int len = 0;
  EVP_Digest(data.data(), data.size(), digest, &len, EVP_sha256(), nullptr);
  static constexpr char hex[] = "0123456789abcdef";
  std::string out;
  out.reserve(len * 2);
  for (unsigned int i = 0; i < len; ++i) {
    out += hex[digest[i] >> 4];
    out += hex[digest[i] & 15];
  }
  return out;
}

std::string content_hash(const json::value& v) { return sha256_hex(json::serialize(v)); }

json::object typed_object(std::string_view api_version, std::string_view kind, json::object metadata) {
  json::object o;
  o["apiVersion"] = api_version;
  o["kind"] = kind;
  o["metadata"] = std::move(metadata);
  return o;
}

}  // namespace langop::resources
