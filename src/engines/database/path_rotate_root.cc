// rotate-root/<name> (update): gives the connection's root user a password
// only the server knows (Vault's path_rotate_credentials.go). The
// write-ahead scheme that keeps a crash from losing it is in rotation.h.
#include <mutex>
#include <shared_mutex>

#include "core/framework/path_pattern.h"
#include "engines/database/paths.h"
#include "engines/database/rotation.h"

namespace coffer::engines::database {

core::framework::PathSpec PathRotateRoot(StatePtr state) {
  core::framework::PathSpec spec;
  spec.pattern = "rotate-root/" + core::framework::GenericName("name");
  spec.fields = {{"name", NameField("Name of the database connection.")}};
  spec.operations = {
      {core::Operation::kUpdate,
       [state](const core::EngineRequest& request,
               const core::framework::FieldData& fields) -> Result<core::Response> {
         const std::string name = fields.GetString("name");
         std::unique_lock<std::shared_mutex> lock(state->Lock(DatabaseState::ConfigKey(name)));
         COFFER_RETURN_IF_ERROR(RotateRoot(*state, request, name));
         state->ClearRetry(DatabaseState::RootWalKey(name));
         return core::Response::NoContent();
       }},
  };
  spec.help_synopsis = "Request to rotate the root credentials for a certain database connection.";
  spec.help_description = R"(
Sets a new, generated password (from the connection's password_policy) for
the configured user, using root_rotation_statements or the plugin's
default, and stores it. Afterwards only the server knows the password.
)";
  return spec;
}

}  // namespace coffer::engines::database
