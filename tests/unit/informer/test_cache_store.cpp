#include "langop/cjson/cjson.hpp"
#include "langop/cjson/kube_envelope.hpp"
#include "langop/informer/cache_store.hpp"

#include <boost/json/parse.hpp>
#include <boost/json/serialize.hpp>

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <map>
#include <random>
#include <set>
#include <sstream>
#include <string>
#include <vector>

using namespace langop;
using namespace langop::informer;

namespace {

std::string fixture(const std::string& name) {
  std::ifstream in(std::string(LANGOP_SOURCE_DIR) + "/tests/fixtures/cache/" + name);
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  return ss.str();
}

// A small LanguageAgent-like object; `models` become spec.modelRefs, `owner` a controller ref.
object_ptr agent(cjson::key_table& keys, std::string_view ns, std::string_view name, std::string_view rv,
                 const std::vector<std::string>& models = {}, std::string_view owner = {}) {
  json::object meta{{"name", name}, {"resourceVersion", rv}};
  if (!ns.empty()) meta["namespace"] = ns;
  if (!owner.empty()) {
    meta["ownerReferences"] = json::array{json::object{{"kind", "LanguageCluster"}, {"name", "c"}, {"uid", owner},
                                                       {"controller", true}}};
  }
  json::array refs;
  for (const auto& m : models) refs.push_back(json::object{{"name", m}, {"role", "primary"}});
  const json::value v = json::object{{"apiVersion", "langop.io/v1alpha1"}, {"kind", "LanguageAgent"},
                                     {"metadata", meta}, {"spec", json::object{{"modelRefs", refs}}}};
  auto r = cached_object::parse(boost::json::serialize(v), keys);
  REQUIRE(r.has_value());
  return *r;
}

void model_index(const cached_object& o, index_keys& k) {
  for (const auto ref : o["spec"]["modelRefs"].elements()) {
    if (ref["name"].is_string()) k.add(ref["name"].as_string());
  }
}

std::set<std::string> names(const std::vector<object_ptr>& objs) {
  std::set<std::string> out;
  for (const auto& o : objs) out.insert(o->key());
  return out;
}

// Recomputes every index from scratch and compares with what the store maintained.
void check_indexes(const cache_store& s) {
  std::map<std::pair<std::string, std::string>, std::set<std::string>> expected;
  s.for_each([&](const cached_object& o) {
    expected[{"namespace", std::string(o.ns())}].insert(o.key());
    if (!o.controller_uid().empty()) expected[{"owner", std::string(o.controller_uid())}].insert(o.key());
    index_keys k;
    model_index(o, k);
    for (std::size_t i = 0; i < k.size(); ++i) expected[{"model", std::string(k[i])}].insert(o.key());
  });
  std::size_t total = 0;
  for (const auto& [ix, want] : expected) {
    INFO("index " << ix.first << " key " << ix.second);
    CHECK(names(s.by_index(ix.first, ix.second)) == want);
    CHECK(s.index_size(ix.first, ix.second) == want.size());
    total += want.size();
  }
  // And nothing else is filed: probe every key the universe below can produce.
  for (const char* ix : {"namespace", "owner", "model"}) {
    for (const char* key : {"", "ns-0", "ns-1", "ns-2", "uid-0", "uid-1", "uid-2", "m-0", "m-1", "m-2", "m-3"}) {
      if (!expected.count({ix, key})) CHECK(s.index_size(ix, key) == 0);
    }
  }
  (void)total;
}

}  // namespace

TEST_CASE("cached_object strips bookkeeping and locates metadata at ingest", "[store]") {
  auto keys = cjson::key_table::create_for_kubernetes();
  const std::string text = fixture("deployment.json");
  auto r = cached_object::parse(text, *keys);
  REQUIRE(r.has_value());
  const cached_object& d = **r;
  CHECK(d.ns() == "team-a");
  CHECK(d.name() == "support-bot");
  CHECK(d.key() == "team-a/support-bot");
  CHECK(d.uid() == "6f1c2a9e-3b7d-4e55-9a0c-7d2f8e41b6a3");
  CHECK(d.resource_version() == "48213377");
  CHECK(d.generation() == 3);
  CHECK(d.labels().size() == 4);
  CHECK(d.labels()["langop.io/agent"].as_string() == "support-bot");
  CHECK(d.owner_references().size() == 1);
  CHECK(d.controller_uid() == "0b8e7c1d-52a4-4f0e-8d3b-9e6a1f2c4d75");
  CHECK_FALSE(d.deleting());
  CHECK(d.raw_size() == text.size());
  CHECK_FALSE(d["metadata"]["managedFields"].exists());
  CHECK(d.root().at_path({"metadata", "annotations", "deployment.kubernetes.io/revision"}).as_string() == "3");
  CHECK(d.root().at_path({"spec", "template", "spec", "containers"})[0]["image"].as_string() ==
        "ghcr.io/langop/agent:1.4.0");
  CHECK(d.approx_bytes() > d.document().size_bytes());

  auto a = cached_object::parse(fixture("language_agent.json"), *keys);
  REQUIRE(a.has_value());
  CHECK_FALSE((*a)->root().at_path({"metadata", "annotations", "kubectl.kubernetes.io/last-applied-configuration"}));
  CHECK_FALSE((*a)->root().at_path({"metadata", "managedFields"}));
  CHECK((*a)->root().at_path({"metadata", "finalizers"})[0].as_string() == "langop.io/finalizer");
  CHECK((*a)->controller_uid().empty());
  CHECK((*a)->document().size_bytes() * 2 < (*a)->raw_size());

  SECTION("from_json strips the same way and measures the compact text") {
    const auto v = boost::json::parse(text);
    auto j = cached_object::from_json(v, *keys);
    REQUIRE(j.has_value());
    CHECK((*j)->root() == d.root());
    CHECK((*j)->raw_size() == boost::json::serialize(v).size());
  }
  SECTION("cluster-scoped, deleting, and missing fields") {
    auto c = cached_object::parse(
        R"({"kind":"Namespace","metadata":{"name":"team-a","deletionTimestamp":"2025-03-14T10:00:00Z"}})", *keys);
    REQUIRE(c.has_value());
    CHECK((*c)->ns().empty());
    CHECK((*c)->key() == "team-a");
    CHECK((*c)->deleting());
    CHECK((*c)->uid().empty());
    CHECK((*c)->generation() == 0);
    CHECK_FALSE((*c)->labels().exists());
    CHECK((*c)->owner_references().size() == 0);
    auto n = cached_object::parse(R"({"metadata":{"name":"x","deletionTimestamp":null,"namespace":7}})", *keys);
    REQUIRE(n.has_value());
    CHECK_FALSE((*n)->deleting());
    CHECK((*n)->ns().empty());
  }
  SECTION("from a watch event decoded in one pass") {
    cjson::encode_options strip;
    strip.strip_kube_bookkeeping = true;
    const std::string line = R"({"type":"ADDED","object":)" + boost::json::serialize(boost::json::parse(text)) + "}";
    auto ev = cjson::parse_watch_event(line, *keys, strip);
    REQUIRE(ev.has_value());
    auto o = cached_object::from_document(std::move(ev->object), line.size());
    REQUIRE(o.has_value());
    CHECK((*o)->root() == d.root());
    CHECK((*o)->controller_uid() == d.controller_uid());
    CHECK(cached_object::from_document(cjson::document(), 0).has_error());
  }
  SECTION("invalid objects are errors") {
    for (const char* bad : {"", "[1]", "\"x\"", "{}", R"({"metadata":{}})", R"({"metadata":{"name":1}})",
                            R"({"metadata":{"name":"x"})"}) {
      INFO(bad);
      CHECK(cached_object::parse(bad, *keys).has_error());
    }
  }
}

TEST_CASE("cache_store apply and remove report what changed", "[store]") {
  auto keys = cjson::key_table::create_for_kubernetes();
  cache_store s;
  auto a1 = agent(*keys, "ns-0", "a", "1");
  auto c = s.apply(a1);
  CHECK(c.type == change_type::added);
  CHECK(c.previous == nullptr);
  CHECK(c.current == a1);
  CHECK(s.size() == 1);
  CHECK(s.get("ns-0", "a") == a1);
  CHECK(s.get("ns-1", "a") == nullptr);
  CHECK(s.get("ns-0", "b") == nullptr);

  SECTION("the same resourceVersion is unchanged and keeps the cached object") {
    auto again = agent(*keys, "ns-0", "a", "1", {"m-0"});
    c = s.apply(again);
    CHECK(c.type == change_type::unchanged);
    CHECK(c.current == a1);
    CHECK(s.get("ns-0", "a") == a1);
    CHECK(s.by_index("model", "m-0").empty());
  }
  SECTION("a new resourceVersion is modified") {
    auto a2 = agent(*keys, "ns-0", "a", "2");
    c = s.apply(a2);
    CHECK(c.type == change_type::modified);
    CHECK(c.previous == a1);
    CHECK(c.current == a2);
    CHECK(s.get("ns-0", "a") == a2);
    CHECK(s.size() == 1);
  }
  SECTION("remove returns the old object once") {
    CHECK(s.remove("ns-0", "a") == a1);
    CHECK(s.remove("ns-0", "a") == nullptr);
    CHECK(s.size() == 0);
    CHECK(s.get("ns-0", "a") == nullptr);
    CHECK(s.raw_bytes() == 0);
    CHECK(s.by_index(cache_store::namespace_index, "ns-0").empty());
    // The freed slot is reused without confusing lookups.
    auto b = agent(*keys, "ns-1", "b", "1");
    CHECK(s.apply(b).type == change_type::added);
    CHECK(s.get("ns-1", "b") == b);
    CHECK(s.get("ns-0", "a") == nullptr);
  }
  SECTION("objects without a resourceVersion compare by content") {
    cache_store t;
    CHECK(t.apply(agent(*keys, "", "x", "")).type == change_type::added);
    CHECK(t.apply(agent(*keys, "", "x", "")).type == change_type::unchanged);
    CHECK(t.apply(agent(*keys, "", "x", "", {"m-1"})).type == change_type::modified);
    CHECK(t.get("", "x")->key() == "x");
  }
  CHECK(s.apply(nullptr).type == change_type::unchanged);
}

TEST_CASE("cache_store replace reports only real differences", "[store]") {
  auto keys = cjson::key_table::create_for_kubernetes();
  cache_store s;
  s.add_index("model", model_index);
  for (const char* n : {"a", "b", "c"}) s.apply(agent(*keys, "ns-0", n, "1", {"m-0"}));
  const auto a_before = s.get("ns-0", "a");

  auto changes = s.replace({agent(*keys, "ns-0", "a", "1", {"m-0"}), agent(*keys, "ns-0", "b", "2", {"m-1"}),
                            agent(*keys, "ns-1", "d", "1", {"m-0"})});
  std::map<std::string, change_type> got;
  for (const auto& c : changes) got[(c.current ? c.current : c.previous)->key()] = c.type;
  CHECK(got == std::map<std::string, change_type>{{"ns-0/b", change_type::modified},
                                                  {"ns-0/c", change_type::deleted},
                                                  {"ns-1/d", change_type::added}});
  for (const auto& c : changes) {
    if (c.type == change_type::deleted) CHECK(c.current == nullptr);
    if (c.type == change_type::added) CHECK(c.previous == nullptr);
  }
  CHECK(s.size() == 3);
  CHECK(s.get("ns-0", "a") == a_before);  // unchanged: the cached object was kept
  CHECK(s.get("ns-0", "c") == nullptr);
  CHECK(names(s.by_index("model", "m-0")) == std::set<std::string>{"ns-0/a", "ns-1/d"});
  CHECK(names(s.by_index("model", "m-1")) == std::set<std::string>{"ns-0/b"});
  check_indexes(s);

  CHECK(s.replace({s.get("ns-0", "a"), s.get("ns-0", "b"), s.get("ns-1", "d")}).empty());
  CHECK(s.replace({}).size() == 3);
  CHECK(s.size() == 0);
  CHECK(s.raw_bytes() == 0);
  check_indexes(s);
}

TEST_CASE("cache_store indexes stay consistent through every mutation", "[store]") {
  auto keys = cjson::key_table::create_for_kubernetes();
  cache_store s;
  SECTION("built-in owner and namespace indexes") {
    s.apply(agent(*keys, "ns-0", "child-1", "1", {}, "uid-0"));
    s.apply(agent(*keys, "ns-0", "child-2", "1", {}, "uid-0"));
    s.apply(agent(*keys, "ns-1", "child-3", "1", {}, "uid-1"));
    CHECK(names(s.by_index(cache_store::owner_index, "uid-0")) == std::set<std::string>{"ns-0/child-1", "ns-0/child-2"});
    s.apply(agent(*keys, "ns-0", "child-2", "2", {}, "uid-1"));  // re-parented
    CHECK(names(s.by_index(cache_store::owner_index, "uid-1")) == std::set<std::string>{"ns-0/child-2", "ns-1/child-3"});
    std::set<std::string> in_ns0;
    s.for_each("ns-0", [&](const cached_object& o) { in_ns0.insert(o.key()); });
    CHECK(in_ns0 == std::set<std::string>{"ns-0/child-1", "ns-0/child-2"});
    CHECK(s.by_index("no-such-index", "x").empty());
    CHECK_FALSE(s.add_index(std::string(cache_store::owner_index), model_index));
  }
  SECTION("an index added late covers existing objects; duplicate keys are filed once") {
    s.apply(agent(*keys, "ns-0", "a", "1", {"m-0", "m-0", "m-1"}));
    REQUIRE(s.add_index("model", model_index));
    CHECK(s.by_index("model", "m-0").size() == 1);
    CHECK(s.by_index("model", "m-1").size() == 1);
  }
  SECTION("randomized operations against a brute-force model (fixed seed)") {
    REQUIRE(s.add_index("model", model_index));
    std::mt19937_64 rng(42);
    auto pick = [&](std::uint64_t n) { return rng() % n; };
    int rv = 1;
    auto random_agent = [&] {
      std::vector<std::string> models;
      for (auto n = pick(3); n > 0; --n) models.push_back("m-" + std::to_string(pick(4)));
      const std::string owner = pick(3) == 0 ? std::string() : "uid-" + std::to_string(pick(3));
      return agent(*keys, "ns-" + std::to_string(pick(3)), "a-" + std::to_string(pick(40)), std::to_string(rv++),
                   models, owner);
    };
    std::map<std::string, object_ptr> model;
    for (int step = 0; step < 600; ++step) {
      const auto op = pick(10);
      if (op < 6) {
        auto o = random_agent();
        const auto c = s.apply(o);
        CHECK(c.type == (model.count(o->key()) ? change_type::modified : change_type::added));
        model[o->key()] = o;
      } else if (op < 9) {
        auto o = random_agent();
        const auto old = s.remove(o->ns(), o->name());
        CHECK((old != nullptr) == (model.count(o->key()) == 1));
        model.erase(o->key());
      } else {
        std::vector<object_ptr> list;
        std::map<std::string, object_ptr> next;
        for (auto n = pick(30); n > 0; --n) {
          auto o = pick(2) == 0 || model.empty() ? random_agent() : std::next(model.begin(), static_cast<long>(pick(model.size())))->second;
          list.push_back(o);
          next[o->key()] = o;
        }
        std::size_t deleted = 0;
        for (const auto& [k, o] : model) deleted += next.count(k) ? 0 : 1;
        const auto changes = s.replace(list);
        CHECK(static_cast<std::size_t>(std::count_if(changes.begin(), changes.end(), [](const change& c) {
                return c.type == change_type::deleted;
              })) == deleted);
        model = std::move(next);
      }
      REQUIRE(s.size() == model.size());
      for (const auto& [k, o] : model) REQUIRE(s.get(o->ns(), o->name())->resource_version() == o->resource_version());
      if (step % 10 == 0) check_indexes(s);
    }
    check_indexes(s);
  }
}

TEST_CASE("cache_store accounts memory and raw bytes", "[store]") {
  auto keys = cjson::key_table::create_for_kubernetes();
  cache_store s;
  const std::size_t empty = s.approx_bytes();
  std::size_t raw = 0, docs = 0;
  // (one kind per store in the operator; these fixtures just need distinct namespace/names)
  for (const char* f : {"deployment.json", "configmap.json", "service.json", "networkpolicy.json"}) {
    auto o = cached_object::parse(fixture(f), *keys);
    REQUIRE(o.has_value());
    raw += (*o)->raw_size();
    docs += (*o)->document().size_bytes();
    s.apply(*o);
  }
  CHECK(s.raw_bytes() == raw);
  CHECK(s.approx_bytes() > empty + docs);
  CHECK(s.approx_bytes() < raw);  // stripped and compact: well under the raw text
  const std::size_t full = s.approx_bytes();
  s.remove("team-a", "support-bot");
  CHECK(s.approx_bytes() < full);
}
