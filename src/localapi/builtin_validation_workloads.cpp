// Workload validation: apps/v1 Deployment/ReplicaSet/StatefulSet/DaemonSet and batch/v1
// Job/CronJob, after k8s.io/kubernetes/pkg/apis/{apps,batch}/validation, including the
// update rules an operator trips over (immutable selectors, Job template).
#include "builtin_validation_detail.hpp"
#include "go_format.hpp"
#include "k8s_format.hpp"

namespace langop::localapi::detail {
namespace {

const json::value* field(const json::object* o, std::string_view key) {
  if (!o) return nullptr;
  auto it = o->find(key);
  return it == o->end() ? nullptr : &it->value();
}

const json::object* template_labels(const json::object& spec, std::initializer_list<std::string_view> path) {
  const auto* v = jsonu::find(spec, path);
  return v ? v->if_object() : nullptr;
}

// Selector present, valid, non-empty and matching the template labels. A missing selector
// is Nothing(), which matches no labels, so kube reports the mismatch as well.
void validate_selector_and_template(checker& c, const json::object& spec, const std::string& sp,
                                    std::string_view kind_word) {
  const auto* sel = field(&spec, "selector");
  const auto* labels = jsonu::find(spec, {"template", "metadata", "labels"});
  auto mismatch = [&] {
    c.invalid(child_path(sp, "template.metadata.labels"), go_string_map(labels),
              "`selector` does not match template `labels`");
  };
  if (!sel || sel->is_null()) {
    c.required(child_path(sp, "selector"));
    mismatch();
    return;
  }
  const auto* so = c.obj_field(spec, "selector", child_path(sp, "selector"));
  if (!so) return;
  validate_label_selector(c, *so, child_path(sp, "selector"));
  bool empty = selector_is_empty(sel);
  if (empty)
    c.invalid(child_path(sp, "selector"), go_label_selector(sel),
              "empty selector is invalid for " + std::string(kind_word));
  auto matches = selector_matches(sel, labels ? labels->if_object() : nullptr);
  if (!matches)
    c.invalid(child_path(sp, "selector"), go_label_selector(sel), "invalid label selector");
  else if (!*matches && !empty)
    mismatch();
}

// ValidatePodTemplateSpecForReplicaSet's extra rules for always-running pods.
void validate_replicated_template(checker& c, const json::object& spec, const std::string& sp, std::string_view kind) {
  validate_pod_template(c, spec, "template", child_path(sp, "template"));
  const auto* ps = jsonu::find(spec, {"template", "spec"});
  if (!ps || !ps->is_object()) return;
  auto restart = jsonu::get_string(ps->get_object(), "restartPolicy");
  if (!restart.empty() && restart != "Always")
    c.not_supported(child_path(sp, "template.spec.restartPolicy"), render(restart), {"Always"});
  if (const auto* ads = jsonu::find(ps->get_object(), {"activeDeadlineSeconds"}); ads && !ads->is_null())
    c.forbidden(child_path(sp, "template.spec.activeDeadlineSeconds"),
                "activeDeadlineSeconds in " + std::string(kind) + " is not Supported");
}

void immutable(checker& c, const json::object& spec, const json::object* old_spec, std::string_view key,
               const std::string& path, bool selector_rendering = false) {
  const auto* now = field(&spec, key);
  const auto* before = field(old_spec, key);
  if (semantically_equal(now, before)) return;
  std::string shown = selector_rendering ? go_label_selector(now) : (now ? render(*now) : std::string("null"));
  c.invalid(path, shown, "field is immutable");
}

// ---- apps ----

void validate_deployment(checker& c, const json::object& o, const json::object* old) {
  const auto* spec = c.obj_field(o, "spec", "spec");
  if (!spec) {
    c.required("spec.selector");
    c.required("spec.template.spec.containers");
    return;
  }
  c.nonnegative(*spec, "replicas", "spec.replicas");
  validate_selector_and_template(c, *spec, "spec", "deployment");
  validate_replicated_template(c, *spec, "spec", "ReplicaSet");
  if (const auto* strategy = c.obj_field(*spec, "strategy", "spec.strategy")) {
    auto type = c.str_field(*strategy, "type", "spec.strategy.type").value_or("");
    const auto* ru = field(strategy, "rollingUpdate");
    bool has_ru = ru && !ru->is_null();
    if (type == "Recreate") {
      if (has_ru) c.forbidden("spec.strategy.rollingUpdate", "may not be specified when strategy `type` is 'Recreate'");
    } else if (type == "RollingUpdate") {
      if (!has_ru) {
        c.required("spec.strategy.rollingUpdate", "this should be defaulted and never be nil");
      } else if (const auto* r = c.obj_field(*strategy, "rollingUpdate", "spec.strategy.rollingUpdate")) {
        const auto* mu = field(r, "maxUnavailable");
        const auto* ms = field(r, "maxSurge");
        static const json::value zero = 0;
        validate_int_or_percent(c, mu ? *mu : zero, "spec.strategy.rollingUpdate.maxUnavailable", false);
        validate_int_or_percent(c, ms ? *ms : zero, "spec.strategy.rollingUpdate.maxSurge", false);
        if (int_or_percent_value(mu) == 0 && int_or_percent_value(ms) == 0)
          c.invalid("spec.strategy.rollingUpdate.maxUnavailable", go_intstr(mu ? *mu : zero),
                    "may not be 0 when `maxSurge` is 0");
        if (mu && mu->is_string() && percent_errors(mu->get_string()).empty() && int_or_percent_value(mu) > 100)
          c.invalid("spec.strategy.rollingUpdate.maxUnavailable", go_intstr(*mu), "must not be greater than 100%");
      }
    } else {
      c.not_supported(
          "spec.strategy",
          "apps.DeploymentStrategy{Type:" + go_quote(type) + ", RollingUpdate:(*apps.RollingUpdateDeployment)(nil)}",
          {"Recreate", "RollingUpdate"});
    }
  }
  c.nonnegative(*spec, "minReadySeconds", "spec.minReadySeconds");
  c.nonnegative(*spec, "revisionHistoryLimit", "spec.revisionHistoryLimit");
  if (auto pds = c.int_field(*spec, "progressDeadlineSeconds", "spec.progressDeadlineSeconds")) {
    if (*pds < 0) c.invalid("spec.progressDeadlineSeconds", render(*pds), "must be greater than or equal to 0");
    if (*pds <= jsonu::get_int(*spec, {"minReadySeconds"}).value_or(0))
      c.invalid("spec.progressDeadlineSeconds", render(*pds), "must be greater than minReadySeconds");
  }
  if (old) {
    const auto* old_spec = jsonu::find(*old, {"spec"});
    immutable(c, *spec, old_spec ? old_spec->if_object() : nullptr, "selector", "spec.selector", true);
  }
}

void validate_replicaset_like(checker& c, std::string_view kind, const json::object& o, const json::object* old) {
  const auto* spec = c.obj_field(o, "spec", "spec");
  static const json::object empty;
  const auto& s = spec ? *spec : empty;
  c.nonnegative(s, "replicas", "spec.replicas");
  c.nonnegative(s, "minReadySeconds", "spec.minReadySeconds");
  c.nonnegative(s, "revisionHistoryLimit", "spec.revisionHistoryLimit");
  // ReplicaSet validation reuses the Deployment wording.
  std::string word = kind == "ReplicaSet" ? "deployment" : (kind == "StatefulSet" ? "statefulset" : "daemonset");
  validate_selector_and_template(c, s, "spec", word);
  validate_replicated_template(c, s, "spec", kind == "ReplicaSet" ? "ReplicaSet" : std::string(kind));
  if (old) {
    const auto* old_spec = jsonu::find(*old, {"spec"});
    immutable(c, s, old_spec ? old_spec->if_object() : nullptr, "selector", "spec.selector", true);
  }
}

// ---- batch ----

// validateJobSpec: the parts shared by Jobs and CronJob job templates.
void validate_job_spec(checker& c, const json::object& spec, const std::string& sp) {
  for (std::string_view f :
       {"parallelism", "completions", "activeDeadlineSeconds", "backoffLimit", "ttlSecondsAfterFinished"})
    c.nonnegative(spec, f, child_path(sp, f));
  if (auto mode = c.str_field(spec, "completionMode", child_path(sp, "completionMode"))) {
    if (*mode != "NonIndexed" && *mode != "Indexed")
      c.not_supported(child_path(sp, "completionMode"), render(*mode), {"NonIndexed", "Indexed"});
    if (*mode == "Indexed") {
      if (!c.int_field(spec, "completions", child_path(sp, "completions")))
        c.required(child_path(sp, "completions"), "when completion mode is Indexed");
      if (auto p = jsonu::get_int(spec, {"parallelism"}); p && *p > 100000)
        c.invalid(child_path(sp, "parallelism"), render(*p),
                  "must be less than or equal to 100000 when completion mode is Indexed");
    }
  }
  validate_pod_template(c, spec, "template", child_path(sp, "template"));
  const auto* ps = jsonu::find(spec, {"template", "spec"});
  auto restart = ps && ps->is_object() ? jsonu::get_string(ps->get_object(), "restartPolicy") : std::string_view{};
  // Defaulting turns an omitted policy into Always, so both mean "not chosen".
  if (restart == "Always" || restart.empty())
    c.required(child_path(sp, "template.spec.restartPolicy"), "valid values: \"OnFailure\", \"Never\"");
}

void validate_job(checker& c, const json::object& o, const json::object* old) {
  const auto* spec = c.obj_field(o, "spec", "spec");
  static const json::object empty;
  const auto& s = spec ? *spec : empty;
  validate_job_spec(c, s, "spec");
  const auto* sel = field(&s, "selector");
  if (!sel || sel->is_null())
    c.required("spec.selector");
  else if (const auto* so = c.obj_field(s, "selector", "spec.selector"))
    validate_label_selector(c, *so, "spec.selector");
  // Generated or manual, the selector must select the pods the template produces.
  if (auto m = selector_matches(sel, template_labels(s, {"template", "metadata", "labels"})); m && !*m)
    c.invalid("spec.template.metadata.labels", go_string_map(jsonu::find(s, {"template", "metadata", "labels"})),
              "`selector` does not match template `labels`");
  if (!old) return;
  const auto* old_spec_v = jsonu::find(*old, {"spec"});
  const auto* old_spec = old_spec_v ? old_spec_v->if_object() : nullptr;
  for (std::string_view f :
       {"completions", "completionMode", "podFailurePolicy", "backoffLimitPerIndex", "managedBy", "successPolicy"})
    immutable(c, s, old_spec, f, child_path("spec", f));
  immutable(c, s, old_spec, "selector", "spec.selector", true);
  // The template may change only in scheduling directives, and only while a suspended
  // Job has never started.
  json::value now_t = field(&s, "template") ? *field(&s, "template") : json::value();
  json::value old_t = field(old_spec, "template") ? *field(old_spec, "template") : json::value();
  const auto* suspend = field(&s, "suspend");
  bool suspended = suspend && suspend->is_bool() && suspend->get_bool();
  bool never_started = !jsonu::find(*old, {"status", "startTime"});
  if (suspended && never_started) {
    for (auto* t : {&now_t, &old_t}) {
      if (auto* tp = t->if_object()) {
        if (auto* meta = tp->if_contains("metadata"); meta && meta->is_object()) {
          meta->get_object().erase("labels");
          meta->get_object().erase("annotations");
        }
        if (auto* ps = tp->if_contains("spec"); ps && ps->is_object())
          for (const char* k : {"nodeSelector", "tolerations", "affinity", "schedulingGates"})
            ps->get_object().erase(k);
      }
    }
  }
  if (!semantically_equal(&now_t, &old_t)) c.invalid("spec.template", render(now_t), "field is immutable");
}

void validate_cronjob(checker& c, const json::object& o, const json::object* old) {
  if (!old) {
    auto name = str_in(o, {"metadata", "name"});
    if (name.size() > 52) c.invalid("metadata.name", render(name), "must be no more than 52 characters");
  }
  const auto* spec = c.obj_field(o, "spec", "spec");
  static const json::object empty;
  const auto& s = spec ? *spec : empty;
  const json::object* old_spec = nullptr;
  if (old)
    if (const auto* v = jsonu::find(*old, {"spec"})) old_spec = v->if_object();
  auto schedule = c.str_field(s, "schedule", "spec.schedule").value_or("");
  if (schedule.empty()) {
    c.required("spec.schedule");
  } else {
    if (auto err = cron_schedule_error(schedule)) c.invalid("spec.schedule", render(schedule), *err);
    bool allow_tz = old_spec && jsonu::get_string(*old_spec, "schedule").find("TZ") != std::string_view::npos;
    bool has_tz = schedule.find("TZ") != std::string::npos;
    bool tz_field = field(&s, "timeZone") && !field(&s, "timeZone")->is_null();
    if (allow_tz && has_tz && tz_field)
      c.invalid("spec.schedule", render(schedule), "cannot use both timeZone field and TZ or CRON_TZ in schedule");
    else if (!allow_tz && has_tz)
      c.invalid("spec.schedule", render(schedule), "cannot use TZ or CRON_TZ in schedule, use timeZone field instead");
  }
  c.nonnegative(s, "startingDeadlineSeconds", "spec.startingDeadlineSeconds");
  if (auto tz = c.str_field(s, "timeZone", "spec.timeZone");
      tz && (!old_spec || jsonu::get_string(*old_spec, "timeZone") != *tz)) {
    // Lexical rules only: the tz database is not consulted (no I/O here).
    bool bad = false;
    for (std::size_t start = 0;;) {
      auto slash = tz->find('/', start);
      std::string part = tz->substr(start, slash == std::string::npos ? std::string::npos : slash - start);
      bool chars_ok = !part.empty() && part.size() <= 14 &&
                      part.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz.-_0123456789+") ==
                          std::string::npos;
      if (part == "." || part == ".." || part.rfind('-', 0) == 0 || !chars_ok) bad = true;
      if (slash == std::string::npos) break;
      start = slash + 1;
    }
    if (tz->empty())
      c.invalid("spec.timeZone", render(*tz), "timeZone must be nil or non-empty string");
    else if (bad)
      c.invalid("spec.timeZone", render(*tz), "unknown time zone " + *tz);
    else if (tz->size() == 5 && (*tz == "Local" || *tz == "local" || *tz == "LOCAL"))
      c.invalid("spec.timeZone", render(*tz),
                "timeZone must be an explicit time zone as defined in https://www.iana.org/time-zones");
  }
  auto policy = c.str_field(s, "concurrencyPolicy", "spec.concurrencyPolicy").value_or("");
  if (policy.empty())
    c.required("spec.concurrencyPolicy");
  else if (policy != "Allow" && policy != "Forbid" && policy != "Replace")
    c.not_supported("spec.concurrencyPolicy", render(policy), {"Allow", "Forbid", "Replace"});
  if (const auto* jt = c.obj_field(s, "jobTemplate", "spec.jobTemplate")) {
    if (const auto* meta = c.obj_field(*jt, "metadata", "spec.jobTemplate.metadata")) {
      validate_labels(c, c.string_map(*meta, "labels", "spec.jobTemplate.metadata.labels"),
                      "spec.jobTemplate.metadata.labels");
      validate_annotations(c, c.string_map(*meta, "annotations", "spec.jobTemplate.metadata.annotations"),
                           "spec.jobTemplate.metadata.annotations");
    }
    const auto* js = c.obj_field(*jt, "spec", "spec.jobTemplate.spec");
    validate_job_spec(c, js ? *js : empty, "spec.jobTemplate.spec");
    if (const auto* sel = field(js, "selector"); sel && !sel->is_null())
      c.invalid("spec.jobTemplate.spec.selector", go_label_selector(sel), "`selector` will be auto-generated");
    if (const auto* ms = field(js, "manualSelector"); ms && ms->is_bool() && ms->get_bool())
      c.not_supported("spec.jobTemplate.spec.manualSelector", "true", {"nil", "false"});
  } else {
    validate_job_spec(c, empty, "spec.jobTemplate.spec");
  }
  c.nonnegative(s, "successfulJobsHistoryLimit", "spec.successfulJobsHistoryLimit");
  c.nonnegative(s, "failedJobsHistoryLimit", "spec.failedJobsHistoryLimit");
}

}  // namespace

void validate_workload(checker& c, std::string_view group, std::string_view kind, const json::object& o,
                       const json::object* old) {
  if (group == "apps") {
    if (kind == "Deployment")
      validate_deployment(c, o, old);
    else if (kind == "ReplicaSet" || kind == "StatefulSet" || kind == "DaemonSet")
      validate_replicaset_like(c, kind, o, old);
  } else if (group == "batch") {
    if (kind == "Job")
      validate_job(c, o, old);
    else if (kind == "CronJob")
      validate_cronjob(c, o, old);
  }
}

}  // namespace langop::localapi::detail
