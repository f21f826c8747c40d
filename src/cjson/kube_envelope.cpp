// Watch events and list pages -> documents in one SAX pass: envelope members are tracked
// here (two levels deep at most); the object values are forwarded to the builder.
#include "builder.hpp"

#include "langop/cjson/kube_envelope.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/parse.hpp>
#include <boost/system/errc.hpp>

#include <string>

namespace langop::cjson {
namespace {

using boost::system::error_code;
using jsv = boost::json::string_view;

class envelope_handler {
 public:
  static constexpr std::size_t max_object_size = 0xFFFFFFFFu;
  static constexpr std::size_t max_array_size = 0xFFFFFFFFu;
  static constexpr std::size_t max_key_size = 0xFFFFFFFFu;
  static constexpr std::size_t max_string_size = 0xFFFFFFFFu;

  envelope_handler(detail::builder* b, bool list) noexcept : b_(b), list_(list) {}

  bool on_document_begin(error_code&) noexcept { return true; }
  bool on_document_end(error_code&) noexcept { return true; }
  bool on_object_begin(error_code& ec) { return open(true, ec); }
  bool on_array_begin(error_code& ec) { return open(false, ec); }
  bool on_object_end(std::size_t, error_code& ec) { return close(true, ec); }
  bool on_array_end(std::size_t, error_code& ec) { return close(false, ec); }
  bool on_key_part(jsv s, std::size_t, error_code& ec) {
    if (forwarding_) return check(b_->key_part({s.data(), s.size()}), ec);
    kbuf_.append(s.data(), s.size());
    return true;
  }
  bool on_key(jsv s, std::size_t, error_code& ec) {
    if (forwarding_) return check(b_->key({s.data(), s.size()}), ec);
    kbuf_.append(s.data(), s.size());
    if (depth_ == 1) key1_ = kbuf_;
    if (depth_ == 2) key2_ = kbuf_;
    kbuf_.clear();
    return true;
  }
  bool on_string_part(jsv s, std::size_t, error_code& ec) {
    if (forwarding_) return check(b_->string_part({s.data(), s.size()}), ec);
    sbuf_.append(s.data(), s.size());
    return true;
  }
  bool on_string(jsv s, std::size_t, error_code& ec) {
    if (forwarding_) return check(b_->string({s.data(), s.size()}), ec);
    sbuf_.append(s.data(), s.size());
    bool ok = true;
    if (starts_value()) {
      ok = scalar(ec, [&] { return b_->string(sbuf_); });
    } else if (!list_ && depth_ == 1 && key1_ == "type") {
      type = sbuf_;
    } else if (list_ && depth_ == 2 && key1_ == "metadata" && key2_ == "resourceVersion") {
      resource_version = sbuf_;
    } else if (list_ && depth_ == 2 && key1_ == "metadata" && key2_ == "continue") {
      continue_token = sbuf_;
    }
    sbuf_.clear();
    return ok;
  }
  bool on_number_part(jsv, error_code&) noexcept { return true; }
  bool on_int64(std::int64_t v, jsv, error_code& ec) { return scalar(ec, [&] { return b_->int64(v); }); }
  bool on_uint64(std::uint64_t v, jsv, error_code& ec) { return scalar(ec, [&] { return b_->uint64(v); }); }
  bool on_double(double v, jsv, error_code& ec) { return scalar(ec, [&] { return b_->dbl(v); }); }
  bool on_bool(bool v, error_code& ec) { return scalar(ec, [&] { return b_->boolean(v); }); }
  bool on_null(error_code& ec) { return scalar(ec, [&] { return b_->null(); }); }
  bool on_comment_part(jsv, error_code&) noexcept { return true; }
  bool on_comment(jsv, error_code&) noexcept { return true; }

  std::string type, resource_version, continue_token;
  std::vector<document> items;
  document object;
  bool duplicates = false;
  bool root_is_object = false;

 private:
  bool check(bool ok, error_code& ec) const {
    if (!ok) ec = b_->error();
    return ok;
  }
  // Is the value starting now one we turn into a document?
  [[nodiscard]] bool starts_value() const noexcept {
    return list_ ? (depth_ == 2 && in_items_) : (depth_ == 1 && key1_ == "object");
  }
  void complete() {
    duplicates = duplicates || b_->duplicate_keys();
    if (list_) {
      items.push_back(b_->finish());
    } else {
      object = b_->finish();
    }
    forwarding_ = false;
  }
  template <class Event>
  bool scalar(error_code& ec, Event&& ev) {
    if (forwarding_) return check(ev(), ec);
    if (!starts_value()) return true;
    b_->reset();
    forwarding_ = true;
    if (!check(ev(), ec)) return false;
    complete();
    return true;
  }
  bool open(bool object, error_code& ec) {
    if (forwarding_) {
      ++nested_;
      return check(object ? b_->begin_object() : b_->begin_array(), ec);
    }
    if (starts_value()) {
      b_->reset();
      forwarding_ = true;
      nested_ = 1;
      return check(object ? b_->begin_object() : b_->begin_array(), ec);
    }
    if (depth_ == 0) root_is_object = object;
    ++depth_;
    if (depth_ == 2 && list_ && !object && key1_ == "items") in_items_ = true;
    return true;
  }
  bool close(bool object, error_code& ec) {
    if (forwarding_) {
      if (!check(object ? b_->end_object() : b_->end_array(), ec)) return false;
      if (--nested_ == 0) complete();
      return true;
    }
    if (depth_ == 2) in_items_ = false;
    --depth_;
    return true;
  }

  detail::builder* b_;
  bool list_;
  bool forwarding_ = false;
  bool in_items_ = false;
  int depth_ = 0;   // envelope containers open
  int nested_ = 0;  // containers open inside the forwarded value
  std::string key1_, key2_, kbuf_, sbuf_;
};

error envelope_error(error_code ec, std::size_t offset) {
  return error(ec, "invalid JSON at byte " + std::to_string(offset) + ": " + ec.message());
}

error not_an_object() {
  return error(boost::system::errc::make_error_code(boost::system::errc::invalid_argument),
               "Kubernetes envelope is not a JSON object");
}

// Runs the handler over the text; returns the handler for its outputs.
result<bool> run(envelope_handler& h, boost::json::basic_parser<envelope_handler>& p, std::string_view text) {
  error_code ec;
  const std::size_t n = p.write_some(false, text.data(), text.size(), ec);
  if (!ec && n != text.size()) ec = boost::json::error::extra_data;
  if (ec) return envelope_error(ec, n);
  if (!h.root_is_object) return not_an_object();
  return h.duplicates;
}

boost::json::parse_options envelope_options(const encode_options& opt) {
  boost::json::parse_options po;
  po.max_depth = opt.max_depth + 2;  // the envelope's own levels; the builder limits objects
  po.allow_invalid_utf8 = true;
  return po;
}

// Rare path (repeated keys somewhere): boost::json resolves them, then encode.
result<boost::json::value> reference(std::string_view text, const encode_options& opt) {
  error_code ec;
  auto v = boost::json::parse(jsv(text.data(), text.size()), ec, {}, envelope_options(opt));
  if (ec) return envelope_error(ec, 0);
  return v;
}

std::string string_at(const boost::json::object& o, std::string_view key) {
  const auto* v = o.if_contains(jsv(key.data(), key.size()));
  return v && v->is_string() ? std::string(v->get_string()) : std::string();
}

}  // namespace

result<watch_event_doc> parse_watch_event(std::string_view text, key_table& keys, const encode_options& opt) {
  {
    detail::builder b(keys, opt);
    boost::json::basic_parser<envelope_handler> p(envelope_options(opt), &b, false);
    auto dup = run(p.handler(), p, text);
    if (!dup) return dup.error();
    if (!*dup) {
      auto& h = p.handler();
      return watch_event_doc{std::move(h.type), std::move(h.object)};
    }
  }
  auto v = reference(text, opt);
  if (!v) return v.error();
  const auto& o = v->as_object();
  watch_event_doc ev{string_at(o, "type"), {}};
  if (const auto* obj = o.if_contains("object")) {
    auto d = encode(*obj, keys, opt);
    if (!d) return d.error();
    ev.object = std::move(*d);
  }
  return ev;
}

result<list_page_doc> parse_list(std::string_view text, key_table& keys, const encode_options& opt) {
  {
    detail::builder b(keys, opt);
    boost::json::basic_parser<envelope_handler> p(envelope_options(opt), &b, true);
    auto dup = run(p.handler(), p, text);
    if (!dup) return dup.error();
    if (!*dup) {
      auto& h = p.handler();
      return list_page_doc{std::move(h.resource_version), std::move(h.continue_token), std::move(h.items)};
    }
  }
  auto v = reference(text, opt);
  if (!v) return v.error();
  const auto& o = v->as_object();
  list_page_doc page;
  if (const auto* meta = o.if_contains("metadata"); meta && meta->is_object()) {
    page.resource_version = string_at(meta->get_object(), "resourceVersion");
    page.continue_token = string_at(meta->get_object(), "continue");
  }
  if (const auto* items = o.if_contains("items"); items && items->is_array()) {
    for (const auto& item : items->get_array()) {
      auto d = encode(item, keys, opt);
      if (!d) return d.error();
      page.items.push_back(std::move(*d));
    }
  }
  return page;
}

}  // namespace langop::cjson
