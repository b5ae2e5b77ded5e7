#include "auth/approle/approle_state.h"

#include <utility>
#include <vector>

#include "base/encoding.h"
#include "core/framework/json_util.h"
#include "crypto/hash.h"
#include "crypto/random.h"

namespace coffer::auth::approle {

namespace {

using nlohmann::json;

constexpr char kSaltKey[] = "salt";
constexpr size_t kKeySize = 32;

}  // namespace

Result<std::string> AppRoleState::Hmac(storage::Backend& storage, std::string_view value) {
  std::lock_guard<std::mutex> lock(key_mutex_);
  if (key_.empty()) {
    Result<std::string> stored = storage.Get(kSaltKey);
    if (stored.ok()) {
      crypto::SecureBuffer key = crypto::SecureBuffer::FromBytes(*stored);
      crypto::Wipe(stored->data(), stored->size());
      if (key.size() != kKeySize) {
        return Status::Corruption("approle: the stored HMAC key has the wrong size");
      }
      key_ = std::move(key);
    } else if (stored.status().IsNotFound()) {
      COFFER_ASSIGN_OR_RETURN(crypto::SecureBuffer key, crypto::RandomKey(kKeySize));
      COFFER_RETURN_IF_ERROR(storage.Put(kSaltKey, key.view()));
      key_ = std::move(key);
    } else {
      return stored.status();
    }
  }
  return HexEncode(crypto::HmacSha256(key_, value));
}

Result<std::optional<RoleEntry>> AppRoleState::ReadRole(storage::Backend& storage,
                                                        std::string_view name) {
  COFFER_ASSIGN_OR_RETURN(std::optional<json> stored,
                          core::framework::ReadStoredJson(storage, RoleKey(name), "approle role"));
  if (!stored) {
    return std::optional<RoleEntry>();
  }
  COFFER_ASSIGN_OR_RETURN(RoleEntry role, RoleEntry::FromStored(*stored));
  return std::optional<RoleEntry>(std::move(role));
}

Result<std::optional<std::string>> AppRoleState::ReadRoleIdIndex(storage::Backend& storage,
                                                                 std::string_view role_id_hmac) {
  COFFER_ASSIGN_OR_RETURN(
      std::optional<json> stored,
      core::framework::ReadStoredJson(storage, RoleIdKey(role_id_hmac), "approle role_id index"));
  if (!stored) {
    return std::optional<std::string>();
  }
  if (!stored->is_object() || !stored->contains("name") || !(*stored)["name"].is_string()) {
    return Status::Corruption("approle role_id index entry is malformed");
  }
  return std::optional<std::string>((*stored)["name"].get<std::string>());
}

Result<std::optional<SecretIdEntry>> AppRoleState::ReadSecretId(storage::Backend& storage,
                                                                std::string_view role,
                                                                std::string_view secret_id_hmac) {
  COFFER_ASSIGN_OR_RETURN(std::optional<json> stored,
                          core::framework::ReadStoredJson(
                              storage, SecretIdKey(role, secret_id_hmac), "approle secret-id"));
  if (!stored) {
    return std::optional<SecretIdEntry>();
  }
  COFFER_ASSIGN_OR_RETURN(SecretIdEntry entry, SecretIdEntry::FromStored(*stored));
  return std::optional<SecretIdEntry>(std::move(entry));
}

Result<std::optional<std::string>> AppRoleState::ReadAccessor(storage::Backend& storage,
                                                              std::string_view role,
                                                              std::string_view accessor) {
  COFFER_ASSIGN_OR_RETURN(
      std::optional<json> stored,
      core::framework::ReadStoredJson(storage, AccessorKey(role, accessor), "approle accessor"));
  if (!stored) {
    return std::optional<std::string>();
  }
  if (!stored->is_object() || !stored->contains("secret_id_hmac") ||
      !(*stored)["secret_id_hmac"].is_string()) {
    return Status::Corruption("approle accessor entry is malformed");
  }
  return std::optional<std::string>((*stored)["secret_id_hmac"].get<std::string>());
}

Status AppRoleState::DeleteSecretId(storage::Backend& storage, std::string_view role,
                                    std::string_view secret_id_hmac, std::string_view accessor) {
  std::vector<storage::TxnOp> ops;
  ops.push_back(storage::TxnOp::Delete(SecretIdKey(role, secret_id_hmac)));
  if (!accessor.empty()) {
    ops.push_back(storage::TxnOp::Delete(AccessorKey(role, accessor)));
  }
  return storage.Transaction(ops);
}

}  // namespace coffer::auth::approle
