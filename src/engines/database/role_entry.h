// The two kinds of role of the database secrets engine, as stored:
// RoleEntry (roles/<name>, dynamic users made per lease) and
// StaticRoleEntry (static-roles/<name>, one existing user whose password
// the engine rotates).
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace coffer::engines::database {

// The only credential type the engine issues (Vault also has rsa keys and
// client certificates for some plugins).
inline constexpr char kCredentialTypePassword[] = "password";

struct RoleEntry {
  std::string db_name;
  std::vector<std::string> creation_statements;
  std::vector<std::string> revocation_statements;
  std::vector<std::string> rollback_statements;
  std::vector<std::string> renew_statements;
  int64_t default_ttl = 0;  // seconds; 0: the mount's default
  int64_t max_ttl = 0;      // seconds; 0: the mount's maximum
  std::string credential_type = kCredentialTypePassword;

  nlohmann::json ToStored() const;
  static Result<RoleEntry> FromStored(const nlohmann::json& stored);
  // ToResponse is Vault's read shape (ttls in seconds).
  nlohmann::json ToResponse() const;
};

struct StaticRoleEntry {
  std::string db_name;
  std::string username;
  // The current password, known only to the engine; never shown by a role
  // read (static-creds shows it).
  std::string password;
  int64_t rotation_period = 0;  // seconds
  std::vector<std::string> rotation_statements;
  int64_t last_vault_rotation = 0;  // unix nanoseconds; 0: never rotated
  std::string credential_type = kCredentialTypePassword;

  nlohmann::json ToStored() const;
  static Result<StaticRoleEntry> FromStored(const nlohmann::json& stored);
  // ToResponse is Vault's read shape, without the password.
  nlohmann::json ToResponse() const;
  // NextRotation is when the password is due again, in unix nanoseconds.
  int64_t NextRotation() const;
};

}  // namespace coffer::engines::database
