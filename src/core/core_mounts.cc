// The Core's mount tables: loading them at unseal, and the changes made
// through sys/mounts, sys/remount and tuning.
#include <algorithm>
#include <chrono>
#include <mutex>

#include "base/encoding.h"
#include "core/builtin_backends.h"
#include "core/core.h"
#include "crypto/random.h"

namespace coffer::core {

namespace {

constexpr std::string_view kMountsKey = "core/mounts";
constexpr std::string_view kAuthKey = "core/auth";
constexpr std::string_view kAuthPrefix = "auth/";

// Mounts that the server itself depends on: never disabled or moved.
bool IsProtected(const std::string& path) {
  return path == "sys/" || path == "cubbyhole/" || path == "auth/token/";
}

bool IsAuthPath(const std::string& path) { return path.starts_with(kAuthPrefix); }

Result<MountEntry> NewEntry(std::string path, std::string type, std::string description,
                            int64_t now) {
  MountEntry e;
  e.path = std::move(path);
  e.type = std::move(type);
  e.description = std::move(description);
  COFFER_ASSIGN_OR_RETURN(e.uuid, crypto::RandomUuid());
  COFFER_ASSIGN_OR_RETURN(std::string suffix, crypto::RandomString(4));
  // Vault's accessors: "kv_1a2b3c4d" for engines, "auth_userpass_1a2b3c4d".
  e.accessor = (e.path.starts_with("auth/") ? "auth_" : "") + e.type + "_" + HexEncode(suffix);
  e.created_unix = now;
  return e;
}

}  // namespace

int64_t Core::NowUnix() const {
  return std::chrono::duration_cast<std::chrono::seconds>(clock().Now().time_since_epoch())
      .count();
}

Result<std::shared_ptr<MountedEngine>> Core::Instantiate(const MountEntry& entry) {
  auto mounted = std::make_shared<MountedEngine>();
  mounted->entry = entry;
  mounted->view = std::make_shared<StorageView>(barrier_, entry.StoragePrefix());
  Result<std::unique_ptr<Engine>> engine = Status::Internal("unset");
  if (entry.type == "system") {
    engine = MakeSystemBackend(*this);
  } else if (entry.type == "token") {
    engine = MakeTokenBackend(*this);
  } else {
    EngineConfig config;
    config.type = entry.type;
    config.mount_point = entry.path;
    config.options = entry.options;
    engine = CreateEngine(config);
  }
  if (!engine.ok()) {
    return engine.status();
  }
  mounted->engine = std::move(engine).value();
  return mounted;
}

Status Core::PersistMounts(bool auth, const std::vector<MountEntry>& entries) {
  return barrier_.Put(auth ? kAuthKey : kMountsKey, EncodeMountTable(entries));
}

Status Core::SetupMounts() {
  std::lock_guard lock(mounts_mu_);
  router_.Clear();
  for (bool auth : {false, true}) {
    std::vector<MountEntry> entries;
    auto stored = barrier_.Get(auth ? kAuthKey : kMountsKey);
    if (stored.ok()) {
      COFFER_ASSIGN_OR_RETURN(entries, DecodeMountTable(*stored));
    } else if (stored.status().IsNotFound()) {
      // First unseal: the mounts every server has.
      if (auth) {
        COFFER_ASSIGN_OR_RETURN(MountEntry token,
                                NewEntry("auth/token/", "token", "token based credentials",
                                         NowUnix()));
        entries.push_back(std::move(token));
      } else {
        COFFER_ASSIGN_OR_RETURN(MountEntry cubby,
                                NewEntry("cubbyhole/", "cubbyhole",
                                         "per-token private secret storage", NowUnix()));
        COFFER_ASSIGN_OR_RETURN(MountEntry sys,
                                NewEntry("sys/", "system",
                                         "system endpoints used for control, policy and debugging",
                                         NowUnix()));
        entries.push_back(std::move(cubby));
        entries.push_back(std::move(sys));
      }
      COFFER_RETURN_IF_ERROR(PersistMounts(auth, entries));
    } else {
      return stored.status();
    }
    for (const MountEntry& entry : entries) {
      COFFER_ASSIGN_OR_RETURN(std::shared_ptr<MountedEngine> mounted, Instantiate(entry));
      COFFER_RETURN_IF_ERROR(router_.Add(std::move(mounted)));
    }
  }
  return Status::Ok();
}

std::vector<MountEntry> Core::Mounts(bool auth) const {
  std::vector<MountEntry> out;
  for (const auto& m : router_.All()) {
    if (IsAuthPath(m->entry.path) == auth) {
      out.push_back(m->entry);
    }
  }
  return out;
}

Result<MountEntry> Core::MountFor(const std::string& raw_path) const {
  COFFER_ASSIGN_OR_RETURN(std::string path, NormalizeMountPath(raw_path));
  auto m = router_.Find(path);
  if (m == nullptr) {
    return Status::InvalidArgument("no mount at \"" + path + "\"");
  }
  return m->entry;
}

Status Core::Mount(MountEntry requested) {
  COFFER_ASSIGN_OR_RETURN(std::string path, NormalizeMountPath(requested.path));
  const bool auth = IsAuthPath(path);
  if (!auth && (path == "sys/" || path.starts_with("sys/") || path == "auth/" ||
                path == "cubbyhole/" || path.starts_with("cubbyhole/"))) {
    return Status::InvalidArgument("cannot mount at reserved path \"" + path + "\"");
  }
  if (requested.type == "system" || requested.type == "token" ||
      (requested.type == "cubbyhole" && path != "cubbyhole/")) {
    return Status::InvalidArgument("only one \"" + requested.type + "\" mount is allowed");
  }
  COFFER_ASSIGN_OR_RETURN(MountEntry entry,
                          NewEntry(path, requested.type, requested.description, NowUnix()));
  entry.options = requested.options;
  entry.default_lease_ttl = requested.default_lease_ttl;
  entry.max_lease_ttl = requested.max_lease_ttl;
  entry.local = requested.local;
  entry.seal_wrap = requested.seal_wrap;
  entry.external_entropy_access = requested.external_entropy_access;
  entry.audit_non_hmac_request_keys = requested.audit_non_hmac_request_keys;
  entry.audit_non_hmac_response_keys = requested.audit_non_hmac_response_keys;
  entry.listing_visibility = requested.listing_visibility;
  entry.passthrough_request_headers = requested.passthrough_request_headers;
  entry.allowed_response_headers = requested.allowed_response_headers;

  std::lock_guard lock(mounts_mu_);
  // Build the engine first: an unknown type or bad option changes nothing.
  COFFER_ASSIGN_OR_RETURN(std::shared_ptr<MountedEngine> mounted, Instantiate(entry));
  std::vector<MountEntry> entries = Mounts(auth);
  COFFER_RETURN_IF_ERROR(router_.Add(mounted));
  entries.push_back(entry);
  Status persisted = PersistMounts(auth, entries);
  if (!persisted.ok()) {
    router_.Remove(path);
    return persisted;
  }
  return Status::Ok();
}

Status Core::Unmount(const std::string& raw_path) {
  COFFER_ASSIGN_OR_RETURN(std::string path, NormalizeMountPath(raw_path));
  if (IsProtected(path)) {
    return Status::InvalidArgument("cannot unmount \"" + path + "\"");
  }
  std::lock_guard lock(mounts_mu_);
  auto mounted = router_.Find(path);
  if (mounted == nullptr) {
    // Vault answers success for a path with nothing mounted.
    return Status::Ok();
  }
  // What the mount granted ends with it; if its engine cannot revoke
  // something now, the mount stays so the revocation can be retried.
  COFFER_RETURN_IF_ERROR(leases_->RevokePrefix(path, /*force=*/false));
  const bool auth = IsAuthPath(path);
  std::vector<MountEntry> entries = Mounts(auth);
  std::erase_if(entries, [&](const MountEntry& e) { return e.path == path; });
  COFFER_RETURN_IF_ERROR(PersistMounts(auth, entries));
  router_.Remove(path);
  // The table no longer names the UUID, so a failure here leaves only
  // unreachable ciphertext; it is reported, not rolled back.
  return mounted->view->DeleteAll();
}

Status Core::Remount(const std::string& raw_from, const std::string& raw_to) {
  COFFER_ASSIGN_OR_RETURN(std::string from, NormalizeMountPath(raw_from));
  COFFER_ASSIGN_OR_RETURN(std::string to, NormalizeMountPath(raw_to));
  if (IsProtected(from)) {
    return Status::InvalidArgument("cannot remount \"" + from + "\"");
  }
  if (IsAuthPath(from) != IsAuthPath(to)) {
    return Status::InvalidArgument("cannot remount between secrets engines and auth methods");
  }
  if (to.starts_with("sys/") || to.starts_with("cubbyhole/") || to == "auth/") {
    return Status::InvalidArgument("cannot remount to reserved path \"" + to + "\"");
  }
  std::lock_guard lock(mounts_mu_);
  auto mounted = router_.Find(from);
  if (mounted == nullptr) {
    return Status::InvalidArgument("no mount at \"" + from + "\"");
  }
  auto moved = std::make_shared<MountedEngine>(*mounted);
  moved->entry.path = to;
  COFFER_RETURN_IF_ERROR(router_.Replace(from, moved));
  const bool auth = IsAuthPath(to);
  Status persisted = PersistMounts(auth, Mounts(auth));
  if (!persisted.ok()) {
    Status undo = router_.Replace(to, mounted);
    (void)undo;
    return persisted;
  }
  return Status::Ok();
}

Status Core::Tune(const std::string& raw_path, const std::function<Status(MountEntry&)>& change) {
  COFFER_ASSIGN_OR_RETURN(std::string path, NormalizeMountPath(raw_path));
  std::lock_guard lock(mounts_mu_);
  auto mounted = router_.Find(path);
  if (mounted == nullptr) {
    return Status::InvalidArgument("no mount at \"" + path + "\"");
  }
  auto tuned = std::make_shared<MountedEngine>(*mounted);
  COFFER_RETURN_IF_ERROR(change(tuned->entry));
  if (tuned->entry.max_lease_ttl > 0 && tuned->entry.default_lease_ttl > tuned->entry.max_lease_ttl) {
    return Status::InvalidArgument("default_lease_ttl cannot be greater than max_lease_ttl");
  }
  if (tuned->entry.max_lease_ttl > options_.max_lease_ttl) {
    return Status::InvalidArgument("max_lease_ttl cannot be greater than the system max lease TTL");
  }
  COFFER_RETURN_IF_ERROR(router_.Replace(path, tuned));
  const bool auth = IsAuthPath(path);
  Status persisted = PersistMounts(auth, Mounts(auth));
  if (!persisted.ok()) {
    Status undo = router_.Replace(path, mounted);
    (void)undo;
    return persisted;
  }
  return Status::Ok();
}

int64_t Core::DefaultLeaseTtl(const MountEntry& mount) const {
  return mount.default_lease_ttl > 0 ? mount.default_lease_ttl : options_.default_lease_ttl;
}

int64_t Core::MaxLeaseTtl(const MountEntry& mount) const {
  return mount.max_lease_ttl > 0 ? mount.max_lease_ttl : options_.max_lease_ttl;
}

}  // namespace coffer::core
