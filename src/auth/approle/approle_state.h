// AppRoleState: what the AppRole paths share for one mount — the storage
// layout, the mount's HMAC key and the locks. One per engine, shared by the
// path handlers (they hold a shared_ptr). Thread-safe.
//
// Storage layout in the mount's view (values are JSON, already encrypted by
// the barrier):
//   salt                          32 random bytes, generated on first use:
//                                 the HMAC key of the indexes below
//   role/<name>                   RoleEntry (name lower-cased)
//   role_id/<hmac(role_id)>       {"name": <role name>}: the login index
//   secret_id/<name>/<hmac(id)>   SecretIdEntry; the secret-id is stored
//                                 only as its HMAC, never in the clear
//   accessor/<name>/<accessor>    {"secret_id_hmac": <hmac(id)>}
// hmac(x) is the lower-case hex HMAC-SHA256 of x under the salt. A
// secret-id and its accessor entry are written and deleted together in one
// transaction.
//
// Locks, always taken in this order: a role's lock (RoleLock), then the
// role_id index lock (RoleIdIndexMutex), then one secret-id's lock
// (SecretIdLock). Writers of a role or its secret-id set hold the role lock
// exclusively; logins and secret-id operations hold it shared and take the
// secret-id's lock exclusively around read-modify-write.
//
// Logins reuse decoded roles and role_id index entries
// (core/framework/decoded_cache.h):
// they still read the entry from storage every time, and skip only the
// decoding when the bytes are the ones decoded before. Secret-ids are never
// kept decoded.
#pragma once

#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>
#include <string_view>

#include "auth/approle/role_entry.h"
#include "auth/approle/secret_id_entry.h"
#include "base/status.h"
#include "core/framework/decoded_cache.h"
#include "core/framework/key_locks.h"
#include "crypto/hmac_key.h"
#include "storage/backend.h"

namespace coffer::auth::approle {

// Vault's maxHmacInputLength: longer role names, role_ids and secret-ids
// are refused.
inline constexpr size_t kMaxHmacInputLength = 4096;

class AppRoleState {
 public:
  // Storage keys (see the layout above).
  static std::string RoleKey(std::string_view name) { return "role/" + std::string(name); }
  static std::string RoleIdKey(std::string_view role_id_hmac) {
    return "role_id/" + std::string(role_id_hmac);
  }
  static std::string SecretIdPrefix(std::string_view role) {
    return "secret_id/" + std::string(role) + "/";
  }
  static std::string SecretIdKey(std::string_view role, std::string_view secret_id_hmac) {
    return SecretIdPrefix(role) + std::string(secret_id_hmac);
  }
  static std::string AccessorPrefix(std::string_view role) {
    return "accessor/" + std::string(role) + "/";
  }
  static std::string AccessorKey(std::string_view role, std::string_view accessor) {
    return AccessorPrefix(role) + std::string(accessor);
  }

  // Hmac returns the hex HMAC of `value` under the mount's key, creating
  // and storing the key on first use. Fails if storage does, or Corruption
  // if the stored key has the wrong size.
  Result<std::string> Hmac(storage::Backend& storage, std::string_view value);

  std::shared_mutex& RoleLock(std::string_view name) { return role_locks_.For(name); }
  std::shared_mutex& SecretIdLock(std::string_view secret_id_hmac) {
    return secret_id_locks_.For(secret_id_hmac);
  }
  // Held while the role_id index is checked and changed, so two roles
  // cannot claim one role_id.
  std::mutex& RoleIdIndexMutex() { return role_id_index_mutex_; }

  // ReadRoleShared is ReadRole for logins: the role, shared and immutable,
  // decoded again only when its stored bytes changed; nullptr when absent.
  Result<std::shared_ptr<const RoleEntry>> ReadRoleShared(storage::Backend& storage,
                                                          std::string_view name);
  // ReadRoleIdIndexShared is ReadRoleIdIndex with the same reuse of the
  // decoded entry: the role's name, nullptr when none.
  Result<std::shared_ptr<const std::string>> ReadRoleIdIndexShared(
      storage::Backend& storage, std::string_view role_id_hmac);

  // ReadRole returns the role, nullopt when absent.
  static Result<std::optional<RoleEntry>> ReadRole(storage::Backend& storage,
                                                   std::string_view name);
  // ReadRoleIdIndex returns the name of the role whose role_id has
  // `role_id_hmac`, nullopt when none.
  static Result<std::optional<std::string>> ReadRoleIdIndex(storage::Backend& storage,
                                                            std::string_view role_id_hmac);
  // ReadSecretId returns a secret-id's entry, nullopt when absent. It is
  // decoded straight from the bytes read (SecretIdEntry::Decode), never
  // kept.
  static Result<std::optional<SecretIdEntry>> ReadSecretId(storage::Backend& storage,
                                                           std::string_view role,
                                                           std::string_view secret_id_hmac);
  // ReadAccessor returns the HMAC of the secret-id an accessor names,
  // nullopt when absent.
  static Result<std::optional<std::string>> ReadAccessor(storage::Backend& storage,
                                                         std::string_view role,
                                                         std::string_view accessor);
  // DeleteSecretId removes a secret-id and its accessor entry in one
  // transaction. The caller holds the secret-id's lock.
  static Status DeleteSecretId(storage::Backend& storage, std::string_view role,
                               std::string_view secret_id_hmac, std::string_view accessor);

 private:
  core::framework::KeyLocks role_locks_;
  core::framework::KeyLocks secret_id_locks_;
  std::mutex role_id_index_mutex_;

  // Bounds of the decoded-entry caches: more roles than a mount usually
  // has, and 4 MiB of stored bytes each (a role is well under 1 KiB). Past
  // them a login only decodes again.
  static constexpr size_t kMaxCachedEntries = 1024;
  static constexpr size_t kMaxCachedBytes = 4 * 1024 * 1024;
  core::framework::DecodedCache<RoleEntry> roles_{kMaxCachedEntries, kMaxCachedBytes};
  core::framework::DecodedCache<std::string> role_id_names_{kMaxCachedEntries, kMaxCachedBytes};

  // The salt, prepared once (hmac_key.h): each login MACs its role_id and
  // its secret-id, and a per-call HMAC setup costs several times the MAC.
  std::shared_mutex key_mutex_;
  std::unique_ptr<const crypto::HmacSha256Key> key_;  // guarded by key_mutex_; null until loaded
};

}  // namespace coffer::auth::approle
