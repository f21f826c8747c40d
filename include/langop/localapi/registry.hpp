// The set of resources the server currently serves: built-ins plus every established
// CustomResourceDefinition version (PURE data structure).
#pragma once

#include "langop/localapi/resource_type.hpp"

#include <map>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace langop::localapi {

using resource_type_ptr = std::shared_ptr<const resource_type>;

class registry {
 public:
  registry();  // the built-in types

  [[nodiscard]] resource_type_ptr find(std::string_view group, std::string_view version,
                                       std::string_view resource) const;
  [[nodiscard]] resource_type_ptr find_kind(std::string_view group, std::string_view version,
                                            std::string_view kind) const;
  // Any served version of group/resource (the preferred one), for storage-level work such as GC.
  [[nodiscard]] resource_type_ptr find_storage(std::string_view storage) const;

  // Groups in discovery order (core "" first, then built-in groups, then CRD groups by name),
  // each with its served versions, preferred first.
  struct group_info {
    std::string name;
    std::vector<std::string> versions;
  };
  [[nodiscard]] std::vector<group_info> groups() const;
  [[nodiscard]] std::vector<resource_type_ptr> resources(std::string_view group, std::string_view version) const;
  [[nodiscard]] std::vector<resource_type_ptr> all() const;

  // Replaces every type owned by `crd_name` with `types` (empty removes them).
  void set_crd_types(const std::string& crd_name, std::vector<resource_type> types);

  // Bumped on every change; discovery documents are cached against it.
  [[nodiscard]] std::uint64_t generation() const noexcept { return generation_; }

 private:
  std::vector<resource_type_ptr> types_;  // insertion order == discovery order within a group version
  std::vector<std::string> builtin_group_order_;
  std::uint64_t generation_ = 1;
};

}  // namespace langop::localapi
