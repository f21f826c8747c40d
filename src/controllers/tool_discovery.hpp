// MCP tool discovery for service-mode LanguageTools (SPEC 1.4): the URL the operator
// reaches the server at, the check that runs initialize + tools/list there, and the
// ToolsDiscovered condition it yields.
#pragma once

#include "background_checks.hpp"

#include "langop/controllers/status.hpp"
#include "langop/core/json.hpp"

#include <boost/asio/any_io_executor.hpp>

#include <chrono>
#include <optional>
#include <string>
#include <string_view>

namespace langop::controllers {

// A check that lists the tools of the MCP server at `url` within `timeout`. Success: data
// is status.tools (name, description, inputSchema; a name announced twice is kept once).
[[nodiscard]] background_checks::check_fn discover_tools_check(boost::asio::any_io_executor ex, std::string url,
                                                               std::chrono::milliseconds timeout);

// ToolsDiscovered True/False for an outcome.
[[nodiscard]] condition tools_discovered_condition(const check_outcome& o);

}  // namespace langop::controllers
