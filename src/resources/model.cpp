#include "langop/resources/model.hpp"

#include "langop/core/time.hpp"
#include "langop/resources/common.hpp"

#include <algorithm>
#include <cctype>
#include <charconv>
#include <chrono>
#include <cmath>
#include <set>

namespace langop::resources {
namespace {

// Field accessors on the object itself: jsonu's path helpers take a json::value, and
// converting the whole model to one would copy it.
const json::value* spec_at(const json::object& o, std::initializer_list<std::string_view> path) {
  const json::value* spec = o.if_contains("spec");
  return spec ? jsonu::find(*spec, path) : nullptr;
}
std::string str_at(const json::object& o, std::initializer_list<std::string_view> path, std::string_view fallback = {}) {
  const json::value* v = jsonu::find(o, path);
  return std::string(v && v->is_string() ? std::string_view(v->get_string()) : fallback);
}
std::optional<std::int64_t> int_at(const json::object& o, std::initializer_list<std::string_view> path) {
  const json::value* v = jsonu::find(o, path);
  if (v && v->is_int64()) return v->get_int64();
  return std::nullopt;
}

std::int64_t proxy_port(const json::object& model) {
  const auto p = int_at(model, {"spec", "proxy", "port"});
  return p && *p >= 1 && *p <= 65535 ? *p : default_proxy_port;
}

std::string model_name(const json::object& model) {
  return str_at(model, {"metadata", "name"});
}

// A Go duration as seconds for LiteLLM: an integer when whole, else a float; the CRD
// default when absent or malformed (the schema only checks it is a string).
json::value duration_seconds(const json::value* v, std::chrono::seconds fallback) {
  std::chrono::nanoseconds d = fallback;
  if (v && v->is_string())
    if (auto p = parse_duration(std::string_view(v->get_string())); p && p->count() > 0) d = *p;
  if (d.count() % 1'000'000'000 == 0) return json::value(static_cast<std::int64_t>(d.count() / 1'000'000'000));
  return json::value(static_cast<double>(d.count()) / 1e9);
}


std::optional<std::int64_t> positive_int(const json::value* v) {
  if (v && v->is_int64() && v->get_int64() > 0) return v->get_int64();
  if (v && v->is_uint64()) return static_cast<std::int64_t>(std::min<std::uint64_t>(v->get_uint64(), INT64_MAX));
  return std::nullopt;
}

bool is_number(const json::value* v) { return v && (v->is_double() || v->is_int64() || v->is_uint64()); }

// The base URLs of a model: endpoint, then loadBalancing.endpoints; one empty entry when
// there are none (the provider's well-known URL).
std::vector<std::string> base_urls(const json::object& model) {
  std::vector<std::string> urls;
  if (const auto* e = spec_at(model, {"endpoint"}); e && e->is_string() && !e->get_string().empty())
    urls.emplace_back(e->get_string());
  if (const auto* lb = spec_at(model, {"loadBalancing", "endpoints"}); lb && lb->is_array())
    for (const auto& u : lb->get_array())
      if (u.is_string() && !u.get_string().empty() && std::find(urls.begin(), urls.end(), u.get_string()) == urls.end())
        urls.emplace_back(u.get_string());
  if (urls.empty()) urls.emplace_back();
  return urls;
}

struct secret_ref {
  std::string name;
  std::string key;
};
std::optional<secret_ref> api_key_ref(const json::object& model) {
  const auto* ref = spec_at(model, {"apiKeySecretRef"});
  if (!ref || !ref->is_object()) return std::nullopt;
  std::string name(jsonu::get_string(ref->get_object(), "name"));
  if (name.empty()) return std::nullopt;
  std::string key(jsonu::get_string(ref->get_object(), "key", "api-key"));
  if (key.empty()) key = "api-key";
  return secret_ref{std::move(name), std::move(key)};
}

// The model_list entries of one LanguageModel; `index` picks its API key variable.
void add_entries(json::array& list, const json::object& model, std::size_t index) {
  const std::string provider = str_at(model, {"spec", "provider"}, "openai");
  const std::string route = litellm_route(provider, model_identifier(model));
  const auto key = api_key_ref(model);
  for (const auto& url : base_urls(model)) {
    json::object params;
    params["model"] = route;
    if (!url.empty()) params["api_base"] = url;
    if (key) params["api_key"] = "os.environ/" + api_key_env_var(index);
    if (auto rpm = positive_int(spec_at(model, {"rateLimits", "rpm"}))) params["rpm"] = *rpm;
    if (auto tpm = positive_int(spec_at(model, {"rateLimits", "tpm"}))) params["tpm"] = *tpm;
    params["timeout"] = duration_seconds(spec_at(model, {"timeout"}), std::chrono::seconds(60));
    if (const auto* t = spec_at(model, {"parameters", "temperature"}); is_number(t)) params["temperature"] = *t;
    if (auto mt = positive_int(spec_at(model, {"parameters", "maxTokens"}))) params["max_tokens"] = *mt;
    if (const auto* p = spec_at(model, {"parameters", "topP"}); is_number(p)) params["top_p"] = *p;
    json::object entry;
    entry["model_name"] = model_name(model);
    entry["litellm_params"] = std::move(params);
    list.push_back(std::move(entry));
  }
}

std::string routing_strategy(std::string_view s) {
  if (s == "least-busy") return "least-busy";
  if (s == "latency") return "latency-based-routing";
  return "simple-shuffle";  // round-robin, the default
}

// ---- YAML emitter -------------------------------------------------------------------

bool plain_key(std::string_view k) {
  if (k.empty() || !(std::isalpha(static_cast<unsigned char>(k[0])) || k[0] == '_')) return false;
  // Words YAML 1.1 reads as booleans or null must stay quoted even as keys.
  static const std::set<std::string_view> reserved = {"y", "Y", "n", "N", "yes", "Yes", "YES", "no", "No", "NO",
      "true", "True", "TRUE", "false", "False", "FALSE", "on", "On", "ON", "off", "Off", "OFF", "null", "Null", "NULL"};
  if (reserved.count(k)) return false;
  return std::all_of(k.begin(), k.end(), [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; });
}

void quoted(std::string& out, std::string_view s) {
  static constexpr char hex[] = "0123456789ABCDEF";
  out += '"';
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    switch (c) {
      case '"': out += "\\\""; continue;
      case '\\': out += "\\\\"; continue;
      case '\n': out += "\\n"; continue;
      case '\t': out += "\\t"; continue;
      case '\r': out += "\\r"; continue;
      default: break;
    }
    if (c < 0x20 || c == 0x7f) {
      out += "\\x";
      out += hex[c >> 4];
      out += hex[c & 15];
    } else if (c == 0xc2 && i + 1 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x85) {
      out += "\\N";  // NEL is a line break to YAML 1.1 parsers
      ++i;
    } else if (c == 0xe2 && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0x80 &&
               (static_cast<unsigned char>(s[i + 2]) == 0xa8 || static_cast<unsigned char>(s[i + 2]) == 0xa9)) {
      out += static_cast<unsigned char>(s[i + 2]) == 0xa8 ? "\\L" : "\\P";  // line/paragraph separators
      i += 2;
    } else if (c == 0xef && i + 2 < s.size() && static_cast<unsigned char>(s[i + 1]) == 0xbb &&
               static_cast<unsigned char>(s[i + 2]) == 0xbf) {
      out += "\\uFEFF";  // a BOM inside a document is not allowed raw
      i += 2;
    } else {
      out += static_cast<char>(c);
    }
  }
  out += '"';
}

void scalar(std::string& out, const json::value& v) {
  switch (v.kind()) {
    case json::kind::null: out += "null"; break;
    case json::kind::bool_: out += v.get_bool() ? "true" : "false"; break;
    case json::kind::int64: out += std::to_string(v.get_int64()); break;
    case json::kind::uint64: out += std::to_string(v.get_uint64()); break;
    case json::kind::double_: {
      const double d = v.get_double();
      if (std::isnan(d)) { out += ".nan"; break; }
      if (std::isinf(d)) { out += d < 0 ? "-.inf" : ".inf"; break; }
      char buf[64];
      auto r = std::to_chars(buf, buf + sizeof buf, d);
      std::string s(buf, r.ptr);
      // PyYAML (YAML 1.1) needs a '.' in a float, and a sign in its exponent.
      auto e = s.find('e');
      std::string mant = s.substr(0, e), exp = e == std::string::npos ? "" : s.substr(e);
      if (mant.find('.') == std::string::npos) mant += ".0";
      if (exp.size() > 1 && exp[1] != '-' && exp[1] != '+') exp.insert(1, "+");
      out += mant + exp;
      break;
    }
    case json::kind::string: quoted(out, v.get_string()); break;
    default: break;
  }
}

bool is_block(const json::value& v) {
  return (v.is_object() && !v.get_object().empty()) || (v.is_array() && !v.get_array().empty());
}
void emit_block(std::string& out, const json::value& v, std::size_t indent);

void emit_value_after_key(std::string& out, const json::value& v, std::size_t indent) {
  if (is_block(v)) {
    out += '\n';
    // Sequences under a key are not indented further, as kubectl and PyYAML write them.
    emit_block(out, v, v.is_array() ? indent : indent + 2);
  } else {
    out += ' ';
    if (v.is_object()) out += "{}";
    else if (v.is_array()) out += "[]";
    else scalar(out, v);
    out += '\n';
  }
}

// Writes a non-empty object or array whose first line starts at `indent` (the caller
// already wrote the indentation of the first line when `first_inline`).
void emit_block_at(std::string& out, const json::value& v, std::size_t indent, bool first_inline) {
  bool first = true;
  if (v.is_object()) {
    for (const auto& kv : v.get_object()) {
      if (!(first && first_inline)) out.append(indent, ' ');
      first = false;
      if (plain_key(kv.key())) out += kv.key();
      else quoted(out, kv.key());
      out += ':';
      emit_value_after_key(out, kv.value(), indent);
    }
    return;
  }
  for (const auto& item : v.get_array()) {
    if (!(first && first_inline)) out.append(indent, ' ');
    first = false;
    out += "- ";
    if (is_block(item)) {
      emit_block_at(out, item, indent + 2, true);
    } else {
      if (item.is_object()) out += "{}";
      else if (item.is_array()) out += "[]";
      else scalar(out, item);
      out += '\n';
    }
  }
}

void emit_block(std::string& out, const json::value& v, std::size_t indent) { emit_block_at(out, v, indent, false); }

json::object proxy_owner_selector(const json::object& model) { return selector_labels(owner_of(model)); }

}  // namespace

std::string model_identifier(const json::object& model) {
  std::string m = str_at(model, {"spec", "model"});
  if (m.empty()) m = str_at(model, {"spec", "modelName"});
  return m;
}

std::string litellm_route(std::string_view provider, std::string_view model) {
  std::string prefix;
  if (provider == "vertex") prefix = "vertex_ai";
  else if (provider == "openai-compatible") prefix = "openai";
  else if (provider == "custom") {
    if (model.find('/') != std::string_view::npos) return std::string(model);
    prefix = "openai";
  } else if (provider.empty()) prefix = "openai";
  else prefix = std::string(provider);
  return prefix + "/" + std::string(model);
}

std::string api_key_env_var(std::size_t index) {
  return index == 0 ? std::string("LANGOP_API_KEY") : "LANGOP_FALLBACK_" + std::to_string(index) + "_API_KEY";
}

std::vector<const json::object*> ordered_fallbacks(const json::object& model, const std::vector<json::object>& candidates) {
  std::vector<const json::object*> out;
  const auto* names = spec_at(model, {"fallbacks"});
  if (!names || !names->is_array()) return out;
  const std::string self = model_name(model);
  std::set<std::string, std::less<>> seen{self};
  for (const auto& n : names->get_array()) {
    if (!n.is_string() || seen.count(std::string_view(n.get_string()))) continue;
    for (const auto& c : candidates)
      if (str_at(c, {"metadata", "name"}) == n.get_string()) {
        out.push_back(&c);
        seen.emplace(n.get_string());
        break;
      }
  }
  return out;
}

json::object litellm_config(const json::object& model, const std::vector<json::object>& fallbacks) {
  const auto fbs = ordered_fallbacks(model, fallbacks);
  json::array list;
  add_entries(list, model, 0);
  for (std::size_t i = 0; i < fbs.size(); ++i) add_entries(list, *fbs[i], i + 1);

  json::object router;
  router["routing_strategy"] = routing_strategy(str_at(model, {"spec", "loadBalancing", "strategy"}));
  std::int64_t attempts = 3;
  if (auto a = positive_int(spec_at(model, {"retryPolicy", "maxAttempts"}))) attempts = *a;
  router["num_retries"] = attempts - 1;
  router["timeout"] = duration_seconds(spec_at(model, {"timeout"}), std::chrono::seconds(60));
  const std::string self = model_name(model);
  if (!fbs.empty()) {
    json::array names;
    for (const auto* f : fbs) names.emplace_back(model_name(*f));
    json::object one;
    one[self] = std::move(names);
    router["fallbacks"] = json::array{std::move(one)};
  }
  // Let clients also ask for the provider's model id, unless that would shadow a fallback.
  const std::string id = model_identifier(model);
  bool shadows = id.empty() || id == self;
  for (const auto* f : fbs) shadows = shadows || model_name(*f) == id;
  if (!shadows) router["model_group_alias"] = json::object{{id, self}};

  json::object config;
  config["model_list"] = std::move(list);
  config["router_settings"] = std::move(router);
  if ([&] { const auto* e = spec_at(model, {"caching", "enabled"}); return e && e->is_bool() && e->get_bool(); }()) {
    json::object params;
    params["type"] = "local";  // in-process cache: no Redis to deploy
    params["ttl"] = duration_seconds(spec_at(model, {"caching", "ttl"}), std::chrono::minutes(10));
    config["litellm_settings"] = json::object{{"cache", true}, {"cache_params", std::move(params)}};
  }
  return config;
}

std::string to_yaml(const json::value& v) {
  std::string out;
  if (is_block(v)) emit_block(out, v, 0);
  else {
    if (v.is_object()) out += "{}";
    else if (v.is_array()) out += "[]";
    else scalar(out, v);
    out += '\n';
  }
  return out;
}

std::string litellm_config_yaml(const json::object& model, const std::vector<json::object>& fallbacks) {
  return to_yaml(litellm_config(model, fallbacks));
}

json::object model_config_map(const json::object& model, const std::vector<json::object>& fallbacks) {
  const owner o = owner_of(model);
  json::object cm = typed_object("v1", "ConfigMap", child_metadata(o, o.name + "-model", o.ns));
  cm["data"] = json::object{{litellm_config_key, litellm_config_yaml(model, fallbacks)}};
  return cm;
}

json::object model_deployment(const json::object& model, const std::vector<json::object>& fallbacks,
                              const json::object& secret_versions) {
  const owner o = owner_of(model);
  const std::int64_t port = proxy_port(model);
  const std::string config = litellm_config_yaml(model, fallbacks);

  json::array env;
  const auto add_key = [&env](const json::object& m, std::size_t index) {
    if (auto ref = api_key_ref(m))
      env.push_back(json::object{
          {"name", api_key_env_var(index)},
          {"valueFrom", json::object{{"secretKeyRef", json::object{{"name", ref->name}, {"key", ref->key}}}}}});
  };
  add_key(model, 0);
  const auto fbs = ordered_fallbacks(model, fallbacks);
  for (std::size_t i = 0; i < fbs.size(); ++i) add_key(*fbs[i], i + 1);

  json::object c;
  c["name"] = "proxy";
  std::string image = str_at(model, {"spec", "proxy", "image"});
  c["image"] = image.empty() ? std::string(default_litellm_image) : image;
  c["args"] = json::array{"--config", std::string(litellm_config_dir) + "/" + std::string(litellm_config_key), "--port",
                          std::to_string(port)};
  c["ports"] = json::array{json::object{{"name", "http"}, {"containerPort", port}, {"protocol", "TCP"}}};
  if (!env.empty()) c["env"] = std::move(env);
  if (const auto* r = spec_at(model, {"proxy", "resources"}); r && r->is_object() && !r->get_object().empty())
    c["resources"] = *r;
  c["volumeMounts"] = json::array{json::object{{"name", "config"}, {"mountPath", litellm_config_dir}, {"readOnly", true}}};
  // TCP rather than LiteLLM's /health routes: proxy.image may be any OpenAI-compatible server.
  const auto probe = [port](int delay, int period) {
    return json::object{{"tcpSocket", json::object{{"port", port}}}, {"initialDelaySeconds", delay}, {"periodSeconds", period}};
  };
  c["readinessProbe"] = probe(5, 10);
  c["livenessProbe"] = probe(30, 20);

  json::object hash_input{{"config", config}, {"secrets", secret_versions}};
  json::object tmeta;
  tmeta["labels"] = child_labels(o);
  tmeta["annotations"] = json::object{{config_hash_annotation, content_hash(hash_input)}};

  json::object pod_spec;
  pod_spec["containers"] = json::array{std::move(c)};
  pod_spec["volumes"] = json::array{json::object{{"name", "config"}, {"configMap", json::object{{"name", o.name + "-model"}}}}};

  std::int64_t replicas = 1;
  if (auto r = int_at(model, {"spec", "proxy", "replicas"}); r && *r >= 0) replicas = *r;
  json::object spec;
  spec["replicas"] = replicas;
  spec["selector"] = json::object{{"matchLabels", proxy_owner_selector(model)}};
  spec["template"] = json::object{{"metadata", std::move(tmeta)}, {"spec", std::move(pod_spec)}};

  json::object d = typed_object("apps/v1", "Deployment", child_metadata(o, o.name + "-proxy", o.ns));
  d["spec"] = std::move(spec);
  return d;
}

json::object model_service(const json::object& model) {
  const owner o = owner_of(model);
  const std::int64_t port = proxy_port(model);
  json::object spec;
  spec["selector"] = proxy_owner_selector(model);
  spec["ports"] = json::array{
      json::object{{"name", "http"}, {"port", port}, {"targetPort", "http"}, {"protocol", "TCP"}}};
  json::object s = typed_object("v1", "Service", child_metadata(o, o.name, o.ns));
  s["spec"] = std::move(spec);
  return s;
}

std::string model_endpoint_url(const json::object& model) {
  const owner o = owner_of(model);
  return "http://" + o.name + "." + o.ns + ".svc.cluster.local:" + std::to_string(proxy_port(model));
}

std::vector<std::string> model_secret_names(const json::object& model, const std::vector<json::object>& fallbacks) {
  std::set<std::string> names;
  if (auto r = api_key_ref(model)) names.insert(r->name);
  for (const auto* f : ordered_fallbacks(model, fallbacks))
    if (auto r = api_key_ref(*f)) names.insert(r->name);
  return {names.begin(), names.end()};
}

std::vector<json::object> model_children(const json::object& model, const std::vector<json::object>& fallbacks,
                                         const json::object& secret_versions) {
  return {model_config_map(model, fallbacks), model_deployment(model, fallbacks, secret_versions), model_service(model)};
}

}  // namespace langop::resources
