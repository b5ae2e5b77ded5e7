// creds/<role> (read): a new database user under a lease, and the "creds"
// secret's renewal and revocation (Vault's path_creds_create.go and
// secret_creds.go).
#include <chrono>

#include <spdlog/spdlog.h>

#include "core/framework/path_pattern.h"
#include "engines/database/credentials.h"
#include "engines/database/paths.h"

namespace coffer::engines::database {

namespace {

using core::EngineRequest;
using core::LeaseInfo;
using core::Operation;
using core::Response;
using core::framework::FieldData;
using nlohmann::json;

constexpr char kSecretType[] = "creds";

// PostgreSQL's renew statement when a role has none, as Vault's plugin
// (ours runs no default, and a user made VALID UNTIL its lease would
// otherwise expire before a renewed lease does).
constexpr char kDefaultPostgresRenew[] =
    "ALTER ROLE \"{{name}}\" VALID UNTIL '{{expiration}}';";

std::vector<std::string> StringsOf(const json& internal, const char* key) {
  std::vector<std::string> out;
  auto it = internal.find(key);
  if (it != internal.end() && it->is_array()) {
    for (const json& item : *it) {
      if (item.is_string()) {
        out.push_back(item.get<std::string>());
      }
    }
  }
  return out;
}

Result<Response> HandleCreds(const StatePtr& state, const EngineRequest& request,
                             const FieldData& fields) {
  const std::string name = fields.GetString("name");
  COFFER_ASSIGN_OR_RETURN(std::optional<RoleEntry> role,
                          DatabaseState::ReadRole(*request.storage, name));
  if (!role) {
    return Status::InvalidArgument("unknown role: " + name);
  }
  COFFER_ASSIGN_OR_RETURN(Connection connection, state->Connect(*request.storage, role->db_name));
  COFFER_RETURN_IF_ERROR(CheckRoleAllowed(connection.config, name));

  const LeaseTtls ttls = CredentialTtls(*role, request);
  const std::chrono::system_clock::time_point now = request.clock->Now();
  COFFER_ASSIGN_OR_RETURN(std::string username,
                          GenerateUsername(name, connection.config.plugin_name, now));
  COFFER_ASSIGN_OR_RETURN(std::string password,
                          GeneratePassword(request, connection.config.password_policy));
  const std::string expiration = FormatExpiration(now + std::chrono::seconds(ttls.ttl));

  Status created =
      connection.plugin->CreateUser(role->creation_statements, username, password, expiration);
  if (!created.ok()) {
    if (!role->rollback_statements.empty()) {
      // Best effort: the creation transaction rolled back already unless
      // the statements did something outside it.
      Status rolled_back = connection.plugin->RevokeUser(role->rollback_statements, username);
      if (!rolled_back.ok()) {
        spdlog::warn("database: rollback of user \"{}\" for role \"{}\" failed: {}", username,
                     name, rolled_back.ToString());
      }
    }
    return created.Annotate("unable to create user");
  }

  Response response = Response::Data(json{{"username", username}, {"password", password}});
  core::SecretLease secret;
  secret.type = kSecretType;
  secret.ttl = ttls.ttl;
  secret.max_ttl = ttls.max_ttl;
  secret.renewable = true;
  secret.internal = json{{"username", username},
                         {"role", name},
                         {"db_name", role->db_name},
                         {"revocation_statements", role->revocation_statements},
                         {"renew_statements", role->renew_statements}};
  response.secret = std::move(secret);
  return response;
}

Result<std::string> LeaseUsername(const LeaseInfo& lease) {
  std::string username = lease.internal.value("username", "");
  if (username.empty()) {
    return Status::Internal("secret is missing username internal data");
  }
  return username;
}

// LeaseDbName is the connection a lease's user lives in: recorded in the
// lease, else (as Vault's older leases lack it) its role's.
Result<std::string> LeaseDbName(const EngineRequest& context, const LeaseInfo& lease) {
  std::string db_name = lease.internal.value("db_name", "");
  if (!db_name.empty()) {
    return db_name;
  }
  COFFER_ASSIGN_OR_RETURN(
      std::optional<RoleEntry> role,
      DatabaseState::ReadRole(*context.storage, lease.internal.value("role", "")));
  if (!role) {
    return Status::InvalidArgument("could not find the database connection of the lease");
  }
  return role->db_name;
}

Status RevokeCreds(const StatePtr& state, const EngineRequest& context, const LeaseInfo& lease) {
  COFFER_ASSIGN_OR_RETURN(std::string username, LeaseUsername(lease));
  COFFER_ASSIGN_OR_RETURN(std::string db_name, LeaseDbName(context, lease));
  // An error keeps the lease and the core retries: a user whose connection
  // is gone is kept rather than forgotten while it may still log in.
  COFFER_ASSIGN_OR_RETURN(Connection connection, state->Connect(*context.storage, db_name));
  return connection.plugin->RevokeUser(StringsOf(lease.internal, "revocation_statements"),
                                       username);
}

Status RenewCreds(const StatePtr& state, const EngineRequest& context, const LeaseInfo& lease) {
  COFFER_ASSIGN_OR_RETURN(std::string username, LeaseUsername(lease));
  COFFER_ASSIGN_OR_RETURN(std::string db_name, LeaseDbName(context, lease));
  COFFER_ASSIGN_OR_RETURN(Connection connection, state->Connect(*context.storage, db_name));
  std::vector<std::string> statements = StringsOf(lease.internal, "renew_statements");
  if (statements.empty() && connection.config.plugin_name == kPostgresPlugin) {
    statements.push_back(kDefaultPostgresRenew);
  }
  if (statements.empty()) {
    return Status::Ok();
  }
  const std::string expiration =
      FormatExpiration(context.clock->Now() + std::chrono::seconds(lease.new_ttl));
  return connection.plugin->RenewUser(statements, username, expiration);
}

}  // namespace

core::framework::PathSpec PathCreds(StatePtr state) {
  core::framework::PathSpec spec;
  spec.pattern = "creds/" + core::framework::GenericName("name");
  spec.fields = {{"name", NameField("Name of the role.")}};
  spec.operations = {{Operation::kRead, WithState(state, HandleCreds)}};
  spec.help_synopsis = "Request database credentials for a certain role.";
  spec.help_description = R"(
Creates a database user with the role's creation statements and returns its
user name and password under a lease; revoking the lease drops the user.
)";
  return spec;
}

core::framework::SecretSpec SecretCreds(StatePtr state) {
  core::framework::SecretSpec spec;
  spec.type = kSecretType;
  spec.renew = [state](const EngineRequest& context, const LeaseInfo& lease) {
    return RenewCreds(state, context, lease);
  };
  spec.revoke = [state](const EngineRequest& context, const LeaseInfo& lease) {
    return RevokeCreds(state, context, lease);
  };
  return spec;
}

}  // namespace coffer::engines::database
