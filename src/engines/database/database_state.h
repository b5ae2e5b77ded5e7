// DatabaseState: what one mount of the database secrets engine shares
// between its handlers: the pooled plugin of each connection, per-item
// locks, the retry schedule of background rotations, and the storage
// layout:
//   config/<name>            DbConfig (with the root password)
//   role/<name>              RoleEntry
//   static-role/<name>       StaticRoleEntry (with the current password)
//   wal/rotate-root/<name>   pending root password (see rotation.h)
//   wal/static-role/<name>   pending static-role password (see rotation.h)
// all inside the mount's storage view, behind the barrier. Thread-safe.
#pragma once

#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <shared_mutex>
#include <string>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "core/framework/key_locks.h"
#include "engines/database/db_config.h"
#include "engines/database/plugin.h"
#include "engines/database/role_entry.h"
#include "storage/backend.h"

namespace coffer::engines::database {

// PluginOpener makes a plugin for a connection: OpenPlugin in production,
// an in-memory fake in unit tests.
using PluginOpener = std::function<Result<std::unique_ptr<Plugin>>(const ConnectionConfig&)>;

// A connection ready for use: its stored config and its pooled plugin. The
// shared_ptr keeps the pool alive for a call in flight while a config
// write or delete replaces it.
struct Connection {
  DbConfig config;
  std::shared_ptr<Plugin> plugin;
};

class DatabaseState {
 public:
  explicit DatabaseState(PluginOpener opener) : opener_(std::move(opener)) {}

  static std::string ConfigKey(const std::string& name) { return "config/" + name; }
  static std::string RoleKey(const std::string& name) { return "role/" + name; }
  static std::string StaticRoleKey(const std::string& name) { return "static-role/" + name; }
  static constexpr char kRootWalPrefix[] = "wal/rotate-root/";
  static constexpr char kStaticWalPrefix[] = "wal/static-role/";
  static std::string RootWalKey(const std::string& name) { return kRootWalPrefix + name; }
  static std::string StaticWalKey(const std::string& name) { return kStaticWalPrefix + name; }

  // Readers return nullopt for an absent item; Corruption for a stored
  // value that does not parse.
  static Result<std::optional<DbConfig>> ReadConfig(storage::Backend& storage,
                                                    const std::string& name);
  static Result<std::optional<RoleEntry>> ReadRole(storage::Backend& storage,
                                                   const std::string& name);
  static Result<std::optional<StaticRoleEntry>> ReadStaticRole(storage::Backend& storage,
                                                               const std::string& name);
  // ListNames lists the items directly under `prefix` ("role/").
  static Result<std::vector<std::string>> ListNames(storage::Backend& storage,
                                                    const std::string& prefix);

  // Open makes a fresh, uncached plugin for `config`; InvalidArgument for
  // an unknown plugin or a bad connection URL. It does not connect.
  Result<std::unique_ptr<Plugin>> Open(const DbConfig& config) const;

  // Connect returns the named connection, opening (and caching) its pool
  // when none is cached. InvalidArgument when there is no such config.
  Result<Connection> Connect(storage::Backend& storage, const std::string& name);

  // ReplacePlugin caches `plugin` as the named connection's pool, closing
  // the previous one once its calls in flight finish.
  void ReplacePlugin(const std::string& name, std::shared_ptr<Plugin> plugin);
  // DropPlugin closes the named connection's pool; the next Connect reopens
  // it from storage.
  void DropPlugin(const std::string& name);

  // Lock guards read-modify-write of one storage item; `key` is the item's
  // storage key. Never hold two at once: keys may share a lock.
  std::shared_mutex& Lock(const std::string& key) { return locks_.For(key); }

  // The retry schedule of background work (keyed by storage key): after a
  // failure, work on a key waits kRetryDelayNanos, so a database that is
  // down is not hammered every second.
  static constexpr int64_t kRetryDelayNanos = 10'000'000'000LL;
  bool RetryDue(const std::string& key, int64_t now_nanos);
  void RetryLater(const std::string& key, int64_t now_nanos);
  void ClearRetry(const std::string& key);

 private:
  const PluginOpener opener_;

  // Guards plugins_. Held across Connect's storage read and plugin open so a
  // concurrent config write or delete cannot be overtaken by a stale open.
  std::mutex plugins_mu_;
  std::map<std::string, std::shared_ptr<Plugin>> plugins_;

  core::framework::KeyLocks locks_;

  std::mutex retry_mu_;  // guards retry_at_
  std::map<std::string, int64_t> retry_at_;
};

// ConfigNotFound is the answer when a role names a connection that does
// not exist (Vault's wording).
Status ConfigNotFound(const std::string& name);

}  // namespace coffer::engines::database
