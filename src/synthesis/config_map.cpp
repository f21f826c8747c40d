#include "langop/synthesis/config_map.hpp"

#include "langop/resources/agent.hpp"
#include "langop/resources/common.hpp"

#include <boost/json/serialize.hpp>

namespace langop::synthesis {

json::object code_config_map(const json::object& agent, const code_contents& c) {
  const auto owner = resources::owner_of(agent);
  json::object annotations{{instructions_hash_annotation, c.hashes.instructions},
                           {tools_hash_annotation, c.hashes.tools},
                           {models_hash_annotation, c.hashes.models},
                           {persona_hash_annotation, c.hashes.persona},
                           {synthesized_at_annotation, c.synthesized_at}};
  if (!c.info.empty()) annotations[synthesis_info_annotation] = jsonu::dump(c.info);
  json::object data{{code_key, c.code}};
  if (c.persona) data[persona_key] = *c.persona;
  auto cm = resources::typed_object(
      "v1", "ConfigMap",
      resources::child_metadata(owner, resources::agent_code_config_map_name(owner.name), owner.ns, {}, annotations));
  cm["data"] = std::move(data);
  return cm;
}

}  // namespace langop::synthesis
