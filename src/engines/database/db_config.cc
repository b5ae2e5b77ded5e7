#include "engines/database/db_config.h"

#include <algorithm>

#include "base/glob.h"
#include "core/framework/time_format.h"

namespace coffer::engines::database {

using nlohmann::json;

namespace {

std::vector<std::string> StringsOf(const json& j) {
  std::vector<std::string> out;
  if (j.is_array()) {
    for (const json& item : j) {
      if (item.is_string()) {
        out.push_back(item.get<std::string>());
      }
    }
  }
  return out;
}

std::string StringOf(const json& j, const char* key) {
  auto it = j.find(key);
  return it != j.end() && it->is_string() ? it->get<std::string>() : std::string();
}

int64_t IntOf(const json& j, const char* key, int64_t fallback) {
  auto it = j.find(key);
  return it != j.end() && it->is_number_integer() ? it->get<int64_t>() : fallback;
}

}  // namespace

json DbConfig::ToStored() const {
  return json{{"plugin_name", plugin_name},
              {"connection_url", connection_url},
              {"username", username},
              {"password", password},
              {"max_open_connections", max_open_connections},
              {"max_idle_connections", max_idle_connections},
              {"max_connection_lifetime", max_connection_lifetime},
              {"username_template", username_template},
              {"allowed_roles", allowed_roles},
              {"root_rotation_statements", root_rotation_statements},
              {"password_policy", password_policy},
              {"verify_connection", verify_connection}};
}

Result<DbConfig> DbConfig::FromStored(const json& stored) {
  if (!stored.is_object()) {
    return Status::Corruption("stored database config is not an object");
  }
  DbConfig config;
  config.plugin_name = StringOf(stored, "plugin_name");
  config.connection_url = StringOf(stored, "connection_url");
  config.username = StringOf(stored, "username");
  config.password = StringOf(stored, "password");
  config.max_open_connections = IntOf(stored, "max_open_connections", 4);
  config.max_idle_connections = IntOf(stored, "max_idle_connections", 0);
  config.max_connection_lifetime = IntOf(stored, "max_connection_lifetime", 0);
  config.username_template = StringOf(stored, "username_template");
  config.allowed_roles = StringsOf(stored.value("allowed_roles", json::array()));
  config.root_rotation_statements =
      StringsOf(stored.value("root_rotation_statements", json::array()));
  config.password_policy = StringOf(stored, "password_policy");
  auto verify = stored.find("verify_connection");
  config.verify_connection = verify == stored.end() || !verify->is_boolean() || verify->get<bool>();
  return config;
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
