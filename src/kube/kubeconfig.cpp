#include "langop/core/base64.hpp"
#include "langop/kube/kubeconfig.hpp"

#include "config_util.hpp"
#include "langop/kube/config_errc.hpp"

#include <yaml-cpp/yaml.h>

#include <filesystem>
#include <map>
#include <optional>

namespace langop::kube {

namespace fs = std::filesystem;

namespace {

struct entry {
  YAML::Node body;  // the "cluster:" / "user:" / "context:" map (may be null)
  fs::path dir;     // relative paths inside resolve against this
  std::string file;
};

struct merged {
  std::map<std::string, entry> clusters, users, contexts;
  std::string current_context;
  std::vector<std::string> files;  // the files actually loaded, in order
};

std::string dq(std::string_view s) { return "\"" + std::string(s) + "\""; }

std::string join(const std::vector<std::string>& v) {
  std::string out;
  for (const auto& s : v) out += (out.empty() ? "" : ":") + s;
  return out;
}

// An optional string field; a present non-scalar is malformed. The value is never
// echoed in the error: the field might be a token.
result<std::optional<std::string>> get_string(const YAML::Node& map, const char* key, const std::string& where) {
  if (!map || !map.IsMap()) return std::optional<std::string>{};
  const YAML::Node v = map[key];
  if (!v || v.IsNull()) return std::optional<std::string>{};
  if (!v.IsScalar()) return make_config_error(config_errc::malformed, where + ": field " + dq(key) + " must be a string");
  return std::optional<std::string>(v.Scalar());
}

result<bool> get_bool(const YAML::Node& map, const char* key, const std::string& where) {
  if (!map || !map.IsMap()) return false;
  const YAML::Node v = map[key];
  if (!v || v.IsNull()) return false;
  if (v.IsScalar()) {
    const std::string& s = v.Scalar();
    if (s == "true" || s == "True" || s == "TRUE") return true;
    if (s == "false" || s == "False" || s == "FALSE") return false;
  }
  return make_config_error(config_errc::malformed, where + ": field " + dq(key) + " must be true or false");
}

result<void> merge_list(const YAML::Node& root, const char* list, const char* body_key, const std::string& file,
                        const fs::path& dir, std::map<std::string, entry>& into) {
  const YAML::Node items = root[list];
  if (!items || items.IsNull()) return {};
  if (!items.IsSequence())
    return make_config_error(config_errc::malformed, "kubeconfig " + file + ": " + dq(list) + " must be a list");
  for (std::size_t i = 0; i < items.size(); ++i) {
    const YAML::Node item = items[i];
    const std::string where = "kubeconfig " + file + ": " + list + "[" + std::to_string(i) + "]";
    if (!item.IsMap()) return make_config_error(config_errc::malformed, where + " must be a map");
    auto name = get_string(item, "name", where);
    if (!name) return name.error();
    if (!*name || (*name)->empty()) return make_config_error(config_errc::malformed, where + " has no name");
    const YAML::Node body = item[body_key];
    if (body && !body.IsNull() && !body.IsMap())
      return make_config_error(config_errc::malformed, where + " (" + dq(**name) + "): " + dq(body_key) + " must be a map");
    into.try_emplace(**name, entry{body, dir, file});  // first file wins
  }
  return {};
}

result<void> merge_file(const std::string& file, const std::string& text, merged& m) {
  YAML::Node root;
  try {
    root = YAML::Load(text);
  } catch (const YAML::Exception& e) {
    return make_config_error(config_errc::malformed, "kubeconfig " + file + ": invalid YAML at line " +
                                                         std::to_string(e.mark.line + 1) + ": " + e.msg);
  }
  if (!root || root.IsNull()) return {};  // an empty file contributes nothing, as with kubectl
  if (!root.IsMap()) return make_config_error(config_errc::malformed, "kubeconfig " + file + ": top level must be a map");
  const fs::path dir = fs::absolute(fs::path(file)).parent_path();
  if (auto r = merge_list(root, "clusters", "cluster", file, dir, m.clusters); !r) return r;
  if (auto r = merge_list(root, "users", "user", file, dir, m.users); !r) return r;
  if (auto r = merge_list(root, "contexts", "context", file, dir, m.contexts); !r) return r;
  auto current = get_string(root, "current-context", "kubeconfig " + file);
  if (!current) return current.error();
  if (m.current_context.empty() && *current) m.current_context = **current;
  return {};
}

fs::path resolve(const entry& e, const std::string& p) {
  fs::path path(p);
  return path.is_absolute() ? path : e.dir / path;
}

// Inline "-data" (base64) or a file path; data wins, as in client-go. `what` names the
// field pair for messages. Returns "" when neither is set.
result<std::string> data_or_file(const entry& e, const char* data_key, const char* file_key, const std::string& where) {
  auto data = get_string(e.body, data_key, where);
  if (!data) return data.error();
  if (*data) {
    auto decoded = base64_decode(**data, base64_padding::required);
    if (!decoded) return make_config_error(config_errc::malformed, where + ": " + data_key + " is not valid base64");
    return std::move(*decoded);
  }
  auto path = get_string(e.body, file_key, where);
  if (!path) return path.error();
  if (!*path || (*path)->empty()) return std::string{};
  auto contents = detail::read_file(resolve(e, **path), file_key);
  if (!contents) {
    error err = contents.error();
    err.message = where + ": " + err.message;
    return err;
  }
  return std::move(*contents);
}

result<void> apply_cluster(const std::string& name, const entry& e, cluster_config& cfg) {
  const std::string where = "cluster " + dq(name) + " in " + e.file;
  auto server = get_string(e.body, "server", where);
  if (!server) return server.error();
  if (!*server || (*server)->empty()) return make_config_error(config_errc::missing_entry, where + " has no server");
  auto url = detail::parse_server_url(**server, where);
  if (!url) return url.error();
  cfg.server = std::move(*url);

  auto proxy = get_string(e.body, "proxy-url", where);
  if (!proxy) return proxy.error();
  if (*proxy && !(*proxy)->empty())
    return make_config_error(config_errc::unsupported, where + ": proxy-url is not supported");

  auto insecure = get_bool(e.body, "insecure-skip-tls-verify", where);
  if (!insecure) return insecure.error();
  cfg.insecure_skip_tls_verify = *insecure;
  auto sni = get_string(e.body, "tls-server-name", where);
  if (!sni) return sni.error();
  cfg.tls_server_name = sni->value_or("");

  auto ca = data_or_file(e, "certificate-authority-data", "certificate-authority", where);
  if (!ca) return ca.error();
  if (!ca->empty() && !detail::pem_has_certificate(*ca))
    return make_config_error(config_errc::malformed, where + ": certificate-authority does not contain a PEM certificate");
  // kubectl refuses this combination: silently ignoring either would surprise.
  if (!ca->empty() && cfg.insecure_skip_tls_verify)
    return make_config_error(config_errc::conflicting,
                             where + ": certificate-authority and insecure-skip-tls-verify cannot both be set");
  cfg.ca_pem = std::move(*ca);
  return {};
}

result<void> apply_user(const std::string& name, const entry& e, cluster_config& cfg) {
  const std::string where = "user " + dq(name) + " in " + e.file;
  if (e.body && e.body.IsMap()) {
    if (e.body["exec"])
      return make_config_error(config_errc::unsupported,
                               where + ": exec credential plugins are not supported; use a token or client certificate");
    if (e.body["auth-provider"])
      return make_config_error(config_errc::unsupported,
                               where + ": auth-provider plugins are not supported; use a token or client certificate");
    if (e.body["username"] || e.body["password"])
      return make_config_error(config_errc::unsupported,
                               where + ": basic authentication is not supported; use a token or client certificate");
  }
  auto token = get_string(e.body, "token", where);
  if (!token) return token.error();
  cfg.token = token->value_or("");
  auto token_file = get_string(e.body, "tokenFile", where);
  if (!token_file) return token_file.error();
  if (*token_file && !(*token_file)->empty()) {
    fs::path p = resolve(e, **token_file);
    // Fail at start-up, not on the first request, when the file is missing.
    auto probe = detail::read_file(p, "tokenFile");
    if (!probe) {
      error err = probe.error();
      err.message = where + ": " + err.message;
      return err;
    }
    cfg.token_file = p.string();
  }

  auto cert = data_or_file(e, "client-certificate-data", "client-certificate", where);
  if (!cert) return cert.error();
  auto key = data_or_file(e, "client-key-data", "client-key", where);
  if (!key) return key.error();
  if (cert->empty() != key->empty())
    return make_config_error(config_errc::missing_entry,
                             where + (cert->empty() ? ": client-key is set but client-certificate is not"
                                                    : ": client-certificate is set but client-key is not"));
  if (!cert->empty() && !detail::pem_has_certificate(*cert))
    return make_config_error(config_errc::malformed, where + ": client-certificate does not contain a PEM certificate");
  if (!key->empty() && !detail::pem_has_private_key(*key))
    return make_config_error(config_errc::malformed, where + ": client-key does not contain a PEM private key");
  cfg.client_cert_pem = std::move(*cert);
  cfg.client_key_pem = std::move(*key);
  return {};
}

}  // namespace

result<cluster_config> load_kubeconfig(const kubeconfig_options& opts) {
  if (opts.files.empty()) return make_config_error(config_errc::no_configuration, "no kubeconfig file given");
  merged m;
  for (const auto& file : opts.files) {
    std::error_code ec;
    if (opts.skip_missing_files && !fs::exists(file, ec)) continue;
    auto text = detail::read_file(file, "kubeconfig");
    if (!text) return text.error();
    if (auto r = merge_file(file, *text, m); !r) return r.error();
    m.files.push_back(file);
  }
  if (m.files.empty())
    return make_config_error(config_errc::no_configuration,
                             "none of the kubeconfig files exist: " + join(opts.files));
  const std::string files = join(m.files);

  const bool overridden = !opts.context.empty();
  const std::string context_name = overridden ? opts.context : m.current_context;
  if (context_name.empty())
    return make_config_error(config_errc::missing_entry, "kubeconfig " + files +
                                                             ": current-context is not set; set it (kubectl config "
                                                             "use-context) or pass --context");
  auto ctx = m.contexts.find(context_name);
  if (ctx == m.contexts.end())
    return make_config_error(config_errc::missing_entry, "context " + dq(context_name) +
                                                             (overridden ? " (from --context)" : " (current-context)") +
                                                             " is not defined in kubeconfig " + files);
  const std::string ctx_where = "context " + dq(context_name) + " in " + ctx->second.file;

  auto cluster_name = get_string(ctx->second.body, "cluster", ctx_where);
  if (!cluster_name) return cluster_name.error();
  if (!*cluster_name || (*cluster_name)->empty())
    return make_config_error(config_errc::missing_entry, ctx_where + " names no cluster");
  auto cluster = m.clusters.find(**cluster_name);
  if (cluster == m.clusters.end())
    return make_config_error(config_errc::missing_entry, ctx_where + " refers to cluster " + dq(**cluster_name) +
                                                             ", which is not defined in kubeconfig " + files);

  cluster_config cfg;
  if (auto r = apply_cluster(**cluster_name, cluster->second, cfg); !r) return r.error();

  auto user_name = get_string(ctx->second.body, "user", ctx_where);
  if (!user_name) return user_name.error();
  if (*user_name && !(*user_name)->empty()) {
    auto user = m.users.find(**user_name);
    if (user == m.users.end())
      return make_config_error(config_errc::missing_entry, ctx_where + " refers to user " + dq(**user_name) +
                                                               ", which is not defined in kubeconfig " + files);
    if (auto r = apply_user(**user_name, user->second, cfg); !r) return r.error();
  }

  auto ns = get_string(ctx->second.body, "namespace", ctx_where);
  if (!ns) return ns.error();
  if (*ns && !(*ns)->empty()) cfg.default_namespace = **ns;
  cfg.source = "kubeconfig " + files + " (context " + dq(context_name) + ")";
  return cfg;
}

}  // namespace langop::kube
