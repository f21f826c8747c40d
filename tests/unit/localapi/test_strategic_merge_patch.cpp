#include "langop/localapi/patch.hpp"

#include "patch_test_support.hpp"

#include <map>
#include <vector>

using namespace langop;
using namespace langop::localapi;
using langop::test::canon;
using langop::test::dump;
using langop::test::parse_json;

namespace {

// A live Deployment as the server stores it.
constexpr const char* live_deployment = R"({
  "apiVersion": "apps/v1", "kind": "Deployment",
  "metadata": {"name": "web", "labels": {"app": "web", "team": "a"}, "finalizers": ["a", "b"],
    "ownerReferences": [{"apiVersion": "v1", "kind": "ConfigMap", "name": "o1", "uid": "u1"},
                        {"apiVersion": "v1", "kind": "ConfigMap", "name": "o2", "uid": "u2"}]},
  "spec": {"replicas": 2,
    "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": 1, "maxUnavailable": 0}},
    "template": {"metadata": {"labels": {"app": "web"}},
      "spec": {
        "containers": [
          {"name": "app", "image": "app:v1", "args": ["--x", "--y"],
           "env": [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}],
           "ports": [{"containerPort": 8080, "protocol": "TCP"}]},
          {"name": "log", "image": "log:v1"}],
        "volumes": [{"name": "data", "emptyDir": {}}, {"name": "cfg", "configMap": {"name": "cfg"}}],
        "tolerations": [{"key": "k1", "operator": "Exists"}]}}}})";

const schema_hints& deployment_hints() { return builtin_hints("apps", "Deployment"); }

json::value apply_ok(const char* target, const char* patch, const schema_hints& hints = deployment_hints()) {
  auto out = apply_strategic_merge_patch(parse_json(target), parse_json(patch), hints);
  INFO("patch: " << patch);
  INFO((out ? std::string() : out.error().message));
  REQUIRE(out.has_value());
  return *out;
}

std::string at(const json::value& v, std::string_view pointer) {
  boost::system::error_code ec;
  const json::value* found = v.find_pointer(pointer, ec);
  return found ? dump(*found) : "<missing>";
}

class map_hints final : public schema_hints {
 public:
  explicit map_hints(std::map<std::string, list_semantics, std::less<>> table) : table_(std::move(table)) {}
  const list_semantics* list_at(std::string_view path) const override {
    auto it = table_.find(path);
    return it == table_.end() ? nullptr : &it->second;
  }

 private:
  std::map<std::string, list_semantics, std::less<>> table_;
};

struct check {
  const char* pointer;
  const char* expected;  // JSON text, compared with member and list order
};

struct row {
  const char* name;
  const char* patch;
  std::vector<check> checks;
};

void run(const std::vector<row>& rows) {
  for (const auto& r : rows) {
    SECTION(r.name) {
      const json::value out = apply_ok(live_deployment, r.patch);
      for (const auto& c : r.checks) {
        INFO(c.pointer);
        CHECK(at(out, c.pointer) == (c.expected ? canon(c.expected) : "<missing>"));
      }
    }
  }
}

constexpr const char* containers = "/spec/template/spec/containers";

}  // namespace

TEST_CASE("strategic merge: lists merge by their patchMergeKey", "[localapi][patch]") {
  run({
      {"container merged by name, others untouched",
       R"({"spec":{"template":{"spec":{"containers":[{"name":"app","image":"app:v2"}]}}}})",
       {{containers, R"([{"name":"app","image":"app:v2","args":["--x","--y"],
           "env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],
           "ports":[{"containerPort":8080,"protocol":"TCP"}]},
          {"name":"log","image":"log:v1"}])"}}},
      // kube places patch elements missing from the server ahead of the server-only ones
      // (the "kubectl patch" docs show the new container first).
      {"new container goes before the existing ones, as in kube",
       R"({"spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"s:v1"}]}}}})",
       {{"/spec/template/spec/containers/0", R"({"name":"sidecar","image":"s:v1"})"},
        {"/spec/template/spec/containers/1/name", R"("app")"},
        {"/spec/template/spec/containers/2/name", R"("log")"}}},
      {"env merged by name, server-only elements first",
       R"({"spec":{"template":{"spec":{"containers":[{"name":"app","env":[{"name":"B","value":"two"},{"name":"C","value":"3"}]}]}}}})",
       {{"/spec/template/spec/containers/0/env",
         R"([{"name":"A","value":"1"},{"name":"B","value":"two"},{"name":"C","value":"3"}])"}}},
      {"ports merged by containerPort",
       R"({"spec":{"template":{"spec":{"containers":[{"name":"app","ports":[{"containerPort":8080,"name":"http"},{"containerPort":9090}]}]}}}})",
       {{"/spec/template/spec/containers/0/ports",
         R"([{"containerPort":8080,"protocol":"TCP","name":"http"},{"containerPort":9090}])"}}},
      {"merge key values compare as numbers",
       R"({"spec":{"template":{"spec":{"containers":[{"name":"app","ports":[{"containerPort":8080.0,"name":"http"}]}]}}}})",
       {{"/spec/template/spec/containers/0/ports/0/name", R"("http")"},
        {"/spec/template/spec/containers/0/ports/0/protocol", R"("TCP")"},
        {"/spec/template/spec/containers/0/ports/1", nullptr}}},
      {"volumes merged by name",
       R"({"spec":{"template":{"spec":{"volumes":[{"name":"cfg","configMap":{"name":"cfg2"}}]}}}})",
       {{"/spec/template/spec/volumes",
         R"([{"name":"data","emptyDir":{}},{"name":"cfg","configMap":{"name":"cfg2"}}])"}}},
      {"ownerReferences merged by uid",
       R"({"metadata":{"ownerReferences":[{"uid":"u2","controller":true}]}})",
       {{"/metadata/ownerReferences",
         R"([{"apiVersion":"v1","kind":"ConfigMap","name":"o1","uid":"u1"},
             {"apiVersion":"v1","kind":"ConfigMap","name":"o2","uid":"u2","controller":true}])"}}},
      {"finalizers are a set: union without duplicates",
       R"({"metadata":{"finalizers":["b","c","c"]}})", {{"/metadata/finalizers", R"(["a","b","c"])"}}},
      {"finalizer not on the server goes first, as in kube", R"({"metadata":{"finalizers":["c"]}})",
       {{"/metadata/finalizers", R"(["c","a","b"])"}}},
      {"unknown lists are replaced",
       R"({"spec":{"template":{"spec":{"tolerations":[{"key":"k2","operator":"Exists"}],
           "containers":[{"name":"app","args":["--z"]}]}}}})",
       {{"/spec/template/spec/tolerations", R"([{"key":"k2","operator":"Exists"}])"},
        {"/spec/template/spec/containers/0/args", R"(["--z"])"}}},
      {"a replaced list drops nulls inside its maps",
       R"({"spec":{"template":{"spec":{"tolerations":[{"key":"k2","value":null}]}}}})",
       {{"/spec/template/spec/tolerations", R"([{"key":"k2"}])"}}},
      {"a list in a new element merges against nothing",
       R"({"spec":{"template":{"spec":{"containers":[{"name":"new","env":[{"name":"X","value":"1"},{"name":"gone","$patch":"delete"}]}]}}}})",
       {{"/spec/template/spec/containers/0", R"({"name":"new","env":[{"name":"X","value":"1"}]})"}}},
  });
}

TEST_CASE("strategic merge: maps, nulls and type changes", "[localapi][patch]") {
  run({
      {"null deletes a map key",
       R"({"metadata":{"labels":{"team":null,"tier":"fe"}},"spec":{"replicas":null}})",
       {{"/metadata/labels", R"({"app":"web","tier":"fe"})"}, {"/spec/replicas", nullptr}}},
      {"null for an absent key is dropped", R"({"spec":{"paused":null,"minReadySeconds":{"x":null}}})",
       {{"/spec/paused", nullptr}, {"/spec/minReadySeconds", "{}"}}},
      {"a different type replaces", R"({"spec":{"strategy":"Recreate","replicas":{"n":3}}})",
       {{"/spec/strategy", R"("Recreate")"}, {"/spec/replicas", R"({"n":3})"}}},
      {"a list replaces a scalar and the reverse",
       R"({"spec":{"replicas":[1],"template":{"spec":{"volumes":"none"}}}})",
       {{"/spec/replicas", "[1]"}, {"/spec/template/spec/volumes", R"("none")"}}},
      {"scalars replace", R"({"spec":{"replicas":5}})", {{"/spec/replicas", "5"}}},
      {"unknown $ keys are ordinary fields", R"({"spec":{"$other":1}})", {{"/spec/$other", "1"}}},
  });
}

TEST_CASE("strategic merge: $patch directives", "[localapi][patch]") {
  run({
      {"delete a list element by merge key",
       R"({"spec":{"template":{"spec":{"containers":[{"name":"log","$patch":"delete"}]}}}})",
       {{"/spec/template/spec/containers/1", nullptr}, {"/spec/template/spec/containers/0/name", R"("app")"}}},
      {"delete an env entry, other fields of the element are ignored",
       R"({"spec":{"template":{"spec":{"containers":[{"name":"app","env":[{"name":"A","value":"x","$patch":"delete"}]}]}}}})",
       {{"/spec/template/spec/containers/0/env", R"([{"name":"B","value":"2"}])"}}},
      {"delete of an absent element is a no-op",
       R"({"spec":{"template":{"spec":{"containers":[{"name":"nope","$patch":"delete"}]}}}})",
       {{"/spec/template/spec/containers/1/name", R"("log")"}}},
      {"delete an ownerReference by uid", R"({"metadata":{"ownerReferences":[{"uid":"u1","$patch":"delete"}]}})",
       {{"/metadata/ownerReferences", R"([{"apiVersion":"v1","kind":"ConfigMap","name":"o2","uid":"u2"}])"}}},
      {"replace a merging list",
       R"({"spec":{"template":{"spec":{"containers":[{"name":"only","image":"o"},{"$patch":"replace"},{"name":"log","$patch":"delete"}]}}}})",
       {{containers, R"([{"name":"only","image":"o"}])"}}},
      {"replace a map", R"({"spec":{"strategy":{"$patch":"replace","type":"Recreate"}}})",
       {{"/spec/strategy", R"({"type":"Recreate"})"}}},
      {"replace applies nested directives against nothing",
       R"({"spec":{"strategy":{"$patch":"replace","type":"Recreate","extra":{"a":null,"b":1}}}})",
       {{"/spec/strategy", R"({"type":"Recreate","extra":{"b":1}})"}}},
      {"delete a map leaves it empty", R"({"spec":{"strategy":{"$patch":"delete"}}})", {{"/spec/strategy", "{}"}}},
      {"replace at the root", R"({"$patch":"replace","kind":"X"})", {{"", R"({"kind":"X"})"}}},
      {"delete at the root", R"({"$patch":"delete"})", {{"", "{}"}}},
  });
}

TEST_CASE("strategic merge: $retainKeys, $deleteFromPrimitiveList, $setElementOrder", "[localapi][patch]") {
  run({
      {"$retainKeys clears unlisted fields (Deployment strategy)",
       R"({"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"}}})",
       {{"/spec/strategy", R"({"type":"Recreate"})"}}},
      {"$retainKeys inside a volume swaps the volume source",
       R"({"spec":{"template":{"spec":{"volumes":[{"name":"data","$retainKeys":["name","secret"],"secret":{"secretName":"s"}}]}}}})",
       {{"/spec/template/spec/volumes/0", R"({"name":"data","secret":{"secretName":"s"}})"}}},
      {"$retainKeys allows nulls for unlisted fields",
       R"({"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate","rollingUpdate":null}}})",
       {{"/spec/strategy", R"({"type":"Recreate"})"}}},
      {"$deleteFromPrimitiveList removes from a set", R"({"metadata":{"$deleteFromPrimitiveList/finalizers":["a","zz"]}})",
       {{"/metadata/finalizers", R"(["b"])"}}},
      {"$deleteFromPrimitiveList on an absent list is a no-op",
       R"({"spec":{"template":{"metadata":{"$deleteFromPrimitiveList/finalizers":["a"]}}}})",
       {{"/spec/template/metadata", R"({"labels":{"app":"web"}})"}}},
      {"delete and add in one patch keeps the added value",
       R"({"metadata":{"$deleteFromPrimitiveList/finalizers":["a"],"finalizers":["a","c"]}})",
       {{"/metadata/finalizers", R"(["a","c","b"])"}}},
      {"$setElementOrder reorders without content changes",
       R"({"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"log"},{"name":"app"}]}}}})",
       {{"/spec/template/spec/containers/0/name", R"("log")"}, {"/spec/template/spec/containers/1/name", R"("app")"}}},
      {"$setElementOrder puts a new element where the order says",
       R"({"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"app"},{"name":"mid"},{"name":"log"}],
           "containers":[{"name":"mid","image":"m"}]}}}})",
       {{"/spec/template/spec/containers/0/name", R"("app")"},
        {"/spec/template/spec/containers/1", R"({"name":"mid","image":"m"})"},
        {"/spec/template/spec/containers/2/name", R"("log")"}}},
      {"elements missing from $setElementOrder keep their place ahead",
       R"({"spec":{"template":{"spec":{"$setElementOrder/volumes":[{"name":"cfg"},{"name":"new"}],
           "volumes":[{"name":"new","emptyDir":{}}]}}}})",
       {{"/spec/template/spec/volumes",
         R"([{"name":"data","emptyDir":{}},{"name":"cfg","configMap":{"name":"cfg"}},{"name":"new","emptyDir":{}}])"}}},
      {"$setElementOrder for primitives",
       R"({"metadata":{"$setElementOrder/finalizers":["b","c","a"],"finalizers":["c"]}})",
       {{"/metadata/finalizers", R"(["b","c","a"])"}}},
      {"$setElementOrder with deletions, as kubectl apply sends it",
       R"({"metadata":{"$setElementOrder/finalizers":["b","c"],"$deleteFromPrimitiveList/finalizers":["a"],"finalizers":["c"]}})",
       {{"/metadata/finalizers", R"(["b","c"])"}}},
      {"$setElementOrder may name elements that do not exist",
       R"({"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"ghost"},{"name":"log"},{"name":"app"}]}}}})",
       {{"/spec/template/spec/containers/0/name", R"("log")"}, {"/spec/template/spec/containers/2", nullptr}}},
      {"$setElementOrder on a replaced list is ignored",
       R"({"spec":{"template":{"spec":{"$setElementOrder/tolerations":[{"key":"b"},{"key":"a"}],"tolerations":[{"key":"a"},{"key":"b"}]}}}})",
       {{"/spec/template/spec/tolerations", R"([{"key":"a"},{"key":"b"}])"}}},
      {"$setElementOrder for a list added by the patch",
       R"({"spec":{"template":{"spec":{"$setElementOrder/imagePullSecrets":[{"name":"b"},{"name":"a"}],
           "imagePullSecrets":[{"name":"b"},{"name":"a"},{"name":"c","$patch":"delete"}]}}}})",
       {{"/spec/template/spec/imagePullSecrets", R"([{"name":"b"},{"name":"a"}])"}}},
      {"$setElementOrder and a null list: the list is deleted",
       R"({"spec":{"template":{"spec":{"$setElementOrder/volumes":[],"volumes":null}}}})",
       {{"/spec/template/spec/volumes", nullptr}}},
  });
}

TEST_CASE("strategic merge: a kubectl apply three-way patch on a Deployment", "[localapi][patch]") {
  // Live object: server defaults, an annotation from "kubectl rollout restart" and an env
  // var X that another writer injected. The patch is what kubectl apply computes from the
  // last-applied configuration (labels app+team, replicas 2, app:v1 with env A,B and port
  // 8080) and the new one (label team dropped, replicas unset, Recreate strategy, app:v2
  // with env A,C and ports 8080,9090, plus a sidecar).
  const char* live = R"({"apiVersion":"apps/v1","kind":"Deployment",
    "metadata":{"name":"web","namespace":"default","uid":"d-1","resourceVersion":"42","generation":3,
      "annotations":{"deployment.kubernetes.io/revision":"3","kubectl.kubernetes.io/last-applied-configuration":"{old}"},
      "labels":{"app":"web","team":"a"}},
    "spec":{"replicas":2,"revisionHistoryLimit":10,"selector":{"matchLabels":{"app":"web"}},
      "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},
      "template":{"metadata":{"labels":{"app":"web"},"annotations":{"kubectl.kubernetes.io/restartedAt":"2024-01-01T00:00:00Z"}},
        "spec":{"containers":[{"name":"app","image":"app:v1","imagePullPolicy":"IfNotPresent",
            "env":[{"name":"A","value":"1"},{"name":"B","value":"2"},{"name":"X","value":"injected"}],
            "ports":[{"containerPort":8080,"protocol":"TCP"}],
            "resources":{},"terminationMessagePath":"/dev/termination-log"}],
          "restartPolicy":"Always","dnsPolicy":"ClusterFirst"}}},
    "status":{"replicas":2}})";
  const char* patch = R"({
    "metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{new}"},"labels":{"team":null}},
    "spec":{"replicas":null,
      "strategy":{"$retainKeys":["type"],"type":"Recreate"},
      "template":{"spec":{
        "$setElementOrder/containers":[{"name":"app"},{"name":"sidecar"}],
        "containers":[
          {"$setElementOrder/env":[{"name":"A"},{"name":"C"}],
           "$setElementOrder/ports":[{"containerPort":8080},{"containerPort":9090}],
           "env":[{"name":"C","value":"3"},{"$patch":"delete","name":"B"}],
           "image":"app:v2","name":"app",
           "ports":[{"containerPort":9090,"protocol":"TCP"}]},
          {"image":"s:v1","name":"sidecar"}]}}}})";
  const json::value out = apply_ok(live, patch);
  // X sits between A and C: in kube the deletion of B leaves X's old slot to the appended C
  // in the server order that $setElementOrder interleaves against.
  CHECK(out == parse_json(R"({"apiVersion":"apps/v1","kind":"Deployment",
    "metadata":{"name":"web","namespace":"default","uid":"d-1","resourceVersion":"42","generation":3,
      "annotations":{"deployment.kubernetes.io/revision":"3","kubectl.kubernetes.io/last-applied-configuration":"{new}"},
      "labels":{"app":"web"}},
    "spec":{"revisionHistoryLimit":10,"selector":{"matchLabels":{"app":"web"}},
      "strategy":{"type":"Recreate"},
      "template":{"metadata":{"labels":{"app":"web"},"annotations":{"kubectl.kubernetes.io/restartedAt":"2024-01-01T00:00:00Z"}},
        "spec":{"containers":[{"name":"app","image":"app:v2","imagePullPolicy":"IfNotPresent",
            "env":[{"name":"A","value":"1"},{"name":"X","value":"injected"},{"name":"C","value":"3"}],
            "ports":[{"containerPort":8080,"protocol":"TCP"},{"containerPort":9090,"protocol":"TCP"}],
            "resources":{},"terminationMessagePath":"/dev/termination-log"},
           {"image":"s:v1","name":"sidecar"}],
          "restartPolicy":"Always","dnsPolicy":"ClusterFirst"}}},
    "status":{"replicas":2}})"));
  // No directive survives into the stored object.
  CHECK(dump(out).find('$') == std::string::npos);
}

TEST_CASE("strategic merge: hints decide merge vs replace per path", "[localapi][patch]") {
  const map_hints hints({
      {"items", list_semantics{list_semantics::kind::map, {"id", "zone"}, true}},
      {"items[].tags", list_semantics{list_semantics::kind::set, {}, true}},
      {"atomic", list_semantics{list_semantics::kind::map, {"id"}, false}},
  });
  const char* target = R"({"items":[{"id":1,"zone":"a","tags":["x"]},{"id":2,"zone":"b"}],"atomic":[{"id":1,"v":1}]})";
  SECTION("merge by the first key only, nested set union") {
    const json::value out =
        apply_ok(target, R"({"items":[{"id":1,"zone":"z","tags":["y","x"]}],"atomic":[{"id":1,"w":2}]})", hints);
    // Elements named by the patch take the patch's order: "y" before "x".
    CHECK(at(out, "/items") == canon(R"([{"id":1,"zone":"z","tags":["y","x"]},{"id":2,"zone":"b"}])"));
    CHECK(at(out, "/atomic") == canon(R"([{"id":1,"w":2}])"));
  }
  SECTION("builtin hints of unknown kinds still cover metadata") {
    const json::value out = apply_ok(R"({"metadata":{"finalizers":["a"]},"spec":{"list":[1,2]}})",
                                     R"({"metadata":{"finalizers":["b"]},"spec":{"list":[3]}})",
                                     builtin_hints("example.com", "Widget"));
    CHECK(at(out, "/metadata/finalizers") == canon(R"(["b","a"])"));
    CHECK(at(out, "/spec/list") == "[3]");
  }
  SECTION("a null target is an empty object") {
    auto out = apply_strategic_merge_patch(json::value(), parse_json(R"({"a":{"b":1}})"), hints);
    REQUIRE(out.has_value());
    CHECK(dump(*out) == R"({"a":{"b":1}})");
  }
}

TEST_CASE("strategic merge: malformed patches are 400, unmergeable lists 422", "[localapi][patch]") {
  struct bad {
    const char* name;
    const char* target;
    const char* patch;
    int status;
    const char* needle;
  };
  const char* dep = live_deployment;
  const std::vector<bad> rows = {
      {"patch is a list", dep, "[]", 400, "must be a JSON object"},
      {"patch is null", dep, "null", 400, "must be a JSON object"},
      {"target is a list", "[1]", "{}", 400, "patched document must be a JSON object"},
      {"$patch merge in a map", dep, R"({"spec":{"$patch":"merge"}})", 400, "unknown patch type \"merge\""},
      {"unknown $patch in a map", dep, R"({"spec":{"$patch":"bogus"}})", 400, "unknown patch type \"bogus\""},
      {"non-string $patch", dep, R"({"spec":{"$patch":5}})", 400, "unknown patch type 5"},
      {"$patch merge in a list", dep,
       R"({"spec":{"template":{"spec":{"containers":[{"$patch":"merge"}]}}}})", 400,
       "merging lists cannot yet be specified"},
      {"unknown $patch in a list", dep,
       R"({"spec":{"template":{"spec":{"containers":[{"name":"app","$patch":"nope"}]}}}})", 400,
       "unknown patch type \"nope\" in the list at \"spec.template.spec.containers\""},
      {"element without merge key", dep, R"({"spec":{"template":{"spec":{"containers":[{"image":"x"}]}}}})", 400,
       "does not contain the merge key \"name\""},
      {"delete without merge key", dep,
       R"({"spec":{"template":{"spec":{"containers":[{"$patch":"delete"}]}}}})", 400, "merge key \"name\""},
      {"replace with an element lacking the key", dep,
       R"({"spec":{"template":{"spec":{"containers":[{"image":"x"},{"$patch":"replace"}]}}}})", 400, "merge key"},
      {"mixed element types", dep,
       R"({"spec":{"template":{"spec":{"containers":[{"name":"x"},"y"]}}}})", 400, "types are not identical"},
      {"primitives in a keyed list", dep, R"({"metadata":{"ownerReferences":["u1"]}})", 400,
       "types are not identical"},
      {"objects in a set", R"({"metadata":{}})", R"({"metadata":{"finalizers":[{"a":1}]}})", 400,
       "cannot merge lists without merge key for \"metadata.finalizers\""},
      {"primitives where maps merge", R"({"metadata":{}})", R"({"metadata":{"ownerReferences":["u1"]}})", 400,
       "merges by key but holds primitives"},
      {"list of lists", dep, R"({"metadata":{"finalizers":[["x"]]}})", 422, "lists of lists"},
      {"$retainKeys not a list", dep, R"({"spec":{"strategy":{"$retainKeys":"type"}}})", 400,
       "invalid patch format of $retainKeys"},
      {"$retainKeys missing a patched field", dep,
       R"({"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate","rollingUpdate":{"maxSurge":2}}}})", 400,
       "the patch sets \"rollingUpdate\""},
      {"$setElementOrder not a list", dep, R"({"metadata":{"$setElementOrder/finalizers":"a"}})", 400,
       "\"$setElementOrder/finalizers\" must be a list"},
      {"$setElementOrder without a field", dep, R"({"metadata":{"$setElementOrder":["a"]}})", 400,
       "invalid directive key \"$setElementOrder\""},
      {"$setElementOrder disagreeing with the patch order", dep,
       R"({"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"log"},{"name":"app"}],
           "containers":[{"name":"app","image":"a"},{"name":"log","image":"l"}]}}}})", 400,
       "does not match its $setElementOrder list"},
      {"$setElementOrder missing a patched element", dep,
       R"({"metadata":{"$setElementOrder/finalizers":["a"],"finalizers":["z"]}})", 400, "does not match"},
      {"$setElementOrder entry without merge key", dep,
       R"({"spec":{"template":{"spec":{"$setElementOrder/containers":[{"image":"x"}]}}}})", 400, "merge key"},
      {"$deleteFromPrimitiveList not a list", dep, R"({"metadata":{"$deleteFromPrimitiveList/finalizers":"a"}})",
       400, "must be a list of primitives"},
      {"$deleteFromPrimitiveList without a field", dep, R"({"metadata":{"$deleteFromPrimitiveListX":["a"]}})", 400,
       "invalid directive key"},
  };
  for (const auto& r : rows) {
    SECTION(r.name) {
      auto out = apply_strategic_merge_patch(parse_json(r.target), parse_json(r.patch), deployment_hints());
      REQUIRE_FALSE(out.has_value());
      INFO(out.error().message);
      CHECK(out.error().http_status == r.status);
      CHECK(out.error().reason == (r.status == 400 ? "BadRequest" : "Invalid"));
      CHECK(out.error().message.find(r.needle) != std::string::npos);
    }
  }
}

TEST_CASE("patch functions never throw, whatever the JSON", "[localapi][patch]") {
  const std::vector<const char*> values = {
      "null", "1", "-1.5", "\"s\"", "true", "[]", "{}", "[null]", "[[]]", "[{}]", "[1,\"a\"]",
      R"({"$patch":null})", R"({"$patch":"delete"})", R"({"$patch":"replace","a":[{"$patch":"delete"}]})",
      R"({"$retainKeys":{}})", R"({"$retainKeys":[1,null]})", R"({"$setElementOrder/x":1})",
      R"({"$setElementOrder/x":[{"$patch":"delete"}],"x":[{"$patch":"delete","name":1}]})",
      R"({"$deleteFromPrimitiveList/x":[{}]})", R"([{"name":null},{"name":{"a":1}},{"name":[1]}])",
      R"([{"op":"move","from":"","path":"/a"}])", R"([{"op":"copy","from":"","path":"/-"}])",
      R"([{"op":"add","path":"/0/-","value":1}])", R"([{"op":"remove","path":"/-/-"}])"};
  const auto& hints = deployment_hints();
  std::size_t ok = 0;
  for (const char* t : values) {
    for (const char* p : values) {
      const json::value target = parse_json(t), patch = parse_json(p);
      // The same garbage at the root and at merging/replacing list paths of a Deployment.
      json::value wrapped_target = json::object(), wrapped_patch = json::object();
      json::object& tspec = jsonu::ensure_object(wrapped_target.get_object(), {"spec", "template", "spec"});
      json::object& pspec = jsonu::ensure_object(wrapped_patch.get_object(), {"spec", "template", "spec"});
      tspec["containers"] = target;
      tspec["tolerations"] = target;
      pspec["containers"] = patch;
      pspec["tolerations"] = patch;
      pspec["$setElementOrder/containers"] = patch;
      INFO("target " << t << " patch " << p);
      REQUIRE_NOTHROW(ok += apply_merge_patch(target, patch).has_value());
      REQUIRE_NOTHROW(ok += apply_json_patch(target, patch).has_value());
      REQUIRE_NOTHROW(ok += apply_strategic_merge_patch(target, patch, hints).has_value());
      REQUIRE_NOTHROW(ok += apply_strategic_merge_patch(wrapped_target, wrapped_patch, hints).has_value());
    }
  }
  CHECK(ok > 0);
}

TEST_CASE("strategic merge rejects absurd nesting", "[localapi][patch]") {
  json::value patch = json::object();
  json::value* cur = &patch;
  for (int i = 0; i < 1000; ++i) cur = &(cur->get_object()["a"] = json::object());
  auto out = apply_strategic_merge_patch(json::object(), patch, deployment_hints());
  REQUIRE_FALSE(out.has_value());
  CHECK(out.error().http_status == 400);
}
