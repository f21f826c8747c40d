#include "support/api_calls.hpp"

#include "langop/core/yaml.hpp"

#include <boost/json/serialize.hpp>

#include <fstream>
#include <sstream>
#include <stdexcept>

namespace langop::test {
namespace {

std::string percent_decode(std::string_view s) {
  std::string out;
  for (std::size_t i = 0; i < s.size(); ++i) {
    if (s[i] == '%' && i + 2 < s.size()) {
      out += static_cast<char>(std::stoi(std::string(s.substr(i + 1, 2)), nullptr, 16));
      i += 2;
    } else {
      out += s[i] == '+' ? ' ' : s[i];
    }
  }
  return out;
}

}  // namespace

localapi::api_request make_request(std::string method, const std::string& target, std::string body,
                                   std::string content_type) {
  localapi::api_request r;
  r.method = std::move(method);
  auto q = target.find('?');
  r.path = target.substr(0, q);
  if (q != std::string::npos) {
    std::string rest = target.substr(q + 1);
    std::size_t pos = 0;
    while (pos <= rest.size()) {
      auto amp = rest.find('&', pos);
      if (amp == std::string::npos) amp = rest.size();
      auto kv = rest.substr(pos, amp - pos);
      auto eq = kv.find('=');
      if (!kv.empty())
        r.query.emplace_back(percent_decode(kv.substr(0, eq)),
                             eq == std::string::npos ? "" : percent_decode(kv.substr(eq + 1)));
      pos = amp + 1;
    }
  }
  r.body = std::move(body);
  r.content_type = std::move(content_type);
  r.user_agent = "langop-tests/1.0";
  return r;
}

localapi::api_response call(localapi::apiserver& api, std::string method, const std::string& target,
                            std::string body, std::string content_type) {
  auto resp = api.handle(make_request(std::move(method), target, std::move(body), std::move(content_type)));
  return resp;
}

json::object body_of(const localapi::api_response& r) {
  auto v = jsonu::parse(r.body);
  if (!v || !v->is_object()) return {};
  return std::move(v->get_object());
}

std::string read_file(const std::string& path) {
  std::ifstream f(path);
  if (!f) throw std::runtime_error("cannot read " + path);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

std::string fixture_json(const std::string& relative_path) {
  auto text = read_file(std::string(LANGOP_SOURCE_DIR) + "/tests/fixtures/" + relative_path);
  auto v = yaml_to_json(text);
  if (!v) throw std::runtime_error(v.error().message);
  return json::serialize(*v);
}

}  // namespace langop::test
