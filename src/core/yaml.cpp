#include "langop/core/yaml.hpp"

#include <yaml-cpp/yaml.h>

#include <charconv>
#include <cstdlib>

namespace langop {
namespace {

json::value scalar_to_json(const YAML::Node& n) {
  const std::string& s = n.Scalar();
  // Quoted scalars ("!" tag) are always strings.
  if (n.Tag() == "!") return json::string(s);
  if (s.empty() || s == "~" || s == "null" || s == "Null" || s == "NULL") return nullptr;
  if (s == "true" || s == "True" || s == "TRUE") return true;
  if (s == "false" || s == "False" || s == "FALSE") return false;
  {
    std::int64_t v = 0;
    const char* b = s.data();
    const char* e = s.data() + s.size();
    if (*b == '+') ++b;
    auto [p, ec] = std::from_chars(b, e, v);
    if (ec == std::errc() && p == e && b != e) return v;
  }
  {
    // Floats: digits with '.', or exponent; not "1.2.3" or version-like strings.
    bool has_digit = false, ok = true;
    for (char c : s) {
      if (c >= '0' && c <= '9') has_digit = true;
      else if (c != '.' && c != 'e' && c != 'E' && c != '-' && c != '+') ok = false;
    }
    if (ok && has_digit) {
      char* end = nullptr;
      double d = std::strtod(s.c_str(), &end);
      if (end == s.c_str() + s.size()) return d;
    }
  }
  if (s == ".inf" || s == ".Inf") return std::numeric_limits<double>::infinity();
  return json::string(s);
}

json::value node_to_json(const YAML::Node& n, int depth) {
  if (depth > 200) throw YAML::Exception(n.Mark(), "document nested too deeply");
  switch (n.Type()) {
    case YAML::NodeType::Null:
    case YAML::NodeType::Undefined: return nullptr;
    case YAML::NodeType::Scalar: return scalar_to_json(n);
    case YAML::NodeType::Sequence: {
      json::array a;
      for (const auto& item : n) a.push_back(node_to_json(item, depth + 1));
      return a;
    }
    case YAML::NodeType::Map: {
      json::object o;
      for (const auto& kv : n) o[kv.first.as<std::string>()] = node_to_json(kv.second, depth + 1);
      return o;
    }
  }
  return nullptr;
}

error yaml_error(const YAML::Exception& ex) {
  std::string msg = "invalid YAML";
  if (!ex.mark.is_null())
    msg += " at line " + std::to_string(ex.mark.line + 1) + ", column " + std::to_string(ex.mark.column + 1);
  msg += ": " + ex.msg;
  return error(make_error_code(boost::system::errc::invalid_argument), msg, 400, "BadRequest");
}

}  // namespace

result<json::value> yaml_to_json(std::string_view text) {
  try {
    return node_to_json(YAML::Load(std::string(text)), 0);
  } catch (const YAML::Exception& ex) {
    return yaml_error(ex);
  }
}

result<std::vector<json::value>> yaml_documents_to_json(std::string_view text) {
  try {
    std::vector<json::value> out;
    for (const auto& doc : YAML::LoadAll(std::string(text))) {
      if (doc.IsNull()) continue;
      out.push_back(node_to_json(doc, 0));
    }
    return out;
  } catch (const YAML::Exception& ex) {
    return yaml_error(ex);
  }
}

}  // namespace langop
