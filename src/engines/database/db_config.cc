#include "engines/database/db_config.h"

#include <algorithm>

#include "base/glob.h"
#include "core/framework/time_format.h"
#include "engines/database/stored_fields.h"

namespace coffer::engines::database {

using nlohmann::json;

namespace {

// The stored fields of a DbConfig, password included.
constexpr auto kStoredFields = [](auto& config, auto&& visit) {
  visit("plugin_name", config.plugin_name);
  visit("connection_url", config.connection_url);
  visit("username", config.username);
  visit("password", config.password);
  visit("max_open_connections", config.max_open_connections);
  visit("max_idle_connections", config.max_idle_connections);
  visit("max_connection_lifetime", config.max_connection_lifetime);
  visit("username_template", config.username_template);
  visit("allowed_roles", config.allowed_roles);
  visit("root_rotation_statements", config.root_rotation_statements);
  visit("password_policy", config.password_policy);
  visit("verify_connection", config.verify_connection);
};

}  // namespace

json DbConfig::ToStored() const { return StoreFields(*this, kStoredFields); }

Result<DbConfig> DbConfig::FromStored(const json& stored) {
  return LoadFields<DbConfig>(stored, "database config", kStoredFields);
}

json DbConfig::ToResponse() const {
  // Vault's connection_details is what the client sent minus the password;
  // ours is normalized, with the defaults filled in.
  const int64_t max_idle = max_idle_connections > 0
                               ? std::min(max_idle_connections, max_open_connections)
                               : max_open_connections;
  json details = {{"connection_url", connection_url},
                  {"username", username},
                  {"max_open_connections", max_open_connections},
                  {"max_idle_connections", max_idle},
                  {"max_connection_lifetime",
                   core::framework::FormatGoDuration(max_connection_lifetime)}};
  if (!username_template.empty()) {
    details["username_template"] = username_template;
  }
  return json{{"plugin_name", plugin_name},
              {"connection_details", std::move(details)},
              {"allowed_roles", allowed_roles},
              {"root_credentials_rotate_statements", root_rotation_statements},
              {"password_policy", password_policy},
              {"verify_connection", verify_connection},
              {"plugin_version", ""}};
}

ConnectionConfig DbConfig::ToConnection() const {
  ConnectionConfig connection;
  connection.plugin_name = plugin_name;
  connection.connection_url = connection_url;
  connection.username = username;
  connection.password = password;
  connection.max_open_connections = static_cast<int>(max_open_connections);
  connection.max_connection_lifetime = max_connection_lifetime;
  return connection;
}

bool DbConfig::AllowsRole(const std::string& name) const {
  return std::any_of(allowed_roles.begin(), allowed_roles.end(), [&](const std::string& allowed) {
    return allowed == "*" || GlobMatch(allowed, name);
  });
}

bool IsSupportedPlugin(const std::string& plugin_name) {
  return plugin_name == kPostgresPlugin || plugin_name == kMysqlPlugin ||
         IsLegacyMysqlPlugin(plugin_name);
}

bool IsLegacyMysqlPlugin(const std::string& plugin_name) {
  return plugin_name == "mysql-aurora-database-plugin" ||
         plugin_name == "mysql-rds-database-plugin" ||
         plugin_name == "mysql-legacy-database-plugin";
}

}  // namespace coffer::engines::database
