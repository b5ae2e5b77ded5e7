#include "engines/database/database_state.h"

#include <utility>

#include "core/framework/json_util.h"

namespace coffer::engines::database {

using core::framework::ReadStoredJson;
using nlohmann::json;

namespace {

// ReadEntry reads and parses the entry stored at `key`; nullopt when absent.
template <typename Entry>
Result<std::optional<Entry>> ReadEntry(storage::Backend& storage, const std::string& key,
                                       std::string_view what) {
  COFFER_ASSIGN_OR_RETURN(std::optional<json> stored, ReadStoredJson(storage, key, what));
  if (!stored) {
    return std::optional<Entry>();
  }
  COFFER_ASSIGN_OR_RETURN(Entry entry, Entry::FromStored(*stored));
  return std::optional<Entry>(std::move(entry));
}

}  // namespace

Result<std::optional<DbConfig>> DatabaseState::ReadConfig(storage::Backend& storage,
                                                          const std::string& name) {
  return ReadEntry<DbConfig>(storage, ConfigKey(name), "database config");
}

Result<std::optional<RoleEntry>> DatabaseState::ReadRole(storage::Backend& storage,
                                                         const std::string& name) {
  return ReadEntry<RoleEntry>(storage, RoleKey(name), "database role");
}

Result<std::optional<StaticRoleEntry>> DatabaseState::ReadStaticRole(storage::Backend& storage,
                                                                     const std::string& name) {
  return ReadEntry<StaticRoleEntry>(storage, StaticRoleKey(name), "database static role");
}

Result<std::vector<std::string>> DatabaseState::ListNames(storage::Backend& storage,
                                                          const std::string& prefix) {
  COFFER_ASSIGN_OR_RETURN(std::vector<std::string> keys, storage.List(prefix));
  std::vector<std::string> names;
  for (std::string& key : keys) {
    if (!key.empty() && key.back() != '/') {
      names.push_back(std::move(key));
    }
  }
  return names;
}

Result<std::unique_ptr<Plugin>> DatabaseState::Open(const DbConfig& config) const {
  return opener_(config.ToConnection());
}

Result<Connection> DatabaseState::Connect(storage::Backend& storage, const std::string& name) {
  std::lock_guard<std::mutex> lock(plugins_mu_);
  COFFER_ASSIGN_OR_RETURN(std::optional<DbConfig> config, ReadConfig(storage, name));
  if (!config) {
    plugins_.erase(name);
    return ConfigNotFound(name);
  }
  auto it = plugins_.find(name);
  if (it == plugins_.end()) {
    COFFER_ASSIGN_OR_RETURN(std::unique_ptr<Plugin> plugin, Open(*config));
    it = plugins_.emplace(name, std::shared_ptr<Plugin>(std::move(plugin))).first;
  }
  return Connection{std::move(*config), it->second};
}

void DatabaseState::ReplacePlugin(const std::string& name, std::shared_ptr<Plugin> plugin) {
  std::shared_ptr<Plugin> previous;
  {
    std::lock_guard<std::mutex> lock(plugins_mu_);
    previous = std::exchange(plugins_[name], std::move(plugin));
  }
  // `previous` closes its pool here, outside the lock, unless a call in
  // flight still holds it.
}

void DatabaseState::DropPlugin(const std::string& name) {
  std::shared_ptr<Plugin> previous;
  {
    std::lock_guard<std::mutex> lock(plugins_mu_);
    auto it = plugins_.find(name);
    if (it == plugins_.end()) {
      return;
    }
    previous = std::move(it->second);
    plugins_.erase(it);
  }
}

bool DatabaseState::RetryDue(const std::string& key, int64_t now_nanos) {
  std::lock_guard<std::mutex> lock(retry_mu_);
  auto it = retry_at_.find(key);
  return it == retry_at_.end() || now_nanos >= it->second;
}

void DatabaseState::RetryLater(const std::string& key, int64_t now_nanos) {
  std::lock_guard<std::mutex> lock(retry_mu_);
  retry_at_[key] = now_nanos + kRetryDelayNanos;
}

void DatabaseState::ClearRetry(const std::string& key) {
  std::lock_guard<std::mutex> lock(retry_mu_);
  retry_at_.erase(key);
}

Status ConfigNotFound(const std::string& name) {
  return Status::InvalidArgument("failed to find entry for connection with name: \"" + name +
                                 "\"");
}

}  // namespace coffer::engines::database
