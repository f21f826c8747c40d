// autoscaling/v2 HorizontalPodAutoscaler, policy/v1 PodDisruptionBudget and
// coordination.k8s.io/v1 Lease validation.
#include "builtin_validation_detail.hpp"
#include "k8s_format.hpp"

namespace langop::localapi::detail {
namespace {

// pathvalidation.IsValidPathSegmentName: names that cannot appear in a URL path.
std::vector<std::string> path_segment_errors(std::string_view name) {
  std::vector<std::string> errs;
  if (name == "." || name == "..") errs.push_back("may not be '" + std::string(name) + "'");
  for (std::string_view bad : {"/", "%"})
    if (name.find(bad) != std::string_view::npos) errs.push_back("may not contain '" + std::string(bad) + "'");
  return errs;
}

void validate_metric_target(checker& c, const json::object& t, const std::string& tp) {
  auto type = c.str_field(t, "type", child_path(tp, "type")).value_or("");
  if (type.empty()) c.required(child_path(tp, "type"), "must specify a metric target type");
  if (type != "Utilization" && type != "Value" && type != "AverageValue")
    c.invalid(child_path(tp, "type"), render(type), "must be either Utilization, Value, or AverageValue");
  for (std::string_view q : {"value", "averageValue"}) {
    auto it = t.find(q);
    if (it == t.end() || it->value().is_null()) continue;
    if (auto v = quantity_field(c, it->value(), child_path(tp, q)); v && *v <= 0)
      c.invalid(child_path(tp, q), render(it->value()), "must be positive");
  }
  if (auto u = c.int_field(t, "averageUtilization", child_path(tp, "averageUtilization")); u && *u < 1)
    c.invalid(child_path(tp, "averageUtilization"), render(*u), "must be greater than 0");
}

void validate_metric(checker& c, const json::object& m, const std::string& mp) {
  static constexpr std::pair<std::string_view, std::string_view> sources[] = {
      {"Object", "object"},
      {"Pods", "pods"},
      {"Resource", "resource"},
      {"External", "external"},
      {"ContainerResource", "containerResource"}};
  auto type = c.str_field(m, "type", child_path(mp, "type")).value_or("");
  if (type.empty()) c.required(child_path(mp, "type"), "must specify a metric source type");
  std::string_view expected;
  for (auto [t, f] : sources)
    if (t == type) expected = f;
  if (expected.empty()) {
    // Both the set check and the switch default report it, as kube does.
    for (int i = 0; i < 2; ++i)
      c.not_supported(child_path(mp, "type"), render(type),
                      {"Object", "Pods", "Resource", "External", "ContainerResource"});
  }
  for (auto [t, f] : sources) {
    bool present = m.contains(f) && !m.at(f).is_null();
    if (f == expected && !present)
      c.required(child_path(mp, f), "must populate information for the given metric source");
    else if (present && f != expected && !expected.empty())
      c.forbidden(child_path(mp, f), "must populate the given metric source only");
  }
  if (expected == "resource" || expected == "containerResource") {
    std::string sp = child_path(mp, expected);
    const auto* s = c.obj_field(m, expected, sp);
    if (!s) return;
    if (c.str_field(*s, "name", child_path(sp, "name")).value_or("").empty())
      c.required(child_path(sp, "name"), "must specify a resource name");
    if (expected == "containerResource" &&
        c.str_field(*s, "container", child_path(sp, "container")).value_or("").empty())
      c.required(child_path(sp, "container"), "must specify a container");
    const auto* t = c.obj_field(*s, "target", child_path(sp, "target"));
    static const json::object none;
    validate_metric_target(c, t ? *t : none, child_path(sp, "target"));
    bool util = t && t->contains("averageUtilization") && !t->at("averageUtilization").is_null();
    bool avg = t && t->contains("averageValue") && !t->at("averageValue").is_null();
    if (!util && !avg)
      c.required(child_path(sp, "target.averageUtilization"),
                 "must set either a target raw value or a target utilization");
    if (util && avg)
      c.forbidden(child_path(sp, "target.averageValue"),
                  "may not set both a target raw value and a target utilization");
  } else if (!expected.empty()) {
    std::string sp = child_path(mp, expected);
    if (const auto* s = c.obj_field(m, expected, sp)) {
      if (const auto* t = c.obj_field(*s, "target", child_path(sp, "target")))
        validate_metric_target(c, *t, child_path(sp, "target"));
      else
        c.required(child_path(sp, "target"));
      if (const auto* metric = c.obj_field(*s, "metric", child_path(sp, "metric"))) {
        if (c.str_field(*metric, "name", child_path(sp, "metric.name")).value_or("").empty())
          c.required(child_path(sp, "metric.name"), "must specify a metric name");
      } else {
        c.required(child_path(sp, "metric.name"), "must specify a metric name");
      }
    }
  }
}

void validate_scaling_rules(checker& c, const json::object& r, const std::string& rp) {
  if (auto w = c.int_field(r, "stabilizationWindowSeconds", child_path(rp, "stabilizationWindowSeconds"))) {
    if (*w < 0)
      c.invalid(child_path(rp, "stabilizationWindowSeconds"), render(*w), "must be greater than or equal to zero");
    if (*w > 3600)
      c.invalid(child_path(rp, "stabilizationWindowSeconds"), render(*w), "must be less than or equal to 3600");
  }
  if (auto sp = c.str_field(r, "selectPolicy", child_path(rp, "selectPolicy"));
      sp && *sp != "Max" && *sp != "Min" && *sp != "Disabled")
    c.not_supported(child_path(rp, "selectPolicy"), render(*sp), {"Disabled", "Max", "Min"});
  const auto* policies = c.arr_field(r, "policies", child_path(rp, "policies"));
  if (!policies || policies->empty()) {
    c.required(child_path(rp, "policies"), "must specify at least one Policy");
    return;
  }
  for (std::size_t i = 0; i < policies->size(); ++i) {
    std::string pp = index_path(child_path(rp, "policies"), i);
    const auto* p = (*policies)[i].if_object();
    if (!p) continue;
    auto type = c.str_field(*p, "type", child_path(pp, "type")).value_or("");
    if (type != "Pods" && type != "Percent") c.not_supported(child_path(pp, "type"), render(type), {"Percent", "Pods"});
    if (c.int_field(*p, "value", child_path(pp, "value")).value_or(0) <= 0)
      c.invalid(child_path(pp, "value"), render(jsonu::get_int(*p, {"value"}).value_or(0)),
                "must be greater than zero");
    auto period = c.int_field(*p, "periodSeconds", child_path(pp, "periodSeconds")).value_or(0);
    if (period <= 0) c.invalid(child_path(pp, "periodSeconds"), render(period), "must be greater than zero");
    if (period > 1800) c.invalid(child_path(pp, "periodSeconds"), render(period), "must be less than or equal to 1800");
  }
}

void validate_hpa(checker& c, const json::object& o) {
  static const json::object empty;
  const auto* sp = c.obj_field(o, "spec", "spec");
  const auto& spec = sp ? *sp : empty;
  auto min = c.int_field(spec, "minReplicas", "spec.minReplicas");
  auto max = c.int_field(spec, "maxReplicas", "spec.maxReplicas").value_or(0);
  if (min && *min < 1) c.invalid("spec.minReplicas", render(*min), "must be greater than or equal to 1");
  if (max < 1) c.invalid("spec.maxReplicas", render(max), "must be greater than 0");
  if (min && max < *min) c.invalid("spec.maxReplicas", render(max), "must be greater than or equal to `minReplicas`");
  const auto* ref = c.obj_field(spec, "scaleTargetRef", "spec.scaleTargetRef");
  for (std::string_view f : {"kind", "name"}) {
    std::string fp = child_path("spec.scaleTargetRef", f);
    auto v = ref ? c.str_field(*ref, f, fp).value_or("") : std::string();
    if (v.empty())
      c.required(fp);
    else
      c.invalid_each(fp, render(v), path_segment_errors(v));
  }
  if (const auto* metrics = c.arr_field(spec, "metrics", "spec.metrics"))
    for (std::size_t i = 0; i < metrics->size(); ++i)
      if (const auto* m = (*metrics)[i].if_object()) validate_metric(c, *m, index_path("spec.metrics", i));
  if (const auto* behavior = c.obj_field(spec, "behavior", "spec.behavior"))
    for (std::string_view dir : {"scaleUp", "scaleDown"})
      if (const auto* r = c.obj_field(*behavior, dir, child_path("spec.behavior", dir)))
        validate_scaling_rules(c, *r, child_path("spec.behavior", dir));
}

void validate_pdb(checker& c, const json::object& o) {
  const auto* spec = c.obj_field(o, "spec", "spec");
  if (!spec) return;
  const auto* min = spec->if_contains("minAvailable");
  const auto* max = spec->if_contains("maxUnavailable");
  if (min && min->is_null()) min = nullptr;
  if (max && max->is_null()) max = nullptr;
  if (min && max) c.invalid("spec", jsonu::dump(*spec), "minAvailable and maxUnavailable cannot be both set");
  if (min) validate_int_or_percent(c, *min, "spec.minAvailable", true);
  if (max) validate_int_or_percent(c, *max, "spec.maxUnavailable", true);
  if (const auto* sel = c.obj_field(*spec, "selector", "spec.selector"))
    validate_label_selector(c, *sel, "spec.selector");
  if (auto p = c.str_field(*spec, "unhealthyPodEvictionPolicy", "spec.unhealthyPodEvictionPolicy");
      p && *p != "IfHealthyBudget" && *p != "AlwaysAllow")
    c.not_supported("spec.unhealthyPodEvictionPolicy", render(*p), {"AlwaysAllow", "IfHealthyBudget"});
}

void validate_lease(checker& c, const json::object& o) {
  const auto* spec = c.obj_field(o, "spec", "spec");
  if (!spec) return;
  if (auto d = c.int_field(*spec, "leaseDurationSeconds", "spec.leaseDurationSeconds"); d && *d <= 0)
    c.invalid("spec.leaseDurationSeconds", render(*d), "must be greater than 0");
  if (auto t = c.int_field(*spec, "leaseTransitions", "spec.leaseTransitions"); t && *t < 0)
    c.invalid("spec.leaseTransitions", render(*t), "must be greater than or equal to 0");
}

}  // namespace

void validate_autoscaling_policy(checker& c, std::string_view group, std::string_view kind, const json::object& o) {
  if (group == "autoscaling" && kind == "HorizontalPodAutoscaler")
    validate_hpa(c, o);
  else if (group == "policy" && kind == "PodDisruptionBudget")
    validate_pdb(c, o);
  else if (group == "coordination.k8s.io" && kind == "Lease")
    validate_lease(c, o);
}

}  // namespace langop::localapi::detail
