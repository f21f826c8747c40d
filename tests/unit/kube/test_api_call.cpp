#include "langop/kube/api_call.hpp"
#include "langop/kube/errc.hpp"

#include <catch2/catch.hpp>

using namespace langop;
using namespace langop::kube;

namespace {
const resource deployments{"apps", "v1", "deployments", "Deployment", true};
const resource namespaces{"", "v1", "namespaces", "Namespace", false};
const resource agents{"langop.io", "v1alpha1", "languageagents", "LanguageAgent", true};
}  // namespace

TEST_CASE("paths for core, grouped, namespaced and cluster-scoped resources", "[kube][api_call]") {
  CHECK(collection_path(deployments, "team-a") == "/apis/apps/v1/namespaces/team-a/deployments");
  CHECK(collection_path(deployments, "") == "/apis/apps/v1/deployments");
  CHECK(collection_path(namespaces, "ignored") == "/api/v1/namespaces");
  CHECK(item_path(agents, "ns", "a", "status") == "/apis/langop.io/v1alpha1/namespaces/ns/languageagents/a/status");
  CHECK(item_path(namespaces, "", "demo") == "/api/v1/namespaces/demo");
}

TEST_CASE("list and watch queries are escaped", "[kube][api_call]") {
  list_options lo;
  lo.label_selector = "app in (a,b),!legacy";
  lo.limit = 500;
  lo.continue_token = "abc+/=";
  auto l = list_call(deployments, "x", lo);
  CHECK(l.method == "GET");
  CHECK(l.target ==
        "/apis/apps/v1/namespaces/x/deployments?labelSelector=app%20in%20%28a%2Cb%29%2C%21legacy&limit=500"
        "&continue=abc%2B%2F%3D");
  watch_options wo;
  wo.resource_version = "42";
  wo.timeout_seconds = 300;
  auto w = watch_call(agents, "", wo);
  CHECK(w.watch);
  CHECK(w.target == "/apis/langop.io/v1alpha1/languageagents?watch=true&resourceVersion=42&allowWatchBookmarks=true"
                    "&timeoutSeconds=300");
}

TEST_CASE("writes carry field manager, dry run and patch content types", "[kube][api_call]") {
  patch_options po;
  po.force = true;
  auto a = patch_call(deployments, "ns", "d", patch_type::apply, "{}", po);
  CHECK(a.method == "PATCH");
  CHECK(a.content_type == "application/apply-patch+yaml");
  CHECK(a.target == "/apis/apps/v1/namespaces/ns/deployments/d?fieldManager=langop&force=true");
  auto s = patch_call(agents, "ns", "a", patch_type::merge, "{}", {}, "status");
  CHECK(s.target == "/apis/langop.io/v1alpha1/namespaces/ns/languageagents/a/status?fieldManager=langop");
  CHECK(s.describe == "patch languageagents/status ns/a");
  write_options wo;
  wo.dry_run = true;
  wo.field_validation = "Strict";
  auto c = create_call(deployments, "ns", "{}", wo);
  CHECK(c.target == "/apis/apps/v1/namespaces/ns/deployments?fieldManager=langop&dryRun=All&fieldValidation=Strict");
  delete_options d;
  d.propagation_policy = "Foreground";
  d.precondition_uid = "u1";
  auto del = delete_call(deployments, "ns", "d", d);
  CHECK(del.body.find("\"propagationPolicy\":\"Foreground\"") != std::string::npos);
  CHECK(del.body.find("\"preconditions\":{\"uid\":\"u1\"}") != std::string::npos);
  CHECK(delete_call(deployments, "ns", "d", {}).body.empty());
}

TEST_CASE("Status bodies become typed errors that keep the server's message", "[kube][errc]") {
  auto e = status_error(409, R"({"kind":"Status","apiVersion":"v1","status":"Failure","message":"Operation cannot be fulfilled on deployments.apps \"d\": the object has been modified","reason":"Conflict","code":409})", "update deployments ns/d");
  CHECK(is(e, errc::conflict));
  CHECK(e.http_status == 409);
  CHECK(e.reason == "Conflict");
  CHECK(e.message.find("the object has been modified") != std::string::npos);
  CHECK(is(status_error(409, R"({"kind":"Status","reason":"AlreadyExists","message":"x"})", ""), errc::already_exists));
  CHECK(is(status_error(410, R"({"kind":"Status","reason":"Expired","message":"too old"})", ""), errc::gone));
  CHECK(is(status_error(504, R"({"kind":"Status","reason":"Timeout","message":"Too large resource version"})", ""),
           errc::server_timeout));
  auto plain = status_error(502, "<html>bad gateway</html>", "list pods");
  CHECK(is(plain, errc::server_error));
  CHECK(plain.message == "list pods: the server responded with HTTP 502");
  CHECK(is_retryable(plain));
  CHECK(is_retryable(status_error(429, "", "")));
  CHECK_FALSE(is_retryable(status_error(404, "", "")));
  CHECK(parse_retry_after("7") == std::chrono::seconds(7));
  CHECK_FALSE(parse_retry_after("soon"));
}
