// Every resource the controllers read or write, as kube::resource values.
#pragma once

#include "langop/kube/api_call.hpp"

namespace langop::controllers::kinds {

// langop.io/v1alpha1
inline const kube::resource cluster{"langop.io", "v1alpha1", "languageclusters", "LanguageCluster", false};
inline const kube::resource model{"langop.io", "v1alpha1", "languagemodels", "LanguageModel", true};
inline const kube::resource tool{"langop.io", "v1alpha1", "languagetools", "LanguageTool", true};
inline const kube::resource persona{"langop.io", "v1alpha1", "languagepersonas", "LanguagePersona", true};
inline const kube::resource agent{"langop.io", "v1alpha1", "languageagents", "LanguageAgent", true};
inline const kube::resource client{"langop.io", "v1alpha1", "languageclients", "LanguageClient", true};

// Built-in kinds
inline const kube::resource namespaces{"", "v1", "namespaces", "Namespace", false};
inline const kube::resource configmaps{"", "v1", "configmaps", "ConfigMap", true};
inline const kube::resource secrets{"", "v1", "secrets", "Secret", true};
inline const kube::resource services{"", "v1", "services", "Service", true};
inline const kube::resource pvcs{"", "v1", "persistentvolumeclaims", "PersistentVolumeClaim", true};
inline const kube::resource events{"", "v1", "events", "Event", true};
inline const kube::resource resource_quotas{"", "v1", "resourcequotas", "ResourceQuota", true};
inline const kube::resource limit_ranges{"", "v1", "limitranges", "LimitRange", true};
inline const kube::resource deployments{"apps", "v1", "deployments", "Deployment", true};
inline const kube::resource cronjobs{"batch", "v1", "cronjobs", "CronJob", true};
inline const kube::resource jobs{"batch", "v1", "jobs", "Job", true};
inline const kube::resource network_policies{"networking.k8s.io", "v1", "networkpolicies", "NetworkPolicy", true};
inline const kube::resource ingresses{"networking.k8s.io", "v1", "ingresses", "Ingress", true};
inline const kube::resource hpas{"autoscaling", "v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true};
inline const kube::resource pdbs{"policy", "v1", "poddisruptionbudgets", "PodDisruptionBudget", true};

}  // namespace langop::controllers::kinds
