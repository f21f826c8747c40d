// List semantics declared by a structural schema, for server-side apply and patches.
#include "schema_node.hpp"

namespace langop::localapi {

// "spec.items[].sub": walk properties (or additionalProperties) per segment and `items`
// per "[]". Metadata of the resource (and of embedded resources) is ObjectMeta, whose
// lists (finalizers, ownerReferences) the server knows itself.
const list_semantics* structural_schema::list_at(std::string_view path) const {
  const node* cur = root_.get();
  bool resource = true;
  std::string_view rest = path;
  while (cur && !rest.empty()) {
    auto dot = rest.find('.');
    std::string_view segment = rest.substr(0, dot);
    std::string_view name = segment.substr(0, segment.find('['));
    if (resource && name == "metadata") return metadata_hints().list_at(std::string(rest));
    auto p = cur->properties.find(name);
    const node* next = p != cur->properties.end() ? p->second.get() : cur->additional.get();
    for (std::size_t i = name.size(); next && i < segment.size(); i += 2) {
      if (segment.substr(i, 2) != "[]") return nullptr;
      next = next->items.get();
    }
    cur = next;
    resource = cur && cur->embedded_resource;
    rest = dot == std::string_view::npos ? std::string_view{} : rest.substr(dot + 1);
  }
  if (!cur || !cur->list || path.empty()) return nullptr;
  return &*cur->list;
}

}  // namespace langop::localapi
