// config/<name> (create, update, read, delete), LIST config and
// reset/<name> (Vault's path_config_connection.go).
#include <mutex>
#include <shared_mutex>

#include "core/framework/json_util.h"
#include "core/framework/path_pattern.h"
#include "core/framework/response_util.h"
#include "engines/database/paths.h"

namespace coffer::engines::database {

namespace {

using core::EngineRequest;
using core::Operation;
using core::Response;
using core::framework::FieldData;
using core::framework::FieldSchema;
using core::framework::FieldType;
using core::framework::PathSpec;
using nlohmann::json;

// ApplyConfigFields merges the request into `config` (a stored config, or
// the defaults for a new one): Vault keeps what a write does not send.
Status ApplyConfigFields(const FieldData& fields, DbConfig* config) {
  if (fields.Provided("plugin_name")) {
    config->plugin_name = fields.GetString("plugin_name");
  }
  if (config->plugin_name.empty()) {
    return Status::InvalidArgument("empty plugin name");
  }
  if (!IsSupportedPlugin(config->plugin_name)) {
    return Status::InvalidArgument("plugin \"" + config->plugin_name +
                                   "\" not found in the catalog: use " +
                                   std::string(kPostgresPlugin) + " or " +
                                   std::string(kMysqlPlugin) + " (or a MySQL flavour)");
  }
  for (auto [field, target] : {std::pair{"connection_url", &config->connection_url},
                               std::pair{"username", &config->username},
                               std::pair{"password", &config->password},
                               std::pair{"username_template", &config->username_template},
                               std::pair{"password_policy", &config->password_policy}}) {
    if (fields.Provided(field)) {
      *target = fields.GetString(field);
    }
  }
  if (fields.Provided("max_open_connections")) {
    config->max_open_connections = fields.GetInt("max_open_connections");
    if (config->max_open_connections == 0) {
      config->max_open_connections = 4;  // Vault's SQL producer does the same
    }
  }
  if (config->max_open_connections < 0) {
    return Status::InvalidArgument("max_open_connections cannot be negative");
  }
  if (fields.Provided("max_idle_connections")) {
    config->max_idle_connections = fields.GetInt("max_idle_connections");
  }
  if (config->max_idle_connections < 0) {
    return Status::InvalidArgument("max_idle_connections cannot be negative");
  }
  if (fields.Provided("max_connection_lifetime")) {
    config->max_connection_lifetime = fields.GetDuration("max_connection_lifetime");
  }
  if (fields.Provided("allowed_roles")) {
    config->allowed_roles = fields.GetStrings("allowed_roles");
  }
  if (fields.Provided("root_rotation_statements")) {
    config->root_rotation_statements = fields.GetStrings("root_rotation_statements");
  }
  // Not merged: Vault verifies on every write unless told not to.
  config->verify_connection = fields.GetBool("verify_connection");
  return Status::Ok();
}

// HasLiteralPassword tells whether a connection URL ("scheme://user:pw@..."
// or MySQL's "user:pw@tcp(...)") carries a password rather than the
// {{password}} template: config reads would show it, as Vault warns.
bool HasLiteralPassword(const std::string& url) {
  const size_t scheme = url.find("://");
  const size_t start = scheme == std::string::npos ? 0 : scheme + 3;
  const size_t at = url.find('@', start);
  if (at == std::string::npos) {
    return false;
  }
  const std::string userinfo = url.substr(start, at - start);
  const size_t colon = userinfo.find(':');
  return colon != std::string::npos && colon + 1 < userinfo.size() &&
         userinfo.find("{{password}}") == std::string::npos;
}

Result<Response> HandleConfigWrite(const StatePtr& state, const EngineRequest& request,
                                   const FieldData& fields) {
  const std::string name = fields.GetString("name");
  std::unique_lock<std::shared_mutex> lock(state->Lock(DatabaseState::ConfigKey(name)));
  COFFER_ASSIGN_OR_RETURN(std::optional<DbConfig> stored,
                          DatabaseState::ReadConfig(*request.storage, name));
  DbConfig config = stored ? *stored : DbConfig();
  COFFER_RETURN_IF_ERROR(ApplyConfigFields(fields, &config));

  Result<std::unique_ptr<Plugin>> plugin = state->Open(config);
  if (!plugin.ok()) {
    return Status::InvalidArgument("error creating database object: " +
                                   plugin.status().message());
  }
  if (config.verify_connection) {
    Status verified = (*plugin)->Verify();
    if (!verified.ok()) {
      return Status::InvalidArgument("error creating database object: " + verified.message());
    }
  }

  COFFER_ASSIGN_OR_RETURN(std::string encoded, core::framework::EncodeJson(config.ToStored()));
  std::vector<storage::TxnOp> ops = {storage::TxnOp::Put(DatabaseState::ConfigKey(name), encoded)};
  if (stored && (config.password != stored->password || config.username != stored->username)) {
    // The operator set the root credentials by hand: a pending root
    // rotation must not overwrite them.
    ops.push_back(storage::TxnOp::Delete(DatabaseState::RootWalKey(name)));
  }
  COFFER_RETURN_IF_ERROR(request.storage->Transaction(ops));
  state->ReplacePlugin(name, std::shared_ptr<Plugin>(std::move(plugin).value()));

  Response response = Response::NoContent();
  if (HasLiteralPassword(config.connection_url)) {
    response.warnings.push_back(
        "Password found in connection_url, use a templated url to enable root rotation and "
        "prevent read access to password information.");
  }
  return response;
}

Result<Response> HandleConfigRead(const StatePtr& state, const EngineRequest& request,
                                  const FieldData& fields) {
  const std::string name = fields.GetString("name");
  std::shared_lock<std::shared_mutex> lock(state->Lock(DatabaseState::ConfigKey(name)));
  return ReadResponse(DatabaseState::ReadConfig(*request.storage, name));
}

Result<Response> HandleConfigDelete(const StatePtr& state, const EngineRequest& request,
                                    const FieldData& fields) {
  const std::string name = fields.GetString("name");
  std::unique_lock<std::shared_mutex> lock(state->Lock(DatabaseState::ConfigKey(name)));
  COFFER_RETURN_IF_ERROR(
      request.storage->Transaction({storage::TxnOp::Delete(DatabaseState::ConfigKey(name)),
                                    storage::TxnOp::Delete(DatabaseState::RootWalKey(name))}));
  state->DropPlugin(name);
  state->ClearRetry(DatabaseState::RootWalKey(name));
  return Response::NoContent();
}

Result<Response> HandleReset(const StatePtr& state, const EngineRequest& request,
                             const FieldData& fields) {
  const std::string name = fields.GetString("name");
  std::unique_lock<std::shared_mutex> lock(state->Lock(DatabaseState::ConfigKey(name)));
  state->DropPlugin(name);
  COFFER_ASSIGN_OR_RETURN(Connection reopened, state->Connect(*request.storage, name));
  (void)reopened;
  return Response::NoContent();
}

void AddConfigFields(core::framework::Fields& fields) {
  fields["name"] = NameField("Name of this database connection.");
  fields["plugin_name"] = {FieldType::kString, json(), false,
                           "The database plugin: postgresql-database-plugin or "
                           "mysql-database-plugin."};
  fields["plugin_version"] = {FieldType::kString, json(), false,
                              "Accepted for compatibility; built-in plugins have no version."};
  fields["verify_connection"] = {FieldType::kBool, true, false,
                                 "Connect to the database before storing the config."};
  fields["allowed_roles"] = {FieldType::kCommaStringSlice, json(), false,
                             "Roles that may use this connection; \"*\" for any."};
  fields["root_rotation_statements"] = {FieldType::kStringSlice, json(), false,
                                        "Statements run to rotate the root password."};
  fields["password_policy"] = {FieldType::kString, json(), false,
                               "Password policy for generated passwords."};
  fields["connection_url"] = {FieldType::kString, json(), false,
                              "Connection string; may use {{username}} and {{password}}."};
  fields["username"] = {FieldType::kString, json(), false, "The root user name."};
  fields["password"] = {FieldType::kString, json(), false, "The root password (never shown)."};
  fields["max_open_connections"] = {FieldType::kInt, json(), false,
                                    "Maximum open connections (default 4)."};
  fields["max_idle_connections"] = {FieldType::kInt, json(), false,
                                    "Maximum idle connections (default: max_open_connections)."};
  fields["max_connection_lifetime"] = {FieldType::kDuration, json(), false,
                                       "Maximum lifetime of a connection (0: unlimited)."};
  fields["username_template"] = {FieldType::kString, json(), false,
                                 "Accepted and stored; user names use the built-in form."};
}

}  // namespace

std::vector<PathSpec> PathsConfig(StatePtr state) {
  std::vector<PathSpec> paths;

  paths.push_back(ListPath("config/?", "config/",
                           "Configure connection details to a database plugin.",
                           "Lists the configured database connections."));

  PathSpec config;
  config.pattern = "config/" + core::framework::GenericName("name");
  AddConfigFields(config.fields);
  config.operations = {
      {Operation::kCreate, WithState(state, HandleConfigWrite)},
      {Operation::kUpdate, WithState(state, HandleConfigWrite)},
      {Operation::kRead, WithState(state, HandleConfigRead)},
      {Operation::kDelete, WithState(state, HandleConfigDelete)},
  };
  config.exists = KeyExists(DatabaseState::ConfigKey);
  config.help_synopsis = "Configure connection details to a database plugin.";
  config.help_description = R"(
A connection names a plugin (postgresql-database-plugin or
mysql-database-plugin), how to reach the database and which roles may use
it. The root password is stored but never returned; rotate it with
rotate-root/<name> so that only the server knows it.
)";
  paths.push_back(std::move(config));

  PathSpec reset;
  reset.pattern = "reset/" + core::framework::GenericName("name");
  reset.fields = {{"name", NameField("Name of the database connection to reset.")}};
  reset.operations = {{Operation::kUpdate, WithState(state, HandleReset)}};
  reset.help_synopsis = "Resets a database plugin.";
  reset.help_description = "Closes the connection's pool and reopens it from the stored config.";
  paths.push_back(std::move(reset));
  return paths;
}

core::framework::FieldSchema NameField(const std::string& description) {
  return {FieldType::kString, json(), true, description};
}

Status CheckRoleAllowed(const DbConfig& config, const std::string& role_name) {
  if (!config.AllowsRole(role_name)) {
    return Status::InvalidArgument("\"" + role_name + "\" is not an allowed role");
  }
  return Status::Ok();
}

Status CheckCredentialType(const FieldData& fields, std::string* credential_type) {
  if (!fields.Provided("credential_type")) {
    return Status::Ok();
  }
  std::string type = fields.GetString("credential_type");
  if (type != kCredentialTypePassword) {
    return Status::InvalidArgument("unsupported credential_type \"" + type +
                                   "\": only \"password\" is supported");
  }
  *credential_type = std::move(type);
  return Status::Ok();
}

PathSpec ListPath(std::string pattern, std::string prefix, std::string help_synopsis,
                  std::string help_description) {
  PathSpec list;
  list.pattern = std::move(pattern);
  auto list_names = [prefix = std::move(prefix)](
                        const EngineRequest& request, const FieldData&) -> Result<Response> {
    COFFER_ASSIGN_OR_RETURN(std::vector<std::string> names,
                            DatabaseState::ListNames(*request.storage, prefix));
    return core::framework::ListResponse(std::move(names));
  };
  list.operations = {{Operation::kList, std::move(list_names)}};
  list.help_synopsis = std::move(help_synopsis);
  list.help_description = std::move(help_description);
  return list;
}

core::framework::ExistenceCheck KeyExists(std::string (*key_of)(const std::string&)) {
  return [key_of](const EngineRequest& request, const FieldData& fields) {
    return core::framework::StoredKeyExists(*request.storage, key_of(fields.GetString("name")));
  };
}

Status CheckNameUnused(storage::Backend& storage, const std::string& other_key) {
  COFFER_ASSIGN_OR_RETURN(bool exists, core::framework::StoredKeyExists(storage, other_key));
  if (exists) {
    return Status::InvalidArgument("Role and Static Role names must be unique");
  }
  return Status::Ok();
}

}  // namespace coffer::engines::database
