#include "admin_router.hpp"

#include <vector>

namespace langop::obs::detail {
namespace {

struct query_flags {
  bool verbose = false;
  std::vector<std::string> exclude;
};

// "verbose", "verbose=1", "exclude=a&exclude=b" as controller-runtime's healthz reads them.
query_flags parse_query(std::string_view q) {
  query_flags out;
  while (!q.empty()) {
    const std::size_t amp = q.find('&');
    const std::string_view part = q.substr(0, amp);
    const std::size_t eq = part.find('=');
    const std::string_view key = part.substr(0, eq);
    const std::string_view value = eq == std::string_view::npos ? std::string_view{} : part.substr(eq + 1);
    if (key == "verbose") out.verbose = true;
    if (key == "exclude" && !value.empty()) out.exclude.emplace_back(value);
    if (amp == std::string_view::npos) break;
    q.remove_prefix(amp + 1);
  }
  return out;
}

admin_reply not_found() { return {404, "text/plain; charset=utf-8", "404 page not found\n", false}; }

admin_reply checks(const check_set& set, std::string_view sub, const query_flags& flags) {
  check_report report;
  if (sub.empty()) {
    report = set.evaluate(flags.verbose, flags.exclude);
  } else {
    auto one = set.evaluate_one(sub);
    if (!one) return not_found();
    report = std::move(*one);
  }
  return {report.status, "text/plain; charset=utf-8", std::move(report.body), false};
}

}  // namespace

admin_reply route(const admin_routes& routes, std::string_view method, std::string_view target) {
  const std::size_t qmark = target.find('?');
  const std::string_view path = target.substr(0, qmark);
  const std::string_view query = qmark == std::string_view::npos ? std::string_view{} : target.substr(qmark + 1);
  const query_flags flags = parse_query(query);

  // Which endpoint, and the check name after "/healthz/" or "/readyz/".
  const check_set* set = nullptr;
  std::string_view sub;
  bool metrics = false;
  if (path == "/metrics" && routes.metrics != nullptr) {
    metrics = true;
  } else {
    for (const check_set* candidate : {routes.liveness, routes.readiness}) {
      if (candidate == nullptr) continue;
      const std::string prefix = "/" + candidate->endpoint();
      if (path == prefix || path == prefix + "/") {
        set = candidate;
      } else if (path.starts_with(prefix + "/")) {
        set = candidate;
        sub = path.substr(prefix.size() + 1);
      }
      if (set != nullptr) break;
    }
  }
  if (!metrics && set == nullptr) return not_found();
  if (method != "GET" && method != "HEAD") {
    return {405, "text/plain; charset=utf-8", "method not allowed\n", true};
  }
  if (metrics) {
    admin_reply reply{200, std::string(text_content_type), {}, false};
    routes.metrics->render(reply.body);
    return reply;
  }
  return checks(*set, sub, flags);
}

}  // namespace langop::obs::detail
