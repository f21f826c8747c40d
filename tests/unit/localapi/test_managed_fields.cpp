#include "langop/localapi/managed_fields.hpp"
#include "langop/localapi/schema.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <functional>
#include <optional>
#include <random>
#include <sstream>

using namespace langop;
using namespace langop::localapi;

namespace {

json::value j(std::string_view text) {
  auto v = jsonu::parse(text);
  REQUIRE(v);
  return *v;
}
json::object obj(std::string_view text) { return j(text).as_object(); }

json::value fixture(const std::string& name) {
  std::ifstream in(std::string(LANGOP_SOURCE_DIR) + "/tests/fixtures/localapi/ssa/" + name);
  REQUIRE(in);
  std::stringstream ss;
  ss << in.rdbuf();
  return j(ss.str());
}

sys_time at(int s) { return sys_time{} + std::chrono::seconds(1'700'000'000 + s); }

const schema_hints& deploy_hints() { return builtin_hints("apps", "Deployment"); }

struct applier {
  std::string manager;
  bool force = false;
  bool status = false;
  const schema_hints* hints = &deploy_hints();
};

std::variant<json::object, api_error> try_apply(const json::object* live, const json::object& config, const applier& a,
                                                int t = 0) {
  apply_request r;
  r.live = live;
  r.config = &config;
  r.manager = a.manager;
  r.force = a.force;
  r.status_subresource = a.status;
  r.hints = a.hints;
  r.now = at(t);
  return apply(r);
}

json::object apply_ok(const json::object* live, std::string_view config, const applier& a, int t = 0) {
  auto cfg = obj(config);
  auto out = try_apply(live, cfg, a, t);
  if (auto* e = std::get_if<api_error>(&out)) FAIL("apply failed: " << e->code << " " << e->message);
  return std::get<json::object>(out);
}

api_error apply_err(const json::object* live, std::string_view config, const applier& a) {
  auto cfg = obj(config);
  auto out = try_apply(live, cfg, a);
  REQUIRE(std::holds_alternative<api_error>(out));
  return std::get<api_error>(out);
}

// The managedFields entry of `manager` with `operation` (null when absent).
const json::object* entry(const json::object& o, std::string_view manager, std::string_view operation = "Apply") {
  const auto* mf = jsonu::find(o, {"metadata", "managedFields"});
  if (!mf || !mf->is_array()) return nullptr;
  for (const auto& e : mf->get_array())
    if (jsonu::get_string(e, {"manager"}) == manager && jsonu::get_string(e, {"operation"}) == operation)
      return &e.get_object();
  return nullptr;
}

json::value fields(const json::object& o, std::string_view manager, std::string_view operation = "Apply") {
  const auto* e = entry(o, manager, operation);
  REQUIRE(e);
  return e->at("fieldsV1");
}

std::vector<std::string> managers(const json::object& o) {
  std::vector<std::string> out;
  if (const auto* mf = jsonu::find(o, {"metadata", "managedFields"}))
    for (const auto& e : mf->as_array())
      out.push_back(std::string(jsonu::get_string(e, {"manager"})) + "/" +
                    std::string(jsonu::get_string(e, {"operation"})));
  return out;
}

json::object without_managed_fields(json::object o) {
  if (auto* meta = o["metadata"].if_object()) meta->erase("managedFields");
  return o;
}

constexpr std::string_view deployment = R"({"apiVersion":"apps/v1","kind":"Deployment",
  "metadata":{"name":"web","namespace":"default","labels":{"app":"web"}},
  "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},
    "template":{"metadata":{"labels":{"app":"web"}},
      "spec":{"containers":[{"name":"nginx","image":"nginx:1.25","ports":[{"containerPort":80,"protocol":"TCP"}]}]}}}})";

}  // namespace

TEST_CASE("ssa: create by apply writes the object and one Apply entry", "[ssa]") {
  auto live = apply_ok(nullptr, deployment, {"kubectl"}, 5);
  CHECK(without_managed_fields(live) == obj(deployment));
  CHECK(live.at("metadata").at("managedFields") == fixture("create_by_apply.json"));
}

TEST_CASE("ssa: fieldsV1 format", "[ssa]") {
  auto live = apply_ok(nullptr, R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c",
      "finalizers":["a.io/x","b.io/y"],"ownerReferences":[{"uid":"u1","name":"o","kind":"K","apiVersion":"v1"}]},
      "data":{"k":"v"},"binaryData":{},"list":[1,2]})",
                       {"m", false, false, &builtin_hints("", "ConfigMap")});
  CHECK(fields(live, "m") == j(R"({
    "f:binaryData":{},
    "f:data":{"f:k":{}},
    "f:list":{},
    "f:metadata":{"f:finalizers":{"v:\"a.io/x\"":{},"v:\"b.io/y\"":{}},
                  "f:ownerReferences":{"k:{\"uid\":\"u1\"}":{".":{},"f:apiVersion":{},"f:kind":{},"f:name":{},"f:uid":{}}}}})"));
}

TEST_CASE("ssa: re-applying without a field removes it", "[ssa]") {
  auto v1 = apply_ok(nullptr, R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
                                 "spec":{"replicas":3,"paused":true,"strategy":{"type":"Recreate"}}})",
                     {"kubectl"}, 1);
  auto v2 = apply_ok(&v1, R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
                             "spec":{"replicas":3}})",
                     {"kubectl"}, 2);
  CHECK(v2.at("spec") == j(R"({"replicas":3})"));
  CHECK(fields(v2, "kubectl") == j(R"({"f:spec":{"f:replicas":{}}})"));
  CHECK(entry(v2, "kubectl")->at("time") == "2023-11-14T22:13:22Z");

  SECTION("an identical re-apply changes nothing, not even the time") {
    auto v3 = apply_ok(&v2, R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
                               "spec":{"replicas":3}})",
                       {"kubectl"}, 9);
    CHECK(v3 == v2);
  }
  SECTION("dropping everything removes the emptied parents too") {
    auto v3 = apply_ok(&v2, R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"}})", {"kubectl"}, 3);
    CHECK_FALSE(v3.contains("spec"));
    CHECK(managers(v3).empty());
    CHECK(v3.at("metadata") == j(R"({"name":"web"})"));
  }
}

TEST_CASE("ssa: two managers share a field until both let go", "[ssa]") {
  std::string_view cfg = R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":3}})";
  std::string_view empty = R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"}})";
  auto a = apply_ok(nullptr, cfg, {"alice"});
  auto b = apply_ok(&a, cfg, {"bob"});  // same value: no conflict, shared ownership
  CHECK(fields(b, "alice") == j(R"({"f:spec":{"f:replicas":{}}})"));
  CHECK(fields(b, "bob") == j(R"({"f:spec":{"f:replicas":{}}})"));
  CHECK_FALSE(entry(b, "bob")->contains("time"));  // the object did not change
  auto c = apply_ok(&b, empty, {"alice"});
  CHECK(c.at("spec").at("replicas") == 3);  // bob still owns it
  CHECK(managers(c) == std::vector<std::string>{"bob/Apply"});
  auto d = apply_ok(&c, empty, {"bob"});
  CHECK_FALSE(d.contains("spec"));
}

TEST_CASE("ssa: conflicts and force", "[ssa]") {
  auto a = apply_ok(nullptr, deployment, {"alice"});
  std::string_view change = R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":5}})";
  SECTION("a different value for another applier's field is a conflict") {
    auto e = apply_err(&a, change, {"bob"});
    CHECK(e.code == 409);
    CHECK(e.reason == "Conflict");
    CHECK(e.message == "Apply failed with 1 conflict: conflict with \"alice\": .spec.replicas");
    REQUIRE(e.causes.size() == 1);
    CHECK(e.causes[0].type == "FieldManagerConflict");
    CHECK(e.causes[0].message == "conflict with \"alice\"");
    CHECK(e.causes[0].field == ".spec.replicas");
    auto status = to_status(e);
    CHECK(status.at("code") == 409);
  }
  SECTION("force moves ownership") {
    auto b = apply_ok(&a, change, {"bob", true}, 7);
    CHECK(b.at("spec").at("replicas") == 5);
    CHECK(fields(b, "bob") == j(R"({"f:spec":{"f:replicas":{}}})"));
    CHECK_FALSE(fields(b, "alice").at("f:spec").as_object().contains("f:replicas"));
    SECTION("and the previous owner now conflicts") {
      auto e = apply_err(&b, deployment, {"alice"});
      CHECK(e.message == "Apply failed with 1 conflict: conflict with \"bob\": .spec.replicas");
    }
  }
  SECTION("several conflicts, grouped by manager") {
    auto e = apply_err(&a, R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":{"app":"x"}},
        "spec":{"replicas":1,"template":{"spec":{"containers":[{"name":"nginx","image":"nginx:2"}]}}}})",
                       {"bob"});
    CHECK(e.message ==
          "Apply failed with 3 conflicts: conflicts with \"alice\":\n- .metadata.labels.app\n- .spec.replicas\n"
          "- .spec.template.spec.containers[name=\"nginx\"].image");
    REQUIRE(e.causes.size() == 3);
    CHECK(e.causes[2].field == ".spec.template.spec.containers[name=\"nginx\"].image");
  }
  SECTION("conflict with an Update manager names its apiVersion") {
    auto edited = a;
    edited["spec"].as_object()["replicas"] = 4;
    record_update(&a, edited, "kubectl-client-side-apply", deploy_hints(), false, at(3));
    auto e = apply_err(&edited, change, {"kubectl"});
    CHECK(e.message ==
          "Apply failed with 1 conflict: conflict with \"kubectl-client-side-apply\" using apps/v1: .spec.replicas");
  }
}

TEST_CASE("ssa: map lists merge by key, sets by value, atomic lists are replaced", "[ssa]") {
  auto a = apply_ok(nullptr, R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","finalizers":["a"]},
      "spec":{"template":{"spec":{"containers":[{"name":"app","image":"app:1","args":["x","y"]},
                                                 {"name":"sidecar","image":"side:1"}]}}}})",
                    {"alice"});
  auto b = apply_ok(&a, R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","finalizers":["b"]},
      "spec":{"template":{"spec":{"containers":[{"name":"extra","image":"extra:1"},{"name":"app","env":[{"name":"E","value":"1"}]}]}}}})",
                    {"bob"});
  CHECK(b.at("metadata").at("finalizers") == j(R"(["a","b"])"));
  CHECK(b.at("spec").at("template").at("spec").at("containers") == j(R"([
      {"name":"extra","image":"extra:1"},
      {"name":"app","image":"app:1","args":["x","y"],"env":[{"name":"E","value":"1"}]},
      {"name":"sidecar","image":"side:1"}])"));
  CHECK(fields(b, "bob") == j(R"({"f:metadata":{"f:finalizers":{"v:\"b\"":{}}},
      "f:spec":{"f:template":{"f:spec":{"f:containers":{
        "k:{\"name\":\"app\"}":{".":{},"f:env":{"k:{\"name\":\"E\"}":{".":{},"f:name":{},"f:value":{}}},"f:name":{}},
        "k:{\"name\":\"extra\"}":{".":{},"f:image":{},"f:name":{}}}}}}})"));

  SECTION("an atomic list is replaced and is one owned leaf") {
    auto c = apply_ok(&b, R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","finalizers":["a"]},
        "spec":{"template":{"spec":{"containers":[{"name":"app","image":"app:1","args":["z"]},{"name":"sidecar","image":"side:1"}]}}}})",
                      {"alice"});
    CHECK(c.at("spec").at("template").at("spec").at("containers").at(1).at("args") == j(R"(["z"])"));
  }
  SECTION("a map-list item the applier drops goes unless another manager owns the item") {
    auto c = apply_ok(&b, R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","finalizers":["a"]},
        "spec":{"template":{"spec":{"containers":[{"name":"app","image":"app:1","args":["x","y"]}]}}}})",
                      {"alice"});
    CHECK(c.at("spec").at("template").at("spec").at("containers") == j(R"([
        {"name":"extra","image":"extra:1"},
        {"name":"app","image":"app:1","args":["x","y"],"env":[{"name":"E","value":"1"}]}])"));
    auto d = apply_ok(&c, R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"}})", {"alice"});
    // bob owns the "app" item: it stays with bob's fields (and its key), alice's image goes.
    CHECK(d.at("spec").at("template").at("spec").at("containers") == j(R"([
        {"name":"extra","image":"extra:1"},{"name":"app","env":[{"name":"E","value":"1"}]}])"));
    CHECK(d.at("metadata").at("finalizers") == j(R"(["b"])"));
  }
  SECTION("changing an item field another applier owns conflicts with a keyed path") {
    auto e = apply_err(&b, R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
        "spec":{"template":{"spec":{"containers":[{"name":"sidecar","image":"side:2"}]}}}})",
                       {"carol"});
    CHECK(e.message ==
          "Apply failed with 1 conflict: conflict with \"alice\": .spec.template.spec.containers[name=\"sidecar\"].image");
  }
  SECTION("multi-key map lists") {
    auto p = apply_ok(&b, R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
        "spec":{"template":{"spec":{"containers":[{"name":"app","ports":[{"containerPort":80,"protocol":"TCP","name":"http"}]}]}}}})",
                      {"dave"});
    auto containers = fields(p, "dave").at("f:spec").at("f:template").at("f:spec").at("f:containers");
    CHECK(containers.at("k:{\"name\":\"app\"}").at("f:ports") ==
          j(R"({"k:{\"containerPort\":80,\"protocol\":\"TCP\"}":{".":{},"f:containerPort":{},"f:name":{},"f:protocol":{}}})"));
  }
}

TEST_CASE("ssa: apply to the status subresource", "[ssa]") {
  const auto& schema_hints = metadata_hints();
  auto live = apply_ok(nullptr, R"({"apiVersion":"langop.io/v1alpha1","kind":"LanguageAgent","metadata":{"name":"a"},
                                   "spec":{"goal":"g"}})",
                       {"kubectl", false, false, &schema_hints});
  auto s = apply_ok(&live, R"({"apiVersion":"langop.io/v1alpha1","kind":"LanguageAgent","metadata":{"name":"a"},
                              "spec":{"goal":"ignored"},"status":{"phase":"Ready","conditions":[{"type":"Ready"}]}})",
                    {"langop", false, true, &schema_hints}, 4);
  CHECK(s.at("spec") == j(R"({"goal":"g"})"));
  CHECK(s.at("status") == j(R"({"phase":"Ready","conditions":[{"type":"Ready"}]})"));
  const auto* e = entry(s, "langop");
  REQUIRE(e);
  CHECK(e->at("subresource") == "status");
  CHECK(e->at("fieldsV1") == j(R"({"f:status":{"f:conditions":{},"f:phase":{}}})"));
  CHECK(managers(s) == std::vector<std::string>{"kubectl/Apply", "langop/Apply"});
  SECTION("a main-resource applier and the status applier conflict like any two managers") {
    auto e2 = apply_err(&s, R"({"apiVersion":"langop.io/v1alpha1","kind":"LanguageAgent","metadata":{"name":"a"},
                               "status":{"phase":"Failed"}})",
                        {"kubectl", false, false, &schema_hints});
    CHECK(e2.message == "Apply failed with 1 conflict: conflict with \"langop\" with subresource \"status\": .status.phase");
  }
  SECTION("status apply to a missing object is NotFound") {
    auto e2 = apply_err(nullptr, R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"status":{}})",
                        {"m", false, true});
    CHECK(e2.code == 404);
  }
}

TEST_CASE("ssa: record_update tracks non-apply writes", "[ssa]") {
  SECTION("create: everything added, new objects marked with '.'") {
    auto created = obj(R"({"apiVersion":"langop.io/v1alpha1","kind":"LanguageAgent",
        "metadata":{"name":"a","namespace":"n","uid":"u","labels":{"x":"y"}},
        "spec":{"goal":"g","modelRefs":[{"name":"m"}],"workspace":{}}})");
    record_update(nullptr, created, "kubectl-create", metadata_hints(), false, at(1));
    CHECK(created.at("metadata").at("managedFields") == fixture("create_by_update.json"));
  }
  SECTION("an update takes ownership from an applier") {
    auto a = apply_ok(nullptr, R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
                                  "spec":{"replicas":3,"paused":false}})",
                      {"kubectl"}, 1);
    auto edited = a;
    edited["spec"].as_object()["replicas"] = 4;
    record_update(&a, edited, "kubectl-edit", deploy_hints(), false, at(2));
    CHECK(fields(edited, "kubectl") == j(R"({"f:spec":{"f:paused":{}}})"));
    CHECK(fields(edited, "kubectl-edit", "Update") == j(R"({"f:spec":{"f:replicas":{}}})"));
    CHECK(entry(edited, "kubectl-edit", "Update")->at("apiVersion") == "apps/v1");
    CHECK(managers(edited) == std::vector<std::string>{"kubectl/Apply", "kubectl-edit/Update"});

    SECTION("a second update by the same manager merges into its entry") {
      auto again = edited;
      again["spec"].as_object()["paused"] = true;
      record_update(&edited, again, "kubectl-edit", deploy_hints(), false, at(3));
      CHECK(fields(again, "kubectl-edit", "Update") == j(R"({"f:spec":{"f:paused":{},"f:replicas":{}}})"));
      CHECK(managers(again) == std::vector<std::string>{"kubectl-edit/Update"});
      CHECK(entry(again, "kubectl-edit", "Update")->at("time") == "2023-11-14T22:13:23Z");
    }
    SECTION("an update that changes nothing leaves managedFields alone") {
      auto same = edited;
      record_update(&edited, same, "other", deploy_hints(), false, at(9));
      CHECK(same == edited);
    }
    SECTION("clients that drop managedFields do not erase them") {
      auto dropped = edited;
      dropped["metadata"].as_object().erase("managedFields");
      record_update(&edited, dropped, "other", deploy_hints(), false, at(9));
      CHECK(dropped.at("metadata").at("managedFields") == edited.at("metadata").at("managedFields"));
    }
    SECTION("removed fields leave every set") {
      auto removed = edited;
      removed["spec"].as_object().erase("paused");
      record_update(&edited, removed, "kubectl-edit", deploy_hints(), false, at(4));
      CHECK(managers(removed) == std::vector<std::string>{"kubectl-edit/Update"});
    }
  }
  SECTION("a value that changes shape drops the ownership of what was below it") {
    auto a = apply_ok(nullptr, R"({"apiVersion":"v1","kind":"X","metadata":{"name":"a"},"spec":{"x":{"y":1}}})",
                      {"alice", false, false, &metadata_hints()});
    auto b = a;
    b["spec"].as_object()["x"] = "flat";
    record_update(&a, b, "bob", metadata_hints(), false, at(2));
    CHECK(managers(b) == std::vector<std::string>{"bob/Update"});
    CHECK(fields(b, "bob", "Update") == j(R"({"f:spec":{"f:x":{}}})"));
    auto c = b;
    c["spec"].as_object()["x"] = json::object{{"z", 1}};
    record_update(&b, c, "carol", metadata_hints(), false, at(3));
    CHECK(fields(c, "carol", "Update") == j(R"({"f:spec":{"f:x":{".":{},"f:z":{}}}})"));
  }
  SECTION("status updates carry the subresource") {
    auto before = obj(R"({"apiVersion":"v1","kind":"X","metadata":{"name":"a"},"status":{"phase":"A"}})");
    auto after = obj(R"({"apiVersion":"v1","kind":"X","metadata":{"name":"a"},"status":{"phase":"B"}})");
    record_update(&before, after, "ctrl", metadata_hints(), true, at(1));
    const auto* e = entry(after, "ctrl", "Update");
    REQUIRE(e);
    CHECK(e->at("subresource") == "status");
  }
  SECTION("more than ten Update managers: the oldest merge into ancient-changes") {
    auto o = obj(R"({"apiVersion":"v1","kind":"X","metadata":{"name":"a"},"data":{}})");
    for (int i = 0; i < 12; ++i) {
      auto next = o;
      next["data"].as_object()["k" + std::to_string(i)] = i;
      record_update(&o, next, "m" + std::to_string(i), metadata_hints(), false, at(i));
      o = next;
    }
    auto ms = managers(o);
    CHECK(ms.size() == 11);
    CHECK(ms.front() == "ancient-changes/Update");
    CHECK(fields(o, "ancient-changes", "Update") == j(R"({"f:data":{"f:k0":{},"f:k1":{}}})"));
  }
}

TEST_CASE("ssa: objects without managedFields belong to before-first-apply", "[ssa]") {
  auto live = obj(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":1}})");
  auto e = apply_err(&live, R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":2}})",
                     {"helm"});
  CHECK(e.message == "Apply failed with 1 conflict: conflict with \"before-first-apply\" using apps/v1: .spec.replicas");
  auto same = apply_ok(&live, R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"replicas":1}})",
                       {"helm"});
  CHECK(managers(same) == std::vector<std::string>{"helm/Apply", "before-first-apply/Update"});
}

TEST_CASE("ssa: field_set_of excludes identity metadata", "[ssa]") {
  auto o = obj(R"({"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"n","uid":"u",
      "resourceVersion":"5","generation":2,"creationTimestamp":"2024-01-01T00:00:00Z","labels":{"a":"b"},
      "managedFields":[{"manager":"x","operation":"Update","fieldsType":"FieldsV1","fieldsV1":{"f:spec":{}}}]},
      "spec":{"containers":[{"name":"c","image":"i"}]}})");
  CHECK(json::value(field_set_of(o, builtin_hints("", "Pod"))) ==
        j(R"({"f:metadata":{"f:labels":{"f:a":{}}},
              "f:spec":{"f:containers":{"k:{\"name\":\"c\"}":{".":{},"f:image":{},"f:name":{}}}}})"));
}

TEST_CASE("ssa: bad requests are errors with kube's wording", "[ssa]") {
  auto live = apply_ok(nullptr, deployment, {"kubectl"});
  struct bad {
    const json::object* live;
    const char* config;
    applier who;
    int code;
    const char* message;
  };
  std::string long_manager(129, 'm');
  for (const auto& b : std::vector<bad>{
           {nullptr, deployment.data(), {""}, 422,
            "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Required value: is required for apply patch"},
           {nullptr, deployment.data(), {long_manager}, 422,
            "PatchOptions.meta.k8s.io \"\" is invalid: fieldManager: Too long: may not be more than 128 bytes"},
           {nullptr, R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{}})", {"m"}, 422,
            "Deployment.apps \"\" is invalid: metadata.name: Required value: name or generateName is required"},
           {&live, R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"other"}})", {"m"}, 400,
            "the name of the object (other) does not match the name on the URL (web)"},
           {nullptr, R"({"apiVersion":"apps/v1","metadata":{"name":"x"}})", {"m"}, 400,
            "Object 'Kind' is missing in the apply configuration"},
           {nullptr, R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"x","managedFields":[]}})", {"m"},
            400, "metadata.managedFields must be nil"},
           {nullptr, R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"x"},
                "spec":{"template":{"spec":{"containers":[{"image":"i"}]}}}})",
            {"m"}, 500,
            "failed to create typed patch object (apps/v1, Kind=Deployment): .spec.template.spec.containers: element 0: "
            "associative list with keys has an element that omits key field \"name\" (and doesn't have default value)"},
           {nullptr, R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"x"},
                "spec":{"template":{"spec":{"containers":[{"name":"a"},{"name":"a"}]}}}})",
            {"m"}, 500,
            "failed to create typed patch object (apps/v1, Kind=Deployment): .spec.template.spec.containers: duplicate "
            "entries for key [name=\"a\"]"},
           {nullptr, R"({"apiVersion":"v1","kind":"Service","metadata":{"name":"x","finalizers":["f","f"]}})", {"m"}, 500,
            "failed to create typed patch object (/v1, Kind=Service): .metadata.finalizers: duplicate entries for key "
            "[=\"f\"]"},
           {nullptr, R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"x"},
                "spec":{"template":{"spec":{"containers":["nginx"]}}}})",
            {"m"}, 500,
            "failed to create typed patch object (apps/v1, Kind=Deployment): .spec.template.spec.containers: element 0: "
            "associative list with keys may not have non-map elements"},
       }) {
    INFO(b.config);
    auto e = apply_err(b.live, b.config, b.who);
    CHECK(e.code == b.code);
    CHECK(e.message == b.message);
  }
  SECTION("no configuration at all") {
    apply_request r;
    r.manager = "m";
    auto out = apply(r);
    REQUIRE(std::holds_alternative<api_error>(out));
    CHECK(std::get<api_error>(out).code == 400);
  }
}

TEST_CASE("ssa: custom resources take list semantics from their schema", "[ssa]") {
  auto schema = structural_schema::compile(j(R"({"type":"object","properties":{"spec":{"type":"object","properties":{
      "refs":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],
              "items":{"type":"object","properties":{"name":{"type":"string"},"role":{"type":"string"}}}},
      "tags":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"string"}},
      "args":{"type":"array","items":{"type":"string"}}}}}})"));
  REQUIRE(schema.has_value());
  applier a{"a", false, false, schema->get()};
  applier b{"b", false, false, schema->get()};
  auto one = apply_ok(nullptr, R"({"apiVersion":"x.io/v1","kind":"K","metadata":{"name":"k"},
      "spec":{"refs":[{"name":"m1","role":"primary"}],"tags":["t1"],"args":["a"]}})",
                      a);
  auto two = apply_ok(&one, R"({"apiVersion":"x.io/v1","kind":"K","metadata":{"name":"k"},
      "spec":{"refs":[{"name":"m2"}],"tags":["t2"]}})",
                      b);
  CHECK(two.at("spec") == j(R"({"refs":[{"name":"m1","role":"primary"},{"name":"m2"}],"tags":["t1","t2"],"args":["a"]})"));
  auto e = apply_err(&two, R"({"apiVersion":"x.io/v1","kind":"K","metadata":{"name":"k"},"spec":{"args":["b"]}})", b);
  CHECK(e.message == "Apply failed with 1 conflict: conflict with \"a\": .spec.args");
}

TEST_CASE("ssa: hostile inputs never crash", "[ssa]") {
  SECTION("garbage managedFields in the live object") {
    for (const char* mf : {R"("x")", R"([1,"a",null,{}])",
                           R"([{"manager":"m","operation":"Apply","fieldsType":"FieldsV1","fieldsV1":"nope"}])",
                           R"([{"manager":"m","operation":"Update","fieldsV1":{"f:spec":{"f:replicas":[],"bad":{},"k:{":{}}}}])",
                           R"([{"manager":"m","operation":"Apply","fieldsV1":{"f:metadata":{"f:name":{},"f:uid":{}}}}])",
                           R"([{"manager":"m","operation":"Sideways","fieldsV1":{}}])"}) {
      INFO(mf);
      auto live = obj(std::string(R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","uid":"u","managedFields":)") +
                      mf + R"(},"spec":{"replicas":1}})");
      auto out = apply_ok(&live, R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"}})",
                          {"m", true});
      CHECK(out.at("metadata").at("name") == "web");
      CHECK(out.at("metadata").at("uid") == "u");
      auto updated = live;
      updated["spec"].as_object()["replicas"] = 2;
      record_update(&live, updated, "u", deploy_hints(), false, at(1));
    }
  }
  SECTION("wrong shapes everywhere") {
    for (const char* cfg : {R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":[]})",
                            R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},"spec":{"template":"t"}})",
                            R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","labels":[1]},"spec":null})",
                            R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web"},
                                "spec":{"template":{"spec":{"containers":{"name":"x"}}}}})"}) {
      INFO(cfg);
      auto live = apply_ok(nullptr, deployment, {"a"});
      auto out = try_apply(&live, obj(cfg), {"b", true});
      CHECK(std::holds_alternative<json::object>(out));
    }
  }
  SECTION("deep nesting") {
    json::value deep = json::object{};
    for (int i = 0; i < 1000; ++i) deep = json::object{{"d", std::move(deep)}, {"l", json::array{1}}};
    auto cfg = obj(R"({"apiVersion":"v1","kind":"X","metadata":{"name":"x"}})");
    cfg["spec"] = deep;
    auto live = try_apply(nullptr, cfg, {"a"});
    REQUIRE(std::holds_alternative<json::object>(live));
    auto& l = std::get<json::object>(live);
    auto again = try_apply(&l, cfg, {"b"});
    CHECK(std::holds_alternative<json::object>(again));
    auto updated = l;
    updated["spec"] = json::object{{"d", deep}};
    record_update(&l, updated, "u", metadata_hints(), false, at(1));
    (void)field_set_of(updated, metadata_hints());
  }
}

TEST_CASE("ssa: random apply/update sequences keep the invariants", "[ssa]") {
  auto schema = structural_schema::compile(j(R"({"type":"object","properties":{"spec":{"type":"object",
      "x-kubernetes-preserve-unknown-fields":true,"properties":{
      "items":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["name"],
               "items":{"type":"object","x-kubernetes-preserve-unknown-fields":true,"properties":{"name":{"type":"string"}}}},
      "tags":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"string"}}}}}})"));
  REQUIRE(schema.has_value());
  const schema_hints* hints = schema->get();
  std::mt19937 rng(777);
  auto pick = [&](int n) { return static_cast<int>(rng() % static_cast<unsigned>(n)); };
  static const char* names[] = {"a", "b", "c", "d"};
  std::function<json::value(int)> leaf = [&](int depth) -> json::value {
    switch (depth > 2 ? pick(4) : pick(6)) {
      case 0: return pick(5);
      case 1: return names[pick(4)];
      case 2: return nullptr;
      case 3: return pick(2) == 0;
      case 4: {
        json::array a;
        for (int i = pick(3); i > 0; --i) a.push_back(leaf(depth + 1));
        return a;
      }
      default: {
        json::object o;
        for (int i = pick(3); i > 0; --i) o[names[pick(4)]] = leaf(depth + 1);
        return o;
      }
    }
  };
  auto random_spec = [&]() {
    json::object spec;
    for (int i = pick(3); i > 0; --i) spec[names[pick(4)]] = leaf(0);
    if (pick(2)) {
      json::array items;
      std::vector<std::string> used;
      for (int i = pick(4); i > 0; --i) {
        std::string n = names[pick(4)];
        if (std::find(used.begin(), used.end(), n) != used.end()) continue;
        used.push_back(n);
        json::object item{{"name", n}};
        if (pick(2)) item[names[pick(4)]] = leaf(1);
        items.push_back(item);
      }
      spec["items"] = items;
    }
    if (pick(2)) spec["tags"] = json::array{names[pick(2)], names[2 + pick(2)]};
    return spec;
  };
  std::optional<json::object> live;
  int applied = 0, conflicts = 0;
  for (int round = 0; round < 400; ++round) {
    std::string manager = "m" + std::to_string(pick(4));
    json::object cfg{{"apiVersion", "x.io/v1"}, {"kind", "K"}, {"metadata", json::object{{"name", "k"}}}};
    if (pick(4)) cfg["spec"] = random_spec();
    if (pick(3) == 0 && live) {
      auto next = *live;
      next["spec"] = random_spec();
      record_update(&*live, next, manager, *hints, false, at(round));
      live = next;
      continue;
    }
    bool force = pick(2) == 0;
    auto out = try_apply(live ? &*live : nullptr, cfg, {manager, force, false, hints}, round);
    if (auto* e = std::get_if<api_error>(&out)) {
      CHECK(e->code == 409);
      CHECK_FALSE(force);
      ++conflicts;
      continue;
    }
    ++applied;
    auto& result = std::get<json::object>(out);
    CHECK(result.at("metadata").at("name") == "k");
    // The applied configuration is contained in the result: applying it again, even
    // forced, is a no-op, managedFields included.
    auto again = try_apply(&result, cfg, {manager, true, false, hints}, round + 1);
    REQUIRE(std::holds_alternative<json::object>(again));
    CHECK(std::get<json::object>(again) == result);
    live = result;
  }
  CHECK(applied > 50);
  CHECK(conflicts > 0);
}
