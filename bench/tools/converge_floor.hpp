// The write floor: the end state the operator produced, written again by a plain
// kube::client at the same concurrency, with no operator logic. Everything the operator
// labelled app.kubernetes.io/managed-by=langop in the benchmark's namespaces is created
// (server fields stripped) in fresh namespaces, and the status of every langop object is
// written once (merge patch of /status). The langop objects themselves and the Secrets are
// copied first, untimed: the operator found them there too. The Events the operator
// recorded are written last, timed on their own.
#pragma once

#include "converge_loop.hpp"

#include <map>
#include <string>
#include <vector>

namespace bench::converge {

struct floor_result {
  double seconds = 0;
  std::size_t objects = 0, status_writes = 0, errors = 0;
  // The operator's Events, written after the rest (timed on their own): the floor of
  // "every write the operator made" is seconds + events_seconds.
  std::size_t events = 0;
  double events_seconds = 0;
  std::string first_error;
  std::map<std::string, double> children_by_kind;
};

// `write_status`: false when an operator is running (it would reconcile the copies).
[[nodiscard]] floor_result write_floor(net::io_context& ioc, langop::kube::client& c,
                                       const std::vector<std::string>& namespaces, std::size_t concurrency,
                                       bool write_status, steady::duration limit);

}  // namespace bench::converge
