#include "langop/localapi/table.hpp"

#include <catch2/catch.hpp>

#include <string>
#include <vector>

using namespace langop;
using namespace langop::localapi;
using namespace std::chrono;

namespace {

const langop::sys_time now = *parse_rfc3339("2024-01-01T00:00:00Z");

json::object obj(std::string_view text) {
  auto v = jsonu::parse(text);
  REQUIRE(v);
  REQUIRE(v->is_object());
  return v->get_object();
}

std::vector<std::string> names_of(const std::vector<table_column>& cols) {
  std::vector<std::string> out;
  for (const auto& c : cols) out.push_back(c.name);
  return out;
}

std::string cells_of(std::string_view group, std::string_view kind, std::string_view object_json,
                     const json::array* printer_columns = nullptr) {
  auto cols = table_columns(group, kind, printer_columns);
  return jsonu::dump(table_cells(group, kind, cols, obj(object_json), now));
}

}  // namespace

TEST_CASE("human_duration matches apimachinery HumanDuration", "[table]") {
  struct row {
    seconds d;
    const char* want;
  };
  const std::vector<row> rows = {
      {-5s, "<invalid>"}, {-2s, "<invalid>"}, {-1s, "0s"},     {0s, "0s"},          {59s, "59s"},
      {119s, "119s"},     {120s, "2m"},       {125s, "2m5s"},  {599s, "9m59s"},     {600s, "10m"},
      {10799s, "179m"},   {3h, "3h"},         {3h + 30min, "3h30m"}, {7h + 59min + 59s, "7h59m"},
      {8h, "8h"},         {47h + 59min, "47h"}, {48h, "2d"},   {49h, "2d1h"},       {191h, "7d23h"},
      {192h, "8d"},       {24h * 729, "729d"}, {24h * 730, "2y"}, {24h * 731, "2y1d"}, {24h * 365 * 8, "8y"},
      {24h * 365 * 10 + 24h * 5, "10y"},
  };
  for (const auto& r : rows) {
    INFO(r.d.count());
    CHECK(human_duration(r.d) == r.want);
  }
}

TEST_CASE("built-in kinds get kube-apiserver's column sets", "[table]") {
  struct row {
    const char* group;
    const char* kind;
    std::vector<std::string> want;
  };
  const std::vector<row> rows = {
      {"", "Namespace", {"Name", "Status", "Age"}},
      {"", "ConfigMap", {"Name", "Data", "Age"}},
      {"", "Secret", {"Name", "Type", "Data", "Age"}},
      {"", "Service", {"Name", "Type", "Cluster-IP", "External-IP", "Port(s)", "Age", "Selector"}},
      {"", "ServiceAccount", {"Name", "Secrets", "Age"}},
      {"", "PersistentVolumeClaim",
       {"Name", "Status", "Volume", "Capacity", "Access Modes", "StorageClass", "VolumeAttributesClass", "Age",
        "VolumeMode"}},
      {"", "ResourceQuota", {"Name", "Request", "Limit", "Age"}},
      {"", "LimitRange", {"Name", "Created At"}},
      {"", "Event",
       {"Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message", "First Seen", "Count", "Name"}},
      {"events.k8s.io", "Event",
       {"Last Seen", "Type", "Reason", "Object", "Subobject", "Source", "Message", "First Seen", "Count", "Name"}},
      {"apps", "Deployment", {"Name", "Ready", "Up-to-date", "Available", "Age", "Containers", "Images", "Selector"}},
      {"batch", "Job", {"Name", "Status", "Completions", "Duration", "Age", "Containers", "Images", "Selector"}},
      {"batch", "CronJob",
       {"Name", "Schedule", "Timezone", "Suspend", "Active", "Last Schedule", "Age", "Containers", "Images",
        "Selector"}},
      {"networking.k8s.io", "NetworkPolicy", {"Name", "Pod-Selector", "Age"}},
      {"networking.k8s.io", "Ingress", {"Name", "Class", "Hosts", "Address", "Ports", "Age"}},
      {"autoscaling", "HorizontalPodAutoscaler", {"Name", "Reference", "Targets", "MinPods", "MaxPods", "Replicas", "Age"}},
      {"policy", "PodDisruptionBudget", {"Name", "Min Available", "Max Unavailable", "Allowed Disruptions", "Age"}},
      {"coordination.k8s.io", "Lease", {"Name", "Holder", "Age"}},
      {"apiextensions.k8s.io", "CustomResourceDefinition", {"Name", "Created At"}},
      {"rbac.authorization.k8s.io", "Role", {"Name", "Created At"}},
  };
  for (const auto& r : rows) {
    INFO(r.group << "/" << r.kind);
    CHECK(names_of(table_columns(r.group, r.kind, nullptr)) == r.want);
  }
  auto deploy = table_columns("apps", "Deployment", nullptr);
  CHECK(deploy[0].format == "name");
  CHECK(deploy[0].priority == 0);
  CHECK(deploy[4].priority == 0);
  CHECK(deploy[5].priority == 1);  // Containers only with -o wide
  CHECK(deploy[7].priority == 1);
  auto events = table_columns("", "Event", nullptr);
  CHECK(events[9].format == "name");
  CHECK(events[9].priority == 1);
  CHECK(table_columns("", "LimitRange", nullptr)[1].type == "date");
}

TEST_CASE("built-in rows render like kube printers", "[table]") {
  struct row {
    const char* group;
    const char* kind;
    const char* object;
    const char* want;
  };
  const std::vector<row> rows = {
      {"", "Namespace", R"({"metadata":{"name":"team","creationTimestamp":"2023-12-31T23:55:00Z"},"status":{"phase":"Active"}})",
       R"(["team","Active","5m"])"},
      {"", "Namespace", R"({"metadata":{"name":"fresh"}})", R"(["fresh","","<unknown>"])"},
      {"", "ConfigMap", R"({"metadata":{"name":"c","creationTimestamp":"2023-12-31T23:59:30Z"},"data":{"a":"1","b":"2"},"binaryData":{"c":"AA=="}})",
       R"(["c",3,"30s"])"},
      {"", "Secret", R"({"metadata":{"name":"s","creationTimestamp":"2023-12-30T00:00:00Z"},"type":"Opaque","data":{"k":"dg=="}})",
       R"(["s","Opaque",1,"2d"])"},
      {"", "ServiceAccount", R"({"metadata":{"name":"default","creationTimestamp":"2023-12-31T00:00:00Z"}})",
       R"(["default",0,"24h"])"},
      {"", "Service",
       R"({"metadata":{"name":"web","creationTimestamp":"2023-12-31T23:00:00Z"},"spec":{"type":"ClusterIP","clusterIP":"10.96.0.10","clusterIPs":["10.96.0.10"],"ports":[{"port":80,"protocol":"TCP"},{"port":53,"protocol":"UDP"}],"selector":{"tier":"fe","app":"web"}}})",
       R"(["web","ClusterIP","10.96.0.10","<none>","80/TCP,53/UDP","60m","app=web,tier=fe"])"},
      {"", "Service",
       R"({"metadata":{"name":"lb"},"spec":{"type":"LoadBalancer","clusterIPs":["10.0.0.1"],"ports":[{"port":443,"nodePort":30443,"protocol":"TCP"}]}})",
       R"(["lb","LoadBalancer","10.0.0.1","<pending>","443:30443/TCP","<unknown>","<none>"])"},
      {"", "Service",
       R"({"metadata":{"name":"lb2"},"spec":{"type":"LoadBalancer","externalIPs":["9.9.9.9"],"ports":[]},"status":{"loadBalancer":{"ingress":[{"ip":"5.5.5.5"},{"hostname":"a.example.com"},{"ip":"1.1.1.1"}]}}})",
       R"(["lb2","LoadBalancer","<none>","1.1.1.1,5.5.5.5,a.example.com,9.9.9.9","<none>","<unknown>","<none>"])"},
      {"", "Service", R"({"metadata":{"name":"ext"},"spec":{"type":"ExternalName","externalName":"db.example.com"}})",
       R"(["ext","ExternalName","<none>","db.example.com","<none>","<unknown>","<none>"])"},
      {"", "Service", R"({"metadata":{"name":"hl"},"spec":{"type":"ClusterIP","clusterIP":"None","clusterIPs":["None"],"ports":[{"port":8080,"protocol":"TCP"}]}})",
       R"(["hl","ClusterIP","None","<none>","8080/TCP","<unknown>","<none>"])"},
      {"apps", "Deployment",
       R"({"metadata":{"name":"agent","creationTimestamp":"2023-12-31T21:00:00Z"},"spec":{"replicas":3,"selector":{"matchLabels":{"app":"agent"},"matchExpressions":[{"key":"tier","operator":"In","values":["b","a"]},{"key":"legacy","operator":"DoesNotExist"}]},"template":{"spec":{"containers":[{"name":"agent","image":"agent:1"},{"name":"tool","image":"tool:2"}]}}},"status":{"readyReplicas":2,"updatedReplicas":3,"availableReplicas":2}})",
       R"J(["agent","2/3",3,2,"3h","agent,tool","agent:1,tool:2","app=agent,!legacy,tier in (a,b)"])J"},
      {"apps", "Deployment", R"({"metadata":{"name":"new"},"spec":{"replicas":1,"selector":{"matchExpressions":[{"key":"x","operator":"Bogus"}]}}})",
       R"(["new","0/1",0,0,"<unknown>","","","<invalid>"])"},
      {"batch", "Job",
       R"({"metadata":{"name":"once","creationTimestamp":"2023-12-31T23:00:00Z"},"spec":{"completions":1,"parallelism":1,"selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"u1"}},"template":{"spec":{"containers":[{"name":"c","image":"busybox"}]}}},"status":{"succeeded":1,"startTime":"2023-12-31T23:00:00Z","completionTime":"2023-12-31T23:00:42Z","conditions":[{"type":"Complete","status":"True"}]}})",
       R"(["once","Complete","1/1","42s","60m","c","busybox","batch.kubernetes.io/controller-uid=u1"])"},
      {"batch", "Job",
       R"({"metadata":{"name":"work"},"spec":{"parallelism":3},"status":{"succeeded":1,"startTime":"2023-12-31T23:57:00Z","conditions":[{"type":"Complete","status":"False"},{"type":"Suspended","status":"True"}]}})",
       R"(["work","Suspended","1/1 of 3","3m","<unknown>","","","<none>"])"},
      {"batch", "CronJob",
       R"({"metadata":{"name":"nightly","creationTimestamp":"2023-12-25T00:00:00Z"},"spec":{"schedule":"0 2 * * *","timeZone":"Etc/UTC","suspend":false,"jobTemplate":{"spec":{"template":{"spec":{"containers":[{"name":"run","image":"agent:1"}]}}}}},"status":{"active":[{"name":"j1"}],"lastScheduleTime":"2023-12-31T22:00:00Z"}})",
       R"(["nightly","0 2 * * *","Etc/UTC","False",1,"120m","7d","run","agent:1","<none>"])"},
      {"batch", "CronJob", R"({"metadata":{"name":"c2"},"spec":{"schedule":"@hourly"}})",
       R"(["c2","@hourly","<none>","<unset>",0,"<none>","<unknown>","","","<none>"])"},
      {"", "PersistentVolumeClaim",
       R"({"metadata":{"name":"ws"},"spec":{"accessModes":["ReadWriteOnce"],"storageClassName":"standard","volumeMode":"Filesystem"},"status":{"phase":"Pending"}})",
       R"(["ws","Pending","","","","standard","<unset>","<unknown>","Filesystem"])"},
      {"", "PersistentVolumeClaim",
       R"({"metadata":{"name":"bound","annotations":{"volume.beta.kubernetes.io/storage-class":"legacy"},"deletionTimestamp":"2023-12-31T00:00:00Z"},"spec":{"volumeName":"pv-1","storageClassName":"standard"},"status":{"phase":"Bound","capacity":{"storage":"10Gi"},"accessModes":["ReadWriteMany","ReadWriteOnce"]}})",
       R"(["bound","Terminating","pv-1","10Gi","RWO,RWX","legacy","<unset>","<unknown>","<unset>"])"},
      {"networking.k8s.io", "NetworkPolicy", R"({"metadata":{"name":"deny"},"spec":{"podSelector":{}}})",
       R"(["deny","<none>","<unknown>"])"},
      {"networking.k8s.io", "NetworkPolicy",
       R"({"metadata":{"name":"egress"},"spec":{"podSelector":{"matchLabels":{"langop.io/agent":"a"}}}})",
       R"(["egress","langop.io/agent=a","<unknown>"])"},
      {"networking.k8s.io", "Ingress",
       R"({"metadata":{"name":"ing"},"spec":{"ingressClassName":"nginx","rules":[{"host":"a.io"},{},{"host":"b.io"},{"host":"c.io"},{"host":"d.io"}],"tls":[{"hosts":["a.io"]}]},"status":{"loadBalancer":{"ingress":[{"ip":"10.0.0.9"}]}}})",
       R"(["ing","nginx","a.io,b.io,c.io + 2 more...","10.0.0.9","80, 443","<unknown>"])"},
      {"networking.k8s.io", "Ingress", R"({"metadata":{"name":"bare"},"spec":{"defaultBackend":{}}})",
       R"(["bare","<none>","*","","80","<unknown>"])"},
      {"autoscaling", "HorizontalPodAutoscaler",
       R"({"metadata":{"name":"h"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"tool"},"minReplicas":1,"maxReplicas":5,"metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":80}}},{"type":"Pods","pods":{"metric":{"name":"qps"},"target":{"type":"AverageValue","averageValue":"10"}}},{"type":"Resource","resource":{"name":"memory","target":{"type":"AverageValue","averageValue":"1Gi"}}}]},"status":{"currentReplicas":2,"currentMetrics":[{"type":"Resource","resource":{"name":"cpu","current":{"averageUtilization":35}}}]}})",
       R"(["h","Deployment/tool","cpu: 35%/80%, <unknown>/10 + 1 more...","1",5,2,"<unknown>"])"},
      {"autoscaling", "HorizontalPodAutoscaler", R"({"metadata":{"name":"h2"},"spec":{"maxReplicas":3}})",
       R"(["h2","/","<none>","<unset>",3,0,"<unknown>"])"},
      {"policy", "PodDisruptionBudget",
       R"({"metadata":{"name":"pdb"},"spec":{"minAvailable":"50%"},"status":{"disruptionsAllowed":1}})",
       R"(["pdb","50%","N/A",1,"<unknown>"])"},
      {"policy", "PodDisruptionBudget", R"({"metadata":{"name":"pdb2"},"spec":{"maxUnavailable":1}})",
       R"(["pdb2","N/A","1",0,"<unknown>"])"},
      {"", "ResourceQuota",
       R"({"metadata":{"name":"q"},"status":{"hard":{"requests.cpu":"4","limits.memory":"8Gi","pods":"10","limits.cpu":"8"},"used":{"requests.cpu":"500m","pods":"3"}}})",
       R"(["q","pods: 3/10, requests.cpu: 500m/4","limits.cpu: 0/8, limits.memory: 0/8Gi","<unknown>"])"},
      {"coordination.k8s.io", "Lease", R"({"metadata":{"name":"langop-leader"},"spec":{"holderIdentity":"pod-a_1"}})",
       R"(["langop-leader","pod-a_1","<unknown>"])"},
      {"", "Event",
       R"({"metadata":{"name":"agent.17a"},"involvedObject":{"kind":"LanguageAgent","name":"agent","fieldPath":"spec"},"reason":"Created","message":"  created child\n","type":"Normal","firstTimestamp":"2023-12-31T23:50:00Z","lastTimestamp":"2023-12-31T23:59:00Z","count":4,"source":{"component":"langop"}})",
       R"(["60s","Normal","Created","languageagent/agent","spec","langop","created child","10m",4,"agent.17a"])"},
      {"events.k8s.io", "Event",
       R"({"metadata":{"name":"e2"},"regarding":{"kind":"Pod"},"reason":"Pulled","note":"ok","type":"Warning","eventTime":"2023-12-31T23:58:00.123456Z","reportingController":"kubelet","reportingInstance":"node-1","series":{"count":7,"lastObservedTime":"2023-12-31T23:59:50.000000Z"}})",
       R"(["10s","Warning","Pulled","pod","","kubelet, node-1","ok","119s",7,"e2"])"},
      {"", "Pod",
       R"({"metadata":{"name":"p"},"spec":{"containers":[{"name":"a"},{"name":"b"}],"nodeName":"n1"},"status":{"phase":"Running","podIPs":[{"ip":"10.1.0.4"}],"containerStatuses":[{"name":"a","ready":true,"restartCount":2,"state":{"running":{}},"lastState":{"terminated":{"finishedAt":"2023-12-31T23:59:00Z"}}},{"name":"b","ready":false,"state":{"waiting":{"reason":"CrashLoopBackOff"}}}]}})",
       R"J(["p","1/2","CrashLoopBackOff","2 (60s ago)","<unknown>","10.1.0.4","n1","<none>","<none>"])J"},
  };
  for (const auto& r : rows) {
    INFO(r.group << "/" << r.kind << " " << r.object);
    CHECK(cells_of(r.group, r.kind, r.object) == r.want);
  }
}

TEST_CASE("custom resources print their additionalPrinterColumns", "[table]") {
  auto printer_columns = jsonu::parse(R"([
    {"name":"Phase","type":"string","jsonPath":".status.phase"},
    {"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\"Ready\")].status","priority":1},
    {"name":"Replicas","type":"integer","jsonPath":".status.readyReplicas","format":"int32"},
    {"name":"Ratio","type":"number","jsonPath":".status.ratio"},
    {"name":"Suspended","type":"boolean","jsonPath":".spec.suspend","description":"Whether it is paused"},
    {"name":"Synthesized","type":"date","jsonPath":".status.synthesis.lastSynthesisTime"},
    {"name":"Tools","type":"string","jsonPath":".status.tools"},
    {"name":"Age","type":"date","jsonPath":".metadata.creationTimestamp"}
  ])")->get_array();
  auto cols = table_columns("langop.io", "LanguageAgent", &printer_columns);
  REQUIRE(names_of(cols) ==
          std::vector<std::string>{"Name", "Phase", "Ready", "Replicas", "Ratio", "Suspended", "Synthesized", "Tools", "Age"});
  CHECK(cols[2].priority == 1);
  CHECK(cols[3].format == "int32");
  CHECK(cols[5].description == "Whether it is paused");
  CHECK(cols[1].description == "Custom resource definition column (in JSONPath format): .status.phase");
  CHECK(cols[8].type == "date");

  struct row {
    const char* object;
    const char* want;
  };
  const std::vector<row> rows = {
      {R"({"metadata":{"name":"a","creationTimestamp":"2023-12-31T23:00:00Z"},"spec":{"suspend":true},
          "status":{"phase":"Running","readyReplicas":2.9,"ratio":1,"conditions":[{"type":"Synced","status":"x"},{"type":"Ready","status":"True"}],
                    "synthesis":{"lastSynthesisTime":"2023-12-31T23:59:58Z"},"tools":[{"z":1,"a":"<b>"}]}})",
       R"(["a","Running","True",2,1,true,"2s","[{\"a\":\"\\u003cb\\u003e\",\"z\":1}]","60m"])"},
      {R"({"metadata":{"name":"b"}})", R"(["b",null,null,null,null,null,null,null,null])"},
      {R"({"metadata":{"name":"c","creationTimestamp":"garbage"},"spec":{"suspend":"yes"},
          "status":{"phase":3,"readyReplicas":"2","ratio":0.25,"synthesis":{"lastSynthesisTime":""},"tools":null}})",
       R"(["c","3",null,null,2.5E-1,null,"<unknown>","<no value>","<invalid>"])"},
      {R"({"metadata":{"name":"d"},"status":{"phase":1E6,"ratio":1.5E0}})",
       R"(["d","1e+06",null,null,1.5E0,null,null,null,null])"},
  };
  for (const auto& r : rows) {
    INFO(r.object);
    CHECK(jsonu::dump(table_cells("langop.io", "LanguageAgent", cols, obj(r.object), now)) == r.want);
  }
}

TEST_CASE("custom resources without usable printer columns", "[table]") {
  json::array none;
  auto cols = table_columns("langop.io", "LanguageModel", &none);
  REQUIRE(names_of(cols) == std::vector<std::string>{"Name", "Age"});
  CHECK(cols[1].type == "date");
  CHECK(cells_of("langop.io", "LanguageModel", R"({"metadata":{"name":"m","creationTimestamp":"2023-12-31T23:59:00Z"}})",
                 &none) == R"(["m","60s"])");
  CHECK(names_of(table_columns("langop.io", "LanguageModel", nullptr)) == std::vector<std::string>{"Name", "Age"});

  // One bad column makes kube fall back to the default convertor for the whole CRD.
  for (const char* bad : {R"([{"name":"X","type":"string","jsonPath":"status.phase"}])",
                          R"([{"name":"X","type":"string"}])", R"([42])", R"([{"type":"string","jsonPath":".a"}])"}) {
    INFO(bad);
    auto pc = jsonu::parse(bad)->get_array();
    auto fallback = table_columns("langop.io", "LanguageModel", &pc);
    CHECK(names_of(fallback) == std::vector<std::string>{"Name", "Created At"});
    CHECK(cells_of("langop.io", "LanguageModel", R"({"metadata":{"name":"m","creationTimestamp":"2023-12-31T23:59:00+01:00"}})",
                   &pc) == R"(["m","2023-12-31T22:59:00Z"])");
  }
  CHECK(cells_of("apiextensions.k8s.io", "CustomResourceDefinition", R"({"metadata":{"name":"x.langop.io"}})") ==
        R"(["x.langop.io","0001-01-01T00:00:00Z"])");
  // A CRD may not hijack built-in printing by reusing a kind name in its own group.
  CHECK(names_of(table_columns("example.com", "Deployment", &none)) == std::vector<std::string>{"Name", "Age"});
}

TEST_CASE("make_table builds a meta.k8s.io/v1 Table", "[table]") {
  auto a = obj(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"ns","resourceVersion":"7","managedFields":[{"manager":"m"}],"creationTimestamp":"2023-12-31T23:59:00Z"},"data":{"k":"v"}})");
  auto b = obj(R"({"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"b","namespace":"ns"}})");
  auto t = make_table("", "ConfigMap", nullptr, {&a, nullptr, &b}, include_object::metadata, "42", "tok", now);
  CHECK(t["kind"] == "Table");
  CHECK(t["apiVersion"] == "meta.k8s.io/v1");
  CHECK(jsonu::dump(t["metadata"]) == R"({"resourceVersion":"42","continue":"tok"})");
  const auto& defs = t["columnDefinitions"].as_array();
  REQUIRE(defs.size() == 3);
  CHECK(defs[0].as_object().at("name") == "Name");
  CHECK(defs[0].as_object().at("format") == "name");
  CHECK(defs[0].as_object().at("priority") == 0);
  CHECK(defs[1].as_object().at("format") == "");
  CHECK(defs[2].as_object().at("type") == "string");
  CHECK_FALSE(defs[2].as_object().at("description").as_string().empty());
  const auto& rows = t["rows"].as_array();
  REQUIRE(rows.size() == 2);  // the null entry is skipped
  CHECK(jsonu::dump(rows[0].as_object().at("cells")) == R"(["a",1,"60s"])");
  CHECK(jsonu::dump(rows[0].as_object().at("object")) ==
        R"({"kind":"PartialObjectMetadata","apiVersion":"meta.k8s.io/v1","metadata":{"name":"a","namespace":"ns","resourceVersion":"7","managedFields":[{"manager":"m"}],"creationTimestamp":"2023-12-31T23:59:00Z"}})");
  CHECK(jsonu::dump(rows[1].as_object().at("cells")) == R"(["b",0,"<unknown>"])");

  auto none = make_table("", "ConfigMap", nullptr, {&a}, include_object::none, "", "", now);
  CHECK(jsonu::dump(none["metadata"]) == "{}");
  CHECK(none["rows"].as_array()[0].as_object().at("object").is_null());
  auto full = make_table("", "ConfigMap", nullptr, {&a}, include_object::object, "1", "", now);
  CHECK(full["rows"].as_array()[0].as_object().at("object") == json::value(a));
  auto empty = make_table("apps", "Deployment", nullptr, {}, include_object::metadata, "9", "", now);
  CHECK(empty["rows"].as_array().empty());
  CHECK(empty["columnDefinitions"].as_array().size() == 8);

  auto pc = jsonu::parse(R"([{"name":"Phase","type":"string","jsonPath":".status.phase"}])")->get_array();
  auto cr = obj(R"({"metadata":{"name":"x"},"status":{"phase":"Ready"}})");
  auto ct = make_table("langop.io", "LanguageTool", &pc, {&cr}, include_object::metadata, "3", "", now);
  CHECK(jsonu::dump(ct["rows"].as_array()[0].as_object().at("cells")) == R"(["x","Ready"])");
}

TEST_CASE("table rows survive malformed objects of every kind", "[table]") {
  const std::vector<std::pair<const char*, const char*>> kinds = {
      {"", "Namespace"}, {"", "ConfigMap"}, {"", "Secret"}, {"", "Service"}, {"", "ServiceAccount"},
      {"", "PersistentVolumeClaim"}, {"", "ResourceQuota"}, {"", "LimitRange"}, {"", "Event"}, {"", "Pod"},
      {"events.k8s.io", "Event"}, {"apps", "Deployment"}, {"apps", "ReplicaSet"}, {"apps", "StatefulSet"},
      {"batch", "Job"}, {"batch", "CronJob"}, {"networking.k8s.io", "NetworkPolicy"},
      {"networking.k8s.io", "Ingress"}, {"autoscaling", "HorizontalPodAutoscaler"},
      {"policy", "PodDisruptionBudget"}, {"coordination.k8s.io", "Lease"},
      {"apiextensions.k8s.io", "CustomResourceDefinition"}, {"langop.io", "LanguageAgent"}};
  const std::vector<const char*> objects = {
      R"({})",
      R"({"metadata":7,"spec":[],"status":"x"})",
      R"({"metadata":{"name":5,"creationTimestamp":7,"deletionTimestamp":null},"spec":{"replicas":"3","selector":[1],
          "template":{"spec":{"containers":[1,{"name":2,"image":null}]}},"ports":[null,{"port":"x"}],"type":7,
          "rules":[5],"tls":{},"metrics":[{"type":"Resource"},{"type":"Pods"},{"type":"Object","object":7},3],
          "clusterIPs":[1],"jobTemplate":[],"podSelector":"x","minAvailable":{},"schedule":1},
          "status":{"conditions":[1,{"type":3}],"hard":{"cpu":1},"used":[],"loadBalancer":{"ingress":[1,{}]},
          "containerStatuses":[1,{"state":{"terminated":{}}}],"podIPs":[5],"active":{},"currentMetrics":7},
          "series":{"count":"x"},"involvedObject":[],"data":[1,2]})",
  };
  auto printer_columns = jsonu::parse(R"([{"name":"P","type":"integer","jsonPath":".spec..x"}])")->get_array();
  for (const auto& [group, kind] : kinds) {
    auto cols = table_columns(group, kind, &printer_columns);
    for (const char* text : objects) {
      INFO(group << "/" << kind << " " << text);
      auto cells = table_cells(group, kind, cols, obj(text), now);
      CHECK(cells.size() == cols.size());
    }
  }
}
