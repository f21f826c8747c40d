// LanguageClient (SPEC 1.7): a Service selecting the agent's pods and, with
// spec.ingress, an Ingress with the auth wiring the ingress class supports. Credentials
// stay in the user's Secret.
#include "langop/controllers/kinds.hpp"
#include "langop/resources/client.hpp"
#include "reconcile_common.hpp"

namespace langop::controllers {

namespace net = boost::asio;

namespace {

reconcile_result reconcile_client(std::shared_ptr<shared> sp, std::string key) {
  shared& s = *sp;
  auto [ns, name] = split_key(key);
  auto obj = s.clients->store().get(ns, name);
  if (!obj || obj->deleting()) co_return runtime::action::done();

  const auto client = to_object(*obj);
  if (auto why = resources::client_auth_problem(client))
    co_return co_await report_problem(s, kinds::client, *obj, false, *why);
  auto secret = obj->root().at_path({"spec", "auth", "secretRef", "name"}).as_string();
  if (!secret.empty() && !s.secrets->store().get(ns, secret))
    co_return co_await report_problem(s, kinds::client, *obj, true, "Secret \"" + std::string(secret) + "\" not found");
  auto agent_name = obj->root().at_path({"spec", "agentRef", "name"}).as_string();
  auto agent = s.agents->store().get(ns, agent_name);
  if (!agent)
    co_return co_await report_problem(s, kinds::client, *obj, true,
                                      "agent \"" + std::string(agent_name) + "\" not found");

  if (auto w = co_await apply_or_remove(s, *obj, kinds::services, *s.services, resources::client_service(client), ns,
                                        name);
      !w)
    co_return w.error();
  if (auto w = co_await apply_or_remove(s, *obj, kinds::ingresses, *s.ingresses, resources::client_ingress(client), ns,
                                        name);
      !w)
    co_return w.error();

  const bool running = (*agent)["status"].find("phase").as_string() == "Running";
  json::object fields;
  fields["url"] = resources::client_url(client);
  const std::string phase = running ? "Ready" : "Pending";
  const std::string message = running ? "Serving agent " + std::string(agent_name)
                                      : "Waiting for agent \"" + std::string(agent_name) + "\" to run";
  record_phase_change(s, *obj, phase, {}, false);
  auto status = status_for(*obj, phase, running, running ? "AgentRunning" : "AgentNotRunning", message, {},
                           std::move(fields));
  if (auto w = co_await write_status(s.client, kinds::client, *obj, std::move(status)); !w) co_return w.error();
  co_return runtime::action::done();
}

}  // namespace

void setup_client(shared& s) {
  auto& c = add_kind_controller(s, "languageclient", *s.clients, reconcile_client);
  for (auto* inf : {s.services, s.ingresses}) c.watch_owned(*inf, "LanguageClient");
  watch_referrers(c, *s.agents, *s.clients, index_client_agent);
  watch_referrers(c, *s.secrets, *s.clients, index_client_secret);
}

}  // namespace langop::controllers
