// Realistic cached-object inputs for the cache benchmarks: the hand-written fixtures in
// tests/fixtures/cache/, serialized compactly (as the API server sends them) and varied per
// copy (name, uid, resourceVersion) so a store holds distinct objects.
#pragma once

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>
#include <boost/json/value.hpp>

#include <cstdio>
#include <fstream>
#include <sstream>
#include <stdexcept>
#include <string>

namespace cache_bench {

inline boost::json::value load_fixture(const std::string& name) {
  std::ifstream in(std::string(LANGOP_SOURCE_DIR) + "/tests/fixtures/cache/" + name);
  if (!in) throw std::runtime_error("missing fixture " + name);
  std::stringstream ss;
  ss << in.rdbuf();
  return boost::json::parse(ss.str());
}

// Compact text of copy `i` of a fixture: distinct name, uid and resourceVersion.
inline std::string variant(const boost::json::value& base, std::size_t i, std::size_t rv = 1) {
  boost::json::value v = base;
  auto& meta = v.at("metadata").as_object();
  const std::string name(meta.at("name").as_string());
  meta["name"] = name + "-" + std::to_string(i);
  char uid[40];
  std::snprintf(uid, sizeof uid, "%08zx-3b7d-4e55-9a0c-%012zx", i * 2654435761u % 0xffffffffu, i * 40503u + rv);
  meta["uid"] = uid;
  meta["resourceVersion"] = std::to_string(48200000 + i * 7 + rv);
  return boost::json::serialize(v);
}

struct kind_fixture {
  const char* kind;
  const char* file;
};
inline constexpr kind_fixture kinds[] = {
    {"LanguageAgent", "language_agent.json"}, {"Deployment", "deployment.json"},
    {"ConfigMap", "configmap.json"},          {"Service", "service.json"},
    {"NetworkPolicy", "networkpolicy.json"},  {"CRD", "crd_languageagent.json"},
};

}  // namespace cache_bench
