#include "langop/localapi/builtin_kinds.hpp"

#include <catch2/catch.hpp>

#include <algorithm>
#include <fstream>
#include <functional>
#include <random>
#include <sstream>
#include <string>
#include <vector>

using namespace langop;
using namespace langop::localapi;

namespace {

json::value parse(std::string_view text) {
  std::string err;
  auto v = jsonu::parse(text, &err);
  INFO(err << " in " << text);
  REQUIRE(v);
  return *v;
}

// RFC 7386 merge patch, so cases read as "valid base + the one change under test".
void merge(json::value& target, const json::value& patch) {
  if (!patch.is_object()) {
    target = patch;
    return;
  }
  if (!target.is_object()) target = json::object{};
  auto& t = target.as_object();
  for (const auto& kv : patch.as_object()) {
    if (kv.value().is_null()) t.erase(kv.key());
    else merge(t[kv.key()], kv.value());
  }
}

json::object build(std::string_view group, std::string_view kind, std::string_view base, std::string_view patch = "{}") {
  json::value v = parse(base);
  apply_builtin_defaults(group, kind, v.as_object());
  merge(v, parse(patch));
  return v.as_object();
}

// "Type field: message" per cause, sorted, for order-independent comparison.
std::vector<std::string> causes_of(std::string_view group, std::string_view kind, const json::object& o,
                                   const json::object* old = nullptr) {
  std::vector<std::string> out;
  for (const auto& c : validate_builtin(group, kind, o, old)) out.push_back(c.type + " " + c.field + ": " + c.message);
  std::sort(out.begin(), out.end());
  return out;
}

using strings = std::vector<std::string>;
strings sorted(strings s) {
  std::sort(s.begin(), s.end());
  return s;
}

const char* const deployment = R"({"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","namespace":"ns"},
  "spec":{"selector":{"matchLabels":{"app":"web"}},"template":{"metadata":{"labels":{"app":"web"}},
  "spec":{"containers":[{"name":"web","image":"nginx:1.27","ports":[{"name":"http","containerPort":80}],
  "volumeMounts":[{"name":"data","mountPath":"/data"}]}],"volumes":[{"name":"data"}]}}}})";

const char* const cronjob = R"({"metadata":{"name":"nightly"},"spec":{"schedule":"0 2 * * *","jobTemplate":{"spec":{
  "template":{"spec":{"restartPolicy":"OnFailure","containers":[{"name":"run","image":"agent:1"}]}}}}}})";

const char* const job = R"({"metadata":{"name":"task","uid":"3f1c"},"spec":{"template":{"spec":{"restartPolicy":"Never",
  "containers":[{"name":"run","image":"agent:1"}]}}}})";

const char* const service = R"({"metadata":{"name":"web"},"spec":{"selector":{"app":"web"},"ports":[{"name":"http","port":80}]}})";

struct case_ {
  const char* name;
  const char* patch;
  strings want;
};

void run(std::string_view group, std::string_view kind, std::string_view base, const std::vector<case_>& cases) {
  for (const auto& c : cases) {
    INFO(c.name);
    CHECK(causes_of(group, kind, build(group, kind, base, c.patch)) == sorted(c.want));
  }
}

// Like run, but the patch is part of what the user sent: defaults apply after it.
void run_user(std::string_view group, std::string_view kind, std::string_view base, const std::vector<case_>& cases) {
  for (const auto& c : cases) {
    INFO(c.name);
    json::value v = parse(base);
    merge(v, parse(c.patch));
    apply_builtin_defaults(group, kind, v.as_object());
    CHECK(causes_of(group, kind, v.as_object()) == sorted(c.want));
  }
}

}  // namespace

TEST_CASE("defaulted objects of every kind validate cleanly", "[builtin]") {
  struct row {
    const char* group;
    const char* kind;
    const char* object;
  };
  const std::vector<row> rows = {
      {"apps", "Deployment", deployment},
      {"batch", "CronJob", cronjob},
      {"batch", "Job", job},
      {"", "Service", service},
      {"", "Service", R"({"metadata":{"name":"headless"},"spec":{"clusterIP":"None","selector":{"a":"b"}}})"},
      {"", "Service", R"({"metadata":{"name":"ext"},"spec":{"type":"ExternalName","externalName":"db.example.com."}})"},
      {"", "ConfigMap", R"({"metadata":{"name":"c"},"data":{"config.yaml":"a: 1","KEY_2":"x"},"binaryData":{"blob":"AAEC"}})"},
      {"", "Secret", R"({"metadata":{"name":"s"},"stringData":{"api-key":"sk-live-123"}})"},
      {"", "Secret", R"({"metadata":{"name":"t"},"type":"kubernetes.io/tls","data":{"tls.crt":"Y2VydA==","tls.key":"a2V5"}})"},
      {"", "Namespace", R"({"metadata":{"name":"team-a"}})"},
      {"", "ServiceAccount", R"({"metadata":{"name":"agent"}})"},
      {"", "PersistentVolumeClaim", R"({"metadata":{"name":"ws"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"10Gi"}},"storageClassName":"standard"}})"},
      {"", "ResourceQuota", R"({"metadata":{"name":"q"},"spec":{"hard":{"requests.cpu":"4","limits.memory":"8Gi","pods":"10"}}})"},
      {"", "LimitRange", R"({"metadata":{"name":"l"},"spec":{"limits":[{"type":"Container","default":{"cpu":"500m"},"defaultRequest":{"cpu":"100m"},"max":{"cpu":"2"}}]}})"},
      {"networking.k8s.io", "NetworkPolicy",
       R"({"metadata":{"name":"agent-egress"},"spec":{"podSelector":{"matchLabels":{"langop.io/agent":"a"}},"egress":[
          {"to":[{"namespaceSelector":{"matchLabels":{"kubernetes.io/metadata.name":"kube-system"}},"podSelector":{"matchLabels":{"k8s-app":"kube-dns"}}}],
           "ports":[{"port":53,"protocol":"UDP"},{"port":53}]},
          {"to":[{"ipBlock":{"cidr":"10.0.0.0/8","except":["10.1.0.0/16"]}},{"ipBlock":{"cidr":"2001:db8::/32","except":["2001:db8:1::/48"]}}],
           "ports":[{"port":443,"endPort":8443},{"port":"https"}]}]}})"},
      {"networking.k8s.io", "Ingress",
       R"({"metadata":{"name":"client"},"spec":{"ingressClassName":"nginx","tls":[{"hosts":["agent.example.com"],"secretName":"tls"}],
          "rules":[{"host":"agent.example.com","http":{"paths":[{"path":"/","pathType":"Prefix","backend":{"service":{"name":"agent","port":{"number":80}}}}]}},
                   {"host":"*.example.com","http":{"paths":[{"pathType":"ImplementationSpecific","backend":{"service":{"name":"agent","port":{"name":"http"}}}}]}}]}})"},
      {"autoscaling", "HorizontalPodAutoscaler",
       R"({"metadata":{"name":"tool"},"spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"tool"},"maxReplicas":5,
          "behavior":{"scaleDown":{"stabilizationWindowSeconds":300}}}})"},
      {"policy", "PodDisruptionBudget", R"({"metadata":{"name":"tool"},"spec":{"minAvailable":"50%","selector":{"matchLabels":{"a":"b"}}}})"},
      {"coordination.k8s.io", "Lease", R"({"metadata":{"name":"langop"},"spec":{"holderIdentity":"a","leaseDurationSeconds":15,"leaseTransitions":0}})"},
      {"langop.io", "LanguageAgent", R"({"spec":{"replicas":"anything"}})"},  // not a built-in: no checks here
  };
  for (const auto& r : rows) {
    INFO(r.group << "/" << r.kind << " " << r.object);
    CHECK(causes_of(r.group, r.kind, build(r.group, r.kind, r.object)).empty());
  }
}

TEST_CASE("the operator-shaped Deployment fixture validates cleanly once defaulted", "[builtin]") {
  std::ifstream in(std::string(LANGOP_SOURCE_DIR) + "/tests/fixtures/localapi/deployment_minimal.json");
  REQUIRE(in.good());
  std::stringstream ss;
  ss << in.rdbuf();
  json::value v = parse(ss.str());
  CHECK_FALSE(causes_of("apps", "Deployment", v.as_object()).empty());  // undefaulted: policies missing
  apply_builtin_defaults("apps", "Deployment", v.as_object());
  CHECK(causes_of("apps", "Deployment", v.as_object()).empty());
}

TEST_CASE("deployment validation reports kube's causes", "[builtin]") {
  const char* label_msg =
      "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end "
      "with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
      "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')";
  run("apps", "Deployment", deployment, {
      {"valid", "{}", {}},
      {"bad container name, missing image", R"({"spec":{"template":{"spec":{"containers":[{"name":"Web_1","image":"","ports":[],"terminationMessagePolicy":"File","imagePullPolicy":"Always"}]}}}})",
       {std::string("FieldValueInvalid spec.template.spec.containers[0].name: Invalid value: \"Web_1\": ") + label_msg,
        "FieldValueRequired spec.template.spec.containers[0].image: Required value"}},
      {"duplicate container names and no containers", R"({"spec":{"template":{"spec":{"initContainers":[{"name":"web","image":"x","terminationMessagePolicy":"File","imagePullPolicy":"Always"}]}}}})",
       {"FieldValueDuplicate spec.template.spec.initContainers[0].name: Duplicate value: \"web\""}},
      {"negative replicas", R"({"spec":{"replicas":-1}})",
       {"FieldValueInvalid spec.replicas: Invalid value: -1: must be greater than or equal to 0"}},
      {"wrong JSON type", R"({"spec":{"replicas":"3"}})",
       {"FieldValueTypeInvalid spec.replicas: Invalid value: \"3\": must be of type integer"}},
      {"selector missing", R"({"spec":{"selector":null}})",
       {"FieldValueRequired spec.selector: Required value",
        "FieldValueInvalid spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`"}},
      {"selector mismatch", R"({"spec":{"selector":{"matchLabels":{"app":"api"}}}})",
       {"FieldValueInvalid spec.template.metadata.labels: Invalid value: map[string]string{\"app\":\"web\"}: `selector` does not match template `labels`"}},
      {"empty selector", R"({"spec":{"selector":{"matchLabels":null}}})",
       {"FieldValueInvalid spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string(nil), MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: empty selector is invalid for deployment"}},
      {"bad selector operator", R"({"spec":{"selector":{"matchExpressions":[{"key":"app","operator":"Like","values":["web"]}]}}})",
       {"FieldValueInvalid spec.selector.matchExpressions[0].operator: Invalid value: \"Like\": not a valid selector operator",
        "FieldValueInvalid spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web\"}, MatchExpressions:[]v1.LabelSelectorRequirement{v1.LabelSelectorRequirement{Key:\"app\", Operator:\"Like\", Values:[]string{\"web\"}}}}: invalid label selector"}},
      {"restart policy", R"({"spec":{"template":{"spec":{"restartPolicy":"OnFailure"}}}})",
       {"FieldValueNotSupported spec.template.spec.restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\""}},
      {"recreate with rollingUpdate", R"({"spec":{"strategy":{"type":"Recreate"}}})",
       {"FieldValueForbidden spec.strategy.rollingUpdate: Forbidden: may not be specified when strategy `type` is 'Recreate'"}},
      {"zero surge and unavailable", R"({"spec":{"strategy":{"rollingUpdate":{"maxSurge":0,"maxUnavailable":"0%"}}}})",
       {"FieldValueInvalid spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"0%\"}: may not be 0 when `maxSurge` is 0"}},
      {"percent over 100 and malformed", R"({"spec":{"strategy":{"rollingUpdate":{"maxSurge":"x%","maxUnavailable":"150%"}}}})",
       {"FieldValueInvalid spec.strategy.rollingUpdate.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"150%\"}: must not be greater than 100%",
        "FieldValueInvalid spec.strategy.rollingUpdate.maxSurge: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"x%\"}: a valid percent string must be a numeric string followed by an ending '%' (e.g. '1%',  or '93%', regex used for validation is '[0-9]+%')"}},
      {"unknown strategy", R"({"spec":{"strategy":{"type":"BlueGreen","rollingUpdate":null}}})",
       {"FieldValueNotSupported spec.strategy: Unsupported value: apps.DeploymentStrategy{Type:\"BlueGreen\", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}: supported values: \"Recreate\", \"RollingUpdate\""}},
      {"progress deadline", R"({"spec":{"minReadySeconds":30,"progressDeadlineSeconds":30}})",
       {"FieldValueInvalid spec.progressDeadlineSeconds: Invalid value: 30: must be greater than minReadySeconds"}},
  });
}

TEST_CASE("pod template validation inside workloads", "[builtin]") {
  auto with_container = [](const char* container) {
    return std::string(R"({"spec":{"template":{"spec":{"containers":[)") + container + "]}}}}";
  };
  const std::string base_ctr = R"("name":"web","image":"nginx","imagePullPolicy":"Always","terminationMessagePolicy":"File")";
  struct row {
    const char* name;
    std::string container;
    strings want;
  };
  const std::vector<row> rows = {
      {"ports", "{" + base_ctr + R"(,"ports":[{"name":"http","containerPort":80,"protocol":"TCP"},{"name":"http","containerPort":70000,"protocol":"HTTP"},{"name":"a-very-long-port-name","containerPort":0,"protocol":"UDP"}]})",
       {"FieldValueDuplicate spec.template.spec.containers[0].ports[1].name: Duplicate value: \"http\"",
        "FieldValueInvalid spec.template.spec.containers[0].ports[1].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
        "FieldValueNotSupported spec.template.spec.containers[0].ports[1].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
        "FieldValueInvalid spec.template.spec.containers[0].ports[2].name: Invalid value: \"a-very-long-port-name\": must be no more than 15 characters",
        "FieldValueRequired spec.template.spec.containers[0].ports[2].containerPort: Required value"}},
      {"mounts", "{" + base_ctr + R"(,"volumeMounts":[{"name":"data","mountPath":"/d"},{"name":"nope","mountPath":"/d"}]})",
       {"FieldValueNotFound spec.template.spec.containers[0].volumeMounts[1].name: Not found: \"nope\"",
        "FieldValueInvalid spec.template.spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"/d\": must be unique"}},
      {"probes", "{" + base_ctr + R"(,"livenessProbe":{"successThreshold":2,"periodSeconds":10,"timeoutSeconds":1,"failureThreshold":3,"httpGet":{"port":80,"path":"/","scheme":"FTP"}},"readinessProbe":{"periodSeconds":-1,"timeoutSeconds":1,"successThreshold":1,"failureThreshold":3},"startupProbe":{"exec":{"command":["x"]},"tcpSocket":{"port":"h"},"successThreshold":1,"failureThreshold":1,"periodSeconds":1,"timeoutSeconds":1}})",
       {"FieldValueInvalid spec.template.spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
        "FieldValueNotSupported spec.template.spec.containers[0].livenessProbe.httpGet.scheme: Unsupported value: \"FTP\": supported values: \"HTTP\", \"HTTPS\"",
        "FieldValueRequired spec.template.spec.containers[0].readinessProbe: Required value: must specify a handler type",
        "FieldValueInvalid spec.template.spec.containers[0].readinessProbe.periodSeconds: Invalid value: -1: must be greater than or equal to 0",
        "FieldValueForbidden spec.template.spec.containers[0].startupProbe.tcpSocket: Forbidden: may not specify more than 1 handler type"}},
      {"env", "{" + base_ctr + R"(,"env":[{"name":"1BAD","value":"x"},{"name":"KEY","value":"v","valueFrom":{"secretKeyRef":{"name":"s","key":"k"}}},{"name":"NONE","valueFrom":{}},{"name":"POD","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"status.phase"}}},{"name":"S","valueFrom":{"secretKeyRef":{"name":"","key":"bad/key"}}}]})",
       {"FieldValueInvalid spec.template.spec.containers[0].env[0].name: Invalid value: \"1BAD\": a valid environment variable name must consist of alphabetic characters, digits, '_', '-', or '.', and must not start with a digit (e.g. 'my.env-name',  or 'MY_ENV.NAME',  or 'MyEnvName1', regex used for validation is '[-._a-zA-Z][-._a-zA-Z0-9]*')",
        "FieldValueInvalid spec.template.spec.containers[0].env[1].valueFrom: Invalid value: \"\": may not be specified when `value` is not empty",
        "FieldValueInvalid spec.template.spec.containers[0].env[2].valueFrom: Invalid value: \"\": must specify one of: `fieldRef`, `resourceFieldRef`, `configMapKeyRef` or `secretKeyRef`",
        "FieldValueNotSupported spec.template.spec.containers[0].env[3].valueFrom.fieldRef.fieldPath: Unsupported value: \"status.phase\": supported values: \"metadata.name\", \"metadata.namespace\", \"metadata.uid\", \"spec.nodeName\", \"spec.serviceAccountName\", \"status.hostIP\", \"status.hostIPs\", \"status.podIP\", \"status.podIPs\"",
        "FieldValueInvalid spec.template.spec.containers[0].env[4].valueFrom.secretKeyRef.name: Invalid value: \"\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        "FieldValueInvalid spec.template.spec.containers[0].env[4].valueFrom.secretKeyRef.key: Invalid value: \"bad/key\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')"}},
      {"resources", "{" + base_ctr + R"(,"resources":{"limits":{"cpu":"500m","memory":"1Gi","nvidia.com/gpu":"1"},"requests":{"cpu":"1","memory":"1024Mi","gpu":"1","nvidia.com/gpu":"2","ephemeral-storage":"-1"}}})",
       {"FieldValueInvalid spec.template.spec.containers[0].resources.requests: Invalid value: \"1\": must be less than or equal to cpu limit of 500m",
        "FieldValueInvalid spec.template.spec.containers[0].resources.requests[gpu]: Invalid value: \"gpu\": must be a standard resource for containers",
        "FieldValueInvalid spec.template.spec.containers[0].resources.requests: Invalid value: \"2\": must be equal to nvidia.com/gpu limit of 1",
        "FieldValueInvalid spec.template.spec.containers[0].resources.requests[ephemeral-storage]: Invalid value: \"-1\": must be greater than or equal to 0"}},
      {"pull policy", "{" + base_ctr.substr(0, base_ctr.find(",\"imagePullPolicy")) + R"(,"imagePullPolicy":"Sometimes","terminationMessagePolicy":"Log"})",
       {"FieldValueNotSupported spec.template.spec.containers[0].imagePullPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"IfNotPresent\", \"Never\"",
        "FieldValueNotSupported spec.template.spec.containers[0].terminationMessagePolicy: Unsupported value: \"Log\": supported values: \"File\", \"FallbackToLogsOnError\""}},
  };
  for (const auto& r : rows) {
    INFO(r.name);
    auto d = build("apps", "Deployment", deployment, with_container(r.container.c_str()));
    CHECK(causes_of("apps", "Deployment", d) == sorted(r.want));
  }
  run("apps", "Deployment", deployment, {
      {"volumes", R"({"spec":{"template":{"spec":{"volumes":[{"name":"data","emptyDir":{}},{"name":"data","configMap":{"name":"","defaultMode":1000},"secret":{"secretName":"s"}},{"name":"Bad","persistentVolumeClaim":{}}]}}}})",
       {"FieldValueForbidden spec.template.spec.volumes[1].configMap: Forbidden: may not specify more than 1 volume type",
        "FieldValueDuplicate spec.template.spec.volumes[1].name: Duplicate value: \"data\"",
        "FieldValueRequired spec.template.spec.volumes[2].persistentVolumeClaim.claimName: Required value",
        "FieldValueInvalid spec.template.spec.volumes[2].name: Invalid value: \"Bad\": a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?')"}},
      {"volume modes", R"({"spec":{"template":{"spec":{"volumes":[{"name":"data","emptyDir":{}},{"name":"cm","configMap":{"name":"","defaultMode":1000,"items":[{"key":"","path":"/abs"},{"key":"k","path":"a/../b","mode":-1}]}}]}}}})",
       {"FieldValueRequired spec.template.spec.volumes[1].configMap.name: Required value",
        "FieldValueInvalid spec.template.spec.volumes[1].configMap.defaultMode: Invalid value: 1000: must be a number between 0 and 0777 (octal), both inclusive",
        "FieldValueRequired spec.template.spec.volumes[1].configMap.items[0].key: Required value",
        "FieldValueInvalid spec.template.spec.volumes[1].configMap.items[0].path: Invalid value: \"/abs\": must be a relative path",
        "FieldValueInvalid spec.template.spec.volumes[1].configMap.items[1].path: Invalid value: \"a/../b\": must not contain '..'",
        "FieldValueInvalid spec.template.spec.volumes[1].configMap.items[1].mode: Invalid value: -1: must be a number between 0 and 0777 (octal), both inclusive"}},
      {"pod-level fields", R"({"spec":{"template":{"metadata":{"labels":{"app":"web","bad key":"v"}},"spec":{"dnsPolicy":"None","serviceAccountName":"Agent","nodeSelector":{"zone":"a b"},"tolerations":[{"key":"k","operator":"Exists","value":"v"},{"operator":"Equal"},{"key":"k","operator":"Maybe","effect":"NoWait","tolerationSeconds":5}]}}}})",
       {"FieldValueInvalid spec.template.metadata.labels: Invalid value: \"bad key\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
        "FieldValueRequired spec.template.spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None",
        "FieldValueInvalid spec.template.spec.nodeSelector: Invalid value: \"a b\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
        "FieldValueInvalid spec.template.spec.serviceAccountName: Invalid value: \"Agent\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        "FieldValueInvalid spec.template.spec.tolerations[0].operator: Invalid value: {\"key\":\"k\",\"operator\":\"Exists\",\"value\":\"v\"}: value must be empty when `operator` is 'Exists'",
        "FieldValueInvalid spec.template.spec.tolerations[1].operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
        "FieldValueInvalid spec.template.spec.tolerations[2].effect: Invalid value: \"NoWait\": effect must be 'NoExecute' when `tolerationSeconds` is set",
        "FieldValueNotSupported spec.template.spec.tolerations[2].operator: Unsupported value: \"Maybe\": supported values: \"Equal\", \"Exists\"",
        "FieldValueNotSupported spec.template.spec.tolerations[2].effect: Unsupported value: \"NoWait\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\""}},
      {"init containers without restartPolicy may not have probes", R"({"spec":{"template":{"spec":{"initContainers":[{"name":"init","image":"x","imagePullPolicy":"Always","terminationMessagePolicy":"File","readinessProbe":{"exec":{"command":["x"]}}},{"name":"side","image":"x","imagePullPolicy":"Always","terminationMessagePolicy":"File","restartPolicy":"Always","readinessProbe":{"exec":{"command":["x"]},"periodSeconds":1,"timeoutSeconds":1,"successThreshold":1,"failureThreshold":1}}]}}}})",
       {"FieldValueForbidden spec.template.spec.initContainers[0].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always"}},
  });
}

TEST_CASE("updates of immutable fields are rejected", "[builtin]") {
  auto old_d = build("apps", "Deployment", deployment);
  auto new_d = build("apps", "Deployment", deployment,
                     R"({"spec":{"selector":{"matchLabels":{"app":"web","v":"2"}},"template":{"metadata":{"labels":{"app":"web","v":"2"}}}}})");
  CHECK(causes_of("apps", "Deployment", new_d, &old_d) ==
        strings{"FieldValueInvalid spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"app\":\"web\", \"v\":\"2\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: field is immutable"});
  auto scaled = build("apps", "Deployment", deployment, R"({"spec":{"replicas":5,"selector":{"matchExpressions":[]}}})");
  CHECK(causes_of("apps", "Deployment", scaled, &old_d).empty());  // [] and absent are the same selector

  auto old_j = build("batch", "Job", job);
  auto new_j = build("batch", "Job", job, R"({"spec":{"completions":3,"template":{"spec":{"containers":[{"name":"run","image":"agent:2","imagePullPolicy":"IfNotPresent","terminationMessagePolicy":"File"}]}}}})");
  auto got = causes_of("batch", "Job", new_j, &old_j);
  REQUIRE(got.size() == 2);
  CHECK(got[0] == "FieldValueInvalid spec.completions: Invalid value: 3: field is immutable");
  CHECK(got[1].rfind("FieldValueInvalid spec.template: Invalid value: {", 0) == 0);
  CHECK(got[1].find(": field is immutable") != std::string::npos);
  // A suspended Job that never started may retarget its scheduling.
  auto old_s = build("batch", "Job", job, R"({"spec":{"suspend":true}})");
  auto new_s = build("batch", "Job", job, R"({"spec":{"suspend":true,"template":{"spec":{"nodeSelector":{"pool":"gpu"}}}}})");
  CHECK(causes_of("batch", "Job", new_s, &old_s).empty());
  old_s["status"] = json::object{{"startTime", "2024-01-01T00:00:00Z"}};  // NOLINT
  CHECK(causes_of("batch", "Job", new_s, &old_s).size() == 1);

  auto old_svc = build("", "Service", service, R"({"spec":{"clusterIP":"10.96.0.10","clusterIPs":["10.96.0.10"]}})");
  auto new_svc = build("", "Service", service, R"({"spec":{"clusterIP":"10.96.0.11","clusterIPs":["10.96.0.11"]}})");
  CHECK(causes_of("", "Service", new_svc, &old_svc) ==
        strings{"FieldValueInvalid spec.clusterIPs[0]: Invalid value: []string{\"10.96.0.11\"}: may not change once set"});
  auto omitted = build("", "Service", service);  // an apply without clusterIP keeps the allocated one
  CHECK(causes_of("", "Service", omitted, &old_svc).empty());

  const char* cm = R"({"metadata":{"name":"c"},"immutable":true,"data":{"a":"1"}})";
  auto old_cm = build("", "ConfigMap", cm);
  CHECK(causes_of("", "ConfigMap", build("", "ConfigMap", cm, R"({"data":{"a":"2"},"immutable":false})"), &old_cm) ==
        sorted({"FieldValueForbidden data: Forbidden: field is immutable when `immutable` is set",
                "FieldValueForbidden immutable: Forbidden: field is immutable when `immutable` is set"}));
  CHECK(causes_of("", "ConfigMap", build("", "ConfigMap", cm, R"({"metadata":{"labels":{"x":"y"}}})"), &old_cm).empty());

  const char* sec = R"({"metadata":{"name":"s"},"immutable":true,"data":{"k":"dg=="}})";
  auto old_sec = build("", "Secret", sec);
  CHECK(causes_of("", "Secret", build("", "Secret", sec, R"({"type":"kubernetes.io/basic-auth","data":{"username":"dQ=="}})"), &old_sec) ==
        sorted({"FieldValueInvalid type: Invalid value: \"kubernetes.io/basic-auth\": field is immutable",
                "FieldValueForbidden data: Forbidden: field is immutable when `immutable` is set"}));

  const char* pvc = R"({"metadata":{"name":"ws"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}})";
  auto old_pvc = build("", "PersistentVolumeClaim", pvc);
  auto bigger = build("", "PersistentVolumeClaim", pvc, R"({"spec":{"resources":{"requests":{"storage":"2Gi"}}}})");
  CHECK(causes_of("", "PersistentVolumeClaim", bigger, &old_pvc) ==
        strings{"FieldValueForbidden spec: Forbidden: spec is immutable after creation except resources.requests for bound claims"});
  bigger["status"] = json::object{{"phase", "Bound"}};  // NOLINT
  CHECK(causes_of("", "PersistentVolumeClaim", bigger, &old_pvc).empty());
  auto smaller = build("", "PersistentVolumeClaim", pvc, R"({"spec":{"resources":{"requests":{"storage":"512Mi"}}},"status":{"phase":"Bound"}})");
  CHECK(causes_of("", "PersistentVolumeClaim", smaller, &old_pvc) ==
        strings{"FieldValueForbidden spec.resources.requests.storage: Forbidden: field can not be less than previous value"});
  auto classed = build("", "PersistentVolumeClaim", pvc, R"({"spec":{"storageClassName":"fast","volumeName":"pv-1"}})");
  CHECK(causes_of("", "PersistentVolumeClaim", classed, &old_pvc).empty());  // both may be set once
}

TEST_CASE("cron schedules are parsed like robfig/cron ParseStandard", "[builtin]") {
  for (const char* ok : {"*/5 * * * *", "0 0 * * MON-FRI", "@hourly", "@daily", "@every 1h30m", "0 0 1,15 * *",
                         "0-30/10 9-17 * JAN-dec sun", "? * * * *", "5/15 * * * *", "59 23 31 12 6", "  1  2  3  4  5 "}) {
    INFO(ok);
    CHECK(causes_of("batch", "CronJob", build("batch", "CronJob", cronjob, std::string(R"({"spec":{"schedule":")") + ok + "\"}}")).empty());
  }
  struct row {
    const char* schedule;
    const char* message;
  };
  const std::vector<row> rows = {
      {"* * *", "expected exactly 5 fields, found 3: [* * *]"},
      {"* * * * * *", "expected exactly 5 fields, found 6: [* * * * * *]"},
      {"60 * * * *", "end of range (60) above maximum (59): 60"},
      {"a * * * *", "failed to parse int from a: strconv.Atoi: parsing \"a\": invalid syntax"},
      {"5-1 * * * *", "beginning of range (5) beyond end of range (1): 5-1"},
      {"*/0 * * * *", "step of range should be a positive number: */0"},
      {"0 0 0 * *", "beginning of range (0) below minimum (1): 0"},
      {"0 0 * * 7", "end of range (7) above maximum (6): 7"},
      {"1-2-3 * * * *", "too many hyphens: 1-2-3"},
      {"1/2/3 * * * *", "too many slashes: 1/2/3"},
      {"0 0 * FOO *", "failed to parse int from FOO: strconv.Atoi: parsing \"FOO\": invalid syntax"},
      {"@fortnightly", "unrecognized descriptor: @fortnightly"},
      {"@every 5x", "failed to parse duration @every 5x: time: invalid duration \"5x\""},
  };
  for (const auto& r : rows) {
    INFO(r.schedule);
    auto cj = build("batch", "CronJob", cronjob, std::string(R"({"spec":{"schedule":")") + r.schedule + "\"}}");
    CHECK(causes_of("batch", "CronJob", cj) ==
          strings{std::string("FieldValueInvalid spec.schedule: Invalid value: \"") + r.schedule + "\": " + r.message});
  }
  auto tz = build("batch", "CronJob", cronjob, R"({"spec":{"schedule":"CRON_TZ=UTC 0 * * * *"}})");
  CHECK(causes_of("batch", "CronJob", tz) ==
        strings{"FieldValueInvalid spec.schedule: Invalid value: \"CRON_TZ=UTC 0 * * * *\": cannot use TZ or CRON_TZ in schedule, use timeZone field instead"});
  CHECK(causes_of("batch", "CronJob", tz, &tz).empty());  // grandfathered on update
}

TEST_CASE("cronjob and job validation", "[builtin]") {
  run("batch", "CronJob", cronjob, {
      {"missing schedule and policy", R"({"spec":{"schedule":"","concurrencyPolicy":"Sometimes"}})",
       {"FieldValueRequired spec.schedule: Required value",
        "FieldValueNotSupported spec.concurrencyPolicy: Unsupported value: \"Sometimes\": supported values: \"Allow\", \"Forbid\", \"Replace\""}},
      {"restart policy Always is rejected", R"({"spec":{"jobTemplate":{"spec":{"template":{"spec":{"restartPolicy":"Always"}}}}}})",
       {"FieldValueRequired spec.jobTemplate.spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""}},
      {"selector in template", R"({"spec":{"jobTemplate":{"spec":{"selector":{"matchLabels":{"a":"b"}},"manualSelector":true}}}})",
       {"FieldValueInvalid spec.jobTemplate.spec.selector: Invalid value: v1.LabelSelector{MatchLabels:map[string]string{\"a\":\"b\"}, MatchExpressions:[]v1.LabelSelectorRequirement(nil)}: `selector` will be auto-generated",
        "FieldValueNotSupported spec.jobTemplate.spec.manualSelector: Unsupported value: true: supported values: \"nil\", \"false\""}},
      {"time zones", R"({"spec":{"timeZone":"Local","startingDeadlineSeconds":-5,"successfulJobsHistoryLimit":-1}})",
       {"FieldValueInvalid spec.timeZone: Invalid value: \"Local\": timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones",
        "FieldValueInvalid spec.startingDeadlineSeconds: Invalid value: -5: must be greater than or equal to 0",
        "FieldValueInvalid spec.successfulJobsHistoryLimit: Invalid value: -1: must be greater than or equal to 0"}},
      {"bad time zone", R"({"spec":{"timeZone":"../etc/passwd"}})",
       {"FieldValueInvalid spec.timeZone: Invalid value: \"../etc/passwd\": unknown time zone ../etc/passwd"}},
      {"long name", R"({"metadata":{"name":"a-name-that-is-far-too-long-for-a-cronjob-because-jobs-1"}})",
       {"FieldValueInvalid metadata.name: Invalid value: \"a-name-that-is-far-too-long-for-a-cronjob-because-jobs-1\": must be no more than 52 characters"}},
  });
  run("batch", "Job", job, {
      {"valid", "{}", {}},
      {"restart policy", R"({"spec":{"template":{"spec":{"restartPolicy":"Always"}}}})",
       {"FieldValueRequired spec.template.spec.restartPolicy: Required value: valid values: \"OnFailure\", \"Never\""}},
      {"indexed without completions", R"({"spec":{"completionMode":"Indexed","completions":null,"backoffLimit":-1}})",
       {"FieldValueRequired spec.completions: Required value: when completion mode is Indexed",
        "FieldValueInvalid spec.backoffLimit: Invalid value: -1: must be greater than or equal to 0"}},
      {"manual selector that does not match", R"({"spec":{"manualSelector":true,"selector":{"matchLabels":{"x":"y"}}}})",
       {"FieldValueInvalid spec.template.metadata.labels: Invalid value: map[string]string{\"batch.kubernetes.io/controller-uid\":\"3f1c\", \"batch.kubernetes.io/job-name\":\"task\", \"controller-uid\":\"3f1c\", \"job-name\":\"task\"}: `selector` does not match template `labels`"}},
  });
  // Without a uid no selector can be generated: the server would have assigned one first.
  auto no_uid = build("batch", "Job", R"({"metadata":{"name":"j"},"spec":{"template":{"spec":{"restartPolicy":"Never","containers":[{"name":"c","image":"x"}]}}}})");
  CHECK(causes_of("batch", "Job", no_uid) ==
        sorted({"FieldValueRequired spec.selector: Required value",
                "FieldValueInvalid spec.template.metadata.labels: Invalid value: map[string]string(nil): `selector` does not match template `labels`"}));
}

TEST_CASE("service validation", "[builtin]") {
  run_user("", "Service", service, {
      {"no ports", R"({"spec":{"ports":[]}})", {"FieldValueRequired spec.ports: Required value"}},
      {"names required with several ports; duplicates", R"({"spec":{"ports":[{"port":80},{"name":"http","port":80,"targetPort":"Bad_Name"},{"name":"http","port":0,"protocol":"ICMP"}]}})",
       {"FieldValueRequired spec.ports[0].name: Required value",
        "FieldValueInvalid spec.ports[1].targetPort: Invalid value: \"Bad_Name\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)",
        "FieldValueDuplicate spec.ports[1]: Duplicate value: core.ServicePort{Name:\"\", Protocol:\"TCP\", AppProtocol:(*string)(nil), Port:80, TargetPort:intstr.IntOrString{Type:0, IntVal:0, StrVal:\"\"}, NodePort:0}",
        "FieldValueDuplicate spec.ports[2].name: Duplicate value: \"http\"",
        "FieldValueInvalid spec.ports[2].port: Invalid value: 0: must be between 1 and 65535, inclusive",
        "FieldValueNotSupported spec.ports[2].protocol: Unsupported value: \"ICMP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
        "FieldValueInvalid spec.ports[2].targetPort: Invalid value: 0: must be between 1 and 65535, inclusive"}},
      {"name must be a DNS-1035 label", R"({"metadata":{"name":"1web"}})",
       {"FieldValueInvalid metadata.name: Invalid value: \"1web\": a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is '[a-z]([-a-z0-9]*[a-z0-9])?')"}},
      {"type, affinity, nodePort, clusterIP", R"({"spec":{"type":"Magic","sessionAffinity":"Sticky","clusterIP":"10.0.0.300"}})",
       {"FieldValueNotSupported spec.type: Unsupported value: \"Magic\": supported values: \"ClusterIP\", \"ExternalName\", \"LoadBalancer\", \"NodePort\"",
        "FieldValueNotSupported spec.sessionAffinity: Unsupported value: \"Sticky\": supported values: \"ClientIP\", \"None\"",
        "FieldValueInvalid spec.clusterIPs[0]: Invalid value: \"10.0.0.300\": must be a valid IP address, (e.g. 10.9.8.7 or 2001:db8::ffff)"}},
      {"nodePort on ClusterIP", R"({"spec":{"ports":[{"name":"http","port":80,"targetPort":80,"protocol":"TCP","nodePort":30080}]}})",
       {"FieldValueForbidden spec.ports[0].nodePort: Forbidden: may not be used when `type` is 'ClusterIP'"}},
  });
}

TEST_CASE("configmap, secret, namespace, storage and quota validation", "[builtin]") {
  run("", "ConfigMap", R"({"metadata":{"name":"c"}})", {
      {"keys", R"({"data":{"a/b":"x","dup":"y"},"binaryData":{"dup":"AA==","bin":"***"}})",
       {"FieldValueInvalid data[a/b]: Invalid value: \"a/b\": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')",
        "FieldValueInvalid data[dup]: Invalid value: \"dup\": duplicate of key present in binaryData",
        "FieldValueInvalid binaryData[bin]: Invalid value: \"<binary data>\": illegal base64 data at input byte 0"}},
  });
  {
    json::object big = build("", "ConfigMap", R"({"metadata":{"name":"c"}})");
    big["data"] = json::object{{"a", std::string(600 * 1024, 'x')}, {"b", std::string(600 * 1024, 'y')}};
    CHECK(causes_of("", "ConfigMap", big) == strings{"FieldValueTooLong : Too long: may not be more than 1048576 bytes"});
  }
  run("", "Secret", R"({"metadata":{"name":"s"}})", {
      {"tls keys", R"({"type":"kubernetes.io/tls","data":{"tls.crt":"eA=="}})", {"FieldValueRequired data[tls.key]: Required value"}},
      {"basic auth", R"({"type":"kubernetes.io/basic-auth"})",
       {"FieldValueRequired data[username]: Required value", "FieldValueRequired data[password]: Required value"}},
      {"service account token", R"({"type":"kubernetes.io/service-account-token"})",
       {"FieldValueRequired metadata.annotations[kubernetes.io/service-account.name]: Required value"}},
      {"secret values never appear in messages", R"({"data":{"api-key":"sk-live-SECRET!"}})",
       {"FieldValueInvalid data[api-key]: Invalid value: \"<secret contents redacted>\": illegal base64 data at input byte 2"}},
  });
  auto bad_string_data = build("", "Secret", R"({"metadata":{"name":"s"},"stringData":{"k":42}})");
  CHECK(causes_of("", "Secret", bad_string_data) ==
        strings{"FieldValueInvalid stringData[k]: Invalid value: \"<secret contents redacted>\": must be a string"});
  run("", "Namespace", R"({"metadata":{"name":"ns"}})", {
      {"dots and finalizers", R"({"metadata":{"name":"team.a"},"spec":{"finalizers":["kubernetes","foo","example.com/x"]}})",
       {"FieldValueInvalid metadata.name: Invalid value: \"team.a\": must not contain dots",
        "FieldValueInvalid spec.finalizers: Invalid value: \"foo\": name is neither a standard finalizer name nor is it fully qualified"}},
  });
  run("", "PersistentVolumeClaim", R"({"metadata":{"name":"ws"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}})", {
      {"missing modes and size", R"({"spec":{"accessModes":[],"resources":null}})",
       {"FieldValueRequired spec.accessModes: Required value: at least 1 access mode is required",
        "FieldValueRequired spec.resources[storage]: Required value"}},
      {"bad values", R"({"spec":{"accessModes":["ReadWriteOncePod","ReadAlot"],"resources":{"requests":{"storage":"0"}},"volumeMode":"Tape","storageClassName":"Fast"}})",
       {"FieldValueNotSupported spec.accessModes: Unsupported value: \"ReadAlot\": supported values: \"ReadOnlyMany\", \"ReadWriteMany\", \"ReadWriteOnce\", \"ReadWriteOncePod\"",
        "FieldValueForbidden spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes",
        "FieldValueInvalid spec.resources[storage]: Invalid value: \"0\": must be greater than zero",
        "FieldValueInvalid spec.storageClassName: Invalid value: \"Fast\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        "FieldValueNotSupported spec.volumeMode: Unsupported value: \"Tape\": supported values: \"Block\", \"Filesystem\""}},
      {"unparsable quantity", R"({"spec":{"resources":{"requests":{"storage":"ten gigs"}}}})",
       {"FieldValueInvalid spec.resources[storage]: Invalid value: \"ten gigs\": quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'"}},
  });
  run("", "ResourceQuota", R"({"metadata":{"name":"q"}})", {
      {"negative", R"({"spec":{"hard":{"cpu":"-1","pods":"10"}}})",
       {"FieldValueInvalid spec.hard[cpu]: Invalid value: \"-1\": must be greater than or equal to 0"}},
  });
  run("", "LimitRange", R"({"metadata":{"name":"l"}})", {
      {"min above max", R"({"spec":{"limits":[{"type":"Pod","min":{"cpu":"2"},"max":{"cpu":"1"}},{"type":"Node"}]}})",
       {"FieldValueInvalid spec.limits[0].min[cpu]: Invalid value: \"2\": min value 2 is greater than max value 1",
        "FieldValueNotSupported spec.limits[1].type: Unsupported value: \"Node\": supported values: \"Container\", \"PersistentVolumeClaim\", \"Pod\""}},
  });
}

TEST_CASE("networking, autoscaling, disruption and lease validation", "[builtin]") {
  run("networking.k8s.io", "NetworkPolicy", R"({"metadata":{"name":"np"},"spec":{"podSelector":{}}})", {
      {"peers and ports", R"({"spec":{"egress":[{"to":[{"ipBlock":{"cidr":"10.0.0.0/33"}},{"ipBlock":{"cidr":"10.0.0.0/16","except":["10.1.0.0/24","10.0.0.0/16"]}},
          {"ipBlock":{"cidr":"1.2.3.4/32"},"podSelector":{}},{}],"ports":[{"port":0},{"port":80,"endPort":79},{"port":"web","endPort":90},{"protocol":"ICMP"}]}],
          "policyTypes":["Egress","Sideways"]}})",
       {"FieldValueInvalid spec.egress[0].to[0].ipBlock.cidr: Invalid value: \"10.0.0.0/33\": must be a valid CIDR value, (e.g. 10.9.8.0/24 or 2001:db8::/64)",
        "FieldValueInvalid spec.egress[0].to[1].ipBlock.except[0]: Invalid value: \"10.1.0.0/24\": must be a strict subset of `cidr`",
        "FieldValueInvalid spec.egress[0].to[1].ipBlock.except[1]: Invalid value: \"10.0.0.0/16\": must be a strict subset of `cidr`",
        "FieldValueForbidden spec.egress[0].to[2]: Forbidden: may not specify both ipBlock and another peer",
        "FieldValueRequired spec.egress[0].to[3]: Required value: must specify a peer",
        "FieldValueInvalid spec.egress[0].ports[0].port: Invalid value: 0: must be between 1 and 65535, inclusive",
        "FieldValueInvalid spec.egress[0].ports[1].endPort: Invalid value: 80: must be greater than or equal to `port`",
        "FieldValueInvalid spec.egress[0].ports[2].endPort: Invalid value: 90: may not be specified when `port` is non-numeric",
        "FieldValueNotSupported spec.egress[0].ports[3].protocol: Unsupported value: \"ICMP\": supported values: \"TCP\", \"UDP\", \"SCTP\"",
        "FieldValueNotSupported spec.policyTypes[1]: Unsupported value: \"Sideways\": supported values: \"Ingress\", \"Egress\""}},
  });
  run("networking.k8s.io", "Ingress", R"({"metadata":{"name":"i"},"spec":{"defaultBackend":{"service":{"name":"web","port":{"number":80}}}}})", {
      {"nothing routed", R"({"spec":{"defaultBackend":null}})",
       {"FieldValueInvalid spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified"}},
      {"paths", R"({"spec":{"rules":[{"host":"10.0.0.1","http":{"paths":[{"path":"/x","backend":{"service":{"name":"web","port":{"number":80}}}},
          {"path":"api","pathType":"Prefix","backend":{"service":{"name":"web"}}},{"path":"/a//b/.","pathType":"Exact","backend":{"service":{"name":"web","port":{"name":"http","number":80}}}},
          {"path":"/","pathType":"Regex","backend":{}}]}},{"host":"*.*.example.com"}],"ingressClassName":"Nginx"}})",
       {"FieldValueInvalid spec.rules[0].host: Invalid value: \"10.0.0.1\": must be a DNS name, not an IP address",
        "FieldValueRequired spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified",
        "FieldValueInvalid spec.rules[0].http.paths[1].path: Invalid value: \"api\": must be an absolute path",
        "FieldValueRequired spec.rules[0].http.paths[1].backend: Required value: port name or number is required",
        "FieldValueInvalid spec.rules[0].http.paths[2].path: Invalid value: \"/a//b/.\": must not contain '//'",
        "FieldValueInvalid spec.rules[0].http.paths[2].path: Invalid value: \"/a//b/.\": cannot end with '/.'",
        "FieldValueInvalid spec.rules[0].http.paths[2].backend: Invalid value: \"\": cannot set both port name & port number",
        "FieldValueNotSupported spec.rules[0].http.paths[3].pathType: Unsupported value: \"Regex\": supported values: \"Exact\", \"ImplementationSpecific\", \"Prefix\"",
        "FieldValueInvalid spec.rules[0].http.paths[3].backend: Invalid value: \"\": resource or service backend is required",
        "FieldValueInvalid spec.rules[1].host: Invalid value: \"*.*.example.com\": a wildcard DNS-1123 subdomain must start with '*.', followed by a valid DNS subdomain, which must consist of lower case alphanumeric characters, '-' or '.' and end with an alphanumeric character (e.g. '*.example.com', regex used for validation is '\\*\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')",
        "FieldValueInvalid spec.ingressClassName: Invalid value: \"Nginx\": a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')"}},
  });
  run("autoscaling", "HorizontalPodAutoscaler",
      R"({"metadata":{"name":"h"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"t"},"maxReplicas":3}})", {
      {"max below min", R"({"spec":{"minReplicas":4,"maxReplicas":2}})",
       {"FieldValueInvalid spec.maxReplicas: Invalid value: 2: must be greater than or equal to `minReplicas`"}},
      {"replica bounds", R"({"spec":{"minReplicas":0,"maxReplicas":0,"scaleTargetRef":{"kind":null,"name":"a/b"}}})",
       {"FieldValueInvalid spec.minReplicas: Invalid value: 0: must be greater than or equal to 1",
        "FieldValueInvalid spec.maxReplicas: Invalid value: 0: must be greater than 0",
        "FieldValueRequired spec.scaleTargetRef.kind: Required value",
        "FieldValueInvalid spec.scaleTargetRef.name: Invalid value: \"a/b\": may not contain '/'"}},
      {"metrics and behavior", R"({"spec":{"metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":0}}},{"type":"Pods","resource":{}}],
          "behavior":{"scaleUp":{"stabilizationWindowSeconds":4000,"selectPolicy":"Avg","policies":[{"type":"Pods","value":0,"periodSeconds":2000}]}}}})",
       {"FieldValueInvalid spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0",
        "FieldValueRequired spec.metrics[1].pods: Required value: must populate information for the given metric source",
        "FieldValueForbidden spec.metrics[1].resource: Forbidden: must populate the given metric source only",
        "FieldValueInvalid spec.behavior.scaleUp.stabilizationWindowSeconds: Invalid value: 4000: must be less than or equal to 3600",
        "FieldValueNotSupported spec.behavior.scaleUp.selectPolicy: Unsupported value: \"Avg\": supported values: \"Disabled\", \"Max\", \"Min\"",
        "FieldValueInvalid spec.behavior.scaleUp.policies[0].value: Invalid value: 0: must be greater than zero",
        "FieldValueInvalid spec.behavior.scaleUp.policies[0].periodSeconds: Invalid value: 2000: must be less than or equal to 1800"}},
  });
  run("policy", "PodDisruptionBudget", R"({"metadata":{"name":"p"},"spec":{}})", {
      {"both bounds", R"({"spec":{"minAvailable":1,"maxUnavailable":"150%"}})",
       {"FieldValueInvalid spec: Invalid value: {\"minAvailable\":1,\"maxUnavailable\":\"150%\"}: minAvailable and maxUnavailable cannot be both set",
        "FieldValueInvalid spec.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"150%\"}: must not be greater than 100%"}},
      {"eviction policy", R"({"spec":{"unhealthyPodEvictionPolicy":"Never","minAvailable":-1}})",
       {"FieldValueInvalid spec.minAvailable: Invalid value: -1: must be greater than or equal to 0",
        "FieldValueNotSupported spec.unhealthyPodEvictionPolicy: Unsupported value: \"Never\": supported values: \"AlwaysAllow\", \"IfHealthyBudget\""}},
  });
  run("coordination.k8s.io", "Lease", R"({"metadata":{"name":"l"},"spec":{}})", {
      {"durations", R"({"spec":{"leaseDurationSeconds":0,"leaseTransitions":-1}})",
       {"FieldValueInvalid spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0",
        "FieldValueInvalid spec.leaseTransitions: Invalid value: -1: must be greater than or equal to 0"}},
  });
}

TEST_CASE("validation causes render into kube's 422 message", "[builtin]") {
  auto d = build("apps", "Deployment", deployment,
                 R"({"spec":{"template":{"spec":{"containers":[{"name":"web","imagePullPolicy":"Always","terminationMessagePolicy":"File"}]}}}})");
  auto e = invalid("Deployment", "apps", "web", validate_builtin("apps", "Deployment", d, nullptr));
  CHECK(e.code == 422);
  CHECK(e.message == "Deployment.apps \"web\" is invalid: spec.template.spec.containers[0].image: Required value");
}

TEST_CASE("validation never crashes on malformed objects", "[builtin]") {
  const std::vector<std::pair<const char*, const char*>> kinds = {
      {"apps", "Deployment"}, {"apps", "ReplicaSet"}, {"apps", "StatefulSet"}, {"apps", "DaemonSet"}, {"batch", "Job"},
      {"batch", "CronJob"}, {"", "Pod"}, {"", "PodTemplate"}, {"", "Service"}, {"", "ConfigMap"}, {"", "Secret"},
      {"", "Namespace"}, {"", "PersistentVolumeClaim"}, {"", "ResourceQuota"}, {"", "LimitRange"},
      {"networking.k8s.io", "NetworkPolicy"}, {"networking.k8s.io", "Ingress"}, {"autoscaling", "HorizontalPodAutoscaler"},
      {"policy", "PodDisruptionBudget"}, {"coordination.k8s.io", "Lease"}};
  // Random JSON shaped loosely like Kubernetes objects: every field name the validators read,
  // with values of every type, nested a few levels.
  const std::vector<std::string> keys = {
      "metadata", "spec", "status", "name", "labels", "template", "containers", "initContainers", "selector",
      "matchLabels", "matchExpressions", "ports", "port", "targetPort", "image", "env", "valueFrom", "volumes",
      "volumeMounts", "resources", "limits", "requests", "strategy", "rollingUpdate", "maxSurge", "maxUnavailable",
      "jobTemplate", "schedule", "data", "binaryData", "stringData", "type", "rules", "http", "paths", "backend",
      "service", "egress", "ingress", "to", "from", "ipBlock", "cidr", "except", "metrics", "behavior", "scaleUp",
      "policies", "minAvailable", "hard", "accessModes", "clusterIP", "immutable", "tolerations", "livenessProbe",
      "httpGet", "exec", "secretKeyRef", "fieldRef", "timeZone", "replicas", "completions", "operator", "values", "key"};
  std::mt19937 rng(7);
  std::function<json::value(int)> gen = [&](int depth) -> json::value {
    switch (std::uniform_int_distribution<int>(0, depth > 3 ? 4 : 7)(rng)) {
      case 0: return nullptr;
      case 1: return std::uniform_int_distribution<int>(-2, 70000)(rng);
      case 2: return json::string(keys[std::uniform_int_distribution<std::size_t>(0, keys.size() - 1)(rng)]);
      case 3: return json::string("*/5 * * * *");
      case 4: return rng() % 2 == 0;
      case 5: case 6: {
        json::object o;
        for (int n = std::uniform_int_distribution<int>(0, 5)(rng); n > 0; --n)
          o[keys[std::uniform_int_distribution<std::size_t>(0, keys.size() - 1)(rng)]] = gen(depth + 1);
        return o;
      }
      default: {
        json::array a;
        for (int n = std::uniform_int_distribution<int>(0, 3)(rng); n > 0; --n) a.push_back(gen(depth + 1));
        return a;
      }
    }
  };
  std::size_t total = 0;
  for (int i = 0; i < 300; ++i) {
    json::value v = gen(0), old = gen(0);
    if (!v.is_object()) v = json::object{{"spec", v}};
    if (!old.is_object()) old = json::object{{"spec", old}};
    for (const auto& [group, kind] : kinds) {
      json::object o = v.as_object();
      apply_builtin_defaults(group, kind, o);
      total += validate_builtin(group, kind, o, nullptr).size();
      total += validate_builtin(group, kind, o, &old.as_object()).size();
    }
  }
  CHECK(total > 0);
}
