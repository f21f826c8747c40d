// What every reconciler shares (internal to the controllers): the client, the event
// recorder, the informers and the egress DNS cache, plus small helpers for reading keys
// and cached objects.
#pragma once

#include <unordered_map>

#include "langop/controllers/controllers.hpp"
#include "langop/controllers/event_recorder.hpp"
#include "langop/controllers/status.hpp"
#include "langop/core/error.hpp"
#include "langop/core/json.hpp"
#include "langop/informer/informer.hpp"
#include "langop/resources/persona.hpp"
#include "langop/runtime/controller.hpp"

#include <boost/asio/awaitable.hpp>

#include <memory>
#include <string>
#include <string_view>
#include <utility>

namespace langop::kube {
class client;
}
namespace langop::dns {
class resolver;
}
namespace langop::synthesis {
class service;
}

namespace langop::controllers {

class egress_dns;
class background_checks;

struct shared : std::enable_shared_from_this<shared> {
  boost::asio::any_io_executor ex;
  runtime::manager& mgr;
  kube::client& client;
  controllers_options opts;
  log::logger log;
  event_recorder events;
  std::unique_ptr<egress_dns> dns;
  std::unique_ptr<synthesis::service> synth;  // null: synthesis disabled (SPEC 1.9)
  // Calls to tool servers and LLM providers, beside the reconciles (set up by their kinds).
  std::unique_ptr<background_checks> tool_discovery;
  std::unique_ptr<background_checks> key_validation;
  // Per agent key: the inputs and live children of its last successful children step
  // (agent_children_fingerprint); equal again means the children are up to date.
  struct children_memo {
    std::string fingerprint;
    std::vector<std::string> secrets;  // the Secrets the pods read (from the built pod spec)
  };
  std::unordered_map<std::string, children_memo> agent_children_memo;

  // langop kinds
  informer::informer* clusters = nullptr;
  informer::informer* models = nullptr;
  informer::informer* tools = nullptr;
  informer::informer* personas = nullptr;
  informer::informer* agents = nullptr;
  informer::informer* clients = nullptr;
  // children (app.kubernetes.io/managed-by=langop) and what the controllers read
  informer::informer* namespaces = nullptr;
  informer::informer* configmaps = nullptr;
  informer::informer* services = nullptr;
  informer::informer* deployments = nullptr;
  informer::informer* cronjobs = nullptr;
  informer::informer* jobs = nullptr;
  informer::informer* pvcs = nullptr;
  informer::informer* network_policies = nullptr;
  informer::informer* ingresses = nullptr;
  informer::informer* hpas = nullptr;
  informer::informer* pdbs = nullptr;
  informer::informer* quotas = nullptr;
  informer::informer* limit_ranges = nullptr;
  informer::informer* secrets = nullptr;  // values blanked at ingest

  shared(boost::asio::any_io_executor e, runtime::manager& m, kube::client& c, controllers_options o,
         log::logger l);
  ~shared();
  // Cancels the background checks in flight (the operator is going away).
  void stop_checks();
};

using reconcile_result = boost::asio::awaitable<result<runtime::action>>;

// "ns/name" -> {ns, name}; "name" -> {"", name}.
[[nodiscard]] std::pair<std::string, std::string> split_key(std::string_view key);
[[nodiscard]] std::string make_key(std::string_view ns, std::string_view name);

// The cached object as a json::object (builders take Boost.JSON).
[[nodiscard]] json::object to_object(const informer::cached_object& o);

// o[key] when it is an object, else an empty object.
[[nodiscard]] const json::object& object_at(const json::object& o, std::string_view key);

// The parentRef chain of persona `name` in `ns`, read from the persona cache. With
// `versions`, appends "name@resourceVersion;" of every persona read.
[[nodiscard]] resources::persona_chain persona_chain_of(const shared& s, std::string_view ns, std::string_view name,
                                                        std::string* versions = nullptr);

// Ready condition and the whole status in one call (SPEC 1.1 envelope).
[[nodiscard]] json::object status_for(const informer::cached_object& obj, std::string_view phase, bool ready,
                                      std::string_view reason, std::string_view message,
                                      std::vector<condition> extra = {}, json::object fields = {});

// Index: objects filed under "ns/<value>" for each string found at `path` inside every
// element of the array at `list_path` (or directly at `path` when list_path is empty).
[[nodiscard]] informer::index_fn ref_index(std::vector<std::string> list_path, std::vector<std::string> path);
// Phase transitions are events (SPEC 1.1): "Phase changed from X to Y".
void record_phase_change(shared& s, const informer::cached_object& obj, std::string_view new_phase,
                         std::string_view message, bool warning);

}  // namespace langop::controllers
