// tidy/secret-id: removes expired secret-ids, and index entries left
// without their other half (Vault's path_tidy_user_id.go). Coffer runs it
// when asked, synchronously.
#include <mutex>
#include <shared_mutex>

#include "auth/approle/paths.h"
#include "core/framework/response_util.h"

namespace coffer::auth::approle {

namespace {

using core::EngineRequest;
using core::Operation;
using core::Response;
using core::framework::FieldData;
using core::framework::PathSpec;

bool IsLeaf(const std::string& key) { return !key.empty() && key.back() != '/'; }

// TidyRole tidies one role's secret-ids; returns how many it removed.
Result<int64_t> TidyRole(AppRoleState& state, storage::Backend& storage, const std::string& name,
                         int64_t now) {
  std::shared_lock<std::shared_mutex> role_lock(state.RoleLock(name));
  int64_t removed = 0;
  COFFER_ASSIGN_OR_RETURN(std::vector<std::string> hmacs,
                          storage.List(AppRoleState::SecretIdPrefix(name)));
  for (const std::string& hmac : hmacs) {
    if (!IsLeaf(hmac)) {
      continue;
    }
    std::unique_lock<std::shared_mutex> secret_lock(state.SecretIdLock(hmac));
    COFFER_ASSIGN_OR_RETURN(std::optional<SecretIdEntry> entry,
                            AppRoleState::ReadSecretId(storage, name, hmac));
    if (!entry) {
      continue;
    }
    COFFER_ASSIGN_OR_RETURN(std::optional<std::string> indexed,
                            AppRoleState::ReadAccessor(storage, name, entry->accessor));
    if (entry->Expired(now) || !indexed || *indexed != hmac) {
      // Keep an accessor that names another secret-id.
      const std::string accessor = (indexed && *indexed == hmac) ? entry->accessor : "";
      COFFER_RETURN_IF_ERROR(AppRoleState::DeleteSecretId(storage, name, hmac, accessor));
      ++removed;
    }
  }
  COFFER_ASSIGN_OR_RETURN(std::vector<std::string> accessors,
                          storage.List(AppRoleState::AccessorPrefix(name)));
  for (const std::string& accessor : accessors) {
    if (!IsLeaf(accessor)) {
      continue;
    }
    COFFER_ASSIGN_OR_RETURN(std::optional<std::string> hmac,
                            AppRoleState::ReadAccessor(storage, name, accessor));
    if (!hmac) {
      continue;
    }
    std::unique_lock<std::shared_mutex> secret_lock(state.SecretIdLock(*hmac));
    COFFER_ASSIGN_OR_RETURN(std::optional<SecretIdEntry> entry,
                            AppRoleState::ReadSecretId(storage, name, *hmac));
    if (!entry) {
      COFFER_RETURN_IF_ERROR(storage.Delete(AppRoleState::AccessorKey(name, accessor)));
    }
  }
  return removed;
}

Result<Response> HandleTidy(AppRoleState& state, const EngineRequest& request, const FieldData&) {
  storage::Backend& storage = *request.storage;
  const int64_t now = NowNanos(request);
  COFFER_ASSIGN_OR_RETURN(std::vector<std::string> roles, storage.List("role/"));
  int64_t removed = 0;
  for (const std::string& name : roles) {
    if (!IsLeaf(name)) {
      continue;
    }
    COFFER_ASSIGN_OR_RETURN(int64_t n, TidyRole(state, storage, name, now));
    removed += n;
  }
  Response response = core::framework::JsonResponse({{"secret_ids_removed", removed}});
  response.warnings.push_back(
      "Tidy operation successfully completed: expired secret-ids were removed.");
  return response;
}

}  // namespace

PathSpec PathTidy(StatePtr state) {
  PathSpec spec;
  spec.pattern = "tidy/secret-id";
  spec.operations = {
      {Operation::kUpdate,
       [state](const EngineRequest& r, const FieldData& f) { return HandleTidy(*state, r, f); }},
  };
  spec.help_synopsis = "Trigger the clean-up of expired SecretID entries.";
  spec.help_description = R"(
SecretIDs that have expired are removed from storage, along with any
secret-id or accessor entry left without the other.
)";
  return spec;
}

}  // namespace coffer::auth::approle
