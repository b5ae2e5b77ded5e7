#include "cli/kv_paths.h"

#include <vector>

#include "cli/command_util.h"

namespace coffer::cli {

namespace {

using nlohmann::json;

int VersionOf(const json& mount) {
  if (!mount.is_object() || !mount.contains("options") || !mount["options"].is_object()) {
    return 1;
  }
  const json& options = mount["options"];
  if (!options.contains("version")) {
    return 1;
  }
  const json& v = options["version"];
  if ((v.is_string() && v.get<std::string>() == "2") ||
      (v.is_number_integer() && v.get<int64_t>() == 2)) {
    return 2;
  }
  return 1;
}

bool StartsWith(const std::string& s, const std::string& prefix) {
  return s.size() >= prefix.size() && s.compare(0, prefix.size(), prefix) == 0;
}

std::string TrimSuffixSlash(const std::string& s) {
  return !s.empty() && s.back() == '/' ? s.substr(0, s.size() - 1) : s;
}

}  // namespace

std::string PathJoin(const std::string& a, const std::string& b, const std::string& c) {
  std::string joined;
  for (const std::string* part : {&a, &b, &c}) {
    if (part->empty()) {
      continue;
    }
    joined += joined.empty() ? *part : "/" + *part;
  }
  if (joined.empty()) {
    return "";
  }
  const bool rooted = joined.front() == '/';
  std::vector<std::string> segments;
  size_t start = 0;
  while (start <= joined.size()) {
    size_t slash = joined.find('/', start);
    if (slash == std::string::npos) {
      slash = joined.size();
    }
    std::string seg = joined.substr(start, slash - start);
    if (seg == "..") {
      if (!segments.empty() && segments.back() != "..") {
        segments.pop_back();
      } else if (!rooted) {
        segments.push_back(seg);
      }
    } else if (!seg.empty() && seg != ".") {
      segments.push_back(seg);
    }
    start = slash + 1;
  }
  std::string out = rooted ? "/" : "";
  for (size_t i = 0; i < segments.size(); ++i) {
    out += (i == 0 ? "" : "/") + segments[i];
  }
  return out.empty() ? "." : out;
}

KvMount KvMountFromUiMounts(const json& body) {
  KvMount m;
  const json data = body.is_object() && body.contains("data") ? body["data"] : json();
  if (data.is_object() && data.contains("path") && data["path"].is_string()) {
    m.path = data["path"].get<std::string>();
  }
  m.version = VersionOf(data);
  return m;
}

std::optional<KvMount> KvMountFromMountTable(const json& body, const std::string& path) {
  // Vault answers with the table in "data" and, for old clients, also at
  // the top level.
  const json& table =
      body.is_object() && body.contains("data") && body["data"].is_object() ? body["data"] : body;
  if (!table.is_object()) {
    return std::nullopt;
  }
  const std::string probe = EnsureTrailingSlash(path);
  std::optional<KvMount> best;
  for (const auto& [name, mount] : table.items()) {
    if (!mount.is_object() || name.empty() || name.back() != '/') {
      continue;
    }
    if (StartsWith(probe, name) && (!best || name.size() > best->path.size())) {
      best = KvMount{name, VersionOf(mount)};
    }
  }
  return best;
}

std::string AddPrefixToKvPath(const std::string& path, const std::string& mount_in,
                              const std::string& prefix) {
  std::string mount = mount_in;
  if (path == mount || path == TrimSuffixSlash(mount)) {
    return PathJoin(mount, prefix);
  }
  std::string suffix = StartsWith(path, mount) ? path.substr(mount.size()) : path;
  // When the mount is not a prefix of the path (the mount includes a
  // namespace the path leaves out), drop the mount's leading segments until
  // it is, as vault does.
  while (suffix == path) {
    const size_t slash = mount.find('/');
    if (slash == std::string::npos || slash + 1 >= mount.size()) {
      break;
    }
    mount = TrimSuffixSlash(mount.substr(slash + 1));
    if (StartsWith(suffix, mount)) {
      suffix = suffix.substr(mount.size());
    }
  }
  return PathJoin(mount, prefix, suffix);
}

std::string KvTarget::ApiPath(const std::string& prefix) const {
  if (v2()) {
    return AddPrefixToKvPath(partial, mount.path, prefix);
  }
  return mount_flag ? PathJoin(mount.path, partial) : partial;
}

KvTarget MakeKvTarget(const std::string& mount_flag, const std::string& arg, const KvMount& mount) {
  KvTarget t;
  t.mount = mount;
  t.mount_flag = !mount_flag.empty();
  t.partial = SanitizePath(arg);
  if (t.mount_flag && t.v2()) {
    t.partial = PathJoin(mount.path, t.partial);
  }
  return t;
}

Result<KvMount> DetectKvMount(api::Client& client, const std::string& path) {
  COFFER_ASSIGN_OR_RETURN(
      api::Response ui, client.Request("GET", "sys/internal/ui/mounts/" + EscapePath(path)));
  if (ui.status != 404) {
    COFFER_RETURN_IF_ERROR(api::ErrorFromResponse(ui));
    return KvMountFromUiMounts(ui.body);
  }
  // A server without the UI endpoint: find the mount in the mount table.
  // If that is not readable either, assume version 1 as vault does on 404.
  auto mounts = client.Request("GET", "sys/mounts");
  if (!mounts.ok() || !api::ErrorFromResponse(*mounts).ok()) {
    return KvMount{};
  }
  auto found = KvMountFromMountTable(mounts->body, path);
  return found ? *found : KvMount{};
}

Result<KvTarget> ResolveKvTarget(api::Client& client, const std::string& mount_flag,
                                 const std::string& arg) {
  const std::string probe = SanitizePath(mount_flag.empty() ? arg : mount_flag);
  COFFER_ASSIGN_OR_RETURN(KvMount mount, DetectKvMount(client, probe));
  if (!mount_flag.empty() && mount.path.empty()) {
    // Without an answer the mount is what the user named.
    mount.path = EnsureTrailingSlash(probe);
  }
  return MakeKvTarget(mount_flag, arg, mount);
}

}  // namespace coffer::cli
