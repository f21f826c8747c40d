// watch: initial state or history replay, then live events filtered per watcher with
// kube-apiserver's selector transition rules, BOOKMARKs, and 410 for expired RVs.
#include "apiserver_internal.hpp"

#include "langop/core/log.hpp"

#include <boost/json/serialize.hpp>

#include <charconv>

namespace langop::localapi {

struct watch_session::filter {
  std::string ns;  // "" = every namespace
  label_selector labels;
  field_selector fields;
  bool table = false;
};

namespace {

constexpr std::size_t k_max_pending_bytes = 256u << 20;

std::string status_json(const api_error& e) { return json::serialize(to_status(e)); }

// The object of a BOOKMARK event: only kind, apiVersion and the resourceVersion (plus
// kube's initial-events-end annotation after sendInitialEvents).
std::string bookmark_json(const resource_type& t, std::uint64_t rv, bool initial_events_end) {
  std::string o = "{\"kind\":";
  log::append_json_string(o, t.kind);
  o += ",\"apiVersion\":";
  log::append_json_string(o, t.api_version());
  o += ",\"metadata\":{\"resourceVersion\":\"" + std::to_string(rv) + "\",\"creationTimestamp\":null";
  if (initial_events_end) o += ",\"annotations\":{\"k8s.io/initial-events-end\":\"true\"}";
  o += "}}";
  return o;
}

std::optional<std::uint64_t> parse_rv(std::string_view s) {
  std::uint64_t v = 0;
  auto [p, ec] = std::from_chars(s.data(), s.data() + s.size(), v);
  if (ec != std::errc() || p != s.data() + s.size()) return std::nullopt;
  return v;
}

}  // namespace

watch_session::watch_session(apiserver& server, std::shared_ptr<const resource_type> type, std::unique_ptr<filter> f,
                             collection* source)
    : server_(&server), type_(std::move(type)), filter_(std::move(f)), source_(source) {
  server_->sessions_.insert(this);
  if (source_) source_->subscribe(this);
}

watch_session::~watch_session() { detach(); }

void watch_session::detach() {
  if (source_) source_->unsubscribe(this);
  if (server_) server_->sessions_.erase(this);
  source_ = nullptr;
  server_ = nullptr;
}

std::string watch_session::take_pending() {
  std::string out;
  out.swap(pending_);
  return out;
}

// Appended straight into the pending bytes (no line built on its own first): this runs
// once per watcher for every event.
void watch_session::queue_event(const char* type, std::string_view object_json) {
  if (finished_) return;
  constexpr std::string_view head = "{\"type\":\"", mid = "\",\"object\":", tail = "}\n";
  const std::size_t type_len = std::char_traits<char>::length(type);
  const std::size_t size = head.size() + type_len + mid.size() + object_json.size() + tail.size();
  if (pending_.size() + size > k_max_pending_bytes) {
    // The client is not reading: end the stream; it will re-watch from its last RV.
    finish();
    return;
  }
  pending_.reserve(pending_.size() + size);
  pending_.append(head).append(type, type_len).append(mid).append(object_json).append(tail);
  if (server_) ++server_->stats_.watch_events_sent;
  if (wake_) wake_();
}

void watch_session::finish() {
  if (finished_) return;
  finished_ = true;
  if (source_) source_->unsubscribe(this);
  source_ = nullptr;
  if (wake_) wake_();
}

void watch_session::queue_bookmark() {
  if (!bookmarks_ || finished_ || !server_) return;
  queue_event("BOOKMARK", bookmark_json(*type_, std::max(last_rv_, server_->store_.current_rv()), false));
}

void watch_session::on_event(const event_ptr& e) {
  if (finished_ || !server_) return;
  const filter& f = *filter_;
  auto passes = [&](const object_ptr& o) {
    if (!o) return false;
    if (!f.ns.empty() && meta_string(o->object, "namespace") != f.ns) return false;
    if (!f.labels.matches(meta_object(o->object, "labels"))) return false;
    if (!f.fields.empty() && !f.fields.matches(present(*type_, o)->object)) return false;
    return true;
  };
  const char* type = nullptr;
  object_ptr shown;
  switch (e->type) {
    case event_type::added:
      if (passes(e->object)) type = "ADDED", shown = e->object;
      break;
    case event_type::deleted:
      if (passes(e->object)) type = "DELETED", shown = e->object;
      break;
    case event_type::modified: {
      bool now_passes = passes(e->object);
      bool before = passes(e->previous);
      if (now_passes && before) {
        type = "MODIFIED", shown = e->object;
      } else if (now_passes) {
        type = "ADDED", shown = e->object;
      } else if (before) {
        // No longer selected: a DELETED carrying the previous content at the new RV.
        auto gone = std::make_shared<stored_object>(*e->previous);
        gone->object["metadata"].as_object()["resourceVersion"] = std::to_string(e->rv);
        gone->json = json::serialize(gone->object);
        gone->rv = e->rv;
        type = "DELETED", shown = std::move(gone);
      }
      break;
    }
  }
  last_rv_ = e->rv;
  if (!type) return;
  shown = present(*type_, shown);
  if (f.table) {
    std::vector<const json::object*> one{&shown->object};
    auto table = make_table(type_->group, type_->kind, &type_->printer_columns, one, include_object::metadata,
                            std::to_string(e->rv), "", server_->now());
    queue_event(type, json::serialize(table));
  } else {
    queue_event(type, shown->json);
  }
}

api_response apiserver::handle_watch(const api_request& request, const route& r) {
  const auto& t = *r.type;
  auto f = std::make_unique<watch_session::filter>();
  auto labels = label_selector::parse(request.query_or("labelSelector"));
  if (!labels) return error_response(bad_request(labels.error().message));
  auto fields = field_selector::parse(request.query_or("fieldSelector"));
  if (!fields) return error_response(bad_request(fields.error().message));
  f->labels = std::move(*labels);
  f->fields = std::move(*fields);
  f->ns = r.namespaced_path ? r.ns : std::string();
  f->table = parse_accept(request.accept).table;

  std::chrono::seconds timeout{1800};
  if (const auto* ts = request.query_param("timeoutSeconds"); ts && !ts->empty()) {
    auto v = parse_rv(*ts);
    if (!v) return error_response(bad_request("invalid timeoutSeconds: " + *ts));
    timeout = std::chrono::seconds(std::min<std::uint64_t>(*v, 24 * 3600));
  }
  const std::string rv_text = request.query_or("resourceVersion");
  const bool send_initial = request.query_or("sendInitialEvents") == "true";
  if (send_initial && request.query_or("resourceVersionMatch") != "NotOlderThan")
    return error_response(invalid(
        "ListOptions", "meta.k8s.io", "",
        {{"FieldValueForbidden", "sendInitialEvents requires setting resourceVersionMatch to NotOlderThan",
          "resourceVersionMatch"}}));

  collection& c = store_.at(t.storage);
  api_response resp;
  resp.content_type = f->table ? "application/json;as=Table;v=v1;g=meta.k8s.io" : "application/json";
  auto session = std::make_shared<watch_session>(*this, r.type, std::move(f), &c);
  session->bookmarks_ = request.query_or("allowWatchBookmarks") == "true";
  session->timeout_ = timeout;
  resp.watch = session;

  if (fail_watches_ > 0) {
    --fail_watches_;
    session->queue_event("ERROR", status_json(
        expired("too old resource version: " + rv_text + " (" + std::to_string(store_.current_rv()) + ")")));
    session->finish();
    return resp;
  }

  auto replay_current = [&] {
    const auto& filt = *session->filter_;
    c.for_each(filt.ns, "", [&](const object_ptr& o) {
      session->on_event(std::make_shared<store_event>(store_event{event_type::added, o->rv, o, nullptr}));
      return true;
    });
    session->last_rv_ = store_.current_rv();
  };

  if (rv_text.empty() || rv_text == "0" || send_initial) {
    replay_current();
    if (send_initial) {
      session->queue_event("BOOKMARK", bookmark_json(t, store_.current_rv(), true));
    }
    return resp;
  }
  auto since = parse_rv(rv_text);
  if (!since) {
    resp.watch.reset();
    return error_response(bad_request("invalid resource version: " + rv_text));
  }
  if (*since > store_.current_rv()) {
    resp.watch.reset();
    api_error e;
    e.code = 504;
    e.reason = "Timeout";
    e.message = "Too large resource version: " + rv_text + ", current: " + std::to_string(store_.current_rv());
    e.causes.push_back({"ResourceVersionTooLarge", "Too large resource version", ""});
    e.retry_after_seconds = 1;
    return error_response(e);
  }
  auto events = c.events_since(*since);
  if (!events) {
    // kube-apiserver's watch cache answers 200 and then a single ERROR event.
    session->queue_event("ERROR", status_json(
        expired("too old resource version: " + rv_text + " (" + std::to_string(c.compacted_rv()) + ")")));
    session->finish();
    return resp;
  }
  for (const auto& e : *events) session->on_event(e);
  session->last_rv_ = std::max(session->last_rv_, *since);
  return resp;
}

void apiserver::send_bookmarks() {
  for (auto* s : sessions_) s->queue_bookmark();
}

void apiserver::close_all_watches() {
  auto copy = sessions_;
  for (auto* s : copy) s->finish();
}

}  // namespace langop::localapi
