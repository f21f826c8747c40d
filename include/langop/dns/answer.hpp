// The addresses a host name resolved to, and how A and AAAA outcomes combine (PURE).
#pragma once

#include "langop/core/error.hpp"
#include "langop/dns/errc.hpp"

#include <boost/asio/ip/address.hpp>

#include <chrono>
#include <cstdint>
#include <optional>
#include <string_view>
#include <vector>

namespace langop::dns {

struct answer {
  std::vector<boost::asio::ip::address> v4;  // sorted, unique
  std::vector<boost::asio::ip::address> v6;  // sorted, unique
  // Shortest TTL among the returned records (CNAME TTLs included): when to look again.
  std::chrono::seconds min_ttl{0};

  // Same address sets, TTL ignored: "rewrite the policy only when addresses change".
  [[nodiscard]] bool same_addresses(const answer& other) const { return v4 == other.v4 && v6 == other.v6; }
  [[nodiscard]] bool empty() const noexcept { return v4.empty() && v6.empty(); }
};

// What one query type (A or AAAA) produced.
struct family_outcome {
  std::optional<errc> failure;                       // nullopt: answered with records
  std::vector<boost::asio::ip::address> addresses;  // any order, duplicates allowed
  std::uint32_t min_ttl = 0;                         // over `addresses`
};

// Combines the A and AAAA outcomes for `host`. Partial success is success: addresses from
// either family make an answer (a server that fails AAAA must not hide A records). With
// no addresses the most telling failure wins: cancelled, then not_found, then transient
// failures (timeout, SERVFAIL, ...), then no_data; the message names the host and, when
// the two families failed differently, both reasons.
[[nodiscard]] result<answer> combine(std::string_view host, const family_outcome& a, const family_outcome& aaaa);

}  // namespace langop::dns
