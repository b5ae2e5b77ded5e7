#include "engines/database/rotation.h"

#include <mutex>
#include <optional>
#include <shared_mutex>

#include <spdlog/spdlog.h>

#include "core/framework/json_util.h"
#include "core/framework/time_format.h"
#include "engines/database/credentials.h"

namespace coffer::engines::database {

namespace {

using nlohmann::json;

// A pending password (a write-ahead record).
struct Pending {
  std::string username;
  std::string db_name;  // static roles only
  std::string password;
};

Result<std::optional<Pending>> ReadPending(storage::Backend& storage, const std::string& key) {
  COFFER_ASSIGN_OR_RETURN(std::optional<json> stored,
                          core::framework::ReadStoredJson(storage, key, "database rotation record"));
  if (!stored) {
    return std::optional<Pending>();
  }
  if (!stored->is_object()) {
    return Status::Corruption("database rotation record " + key + " is not an object");
  }
  Pending pending;
  pending.username = stored->value("username", "");
  pending.db_name = stored->value("db_name", "");
  pending.password = stored->value("password", "");
  return std::optional<Pending>(std::move(pending));
}

Status WritePending(storage::Backend& storage, const std::string& key, const Pending& pending) {
  COFFER_ASSIGN_OR_RETURN(std::string encoded,
                          core::framework::EncodeJson(json{{"username", pending.username},
                                                           {"db_name", pending.db_name},
                                                           {"password", pending.password}}));
  return storage.Put(key, encoded);
}

// RefusedByDatabase tells whether a plugin error means the database
// definitely kept the old password (see rotation.h).
bool RefusedByDatabase(const Status& status) {
  switch (status.code()) {
    case Code::kInvalidArgument:
    case Code::kPermissionDenied:
    case Code::kFailedPrecondition:
    case Code::kNotFound:
      return true;
    default:
      return false;
  }
}

// DropPending deletes a pending record after a failure; a storage error here
// only leaves a record that a later rotation re-uses, so it is logged.
void DropPending(storage::Backend& storage, const std::string& key) {
  Status status = storage.Delete(key);
  if (!status.ok() && !status.IsNotFound()) {
    spdlog::warn("database: removing rotation record {} failed: {}", key, status.ToString());
  }
}

int64_t NowNanos(const core::EngineRequest& request) {
  return core::framework::UnixNanos(request.clock->Now());
}

}  // namespace

Status RotateStaticRole(DatabaseState& state, const core::EngineRequest& request,
                        const std::string& name, StaticRoleEntry role, bool creating) {
  storage::Backend& storage = *request.storage;
  const std::string wal_key = DatabaseState::StaticWalKey(name);
  COFFER_ASSIGN_OR_RETURN(Connection connection, state.Connect(storage, role.db_name));
  COFFER_ASSIGN_OR_RETURN(std::optional<Pending> pending, ReadPending(storage, wal_key));
  const bool retrying = pending && pending->username == role.username &&
                        pending->db_name == role.db_name && !pending->password.empty();
  Pending record;
  record.username = role.username;
  record.db_name = role.db_name;
  if (retrying) {
    record.password = pending->password;
  } else {
    COFFER_ASSIGN_OR_RETURN(record.password,
                            GeneratePassword(request, connection.config.password_policy));
    COFFER_RETURN_IF_ERROR(WritePending(storage, wal_key, record));
  }

  Status set = connection.plugin->SetPassword(role.rotation_statements, role.username,
                                              record.password);
  if (!set.ok()) {
    if (creating || (!retrying && RefusedByDatabase(set))) {
      DropPending(storage, wal_key);
    }
    return set.Annotate("unable to rotate the password of \"" + role.username + "\"");
  }

  role.password = record.password;
  role.last_vault_rotation = NowNanos(request);
  COFFER_ASSIGN_OR_RETURN(std::string encoded, core::framework::EncodeJson(role.ToStored()));
  return storage.Transaction({storage::TxnOp::Put(DatabaseState::StaticRoleKey(name), encoded),
                              storage::TxnOp::Delete(wal_key)});
}

Status RotateRoot(DatabaseState& state, const core::EngineRequest& request,
                  const std::string& name) {
  storage::Backend& storage = *request.storage;
  const std::string wal_key = DatabaseState::RootWalKey(name);
  COFFER_ASSIGN_OR_RETURN(Connection connection, state.Connect(storage, name));
  DbConfig config = connection.config;
  if (config.username.empty()) {
    return Status::InvalidArgument(
        "unable to rotate root credentials: no username in configuration");
  }
  COFFER_ASSIGN_OR_RETURN(std::optional<Pending> pending, ReadPending(storage, wal_key));
  const bool retrying =
      pending && pending->username == config.username && !pending->password.empty();

  bool database_has_it = false;
  Pending record;
  record.username = config.username;
  if (retrying) {
    record.password = pending->password;
    // The database may already have the pending password, in which case
    // the stored one no longer logs in: try the pending one first.
    DbConfig probe_config = config;
    probe_config.password = record.password;
    Result<std::unique_ptr<Plugin>> probe = state.Open(probe_config);
    database_has_it = probe.ok() && (*probe)->Verify().ok();
  } else {
    COFFER_ASSIGN_OR_RETURN(record.password, GeneratePassword(request, config.password_policy));
    COFFER_RETURN_IF_ERROR(WritePending(storage, wal_key, record));
  }

  if (!database_has_it) {
    Status set = connection.plugin->SetPassword(config.root_rotation_statements, config.username,
                                                record.password);
    if (!set.ok()) {
      if (!retrying && RefusedByDatabase(set)) {
        DropPending(storage, wal_key);
      }
      return set.Annotate("failed to update user");
    }
  }

  config.password = record.password;
  COFFER_ASSIGN_OR_RETURN(std::string encoded, core::framework::EncodeJson(config.ToStored()));
  COFFER_RETURN_IF_ERROR(
      storage.Transaction({storage::TxnOp::Put(DatabaseState::ConfigKey(name), encoded),
                           storage::TxnOp::Delete(wal_key)}));
  connection.plugin->UpdateRootPassword(record.password);
  return Status::Ok();
}

namespace {

// RecoverRoots finishes the root rotations left pending.
void RecoverRoots(DatabaseState& state, const core::EngineRequest& request, int64_t now) {
  storage::Backend& storage = *request.storage;
  Result<std::vector<std::string>> names =
      DatabaseState::ListNames(storage, DatabaseState::kRootWalPrefix);
  if (!names.ok()) {
    spdlog::warn("database: listing root rotation records failed: {}", names.status().ToString());
    return;
  }
  for (const std::string& name : *names) {
    const std::string retry_key = DatabaseState::RootWalKey(name);
    if (!state.RetryDue(retry_key, now)) {
      continue;
    }
    std::unique_lock<std::shared_mutex> lock(state.Lock(DatabaseState::ConfigKey(name)));
    Result<std::optional<DbConfig>> config = DatabaseState::ReadConfig(storage, name);
    Result<std::optional<Pending>> pending = ReadPending(storage, retry_key);
    if (!config.ok() || !pending.ok()) {
      spdlog::warn("database: reading root rotation of \"{}\" failed: {}", name,
                   (config.ok() ? pending.status() : config.status()).ToString());
      state.RetryLater(retry_key, now);
      continue;
    }
    if (!*pending) {
      continue;
    }
    if (!*config || (*config)->username != (*pending)->username) {
      // The connection was deleted or now logs in as someone else.
      DropPending(storage, retry_key);
      continue;
    }
    Status status = RotateRoot(state, request, name);
    if (status.ok()) {
      state.ClearRetry(retry_key);
      spdlog::info("database: finished the pending root rotation of \"{}\"", name);
    } else {
      state.RetryLater(retry_key, now);
      spdlog::warn("database: pending root rotation of \"{}\" failed: {}", name,
                   status.ToString());
    }
  }
}

// RotateStatic rotates one static role if `only_pending` finds a pending
// record for it, or else if it is due.
void RotateStatic(DatabaseState& state, const core::EngineRequest& request,
                  const std::string& name, bool only_pending, int64_t now) {
  storage::Backend& storage = *request.storage;
  const std::string retry_key = DatabaseState::StaticRoleKey(name);
  if (!state.RetryDue(retry_key, now)) {
    return;
  }
  std::unique_lock<std::shared_mutex> lock(state.Lock(retry_key));
  Result<std::optional<StaticRoleEntry>> role = DatabaseState::ReadStaticRole(storage, name);
  if (!role.ok()) {
    spdlog::warn("database: reading static role \"{}\" failed: {}", name,
                 role.status().ToString());
    state.RetryLater(retry_key, now);
    return;
  }
  if (only_pending) {
    Result<std::optional<Pending>> pending =
        ReadPending(storage, DatabaseState::StaticWalKey(name));
    if (!pending.ok() || !*pending) {
      return;
    }
    if (!*role || (*role)->username != (*pending)->username ||
        (*role)->db_name != (*pending)->db_name) {
      // Left by a create that failed, or by a role since deleted.
      DropPending(storage, DatabaseState::StaticWalKey(name));
      return;
    }
  } else if (!*role || now < (*role)->NextRotation()) {
    return;
  }
  Status status = RotateStaticRole(state, request, name, std::move(**role), false);
  if (status.ok()) {
    state.ClearRetry(retry_key);
  } else {
    state.RetryLater(retry_key, now);
    spdlog::warn("database: rotating static role \"{}\" failed, retrying later: {}", name,
                 status.ToString());
  }
}

}  // namespace

void RunPeriodic(DatabaseState& state, const core::EngineRequest& request) {
  if (request.storage == nullptr) {
    return;
  }
  const int64_t now = NowNanos(request);
  RecoverRoots(state, request, now);
  for (bool only_pending : {true, false}) {
    const std::string prefix =
        only_pending ? DatabaseState::kStaticWalPrefix : std::string("static-role/");
    Result<std::vector<std::string>> names = DatabaseState::ListNames(*request.storage, prefix);
    if (!names.ok()) {
      spdlog::warn("database: listing {} failed: {}", prefix, names.status().ToString());
      return;
    }
    for (const std::string& name : *names) {
      RotateStatic(state, request, name, only_pending, now);
    }
  }
}

}  // namespace coffer::engines::database
