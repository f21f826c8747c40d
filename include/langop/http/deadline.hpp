// Absolute deadlines for transport operations (userver-style): a caller states when
// it gives up, and every step below (resolve, connect, handshake, write, read) honours it.
#pragma once

#include <chrono>

namespace langop::http {

using clock = std::chrono::steady_clock;
using deadline = clock::time_point;

// now + d; the usual way to build a deadline.
[[nodiscard]] inline deadline after(clock::duration d) { return clock::now() + d; }

// The earlier of two deadlines: a per-step bound never extends the caller's.
[[nodiscard]] inline deadline earliest(deadline a, deadline b) { return a < b ? a : b; }

}  // namespace langop::http
