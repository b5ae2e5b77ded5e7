#include "auth/approle/approle_state.h"

#include <memory>
#include <mutex>
#include <shared_mutex>
#include <utility>
#include <vector>

#include "base/encoding.h"
#include "core/framework/json_util.h"
#include "crypto/random.h"

namespace coffer::auth::approle {

namespace {

using nlohmann::json;

constexpr char kSaltKey[] = "salt";
constexpr size_t kKeySize = 32;

}  // namespace

Result<std::string> AppRoleState::Hmac(storage::Backend& storage, std::string_view value) {
  {
    std::shared_lock<std::shared_mutex> lock(key_mutex_);
    if (key_ != nullptr) {
      return HexEncode(key_->Mac(value));
    }
  }
  std::unique_lock<std::shared_mutex> lock(key_mutex_);
  if (key_ == nullptr) {
    Result<std::string> stored = storage.Get(kSaltKey);
    if (stored.ok()) {
      const bool right_size = stored->size() == kKeySize;
      if (right_size) {
        key_ = std::make_unique<const crypto::HmacSha256Key>(std::string_view(*stored));
      }
      crypto::Wipe(stored->data(), stored->size());
      if (!right_size) {
        return Status::Corruption("approle: the stored HMAC key has the wrong size");
      }
    } else if (stored.status().IsNotFound()) {
      COFFER_ASSIGN_OR_RETURN(crypto::SecureBuffer key, crypto::RandomKey(kKeySize));
      COFFER_RETURN_IF_ERROR(storage.Put(kSaltKey, key.view()));
      key_ = std::make_unique<const crypto::HmacSha256Key>(key);
    } else {
      return stored.status();
    }
  }
  return HexEncode(key_->Mac(value));
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

Result<std::shared_ptr<const RoleEntry>> AppRoleState::ReadRoleShared(storage::Backend& storage,
                                                                      std::string_view name) {
  const std::string key = RoleKey(name);
  Result<std::string> bytes = storage.Get(key);
  if (bytes.status().IsNotFound()) {
    return std::shared_ptr<const RoleEntry>();
  }
  if (!bytes.ok()) {
    return bytes.status();
  }
  if (std::shared_ptr<const RoleEntry> hit = roles_.Find(key, *bytes)) {
    return hit;
  }
  COFFER_ASSIGN_OR_RETURN(json stored, core::framework::DecodeStoredJson(*bytes, "approle role"));
  COFFER_ASSIGN_OR_RETURN(RoleEntry role, RoleEntry::FromStored(stored));
  auto decoded = std::make_shared<const RoleEntry>(std::move(role));
  roles_.Insert(key, std::move(*bytes), decoded);
  return decoded;
}

namespace {

// RoleIdIndexName reads the role name out of a role_id index entry.
Result<std::string> RoleIdIndexName(const json& stored) {
  if (!stored.is_object() || !stored.contains("name") || !stored["name"].is_string()) {
    return Status::Corruption("approle role_id index entry is malformed");
  }
  return stored["name"].get<std::string>();
}

}  // namespace

Result<std::optional<std::string>> AppRoleState::ReadRoleIdIndex(storage::Backend& storage,
                                                                 std::string_view role_id_hmac) {
  COFFER_ASSIGN_OR_RETURN(
      std::optional<json> stored,
      core::framework::ReadStoredJson(storage, RoleIdKey(role_id_hmac), "approle role_id index"));
  if (!stored) {
    return std::optional<std::string>();
  }
  COFFER_ASSIGN_OR_RETURN(std::string name, RoleIdIndexName(*stored));
  return std::optional<std::string>(std::move(name));
}

Result<std::shared_ptr<const std::string>> AppRoleState::ReadRoleIdIndexShared(
    storage::Backend& storage, std::string_view role_id_hmac) {
  const std::string key = RoleIdKey(role_id_hmac);
  Result<std::string> bytes = storage.Get(key);
  if (bytes.status().IsNotFound()) {
    return std::shared_ptr<const std::string>();
  }
  if (!bytes.ok()) {
    return bytes.status();
  }
  if (std::shared_ptr<const std::string> hit = role_id_names_.Find(key, *bytes)) {
    return hit;
  }
  COFFER_ASSIGN_OR_RETURN(json stored,
                          core::framework::DecodeStoredJson(*bytes, "approle role_id index"));
  COFFER_ASSIGN_OR_RETURN(std::string name, RoleIdIndexName(stored));
  auto decoded = std::make_shared<const std::string>(std::move(name));
  role_id_names_.Insert(key, std::move(*bytes), decoded);
  return decoded;
}

Result<std::optional<SecretIdEntry>> AppRoleState::ReadSecretId(storage::Backend& storage,
                                                                std::string_view role,
                                                                std::string_view secret_id_hmac) {
  Result<std::string> bytes = storage.Get(SecretIdKey(role, secret_id_hmac));
  if (bytes.status().IsNotFound()) {
    return std::optional<SecretIdEntry>();
  }
  if (!bytes.ok()) {
    return bytes.status();
  }
  COFFER_ASSIGN_OR_RETURN(SecretIdEntry entry, SecretIdEntry::Decode(*bytes));
  return std::optional<SecretIdEntry>(std::move(entry));
}

namespace {

// CanonicalAccessorHmac reads an accessor entry in the form path_secret_id
// writes it, {"secret_id_hmac":"<lower-case hex>"}, without a JSON parse
// (every login reads one); nullopt for any other form, which is then
// decoded as JSON.
std::optional<std::string> CanonicalAccessorHmac(std::string_view bytes) {
  constexpr std::string_view kHead = R"({"secret_id_hmac":")";
  constexpr std::string_view kTail = R"("})";
  if (bytes.size() < kHead.size() + kTail.size() || !bytes.starts_with(kHead) ||
      !bytes.ends_with(kTail)) {
    return std::nullopt;
  }
  std::string_view hmac = bytes.substr(kHead.size(), bytes.size() - kHead.size() - kTail.size());
  for (const char c : hmac) {
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'f'))) {
      return std::nullopt;
    }
  }
  return std::string(hmac);
}

}  // namespace

Result<std::optional<std::string>> AppRoleState::ReadAccessor(storage::Backend& storage,
                                                              std::string_view role,
                                                              std::string_view accessor) {
  Result<std::string> bytes = storage.Get(AccessorKey(role, accessor));
  if (bytes.status().IsNotFound()) {
    return std::optional<std::string>();
  }
  if (!bytes.ok()) {
    return bytes.status();
  }
  if (std::optional<std::string> hmac = CanonicalAccessorHmac(*bytes)) {
    return hmac;
  }
  COFFER_ASSIGN_OR_RETURN(json stored,
                          core::framework::DecodeStoredJson(*bytes, "approle accessor"));
  if (!stored.is_object() || !stored.contains("secret_id_hmac") ||
      !stored["secret_id_hmac"].is_string()) {
    return Status::Corruption("approle accessor entry is malformed");
  }
  return std::optional<std::string>(stored["secret_id_hmac"].get<std::string>());
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
