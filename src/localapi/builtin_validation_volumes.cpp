// Pod volume validation (ValidateVolumes): one source per volume, source-specific
// required fields, file modes, item paths, unique DNS-label names.
#include "builtin_validation_detail.hpp"
#include "k8s_format.hpp"

#include <set>

namespace langop::localapi::detail {
namespace {

const char* const file_mode_error = "must be a number between 0 and 0777 (octal), both inclusive";
// In validateVolumeSource's order: the first source present is validated, later ones
// are reported as extra.
constexpr std::string_view volume_sources[] = {"emptyDir",
                                               "hostPath",
                                               "gitRepo",
                                               "gcePersistentDisk",
                                               "awsElasticBlockStore",
                                               "secret",
                                               "nfs",
                                               "iscsi",
                                               "glusterfs",
                                               "flocker",
                                               "persistentVolumeClaim",
                                               "rbd",
                                               "cinder",
                                               "cephfs",
                                               "downwardAPI",
                                               "fc",
                                               "flexVolume",
                                               "configMap",
                                               "azureFile",
                                               "vsphereVolume",
                                               "quobyte",
                                               "azureDisk",
                                               "photonPersistentDisk",
                                               "projected",
                                               "portworxVolume",
                                               "scaleIO",
                                               "storageos",
                                               "csi",
                                               "ephemeral",
                                               "image"};

void validate_mode(checker& c, const json::object& o, const std::string& path, std::string_view key) {
  if (auto m = c.int_field(o, key, child_path(path, key)); m && (*m < 0 || *m > 0777))
    c.invalid(child_path(path, key), render(*m), file_mode_error);
}

}  // namespace

// validateLocalNonReservedPath for item paths and subPaths.
void validate_item_path(checker& c, const std::string& p, const std::string& path) {
  if (p.empty()) {
    c.required(path);
    return;
  }
  if (p.front() == '/') c.invalid(path, render(p), "must be a relative path");
  std::size_t start = 0;
  while (true) {
    auto slash = p.find('/', start);
    auto part = std::string_view(p).substr(start, slash == std::string::npos ? std::string::npos : slash - start);
    if (part == "..") {
      c.invalid(path, render(p), "must not contain '..'");
      break;
    }
    if (slash == std::string::npos) break;
    start = slash + 1;
  }
  if (p.rfind("..", 0) == 0) c.invalid(path, render(p), "must not start with '..'");
}

namespace {

void validate_items(checker& c, const json::object& src, const std::string& path) {
  const auto* items = c.arr_field(src, "items", child_path(path, "items"));
  if (!items) return;
  for (std::size_t i = 0; i < items->size(); ++i) {
    std::string ip = index_path(child_path(path, "items"), i);
    const auto* it = (*items)[i].if_object();
    if (!it) continue;
    if (it->contains("key")) {  // configMap/secret items: key is required and a valid config key
      auto key = c.str_field(*it, "key", child_path(ip, "key")).value_or("");
      if (key.empty())
        c.required(child_path(ip, "key"));
      else
        c.invalid_each(child_path(ip, "key"), render(key), config_map_key_errors(key));
    }
    validate_item_path(c, c.str_field(*it, "path", child_path(ip, "path")).value_or(""), child_path(ip, "path"));
    validate_mode(c, *it, ip, "mode");
  }
}

}  // namespace

// ValidateVolumes: returns the names usable by volume mounts (volumes without errors).
std::set<std::string> validate_volumes(checker& c, const json::object& spec, const std::string& path) {
  std::set<std::string> names;
  const auto* vols = c.arr_field(spec, "volumes", child_path(path, "volumes"));
  if (!vols) return names;
  for (std::size_t i = 0; i < vols->size(); ++i) {
    std::string vp = index_path(child_path(path, "volumes"), i);
    const auto* v = (*vols)[i].if_object();
    if (!v) {
      c.type_invalid(vp, (*vols)[i], "object");
      continue;
    }
    checker local;
    int sources = 0;
    for (auto source : volume_sources) {
      auto it = v->find(source);
      if (it == v->end() || it->value().is_null()) continue;
      if (++sources > 1) {
        local.forbidden(child_path(vp, source), "may not specify more than 1 volume type");
        continue;
      }
      std::string sp = child_path(vp, source);
      const auto* s = local.obj_field(*v, source, sp);
      if (!s) continue;
      if (source == "configMap") {
        if (local.str_field(*s, "name", child_path(sp, "name")).value_or("").empty())
          local.required(child_path(sp, "name"));
        validate_mode(local, *s, sp, "defaultMode");
        validate_items(local, *s, sp);
      } else if (source == "secret") {
        if (local.str_field(*s, "secretName", child_path(sp, "secretName")).value_or("").empty())
          local.required(child_path(sp, "secretName"));
        validate_mode(local, *s, sp, "defaultMode");
        validate_items(local, *s, sp);
      } else if (source == "persistentVolumeClaim") {
        if (local.str_field(*s, "claimName", child_path(sp, "claimName")).value_or("").empty())
          local.required(child_path(sp, "claimName"));
      } else if (source == "downwardAPI" || source == "projected") {
        validate_mode(local, *s, sp, "defaultMode");
        if (source == "downwardAPI") validate_items(local, *s, sp);
      } else if (source == "hostPath") {
        if (local.str_field(*s, "path", child_path(sp, "path")).value_or("").empty())
          local.required(child_path(sp, "path"));
      }
    }
    if (sources == 0) local.required(vp, "must specify a volume type");
    auto name = local.str_field(*v, "name", child_path(vp, "name")).value_or("");
    if (name.empty())
      local.required(child_path(vp, "name"));
    else
      local.invalid_each(child_path(vp, "name"), render(name), dns1123_label_errors(name));
    if (names.count(name)) local.duplicate(child_path(vp, "name"), render(name));
    if (local.causes.empty()) names.insert(name);
    c.causes.insert(c.causes.end(), local.causes.begin(), local.causes.end());
  }
  return names;
}

}  // namespace langop::localapi::detail
