#include "auth/userpass/userpass_backend.h"

#include <vector>

#include "auth/userpass/paths.h"
#include "auth/userpass/user_entry.h"

namespace coffer::auth::userpass {

namespace {

constexpr const char* kHelp = R"(
The "userpass" credential provider allows authentication using
a combination of a username and password. No additional factors
are supported.

The username/password combination is configured using the "users/"
endpoints by a user with root access. Authentication is then done
by supplying the two fields for "login".
)";

Result<std::unique_ptr<core::Engine>> NewUserpass(const core::EngineConfig&) {
  COFFER_ASSIGN_OR_RETURN(std::unique_ptr<UserpassBackend> backend, UserpassBackend::Create());
  return std::unique_ptr<core::Engine>(std::move(backend));
}

}  // namespace

Result<std::unique_ptr<UserpassBackend>> UserpassBackend::Create() {
  auto locks = std::make_unique<core::framework::KeyLocks>();
  std::vector<core::framework::PathSpec> paths;
  paths.push_back(UsersListPath());
  paths.push_back(UsersPath(*locks));
  paths.push_back(UserPasswordPath(*locks));
  paths.push_back(UserPoliciesPath(*locks));
  paths.push_back(LoginPath());
  COFFER_ASSIGN_OR_RETURN(
      std::unique_ptr<core::framework::FrameworkEngine> engine,
      core::framework::FrameworkEngine::Create("userpass", std::move(paths), kHelp));
  return std::unique_ptr<UserpassBackend>(
      new UserpassBackend(std::move(locks), std::move(engine)));
}

std::string UserpassBackend::LoginAlias(const core::EngineRequest& request) const {
  return NormalizeUsername(paths().LoginAlias(request));
}

COFFER_REGISTER_ENGINE("userpass", &NewUserpass);

}  // namespace coffer::auth::userpass
