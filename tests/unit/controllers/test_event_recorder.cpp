// The event recorder's memory bound: beyond it the oldest keys are forgotten (their repeats
// start new Events), recent ones still aggregate. The io_context never runs, so no Event
// leaves the process; the spawned writes are destroyed with it.
#include "langop/controllers/event_recorder.hpp"
#include "langop/http/endpoint.hpp"
#include "langop/kube/client.hpp"

#include <boost/asio/io_context.hpp>
#include <catch2/catch.hpp>

using namespace langop;

namespace {
controllers::event_target target(int i) {
  return {"langop.io/v1alpha1", "LanguageAgent", "ns", "agent-" + std::to_string(i), "uid-" + std::to_string(i)};
}
}  // namespace

TEST_CASE("event recorder: repeats aggregate, the oldest keys are forgotten beyond the bound", "[controllers]") {
  boost::asio::io_context ioc;
  auto ep = http::endpoint::from_url("http://127.0.0.1:1");
  REQUIRE(ep.has_value());
  kube::client client(ioc.get_executor(), *ep, {}, {});
  controllers::event_recorder events(ioc.get_executor(), client, "test", log::logger{});

  events.normal(target(0), "Created", "created");
  events.normal(target(0), "Created", "created");
  CHECK(events.emitted() == 1);
  CHECK(events.aggregated() == 1);

  constexpr int distinct = 30000;  // above the recorder's bound of 20,000 keys
  for (int i = 1; i < distinct; ++i) events.normal(target(i), "Created", "created");
  CHECK(events.emitted() == distinct);

  events.normal(target(distinct - 1), "Created", "created");  // recent: still aggregated
  CHECK(events.aggregated() == 2);
  events.normal(target(0), "Created", "created");  // the oldest was forgotten: a new Event
  CHECK(events.emitted() == distinct + 1);
}
