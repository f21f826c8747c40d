// One-pass decoding of the two Kubernetes wire envelopes the informer reads, straight into
// cjson documents: a watch event line and a list page. No json::value is built, and the
// envelope's other members are skipped without being stored.
#pragma once

#include "langop/cjson/codec.hpp"
#include "langop/cjson/document.hpp"
#include "langop/core/error.hpp"

#include <string>
#include <string_view>
#include <vector>

namespace langop::cjson {

// {"type":"ADDED|MODIFIED|DELETED|BOOKMARK|ERROR","object":{...}}
struct watch_event_doc {
  std::string type;  // "" when absent
  document object;   // empty when absent
};
// {"kind":"...List","metadata":{"resourceVersion":"...","continue":"..."},"items":[...]}
struct list_page_doc {
  std::string resource_version;
  std::string continue_token;
  std::vector<document> items;
};

// `opt` applies to each object (use strip_kube_bookkeeping for informer caches). Errors as
// parse(): malformed JSON, a non-object envelope, too deep, too large.
[[nodiscard]] result<watch_event_doc> parse_watch_event(std::string_view json_text, key_table& keys,
                                                        const encode_options& opt = {});
[[nodiscard]] result<list_page_doc> parse_list(std::string_view json_text, key_table& keys,
                                               const encode_options& opt = {});

}  // namespace langop::cjson
