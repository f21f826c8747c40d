#include "langop/localapi/builtin_kinds.hpp"

#include <catch2/catch.hpp>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

using namespace langop;
using namespace langop::localapi;

namespace {

json::object parse_object(std::string_view text) {
  std::string err;
  auto v = jsonu::parse(text, &err);
  INFO(err << " in " << text);
  REQUIRE(v);
  REQUIRE(v->is_object());
  return v->get_object();
}

json::object fixture(const std::string& name) {
  std::ifstream in(std::string(LANGOP_SOURCE_DIR) + "/tests/fixtures/localapi/" + name);
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  return parse_object(ss.str());
}

json::object defaulted(std::string_view group, std::string_view kind, std::string_view text) {
  auto o = parse_object(text);
  apply_builtin_defaults(group, kind, o);
  return o;
}

struct defaults_case {
  const char* name;
  const char* group;
  const char* kind;
  const char* input;
  const char* want;
};

void run_cases(const std::vector<defaults_case>& cases) {
  for (const auto& c : cases) {
    INFO(c.name);
    auto got = defaulted(c.group, c.kind, c.input);
    auto want = parse_object(c.want);
    INFO("got:  " << jsonu::dump(got));
    INFO("want: " << jsonu::dump(want));
    CHECK(got == want);
    // Defaulting is idempotent: a second pass over stored objects changes nothing.
    auto again = got;
    apply_builtin_defaults(c.group, c.kind, again);
    CHECK(again == got);
  }
}

}  // namespace

TEST_CASE("a minimal Deployment defaults exactly like kube-apiserver", "[builtin]") {
  auto got = fixture("deployment_minimal.json");
  apply_builtin_defaults("apps", "Deployment", got);
  auto want = fixture("deployment_defaulted.json");
  INFO("got: " << jsonu::dump(got));
  CHECK(got == want);
  // The operator's no-op reconcile: the server's own output defaults to itself.
  auto again = want;
  apply_builtin_defaults("apps", "Deployment", again);
  CHECK(again == want);
}

TEST_CASE("workload defaults", "[builtin]") {
  run_cases({
      {"explicit values are kept; Recreate gets no rollingUpdate", "apps", "Deployment",
       R"({"spec":{"replicas":0,"revisionHistoryLimit":2,"progressDeadlineSeconds":60,"strategy":{"type":"Recreate"},
           "template":{"metadata":{"creationTimestamp":"2024-01-01T00:00:00Z"},"spec":{"restartPolicy":"Always","dnsPolicy":"Default",
           "terminationGracePeriodSeconds":0,"securityContext":{"runAsUser":1},"schedulerName":"mine","containers":[]}}}})",
       R"({"spec":{"replicas":0,"revisionHistoryLimit":2,"progressDeadlineSeconds":60,"strategy":{"type":"Recreate"},
           "template":{"metadata":{"creationTimestamp":"2024-01-01T00:00:00Z"},"spec":{"restartPolicy":"Always","dnsPolicy":"Default",
           "terminationGracePeriodSeconds":0,"securityContext":{"runAsUser":1},"schedulerName":"mine","containers":[]}}}})"},
      {"partial rollingUpdate is completed", "apps", "Deployment",
       R"({"spec":{"strategy":{"rollingUpdate":{"maxSurge":1}},"template":{"spec":{}}}})",
       R"({"spec":{"replicas":1,"revisionHistoryLimit":10,"progressDeadlineSeconds":600,
           "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":1,"maxUnavailable":"25%"}},
           "template":{"metadata":{"creationTimestamp":null},"spec":{"dnsPolicy":"ClusterFirst","restartPolicy":"Always",
           "schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30}}}})"},
      {"Job: parallel defaults, selector generated from the uid", "batch", "Job",
       R"({"metadata":{"name":"task","uid":"u-1"},"spec":{"template":{"metadata":{"labels":{"app":"x"}},
           "spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"busybox:1.36"}]}}}})",
       R"({"metadata":{"name":"task","uid":"u-1","labels":{"app":"x"}},"spec":{"completions":1,"parallelism":1,"backoffLimit":6,
           "completionMode":"NonIndexed","suspend":false,"podReplacementPolicy":"TerminatingOrFailed","manualSelector":false,
           "selector":{"matchLabels":{"batch.kubernetes.io/controller-uid":"u-1"}},
           "template":{"metadata":{"creationTimestamp":null,"labels":{"app":"x","job-name":"task","batch.kubernetes.io/job-name":"task",
             "controller-uid":"u-1","batch.kubernetes.io/controller-uid":"u-1"}},
           "spec":{"restartPolicy":"Never","dnsPolicy":"ClusterFirst","schedulerName":"default-scheduler","securityContext":{},
             "terminationGracePeriodSeconds":30,"containers":[{"name":"c","image":"busybox:1.36","imagePullPolicy":"IfNotPresent",
             "resources":{},"terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}]}}}})"},
      {"Job: parallelism only, per-index backoff, failure policy, manual selector", "batch", "Job",
       R"({"metadata":{"name":"j","uid":"u","labels":{"own":"1"}},"spec":{"parallelism":4,"backoffLimitPerIndex":1,"manualSelector":true,
           "selector":{"matchLabels":{"a":"b"}},"podFailurePolicy":{"rules":[{"action":"Ignore","onPodConditions":[{"type":"DisruptionTarget"}]}]},
           "template":{"metadata":{"labels":{"a":"b"}},"spec":{"restartPolicy":"Never"}}}})",
       R"({"metadata":{"name":"j","uid":"u","labels":{"own":"1"}},"spec":{"parallelism":4,"backoffLimitPerIndex":1,"backoffLimit":2147483647,
           "manualSelector":true,"selector":{"matchLabels":{"a":"b"}},"completionMode":"NonIndexed","suspend":false,
           "podFailurePolicy":{"rules":[{"action":"Ignore","onPodConditions":[{"type":"DisruptionTarget","status":"True"}]}]},
           "podReplacementPolicy":"Failed",
           "template":{"metadata":{"creationTimestamp":null,"labels":{"a":"b"}},"spec":{"restartPolicy":"Never","dnsPolicy":"ClusterFirst",
           "schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30}}}})"},
      {"CronJob: controller defaults; the job template gets pod defaults only", "batch", "CronJob",
       R"({"spec":{"schedule":"*/5 * * * *","jobTemplate":{"spec":{"template":{"spec":{"restartPolicy":"OnFailure",
           "containers":[{"name":"run","image":"agent"}]}}}}}})",
       R"({"spec":{"schedule":"*/5 * * * *","concurrencyPolicy":"Allow","suspend":false,"successfulJobsHistoryLimit":3,
           "failedJobsHistoryLimit":1,"jobTemplate":{"metadata":{"creationTimestamp":null},"spec":{"template":{
           "metadata":{"creationTimestamp":null},"spec":{"restartPolicy":"OnFailure","dnsPolicy":"ClusterFirst",
           "schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30,
           "containers":[{"name":"run","image":"agent","imagePullPolicy":"Always","resources":{},
           "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}]}}}}}})"},
      {"StatefulSet", "apps", "StatefulSet",
       R"({"spec":{"volumeClaimTemplates":[{"metadata":{"name":"data"},"spec":{"accessModes":["ReadWriteOnce"]}}],"template":{"spec":{}}}})",
       R"({"spec":{"podManagementPolicy":"OrderedReady","updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"partition":0}},
           "persistentVolumeClaimRetentionPolicy":{"whenDeleted":"Retain","whenScaled":"Retain"},"replicas":1,"revisionHistoryLimit":10,
           "volumeClaimTemplates":[{"metadata":{"name":"data","creationTimestamp":null},"spec":{"accessModes":["ReadWriteOnce"],
           "volumeMode":"Filesystem"},"status":{"phase":"Pending"}}],
           "template":{"metadata":{"creationTimestamp":null},"spec":{"dnsPolicy":"ClusterFirst","restartPolicy":"Always",
           "schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30}}}})"},
      {"DaemonSet", "apps", "DaemonSet", R"({"spec":{"template":{"spec":{}}}})",
       R"({"spec":{"updateStrategy":{"type":"RollingUpdate","rollingUpdate":{"maxUnavailable":1,"maxSurge":0}},"revisionHistoryLimit":10,
           "template":{"metadata":{"creationTimestamp":null},"spec":{"dnsPolicy":"ClusterFirst","restartPolicy":"Always",
           "schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30}}}})"},
  });
}

TEST_CASE("container, probe and volume defaults", "[builtin]") {
  run_cases({
      {"probes: explicit zeros are replaced, grpc service, lifecycle httpGet", "", "PodTemplate",
       R"({"template":{"spec":{"initContainers":[{"name":"init","image":"x@sha256:abc","ports":[{"containerPort":1,"protocol":"UDP"}]}],
           "containers":[{"name":"c","image":"x:v1","imagePullPolicy":"Never",
           "startupProbe":{"grpc":{"port":9090},"timeoutSeconds":0,"periodSeconds":0,"successThreshold":0,"failureThreshold":0},
           "livenessProbe":{"exec":{"command":["true"]},"timeoutSeconds":5,"periodSeconds":7,"successThreshold":1,"failureThreshold":9},
           "lifecycle":{"preStop":{"httpGet":{"port":80,"path":"/stop"}},"postStart":{"exec":{"command":["x"]}}},
           "env":[{"name":"MEM","valueFrom":{"resourceFieldRef":{"resource":"limits.memory"}}},
                  {"name":"IP","valueFrom":{"fieldRef":{"apiVersion":"v1beta9","fieldPath":"status.podIP"}}}]}]}}})",
       R"({"template":{"metadata":{"creationTimestamp":null},"spec":{"dnsPolicy":"ClusterFirst","restartPolicy":"Always",
           "schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30,
           "initContainers":[{"name":"init","image":"x@sha256:abc","imagePullPolicy":"IfNotPresent","resources":{},
             "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File",
             "ports":[{"containerPort":1,"protocol":"UDP"}]}],
           "containers":[{"name":"c","image":"x:v1","imagePullPolicy":"Never","resources":{},
             "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File",
             "startupProbe":{"grpc":{"port":9090,"service":""},"timeoutSeconds":1,"periodSeconds":10,"successThreshold":1,"failureThreshold":3},
             "livenessProbe":{"exec":{"command":["true"]},"timeoutSeconds":5,"periodSeconds":7,"successThreshold":1,"failureThreshold":9},
             "lifecycle":{"preStop":{"httpGet":{"port":80,"path":"/stop","scheme":"HTTP"}},"postStart":{"exec":{"command":["x"]}}},
             "env":[{"name":"MEM","valueFrom":{"resourceFieldRef":{"resource":"limits.memory","divisor":"0"}}},
                    {"name":"IP","valueFrom":{"fieldRef":{"apiVersion":"v1beta9","fieldPath":"status.podIP"}}}]}]}}})"},
      {"volume sources", "", "PodTemplate",
       R"({"template":{"metadata":{"labels":{"a":"b"}},"spec":{"serviceAccount":"legacy","volumes":[
           {"name":"s","secret":{"secretName":"x"}},
           {"name":"m","configMap":{"name":"x","defaultMode":256}},
           {"name":"d","downwardAPI":{"items":[{"path":"l","fieldRef":{"fieldPath":"metadata.labels"}}]}},
           {"name":"p","projected":{"sources":[{"serviceAccountToken":{"path":"t"}},{"downwardAPI":{"items":[{"path":"n","fieldRef":{"fieldPath":"metadata.name"}}]}},
                                               {"configMap":{"name":"c"}}]}},
           {"name":"h","hostPath":{"path":"/var"}},
           {"name":"e","ephemeral":{"volumeClaimTemplate":{"spec":{"accessModes":["ReadWriteOnce"]}}}},
           {"name":"n","emptyDir":{"medium":"Memory"}},
           {"name":"z","persistentVolumeClaim":null}]}}})",
       R"({"template":{"metadata":{"labels":{"a":"b"},"creationTimestamp":null},"spec":{"serviceAccount":"legacy","serviceAccountName":"legacy",
           "dnsPolicy":"ClusterFirst","restartPolicy":"Always","schedulerName":"default-scheduler","securityContext":{},
           "terminationGracePeriodSeconds":30,"volumes":[
           {"name":"s","secret":{"secretName":"x","defaultMode":420}},
           {"name":"m","configMap":{"name":"x","defaultMode":256}},
           {"name":"d","downwardAPI":{"defaultMode":420,"items":[{"path":"l","fieldRef":{"apiVersion":"v1","fieldPath":"metadata.labels"}}]}},
           {"name":"p","projected":{"defaultMode":420,"sources":[{"serviceAccountToken":{"path":"t","expirationSeconds":3600}},
             {"downwardAPI":{"items":[{"path":"n","fieldRef":{"apiVersion":"v1","fieldPath":"metadata.name"}}]}},{"configMap":{"name":"c"}}]}},
           {"name":"h","hostPath":{"path":"/var","type":""}},
           {"name":"e","ephemeral":{"volumeClaimTemplate":{"spec":{"accessModes":["ReadWriteOnce"],"volumeMode":"Filesystem"}}}},
           {"name":"n","emptyDir":{"medium":"Memory"}},
           {"name":"z","persistentVolumeClaim":null,"emptyDir":{}}]}}})"},
      {"Pod: requests from limits, service links, host network ports", "", "Pod",
       R"({"spec":{"hostNetwork":true,"containers":[{"name":"c","image":"x:latest","ports":[{"containerPort":80},{"containerPort":81,"hostPort":9}],
           "resources":{"limits":{"cpu":"1","memory":"1Gi"},"requests":{"cpu":"100m"}}}]}})",
       R"({"spec":{"hostNetwork":true,"enableServiceLinks":true,"dnsPolicy":"ClusterFirst","restartPolicy":"Always",
           "schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30,
           "containers":[{"name":"c","image":"x:latest","imagePullPolicy":"Always","terminationMessagePath":"/dev/termination-log",
           "terminationMessagePolicy":"File","ports":[{"containerPort":80,"hostPort":80,"protocol":"TCP"},{"containerPort":81,"hostPort":9,"protocol":"TCP"}],
           "resources":{"limits":{"cpu":"1","memory":"1Gi"},"requests":{"cpu":"100m","memory":"1Gi"}}}]}})"},
  });
}

TEST_CASE("imagePullPolicy follows the image reference", "[builtin]") {
  struct row {
    const char* image;
    const char* policy;
  };
  const std::vector<row> rows = {
      {"nginx", "Always"},
      {"nginx:latest", "Always"},
      {"nginx:1.27", "IfNotPresent"},
      {"docker.io/library/nginx", "Always"},
      {"localhost:5000/agent", "Always"},
      {"localhost:5000/agent:v2", "IfNotPresent"},
      {"registry.example.com:443/team/agent:latest", "Always"},
      {"ghcr.io/x/y@sha256:0123abcd", "IfNotPresent"},
      {"ghcr.io/x/y:latest@sha256:0123abcd", "Always"},
      {"Nginx", "IfNotPresent"},  // invalid reference: no tag is known
      {"MyRegistry/nginx", "Always"},  // an upper-case first component is a registry host
      {"", "IfNotPresent"},
      {"nginx:", "IfNotPresent"},
  };
  for (const auto& r : rows) {
    INFO(r.image);
    json::object pod = parse_object(R"({"spec":{"containers":[{"name":"c"}]}})");
    pod["spec"].as_object()["containers"].as_array()[0].as_object()["image"] = r.image;
    apply_builtin_defaults("", "Pod", pod);
    CHECK(pod["spec"].as_object()["containers"].as_array()[0].as_object()["imagePullPolicy"] == r.policy);
  }
}

TEST_CASE("quantities are written back in resource.Quantity canonical form", "[builtin]") {
  struct row {
    json::value in;
    const char* want;
  };
  const std::vector<row> rows = {
      {"1000m", "1"},          {"0.5", "500m"},        {"1.5Gi", "1536Mi"},   {"1024Mi", "1Gi"},
      {"1000", "1k"},          {"1e3", "1e3"},         {"12e0", "12"},        {"2e-3", "2e-3"},
      {"100Mi", "100Mi"},      {"0.1", "100m"},        {"1500m", "1500m"},    {"2000Mi", "2000Mi"},
      {"1073741824", "1073741824"}, {"1023Ki", "1023Ki"}, {"0", "0"},         {"0Gi", "0"},
      {"10Gi", "10Gi"},        {"0.5Gi", "512Mi"},     {"1.5", "1500m"},      {"5000k", "5M"},
      {"3.5Ki", "3584"},       {"0.5Ki", "512"},       {"1.1Ki", "1126400m"}, {"+1", "1"},
      {"1E", "1E"},            {"0.0001", "1m"},       {"100u", "1m"},        {"-1", "-1"},
      {json::value(2), "2"},   {json::value(0.25), "250m"}, {"banana", "banana"}, {"1..5", "1..5"},
  };
  for (const auto& r : rows) {
    INFO(jsonu::dump(r.in));
    json::object pod = parse_object(R"({"spec":{"containers":[{"name":"c","image":"x:1","resources":{"limits":{}}}]}})");
    auto& limits = pod["spec"].as_object()["containers"].as_array()[0].as_object()["resources"].as_object()["limits"].as_object();
    limits["cpu"] = r.in;
    apply_builtin_defaults("", "Pod", pod);
    const auto& c = pod["spec"].as_object()["containers"].as_array()[0].as_object()["resources"].as_object();
    CHECK(c.at("limits").as_object().at("cpu") == r.want);
    CHECK(c.at("requests").as_object().at("cpu") == r.want);  // a Pod's requests default to its limits
  }
  // Outside resource lists there is no milli rounding.
  auto hpa = defaulted("autoscaling", "HorizontalPodAutoscaler",
                       R"({"spec":{"metrics":[{"type":"Pods","pods":{"target":{"type":"AverageValue","averageValue":"0.0001"}}}]}})");
  CHECK(hpa["spec"].as_object()["metrics"].as_array()[0].as_object()["pods"].as_object()["target"].as_object()["averageValue"] == "100u");
  auto quota = defaulted("", "ResourceQuota", R"({"spec":{"hard":{"requests.memory":"2048Mi","pods":10}}})");
  CHECK(jsonu::dump(quota) == R"({"spec":{"hard":{"requests.memory":"2Gi","pods":"10"}}})");
  auto pvc = defaulted("", "PersistentVolumeClaim", R"({"spec":{"resources":{"requests":{"storage":"1024Mi"}}}})");
  CHECK(pvc["spec"].as_object()["resources"].as_object()["requests"].as_object()["storage"] == "1Gi");
}

TEST_CASE("service, storage, policy and namespace defaults", "[builtin]") {
  run_cases({
      {"ClusterIP service", "", "Service",
       R"({"spec":{"selector":{"app":"a"},"ports":[{"port":80},{"name":"m","port":9090,"targetPort":"metrics","protocol":"UDP"},{"port":81,"targetPort":0}]}})",
       R"({"spec":{"selector":{"app":"a"},"type":"ClusterIP","sessionAffinity":"None","internalTrafficPolicy":"Cluster",
           "ipFamilyPolicy":"SingleStack","ipFamilies":["IPv4"],
           "ports":[{"port":80,"protocol":"TCP","targetPort":80},{"name":"m","port":9090,"targetPort":"metrics","protocol":"UDP"},
                    {"port":81,"targetPort":81,"protocol":"TCP"}]}})"},
      {"LoadBalancer with ClientIP affinity", "", "Service",
       R"({"spec":{"type":"LoadBalancer","sessionAffinity":"ClientIP","ports":[{"port":443,"targetPort":""}]}})",
       R"({"spec":{"type":"LoadBalancer","sessionAffinity":"ClientIP","sessionAffinityConfig":{"clientIP":{"timeoutSeconds":10800}},
           "externalTrafficPolicy":"Cluster","internalTrafficPolicy":"Cluster","allocateLoadBalancerNodePorts":true,
           "ipFamilyPolicy":"SingleStack","ipFamilies":["IPv4"],"ports":[{"port":443,"targetPort":443,"protocol":"TCP"}]}})"},
      {"ExternalName drops affinity config and gets no IP families", "", "Service",
       R"({"spec":{"type":"ExternalName","externalName":"db.example.com","sessionAffinityConfig":{"clientIP":{"timeoutSeconds":5}}}})",
       R"({"spec":{"type":"ExternalName","externalName":"db.example.com","sessionAffinity":"None"}})"},
      {"headless without selector; IPv6 clusterIP", "", "Service",
       R"({"spec":{"clusterIP":"None","externalIPs":["1.2.3.4"]}})",
       R"({"spec":{"clusterIP":"None","externalIPs":["1.2.3.4"],"type":"ClusterIP","sessionAffinity":"None",
           "externalTrafficPolicy":"Cluster","internalTrafficPolicy":"Cluster","ipFamilyPolicy":"RequireDualStack","ipFamilies":["IPv4"]}})"},
      {"IPv6 clusterIP", "", "Service", R"({"spec":{"clusterIP":"fd00::10","type":"NodePort","selector":{"a":"b"}}})",
       R"({"spec":{"clusterIP":"fd00::10","type":"NodePort","selector":{"a":"b"},"sessionAffinity":"None","externalTrafficPolicy":"Cluster",
           "internalTrafficPolicy":"Cluster","ipFamilyPolicy":"SingleStack","ipFamilies":["IPv6"]}})"},
      {"PVC", "", "PersistentVolumeClaim", R"({"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}})",
       R"({"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}},"volumeMode":"Filesystem"},
           "status":{"phase":"Pending"}})"},
      {"NetworkPolicy with egress", "networking.k8s.io", "NetworkPolicy",
       R"({"spec":{"podSelector":{},"egress":[{"ports":[{"port":53},{"port":53,"protocol":"UDP"}]}],"ingress":[{"ports":[{"port":80}]}]}})",
       R"({"spec":{"podSelector":{},"policyTypes":["Ingress","Egress"],"egress":[{"ports":[{"port":53,"protocol":"TCP"},{"port":53,"protocol":"UDP"}]}],
           "ingress":[{"ports":[{"port":80,"protocol":"TCP"}]}]}})"},
      {"NetworkPolicy: explicit policyTypes kept, empty egress means Ingress only", "networking.k8s.io", "NetworkPolicy",
       R"({"spec":{"podSelector":{},"egress":[]}})", R"({"spec":{"podSelector":{},"egress":[],"policyTypes":["Ingress"]}})"},
      {"NetworkPolicy: explicit policyTypes", "networking.k8s.io", "NetworkPolicy", R"({"spec":{"policyTypes":["Egress"]}})",
       R"({"spec":{"policyTypes":["Egress"]}})"},
      {"Secret: type and stringData folded into data", "", "Secret",
       R"({"data":{"a":"b2xk","keep":"eA=="},"stringData":{"a":"new","api-key":"sk-12","e":""}})",
       R"({"type":"Opaque","data":{"a":"bmV3","keep":"eA==","api-key":"c2stMTI=","e":""}})"},
      {"Secret: explicit type", "", "Secret", R"({"type":"kubernetes.io/tls"})", R"({"type":"kubernetes.io/tls"})"},
      {"Namespace", "", "Namespace", R"({"metadata":{"name":"team-a","labels":{"kubernetes.io/metadata.name":"spoofed"}}})",
       R"({"metadata":{"name":"team-a","labels":{"kubernetes.io/metadata.name":"team-a"}},"spec":{"finalizers":["kubernetes"]},
           "status":{"phase":"Active"}})"},
      {"Namespace keeps other finalizers and phase", "", "Namespace",
       R"({"metadata":{"name":"n"},"spec":{"finalizers":["example.com/x"]},"status":{"phase":"Terminating"}})",
       R"({"metadata":{"name":"n","labels":{"kubernetes.io/metadata.name":"n"}},"spec":{"finalizers":["example.com/x","kubernetes"]},
           "status":{"phase":"Terminating"}})"},
      {"Namespace being deleted keeps its finalizers as they are", "", "Namespace",
       R"({"metadata":{"name":"n","deletionTimestamp":"2024-01-01T00:00:00Z"},"spec":{"finalizers":[]}})",
       R"({"metadata":{"name":"n","deletionTimestamp":"2024-01-01T00:00:00Z","labels":{"kubernetes.io/metadata.name":"n"}},
           "spec":{"finalizers":[]},"status":{"phase":"Active"}})"},
      {"ConfigMap and ServiceAccount are untouched", "", "ConfigMap", R"({"data":{"a":"b"}})", R"({"data":{"a":"b"}})"},
      {"LimitRange container item", "", "LimitRange",
       R"({"spec":{"limits":[{"type":"Container","max":{"cpu":"2","memory":"1Gi"},"default":{"memory":"512Mi"},"min":{"cpu":"100m","ephemeral-storage":"1Gi"}},
           {"type":"Pod","max":{"cpu":"4"}}]}})",
       R"({"spec":{"limits":[{"type":"Container","max":{"cpu":"2","memory":"1Gi"},"default":{"memory":"512Mi","cpu":"2"},
           "defaultRequest":{"memory":"512Mi","cpu":"2","ephemeral-storage":"1Gi"},"min":{"cpu":"100m","ephemeral-storage":"1Gi"}},
           {"type":"Pod","max":{"cpu":"4"}}]}})"},
  });
}

TEST_CASE("autoscaling and CRD defaults", "[builtin]") {
  run_cases({
      {"HPA v2 without metrics or behavior", "autoscaling", "HorizontalPodAutoscaler",
       R"({"apiVersion":"autoscaling/v2","spec":{"maxReplicas":5,"scaleTargetRef":{"kind":"Deployment","name":"t","apiVersion":"apps/v1"}}})",
       R"({"apiVersion":"autoscaling/v2","spec":{"maxReplicas":5,"minReplicas":1,"scaleTargetRef":{"kind":"Deployment","name":"t","apiVersion":"apps/v1"},
           "metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":80}}}]}})"},
      {"HPA v2 behavior is completed field by field", "autoscaling", "HorizontalPodAutoscaler",
       R"({"spec":{"minReplicas":2,"maxReplicas":5,"metrics":[{"type":"Pods"}],"behavior":{"scaleDown":{"stabilizationWindowSeconds":60}}}})",
       R"({"spec":{"minReplicas":2,"maxReplicas":5,"metrics":[{"type":"Pods"}],"behavior":{
           "scaleUp":{"stabilizationWindowSeconds":0,"selectPolicy":"Max","policies":[{"type":"Pods","value":4,"periodSeconds":15},
                                                                                     {"type":"Percent","value":100,"periodSeconds":15}]},
           "scaleDown":{"stabilizationWindowSeconds":60,"selectPolicy":"Max","policies":[{"type":"Percent","value":100,"periodSeconds":15}]}}}})"},
      {"HPA v1 defaults only minReplicas", "autoscaling", "HorizontalPodAutoscaler",
       R"({"apiVersion":"autoscaling/v1","spec":{"maxReplicas":3}})",
       R"({"apiVersion":"autoscaling/v1","spec":{"maxReplicas":3,"minReplicas":1}})"},
      {"PodDisruptionBudget has no defaults", "policy", "PodDisruptionBudget", R"({"spec":{"minAvailable":1}})",
       R"({"spec":{"minAvailable":1}})"},
      {"CRD names and conversion", "apiextensions.k8s.io", "CustomResourceDefinition",
       R"({"spec":{"group":"langop.io","names":{"kind":"LanguageAgent","plural":"languageagents"},"scope":"Namespaced"}})",
       R"({"spec":{"group":"langop.io","names":{"kind":"LanguageAgent","plural":"languageagents","singular":"languageagent",
           "listKind":"LanguageAgentList"},"scope":"Namespaced","conversion":{"strategy":"None"}}})"},
      {"CRD webhook service port", "apiextensions.k8s.io", "CustomResourceDefinition",
       R"({"spec":{"names":{"kind":"X","singular":"ex","listKind":"XItems"},"conversion":{"strategy":"Webhook","webhook":{"clientConfig":{"service":{"name":"s","namespace":"n"}}}}}})",
       R"({"spec":{"names":{"kind":"X","singular":"ex","listKind":"XItems"},"conversion":{"strategy":"Webhook","webhook":{"clientConfig":{"service":{"name":"s","namespace":"n","port":443}}}}}})"},
  });
}

TEST_CASE("defaulting never crashes on malformed objects and leaves wrong types alone", "[builtin]") {
  const std::vector<std::pair<const char*, const char*>> kinds = {
      {"apps", "Deployment"}, {"apps", "ReplicaSet"}, {"apps", "StatefulSet"}, {"apps", "DaemonSet"},
      {"batch", "Job"}, {"batch", "CronJob"}, {"", "Pod"}, {"", "PodTemplate"}, {"", "Service"}, {"", "Secret"},
      {"", "Namespace"}, {"", "PersistentVolumeClaim"}, {"", "LimitRange"}, {"", "ReplicationController"}, {"", "Endpoints"},
      {"networking.k8s.io", "NetworkPolicy"}, {"autoscaling", "HorizontalPodAutoscaler"},
      {"apiextensions.k8s.io", "CustomResourceDefinition"}, {"langop.io", "LanguageAgent"}};
  const std::vector<const char*> inputs = {
      R"({})",
      R"({"spec":"x","metadata":7,"status":[]})",
      R"({"spec":{"template":5,"jobTemplate":"x","strategy":[],"ports":{},"selector":1,"policyTypes":"x","egress":7,
          "limits":[1,{"type":"Container","max":"x"}],"names":[],"conversion":3,"metrics":{},"behavior":[]},
          "metadata":{"name":3,"uid":[],"labels":"x"},"stringData":{"a":1},"data":"x","subsets":[1]})",
      R"({"spec":{"template":{"metadata":[],"spec":{"containers":[1,{"image":7,"ports":"x","env":[{"valueFrom":3}],
          "livenessProbe":[],"readinessProbe":{"httpGet":"x","timeoutSeconds":"1"}}],"volumes":[1,{"name":2},{"secret":3}],
          "initContainers":{}}},"jobTemplate":{"spec":{"template":[]}},"ports":[{"targetPort":{}},1]}})",
  };
  for (const auto& [group, kind] : kinds) {
    for (const char* text : inputs) {
      INFO(group << "/" << kind << " " << text);
      auto o = parse_object(text);
      apply_builtin_defaults(group, kind, o);
      auto again = o;
      apply_builtin_defaults(group, kind, again);
      CHECK(again == o);
    }
  }
  // A wrong type is not "repaired" into a default.
  auto d = defaulted("apps", "Deployment", R"({"spec":{"replicas":"3","template":{"spec":{"containers":[{"name":"c","image":"x:1","imagePullPolicy":5}]}}}})");
  CHECK(d["spec"].as_object()["replicas"] == "3");
  CHECK(d["spec"].as_object()["template"].as_object()["spec"].as_object()["containers"].as_array()[0].as_object()["imagePullPolicy"] == 5);
  auto s = defaulted("", "Secret", R"({"stringData":{"a":1}})");
  CHECK(s.contains("stringData"));  // left for validation to reject
}
