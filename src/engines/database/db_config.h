// DbConfig: one database connection of the database secrets engine
// (config/<name>), as stored and as shown. The password is stored (the
// mount's storage view is behind the barrier) but never shown.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "engines/database/plugin.h"

namespace coffer::engines::database {

struct DbConfig {
  std::string plugin_name;
  std::string connection_url;
  std::string username;
  std::string password;
  int64_t max_open_connections = 4;
  // 0 means "as many as max_open_connections", as Vault's SQL producer.
  int64_t max_idle_connections = 0;
  int64_t max_connection_lifetime = 0;  // seconds; 0 = no limit
  // Accepted and kept for Vault clients; credentials use the engine's
  // fixed "v-<role>-<random>-<time>" form.
  std::string username_template;
  // Roles that may use this connection: empty means none, "*" any; other
  // entries may hold '*' globs, as Vault's StrListContainsGlob.
  std::vector<std::string> allowed_roles;
  std::vector<std::string> root_rotation_statements;
  std::string password_policy;
  bool verify_connection = true;

  // ToStored is the stored form, password included.
  nlohmann::json ToStored() const;
  // FromStored reads ToStored's form; Corruption when it is not an object.
  static Result<DbConfig> FromStored(const nlohmann::json& stored);
  // ToResponse is Vault's read shape, without the password.
  nlohmann::json ToResponse() const;
  // ToConnection is what OpenPlugin takes.
  ConnectionConfig ToConnection() const;
  // AllowsRole tells whether the role `name` may use this connection.
  bool AllowsRole(const std::string& name) const;
};

// IsSupportedPlugin tells whether `plugin_name` names a built-in plugin:
// kPostgresPlugin, kMysqlPlugin or one of Vault's MySQL flavours for
// servers older than 5.7 (IsLegacyMysqlPlugin).
bool IsSupportedPlugin(const std::string& plugin_name);

// IsLegacyMysqlPlugin: mysql-aurora-, mysql-rds- and mysql-legacy-database-
// plugin, MySQL with 16-character user names.
bool IsLegacyMysqlPlugin(const std::string& plugin_name);

}  // namespace coffer::engines::database
