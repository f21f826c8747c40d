// DNS lookup failures as error codes (dns::errc + its category) and the helper that
// wraps them in a langop::error whose message names the host that failed.
#pragma once

#include "langop/core/error.hpp"

#include <string>
#include <string_view>
#include <type_traits>

namespace langop::dns {

enum class errc {
  not_found = 1,       // NXDOMAIN: the name does not exist
  no_data,             // the name exists but has no A/AAAA records
  timeout,             // no answer before the caller's deadline or c-ares gave up
  server_failure,      // SERVFAIL (or NOTIMP/FORMERR): the server could not answer
  refused,             // REFUSED: the server will not answer us
  connection_refused,  // no server reachable (ICMP unreachable, reset), or with several
                       // servers every one failed or refused (c-ares 1.18 merges these)
  bad_response,        // malformed answer
  bad_name,            // not a valid RFC 1123 host name
  cancelled,           // caller cancelled, resolver shut down or destroyed
  resolver_failure,    // any other local c-ares failure (out of memory, bad config)
};

[[nodiscard]] const boost::system::error_category& category() noexcept;

[[nodiscard]] inline boost::system::error_code make_error_code(errc e) noexcept {
  return {static_cast<int>(e), category()};
}

// "resolving <host>: <detail>" with code `e`; `detail` defaults to the code's text.
[[nodiscard]] error make_error(errc e, std::string_view host, std::string_view detail = {});

// True for failures worth retrying soon (timeouts, SERVFAIL, unreachable servers), as
// opposed to answers about the name itself (not_found, no_data, bad_name).
[[nodiscard]] bool is_transient(errc e) noexcept;

}  // namespace langop::dns

template <>
struct boost::system::is_error_code_enum<langop::dns::errc> : std::true_type {};
