// Behaviour of built-in kinds that kube-apiserver implements in Go code rather than
// schemas (PURE): defaulting, semantic validation, and field immutability.
#pragma once

#include "langop/core/json.hpp"
#include "langop/localapi/api_error.hpp"

#include <string_view>
#include <vector>

namespace langop::localapi {

// Applies the defaults kube-apiserver applies on write, for the kinds we serve:
// Deployment (replicas, strategy, revisionHistoryLimit, progressDeadlineSeconds, pod
// template defaults), CronJob/Job, Service (type, sessionAffinity, port protocol and
// targetPort, clusterIP(s) handled by the caller), PVC (volumeMode), NetworkPolicy
// (policyTypes, port protocol), Secret (type Opaque), Namespace (spec.finalizers,
// status.phase), HPA (behavior-less defaults), PDB, and pod templates everywhere:
// restartPolicy, dnsPolicy, schedulerName, securityContext, terminationGracePeriodSeconds,
// container terminationMessagePath/Policy, imagePullPolicy (Always for :latest or no tag),
// probe timings, port protocols, volume defaultMode, fieldRef apiVersion.
// Also what kube-apiserver v1.32 writes back beyond SetDefaults_*, so stored objects read
// like a real server's: template `metadata.creationTimestamp: null`, container
// `resources: {}`, `serviceAccount` mirroring `serviceAccountName`, Secret `stringData`
// folded into `data`, quantities in canonical form ("1000m" -> "1"), Namespace finalizer
// and phase, and the Job selector/labels generated from `metadata.uid` (so the caller
// assigns the uid first). Idempotent; values of the wrong JSON type are left alone.
void apply_builtin_defaults(std::string_view group, std::string_view kind, json::object& object);

// Semantic validation kube-apiserver does for these kinds that matters to an operator:
// required fields (container name/image, selector/template labels match, service ports),
// DNS-label names (containers, ports, volumes), duplicate names, value ranges (ports,
// replicas >= 0), cron schedule syntax, immutable fields on update (Deployment selector,
// Service clusterIP, PVC spec except resources.requests, Job template, ConfigMap/Secret
// when immutable: true). `old_object` is null on create. Expects a defaulted object (as
// the server validates after defaulting). Wrong JSON types yield FieldValueTypeInvalid.
// Generic ObjectMeta checks (name syntax, labels on the object itself) are not done here,
// only the stricter kind-specific name rules (Service, Namespace, CronJob).
[[nodiscard]] std::vector<status_cause> validate_builtin(std::string_view group, std::string_view kind,
                                                         const json::object& object, const json::object* old_object);

}  // namespace langop::localapi
