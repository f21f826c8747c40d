// Text -> document in one SAX pass (boost::json::basic_parser with a writing handler).
#include "builder.hpp"

#include "langop/cjson/codec.hpp"

#include <boost/json/basic_parser_impl.hpp>
#include <boost/json/monotonic_resource.hpp>
#include <boost/json/parse.hpp>

#include <string>

namespace langop::cjson {
namespace {

using boost::system::error_code;

struct sax_handler {
  static constexpr std::size_t max_object_size = 0xFFFFFFFFu;
  static constexpr std::size_t max_array_size = 0xFFFFFFFFu;
  static constexpr std::size_t max_key_size = 0xFFFFFFFFu;
  static constexpr std::size_t max_string_size = 0xFFFFFFFFu;

  explicit sax_handler(detail::builder* b) noexcept : b_(b) {}

  bool check(bool ok, error_code& ec) const noexcept {
    if (!ok) ec = b_->error();
    return ok;
  }
  bool on_document_begin(error_code&) noexcept { return true; }
  bool on_document_end(error_code&) noexcept { return true; }
  bool on_array_begin(error_code& ec) { return check(b_->begin_array(), ec); }
  bool on_array_end(std::size_t, error_code& ec) { return check(b_->end_array(), ec); }
  bool on_object_begin(error_code& ec) { return check(b_->begin_object(), ec); }
  bool on_object_end(std::size_t, error_code& ec) { return check(b_->end_object(), ec); }
  bool on_string_part(boost::json::string_view s, std::size_t, error_code& ec) {
    return check(b_->string_part({s.data(), s.size()}), ec);
  }
  bool on_string(boost::json::string_view s, std::size_t, error_code& ec) {
    return check(b_->string({s.data(), s.size()}), ec);
  }
  bool on_key_part(boost::json::string_view s, std::size_t, error_code& ec) {
    return check(b_->key_part({s.data(), s.size()}), ec);
  }
  bool on_key(boost::json::string_view s, std::size_t, error_code& ec) {
    return check(b_->key({s.data(), s.size()}), ec);
  }
  bool on_number_part(boost::json::string_view, error_code&) noexcept { return true; }
  bool on_int64(std::int64_t v, boost::json::string_view, error_code& ec) { return check(b_->int64(v), ec); }
  bool on_uint64(std::uint64_t v, boost::json::string_view, error_code& ec) { return check(b_->uint64(v), ec); }
  bool on_double(double v, boost::json::string_view, error_code& ec) { return check(b_->dbl(v), ec); }
  bool on_bool(bool v, error_code& ec) { return check(b_->boolean(v), ec); }
  bool on_null(error_code& ec) { return check(b_->null(), ec); }
  bool on_comment_part(boost::json::string_view, error_code&) noexcept { return true; }
  bool on_comment(boost::json::string_view, error_code&) noexcept { return true; }

 private:
  detail::builder* b_;
};

boost::json::parse_options sax_options(const encode_options& opt) {
  boost::json::parse_options po;
  po.max_depth = opt.max_depth;
  po.allow_invalid_utf8 = true;
  return po;
}

error parse_error(error_code ec, std::size_t offset) {
  return error(ec, "invalid JSON at byte " + std::to_string(offset) + ": " + ec.message());
}

// Rare path (repeated keys): let boost::json resolve them exactly as json::parse would.
result<document> parse_via_value(std::string_view text, key_table& keys, const encode_options& opt) {
  unsigned char buf[4096];
  boost::json::monotonic_resource mr(buf, sizeof buf);
  error_code ec;
  auto v = boost::json::parse(boost::json::string_view(text.data(), text.size()), ec, &mr, sax_options(opt));
  if (ec) return parse_error(ec, 0);
  return encode(v, keys, opt);
}

}  // namespace

result<document> parse(std::string_view text, key_table& keys, const encode_options& opt) {
  bool duplicates = false;
  {
    detail::builder b(keys, opt);
    boost::json::basic_parser<sax_handler> p(sax_options(opt), &b);
    error_code ec;
    const std::size_t n = p.write_some(false, text.data(), text.size(), ec);
    if (!ec && n != text.size()) ec = boost::json::error::extra_data;
    if (ec) return parse_error(ec, n);
    if (!b.duplicate_keys()) {
      auto doc = b.finish();
      if (doc.empty()) return parse_error(boost::json::error::incomplete, n);
      return doc;
    }
    duplicates = true;
  }
  if (duplicates) return parse_via_value(text, keys, opt);
  return parse_error(boost::json::error::incomplete, 0);
}

}  // namespace langop::cjson
