#include "builder.hpp"

#include "langop/cjson/detail/fast_hash.hpp"
#include "langop/cjson/detail/wire.hpp"

#include <boost/json/error.hpp>
#include <boost/system/errc.hpp>

#include <algorithm>
#include <cstring>
#include <limits>

namespace langop::cjson::detail {
namespace {

constexpr std::size_t placeholder_size = 1 + 5 + 5;  // tag + varint(count) + varint(body)
constexpr std::size_t max_document = std::numeric_limits<std::uint32_t>::max();
constexpr std::string_view managed_fields = "managedFields";
constexpr std::string_view last_applied = "kubectl.kubernetes.io/last-applied-configuration";

}  // namespace

// Reusable buffers: the hot path allocates nothing but the final document once warm.
struct builder_scratch {
  struct frame {
    std::size_t hole;
    std::size_t body_start;
    std::size_t savings_at_open;
    std::size_t key_base;
    std::uint32_t count;
    bool object;
    std::uint8_t role;
  };
  struct hole {
    std::size_t pos;
    std::uint32_t count;
    std::uint32_t body_len;
    std::uint8_t tag;
  };
  std::unique_ptr<std::uint8_t[]> out;
  std::size_t size = 0;
  std::size_t cap = 0;
  std::vector<frame> stack;
  std::vector<hole> holes;
  std::vector<std::uint64_t> key_hashes;  // member key hashes of the open objects
  std::vector<std::uint64_t> sort_tmp;
  std::string str_buf;  // string split across parser events (escapes)
  std::string key_buf;
  bool in_use = false;

  void clear() {
    size = 0;
    stack.clear();
    holes.clear();
    key_hashes.clear();
    str_buf.clear();
    key_buf.clear();
  }
};

namespace {
// One per thread; a nested builder on the same thread (never on the hot path) gets its own.
thread_local builder_scratch tls_scratch;
}  // namespace

builder::builder(key_table& keys, const encode_options& opt) : keys_(keys), opt_(opt) {
  if (tls_scratch.in_use) {
    owned_ = std::make_unique<builder_scratch>();
    s_ = owned_.get();
  } else {
    s_ = &tls_scratch;
  }
  s_->in_use = true;
  s_->clear();
}

void builder::reset() noexcept {
  s_->clear();
  savings_ = 0;
  skip_depth_ = 0;
  skip_next_ = false;
  next_role_ = role::none;
  root_done_ = false;
}

builder::~builder() {
  s_->clear();
  s_->in_use = false;
  // Do not keep a huge buffer alive for the thread's life after one giant document.
  if (!owned_ && s_->cap > (std::size_t{1} << 24)) {
    s_->out.reset();
    s_->cap = 0;
  }
}

bool builder::fail(boost::system::error_code ec) noexcept {
  if (!ec_) ec_ = ec;
  return false;
}

std::uint8_t* builder::reserve(std::size_t n) {
  if (s_->size + n > s_->cap) {
    std::size_t cap = s_->cap ? s_->cap * 2 : 4096;
    while (cap < s_->size + n) cap *= 2;
    auto next = std::make_unique_for_overwrite<std::uint8_t[]>(cap);
    if (s_->size) std::memcpy(next.get(), s_->out.get(), s_->size);
    s_->out = std::move(next);
    s_->cap = cap;
  }
  return s_->out.get() + s_->size;
}

// Skipping (stripped members) and array element counting, for every value event.
bool builder::admit() noexcept {
  next_role_ = role::none;
  if (skip_depth_ != 0) return false;
  if (skip_next_) {
    skip_next_ = false;
    return false;
  }
  if (!s_->stack.empty() && !s_->stack.back().object) ++s_->stack.back().count;
  return true;
}

bool builder::null() {
  if (!admit()) return true;
  *reserve(1) = tag_null;
  ++s_->size;
  root_done_ = s_->stack.empty();
  return true;
}

bool builder::boolean(bool b) {
  if (!admit()) return true;
  *reserve(1) = b ? tag_true : tag_false;
  ++s_->size;
  root_done_ = s_->stack.empty();
  return true;
}

bool builder::int64(std::int64_t v) {
  if (!admit()) return true;
  std::uint8_t* w = reserve(1 + max_varint_bytes);
  std::uint8_t* const start = w;
  if (v >= 0 && static_cast<std::uint64_t>(v) <= small_int_max) {
    *w++ = static_cast<std::uint8_t>(tag_small_int + v);
  } else {
    *w++ = tag_int64;
    w = write_varint(w, zigzag(v));
  }
  s_->size += static_cast<std::size_t>(w - start);
  root_done_ = s_->stack.empty();
  return true;
}

bool builder::uint64(std::uint64_t v) {
  if (!admit()) return true;
  std::uint8_t* w = reserve(1 + max_varint_bytes);
  std::uint8_t* const start = w;
  *w++ = tag_uint64;
  w = write_varint(w, v);
  s_->size += static_cast<std::size_t>(w - start);
  root_done_ = s_->stack.empty();
  return true;
}

bool builder::dbl(double v) {
  if (!admit()) return true;
  std::uint8_t* w = reserve(9);
  w[0] = tag_double;
  std::memcpy(w + 1, &v, 8);
  s_->size += 9;
  root_done_ = s_->stack.empty();
  return true;
}

void builder::write_string(std::string_view s) {
  const std::size_t n = s.size();
  std::uint8_t* w = reserve(1 + max_varint_bytes + n);
  std::uint8_t* const start = w;
  if (n <= short_string_max) {
    *w++ = static_cast<std::uint8_t>(tag_short_string | n);
  } else {
    *w++ = tag_string;
    w = write_varint(w, n);
  }
  if (n) std::memcpy(w, s.data(), n);
  s_->size += static_cast<std::size_t>(w - start) + n;
}

bool builder::string_part(std::string_view s) {
  if (skip_depth_ == 0 && !skip_next_) s_->str_buf.append(s);
  return true;
}

bool builder::string(std::string_view s) {
  if (!admit()) {
    s_->str_buf.clear();
    return true;
  }
  if (s_->str_buf.empty()) {
    if (s.size() > max_document) return fail(boost::json::error::string_too_large);
    write_string(s);
  } else {
    s_->str_buf.append(s);
    if (s_->str_buf.size() > max_document) return fail(boost::json::error::string_too_large);
    write_string(s_->str_buf);
    s_->str_buf.clear();
  }
  if (s_->size > max_document) return fail(boost::system::errc::make_error_code(boost::system::errc::value_too_large));
  root_done_ = s_->stack.empty();
  return true;
}

bool builder::key_part(std::string_view s) {
  if (skip_depth_ == 0) s_->key_buf.append(s);
  return true;
}

void builder::write_key(std::string_view k) {
  const std::uint64_t h = hash_string(k);
  const std::uint32_t id = keys_.intern(k, h);
  std::uint8_t* w = reserve(max_varint_bytes + k.size());
  std::uint8_t* const start = w;
  if (id != key_table::npos) {
    w = write_varint(w, std::uint64_t{id} << 1);
  } else {
    w = write_varint(w, (std::uint64_t{k.size()} << 1) | 1);
    if (!k.empty()) std::memcpy(w, k.data(), k.size());
    w += k.size();
  }
  s_->size += static_cast<std::size_t>(w - start);
  s_->key_hashes.push_back(h);
}

bool builder::key(std::string_view s) {
  if (skip_depth_ != 0) return true;
  std::string_view k = s;
  if (!s_->key_buf.empty()) {
    s_->key_buf.append(s);
    k = s_->key_buf;
  }
  auto& f = s_->stack.back();
  const auto r = static_cast<role>(f.role);
  next_role_ = role::none;
  if ((r == role::metadata && k == managed_fields) || (r == role::annotations && k == last_applied)) {
    skip_next_ = true;
  } else {
    if (r == role::root && k == "metadata") next_role_ = role::metadata;
    if (r == role::metadata && k == "annotations") next_role_ = role::annotations;
    if (k.size() > max_document) return fail(boost::json::error::key_too_large);
    write_key(k);
    ++f.count;
  }
  s_->key_buf.clear();
  return true;
}

bool builder::begin(std::uint8_t tag) {
  const role r = next_role_;
  if (skip_depth_ == 0 && skip_next_) {
    skip_next_ = false;
    next_role_ = role::none;
    skip_depth_ = 1;
    return s_->stack.size() < opt_.max_depth ? true : fail(boost::json::error::too_deep);
  }
  if (s_->stack.size() + skip_depth_ >= opt_.max_depth) return fail(boost::json::error::too_deep);
  if (!admit()) {
    ++skip_depth_;
    return true;
  }
  std::uint8_t* w = reserve(placeholder_size);
  w[0] = tag;
  s_->holes.push_back({s_->size, 0, 0, tag});
  s_->size += placeholder_size;
  role fr = r;
  if (s_->stack.empty() && opt_.strip_kube_bookkeeping && tag == tag_object) fr = role::root;
  s_->stack.push_back({s_->holes.size() - 1, s_->size, savings_, s_->key_hashes.size(), 0, tag == tag_object,
                       static_cast<std::uint8_t>(fr)});
  return true;
}

bool builder::end() {
  if (skip_depth_ != 0) {
    --skip_depth_;
    return true;
  }
  const auto f = s_->stack.back();
  s_->stack.pop_back();
  if (f.object) {
    if (f.count > 1) check_duplicates(f.key_base);
    s_->key_hashes.resize(f.key_base);
  }
  const std::size_t body = (s_->size - f.body_start) - (savings_ - f.savings_at_open);
  if (body > max_document || s_->size > max_document) {
    return fail(boost::system::errc::make_error_code(boost::system::errc::value_too_large));
  }
  auto& h = s_->holes[f.hole];
  h.count = f.count;
  h.body_len = static_cast<std::uint32_t>(body);
  const std::size_t header = f.count == 0 ? 1 : 1 + varint_size(f.count) + varint_size(body);
  savings_ += placeholder_size - header;
  root_done_ = s_->stack.empty();
  return true;
}

bool builder::begin_array() { return begin(tag_array); }
bool builder::end_array() { return end(); }
bool builder::begin_object() { return begin(tag_object); }
bool builder::end_object() { return end(); }

// Kubernetes objects never repeat a key, so this only has to be cheap, not clever: 64-bit
// hashes compared pairwise for small objects, sorted for large ones. A hash collision is
// harmless: it only sends the document down the slow, exact path.
void builder::check_duplicates(std::size_t base) {
  const std::uint64_t* h = s_->key_hashes.data() + base;
  const std::size_t n = s_->key_hashes.size() - base;
  if (n <= 16) {
    for (std::size_t i = 1; i < n; ++i) {
      for (std::size_t j = 0; j < i; ++j) {
        if (h[i] == h[j]) {
          duplicate_keys_ = true;
          return;
        }
      }
    }
    return;
  }
  s_->sort_tmp.assign(h, h + n);
  std::sort(s_->sort_tmp.begin(), s_->sort_tmp.end());
  if (std::adjacent_find(s_->sort_tmp.begin(), s_->sort_tmp.end()) != s_->sort_tmp.end()) duplicate_keys_ = true;
}

document builder::finish() {
  if (ec_ || !root_done_ || !s_->stack.empty()) return {};
  const std::size_t total = s_->size - savings_;
  auto bytes = std::make_unique_for_overwrite<std::uint8_t[]>(total);
  const std::uint8_t* src = s_->out.get();
  std::uint8_t* dst = bytes.get();
  std::size_t from = 0;
  for (const auto& h : s_->holes) {
    const std::size_t run = h.pos - from;
    if (run) std::memcpy(dst, src + from, run);
    dst += run;
    if (h.count == 0) {
      *dst++ = h.tag == tag_object ? tag_empty_object : tag_empty_array;
    } else {
      *dst++ = h.tag;
      dst = write_varint(dst, h.count);
      dst = write_varint(dst, h.body_len);
    }
    from = h.pos + placeholder_size;
  }
  if (s_->size > from) std::memcpy(dst, src + from, s_->size - from);
  return document(std::move(bytes), static_cast<std::uint32_t>(total), keys_.shared_from_this());
}

}  // namespace langop::cjson::detail
