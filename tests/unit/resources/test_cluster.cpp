#include "yaml_fixture.hpp"
#include "langop/resources/cluster.hpp"

#include <boost/json/serialize.hpp>
#include <catch2/catch.hpp>

using namespace langop;
using namespace langop::resources;
using langop::test::from_yaml;

namespace {

json::object cluster() {
  return from_yaml(R"(
apiVersion: langop.io/v1alpha1
kind: LanguageCluster
metadata: {name: team-a, uid: c-1}
spec:
  namespace: tenant-a
  labels: {team: research, app.kubernetes.io/managed-by: someone-else}
  resourceQuotas: {requests.cpu: "20", pods: 100, requests.memory: 40Gi}
  limits:
    defaultRequest: {cpu: 100m}
    default: {cpu: "1", memory: 1Gi}
)");
}

}  // namespace

TEST_CASE("cluster namespace name defaults to metadata.name", "[resources]") {
  CHECK(cluster_namespace_name(cluster()) == "tenant-a");
  CHECK(cluster_namespace_name(from_yaml("metadata: {name: team-b}")) == "team-b");
  CHECK(cluster_namespace_name(from_yaml("metadata: {name: team-b}\nspec: {namespace: ''}")) == "team-b");
}

TEST_CASE("cluster namespace labels, annotation and owner", "[resources]") {
  const auto ns = cluster_namespace(cluster());
  CHECK(ns.at("apiVersion") == "v1");
  CHECK(ns.at("kind") == "Namespace");
  const auto& meta = ns.at("metadata").as_object();
  CHECK(meta.at("name") == "tenant-a");
  CHECK_FALSE(meta.contains("namespace"));
  CHECK(meta.at("labels").at("langop.io/cluster") == "team-a");
  CHECK(meta.at("labels").at("team") == "research");
  CHECK(meta.at("labels").at("app.kubernetes.io/managed-by") == "langop");  // langop's labels win
  CHECK(meta.at("annotations").at(namespace_created_by_annotation) == "team-a");
  CHECK(meta.at("ownerReferences").at(0).at("kind") == "LanguageCluster");
  CHECK(meta.at("ownerReferences").at(0).at("uid") == "c-1");

  // An adopted namespace: labelled, but never marked as created nor owned.
  const auto adopted = cluster_namespace(cluster(), false);
  CHECK(adopted.at("metadata").at("labels").at("langop.io/cluster") == "team-a");
  CHECK_FALSE(adopted.at("metadata").as_object().contains("annotations"));
  CHECK_FALSE(adopted.at("metadata").as_object().contains("ownerReferences"));
}

TEST_CASE("cluster quota and limit range", "[resources]") {
  const auto q = cluster_resource_quota(cluster());
  REQUIRE(q);
  CHECK(q->at("kind") == "ResourceQuota");
  CHECK(q->at("metadata").at("name") == "team-a-quota");
  CHECK(q->at("metadata").at("namespace") == "tenant-a");
  CHECK(q->at("metadata").at("ownerReferences").at(0).at("name") == "team-a");
  CHECK(q->at("spec").at("hard") ==
        json::object{{"requests.cpu", "20"}, {"pods", "100"}, {"requests.memory", "40Gi"}});

  const auto l = cluster_limit_range(cluster());
  REQUIRE(l);
  CHECK(l->at("metadata").at("name") == "team-a-limits");
  CHECK(l->at("metadata").at("namespace") == "tenant-a");
  const auto& limit = l->at("spec").at("limits").at(0);
  CHECK(limit.at("type") == "Container");
  CHECK(limit.at("default") == json::object{{"cpu", "1"}, {"memory", "1Gi"}});
  CHECK(limit.at("defaultRequest") == json::object{{"cpu", "100m"}});
}

TEST_CASE("cluster omits empty quota and limits", "[resources]") {
  const auto bare = from_yaml("kind: LanguageCluster\nmetadata: {name: b}\nspec: {resourceQuotas: {}, limits: {default: {}}}");
  CHECK_FALSE(cluster_resource_quota(bare));
  CHECK_FALSE(cluster_limit_range(bare));
  const auto children = cluster_children(bare);
  REQUIRE(children.size() == 1);
  CHECK(children[0].at("kind") == "Namespace");

  const auto only_request = from_yaml("metadata: {name: b}\nspec: {limits: {defaultRequest: {memory: 64Mi}}}");
  const auto l = cluster_limit_range(only_request);
  REQUIRE(l);
  CHECK_FALSE(l->at("spec").at("limits").at(0).as_object().contains("default"));
}

TEST_CASE("cluster output is deterministic and survives odd input", "[resources]") {
  const auto a = cluster_children(cluster());
  const auto b = cluster_children(cluster());
  REQUIRE(a.size() == 3);
  for (std::size_t i = 0; i < a.size(); ++i) CHECK(json::serialize(a[i]) == json::serialize(b[i]));

  const json::object empty;
  CHECK_NOTHROW(cluster_children(empty));
  const auto odd = from_yaml("metadata: {name: o}\nspec: {labels: {a: 1}, resourceQuotas: {x: [1], y: null}, limits: 5}");
  std::vector<json::object> children;
  CHECK_NOTHROW(children = cluster_children(odd));
  CHECK(children.size() == 1);
  CHECK_FALSE(children[0].at("metadata").at("labels").as_object().contains("a"));
}
