// Slow calls to the outside world that a status reports on (MCP tool discovery, live API
// key validation) run beside the reconcile, as operations of their own with a deadline.
// A reconcile only asks whether a check is due, starts it, and reads the last outcome; the
// outcome re-enqueues the object. Why not await the call inside the reconcile: a kind has
// `concurrency` workers, and a silent server holds one for the whole timeout; a handful of
// such servers would stall every other object of the kind (and changes to the object
// itself) for that long. Here a worker is never held by a remote peer.
#pragma once

#include "langop/core/json.hpp"

#include <boost/asio/any_io_executor.hpp>
#include <boost/asio/awaitable.hpp>

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <string>

namespace langop::controllers {

// What one check found. `message` must never hold a secret value.
struct check_outcome {
  bool ok = false;
  bool transient = true;     // a failure worth retrying with backoff (network, 5xx, timeout)
  std::string reason;        // CamelCase condition reason
  std::string message;       // one sentence for the condition and the event
  json::value data;          // the payload of a success (e.g. status.tools)
  // Set by background_checks:
  std::string fingerprint;   // what the check ran for (the caller's description of its input)
  std::uint32_t failures = 0;  // consecutive failures, this one included
  std::chrono::steady_clock::time_point finished{};
};

// Not an aggregate (GCC 12 rule for structs passed to coroutines / defaulted parameters).
struct check_timing {
  check_timing() = default;
  std::chrono::milliseconds retry_base{5000};  // after the 1st failure; doubled per failure
  std::chrono::milliseconds retry_max{300000};
  // Checks running at once: a start-up with thousands of objects must not open thousands
  // of sockets at once (the file descriptor limit). Keys over the cap wait in FIFO order
  // and are woken (re-enqueued) as checks finish.
  std::size_t max_in_flight = 32;
};

class background_checks final {
 public:
  using check_fn = std::function<boost::asio::awaitable<check_outcome>()>;
  // Called on the loop when a check finished (never after stop()): `changed` tells an outcome
  // that differs from the previous one (ok flipped or another message), so events are only
  // recorded for news. The callback re-enqueues the object; its reconcile asks due_in() when
  // to come back.
  using outcome_fn = std::function<void(const std::string& key, const check_outcome& o, bool changed)>;

  // `wake(key)`: a key that waited for a free slot may start now (re-enqueue it).
  using wake_fn = std::function<void(const std::string& key)>;

  background_checks(boost::asio::any_io_executor ex, check_timing timing, outcome_fn on_outcome, wake_fn wake);
  ~background_checks();
  background_checks(const background_checks&) = delete;
  background_checks& operator=(const background_checks&) = delete;

  // True when `key` needs a check for `fingerprint`: none ran for it yet (or invalidate()
  // was called since), or the last one failed transiently and its backoff passed, or
  // `refresh` > 0 and the last outcome (a success or a lasting failure) is older than
  // that. Never while one is in flight.
  [[nodiscard]] bool due(const std::string& key, const std::string& fingerprint,
                         std::chrono::nanoseconds refresh = {}) const;
  // How long until due() turns true by time alone (a retry or a refresh); 0 when nothing
  // is scheduled (in flight, never ran, or only a change can make it due).
  [[nodiscard]] std::chrono::nanoseconds due_in(const std::string& key, std::chrono::nanoseconds refresh = {}) const;
  // Runs `fn` for `key` (unless one is in flight or stop() was called); with every slot
  // taken, `key` waits to be woken instead (and due() stays true).
  void start(const std::string& key, std::string fingerprint, check_fn fn);
  // The next due() is true whatever the fingerprint (e.g. a tool's pods became unready:
  // discover again once they are ready). The last outcome stays readable.
  void invalidate(const std::string& key);
  // The last finished outcome for `key`, or null.
  [[nodiscard]] const check_outcome* last(const std::string& key) const;
  [[nodiscard]] bool in_flight(const std::string& key) const;
  // The object is gone: drop what is known (a check in flight finishes unreported).
  void forget(const std::string& key);
  // Cancels every check in flight; none reports afterwards. Idempotent.
  void stop();

  [[nodiscard]] std::chrono::nanoseconds backoff(std::uint32_t failures) const;

  struct state;

 private:
  std::shared_ptr<state> st_;
};

}  // namespace langop::controllers
