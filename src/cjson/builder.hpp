// Event-driven writer of cjson documents shared by parse() and encode() (PURE, internal).
//
// Containers are written with an 11-byte placeholder header (tag + two 5-byte varint slots)
// because their count and body length are unknown until they close; finish() copies the
// scratch buffer once into an exactly-sized allocation, writing each header in its minimal
// form. The byte length a container will have after that compaction is known when it
// closes (its raw length minus the savings of the containers nested in it), so the final
// copy is a single forward pass with no recursion and no memmove.
#pragma once

#include "langop/cjson/codec.hpp"

#include <boost/system/error_code.hpp>

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

namespace langop::cjson::detail {

struct builder_scratch;

class builder final {
 public:
  builder(key_table& keys, const encode_options& opt);
  ~builder();
  builder(const builder&) = delete;
  builder& operator=(const builder&) = delete;

  // SAX-style events. Each returns false (with error() set) when a limit is exceeded.
  bool null();
  bool boolean(bool b);
  bool int64(std::int64_t v);
  bool uint64(std::uint64_t v);
  bool dbl(double v);
  bool string_part(std::string_view s);
  bool string(std::string_view s);
  bool key_part(std::string_view s);
  bool key(std::string_view s);
  bool begin_array();
  bool end_array();
  bool begin_object();
  bool end_object();

  // Some object had a repeated key: the caller must rebuild via boost::json (last wins).
  [[nodiscard]] bool duplicate_keys() const noexcept { return duplicate_keys_; }
  [[nodiscard]] bool done() const noexcept { return root_done_; }
  [[nodiscard]] boost::system::error_code error() const noexcept { return ec_; }
  // The finished document; empty if the value is incomplete or an event failed.
  [[nodiscard]] document finish();
  // Starts a new document, keeping the buffers (list items are built one after another).
  void reset() noexcept;

 private:
  enum class role : std::uint8_t { none, root, metadata, annotations };
  bool admit() noexcept;
  bool begin(std::uint8_t tag);
  bool end();
  bool fail(boost::system::error_code ec) noexcept;
  std::uint8_t* reserve(std::size_t n);
  void write_string(std::string_view s);
  void write_key(std::string_view k);
  void check_duplicates(std::size_t base);

  key_table& keys_;
  encode_options opt_;
  std::unique_ptr<builder_scratch> owned_;  // used only when the thread's scratch is taken
  builder_scratch* s_;
  std::size_t savings_ = 0;   // bytes the final compaction removes
  std::uint32_t skip_depth_ = 0;
  bool skip_next_ = false;
  role next_role_ = role::none;
  bool root_done_ = false;
  bool duplicate_keys_ = false;
  boost::system::error_code ec_;
};

}  // namespace langop::cjson::detail
