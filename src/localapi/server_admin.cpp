#include "server_admin.hpp"

#include <boost/json/serialize.hpp>

#include <charconv>

namespace langop::localapi {
namespace {

api_response ok_json(json::object o) {
  api_response r;
  r.body = json_text(o);
  return r;
}

api_response admin_error(int code, std::string message) {
  api_error e;
  e.code = code;
  e.reason = code == 404 ? "NotFound" : code == 405 ? "MethodNotAllowed" : "BadRequest";
  e.message = std::move(message);
  api_response r;
  r.status = code;
  r.body = json_text(to_status(e));
  return r;
}

json::object faults_json(const fault_settings& f) {
  json::object o;
  o["throttleRate"] = f.throttle_rate;
  o["retryAfterSeconds"] = f.retry_after_seconds;
  o["errorRate"] = f.error_rate;
  o["latencyMs"] = f.latency.count();
  o["cutRate"] = f.cut_rate;
  o["seed"] = f.seed;
  return o;
}

bool read_number(const json::object& o, std::string_view key, double& out) {
  auto it = o.find(key);
  if (it == o.end()) return true;
  if (it->value().is_number()) {
    out = it->value().to_number<double>();
    return true;
  }
  return false;
}

}  // namespace

std::string json_text(const json::object& o) { return json::serialize(o); }

api_response handle_admin(admin_target& target, const api_request& request) {
  const std::string& p = request.path;
  const std::string& m = request.method;
  apiserver& api = target.backend();
  if (p == "/admin/stats" && m == "GET") {
    const auto& s = api.stats();
    json::object o;
    json::object verbs;
    for (const auto& [k, v] : s.requests_by_verb) verbs[k] = v;
    json::object codes;
    for (const auto& [k, v] : s.responses_by_code) codes[std::to_string(k)] = v;
    o["requests"] = std::move(verbs);
    o["responses"] = std::move(codes);
    o["writes"] = s.writes;
    o["noopWrites"] = s.noop_writes;
    o["watchEventsSent"] = s.watch_events_sent;
    o["objects"] = api.store().object_count();
    o["openWatches"] = api.open_watches();
    o["resourceVersion"] = api.store().current_rv();
    return ok_json(std::move(o));
  }
  if (p == "/admin/faults" && m == "GET") return ok_json(faults_json(target.fault_config()));
  if (p == "/admin/faults" && (m == "PUT" || m == "POST")) {
    auto v = jsonu::parse(request.body);
    if (!v || !v->is_object()) return admin_error(400, "body must be a JSON object");
    fault_settings next = target.fault_config();
    const auto& o = v->get_object();
    double latency = static_cast<double>(next.latency.count());
    double retry = next.retry_after_seconds;
    double seed = static_cast<double>(next.seed);
    if (!read_number(o, "throttleRate", next.throttle_rate) || !read_number(o, "errorRate", next.error_rate) ||
        !read_number(o, "cutRate", next.cut_rate) || !read_number(o, "latencyMs", latency) ||
        !read_number(o, "retryAfterSeconds", retry) || !read_number(o, "seed", seed))
      return admin_error(400, "fault settings must be numbers");
    for (double rate : {next.throttle_rate, next.error_rate, next.cut_rate})
      if (rate < 0 || rate > 1) return admin_error(400, "rates must be between 0 and 1");
    if (latency < 0 || retry < 0) return admin_error(400, "latencyMs and retryAfterSeconds must be >= 0");
    next.latency = std::chrono::milliseconds(static_cast<long long>(latency));
    next.retry_after_seconds = static_cast<int>(retry);
    next.seed = static_cast<std::uint64_t>(seed);
    target.fault_config() = next;
    return ok_json(faults_json(next));
  }
  if (m != "POST") {
    if (auto extra = target.extra_admin(request)) return *extra;
    return admin_error(404, "unknown admin endpoint " + p);
  }
  if (p == "/admin/watches/drop") {
    target.drop_watches();
    return ok_json({{"dropped", true}});
  }
  if (p == "/admin/watches/close") {
    api.close_all_watches();
    return ok_json({{"closed", true}});
  }
  if (p == "/admin/watches/fail") {
    int count = 1;
    auto c = request.query_or("count", "1");
    auto [ptr, ec] = std::from_chars(c.data(), c.data() + c.size(), count);
    if (ec != std::errc() || count < 0) return admin_error(400, "count must be a non-negative integer");
    api.fail_next_watches(count);
    return ok_json({{"failNextWatches", count}});
  }
  if (p == "/admin/compact") {
    api.compact_history();
    return ok_json({{"compactedTo", api.store().current_rv()}});
  }
  if (p == "/admin/bookmarks") {
    api.send_bookmarks();
    return ok_json({{"bookmarks", true}});
  }
  if (p == "/admin/restart") {
    long long down = 1000;
    auto d = request.query_or("downMs", "1000");
    auto [ptr, ec] = std::from_chars(d.data(), d.data() + d.size(), down);
    if (ec != std::errc() || down < 0) return admin_error(400, "downMs must be a non-negative integer");
    target.restart_after(std::chrono::milliseconds(down));
    return ok_json({{"restartingForMs", down}});
  }
  if (auto extra = target.extra_admin(request)) return *extra;
  return admin_error(404, "unknown admin endpoint " + p);
}

}  // namespace langop::localapi
