// Applying and deleting children with the events users see in `kubectl describe`
// (SPEC 1.1: child created/updated).
#pragma once

#include "langop/controllers/writer.hpp"
#include "shared.hpp"

namespace langop::controllers {

// ensure_child, plus a Created/Updated event on the owner when it wrote.
[[nodiscard]] boost::asio::awaitable<result<void>> apply_child(shared& s, const informer::cached_object& owner,
                                                               const kube::resource& r, const informer::informer& cache,
                                                               json::object desired);
// delete_child, plus a Deleted event when it deleted.
[[nodiscard]] boost::asio::awaitable<result<void>> remove_child(shared& s, const informer::cached_object& owner,
                                                                const kube::resource& r,
                                                                const informer::informer& cache, std::string_view ns, std::string_view name);

}  // namespace langop::controllers
