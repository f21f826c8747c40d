#include "langop/cjson/serialize.hpp"

#include <boost/json/serializer.hpp>

#include <charconv>

namespace langop::cjson {
namespace {

using namespace detail;

// Escapes exactly like boost::json's serializer: ", \ and control bytes only; \b \t \n \f \r
// short forms, other controls as \u00xx (lower-case hex); every other byte is copied.
void append_escaped(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789abcdef";
  out.push_back('"');
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out.append("\\\"", 2); break;
      case '\\': out.append("\\\\", 2); break;
      case '\b': out.append("\\b", 2); break;
      case '\t': out.append("\\t", 2); break;
      case '\n': out.append("\\n", 2); break;
      case '\f': out.append("\\f", 2); break;
      case '\r': out.append("\\r", 2); break;
      default: {
        const char u[6] = {'\\', 'u', '0', '0', hex[c >> 4], hex[c & 15]};
        out.append(u, 6);
      }
    }
  }
  out.append(s.data() + run, s.size() - run);
  out.push_back('"');
}

// Doubles go through boost's own formatter so the text matches json::serialize exactly.
void append_double(std::string& out, double d) {
  const json::value v(d);
  json::serializer sr;
  sr.reset(&v);
  char buf[64];
  while (!sr.done()) {
    const auto part = sr.read(buf, sizeof buf);
    out.append(part.data(), part.size());
  }
}

template <class T>
void append_number(std::string& out, T v) {
  char buf[24];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  out.append(buf, r.ptr);
}

void write(value_view v, std::string& out) {
  switch (v.type()) {
    case kind::missing:
    case kind::null:
      out.append("null", 4);
      return;
    case kind::boolean:
      if (v.as_bool()) {
        out.append("true", 4);
      } else {
        out.append("false", 5);
      }
      return;
    case kind::int64:
      append_number(out, v.as_int64());
      return;
    case kind::uint64:
      append_number(out, v.as_uint64());
      return;
    case kind::double_:
      append_double(out, v.as_double());
      return;
    case kind::string:
      append_escaped(out, v.as_string());
      return;
    case kind::array: {
      out.push_back('[');
      bool first = true;
      for (value_view e : v.elements()) {
        if (!first) out.push_back(',');
        first = false;
        write(e, out);
      }
      out.push_back(']');
      return;
    }
    case kind::object: {
      out.push_back('{');
      bool first = true;
      for (const member m : v.members()) {
        if (!first) out.push_back(',');
        first = false;
        append_escaped(out, m.key);
        out.push_back(':');
        write(m.value, out);
      }
      out.push_back('}');
      return;
    }
  }
}

}  // namespace

void serialize_to(value_view v, std::string& out) { write(v, out); }

std::string serialize(value_view v) {
  std::string out;
  // Text is usually 1.2-1.6x the encoded size; one reservation avoids most regrowth.
  out.reserve(v.encoded_size() + v.encoded_size() / 2 + 16);
  write(v, out);
  return out;
}

json::value to_json(value_view v, json::storage_ptr sp) {
  switch (v.type()) {
    case kind::missing:
    case kind::null:
      return json::value(nullptr, std::move(sp));
    case kind::boolean:
      return json::value(v.as_bool(), std::move(sp));
    case kind::int64:
      return json::value(v.as_int64(), std::move(sp));
    case kind::uint64:
      return json::value(v.as_uint64(), std::move(sp));
    case kind::double_:
      return json::value(v.as_double(), std::move(sp));
    case kind::string: {
      const auto s = v.as_string();
      return json::value(json::string_view(s.data(), s.size()), std::move(sp));
    }
    case kind::array: {
      json::array a(sp);
      a.reserve(v.size());
      for (value_view e : v.elements()) a.push_back(to_json(e, sp));
      return json::value(std::move(a));
    }
    case kind::object: {
      json::object o(sp);
      o.reserve(v.size());
      for (const member m : v.members()) {
        o.emplace(json::string_view(m.key.data(), m.key.size()), to_json(m.value, sp));
      }
      return json::value(std::move(o));
    }
  }
  return json::value(nullptr, std::move(sp));
}

}  // namespace langop::cjson
