#include "auth/userpass/user_entry.h"

#include <exception>

#include "core/framework/json_util.h"

namespace coffer::auth::userpass {

using nlohmann::json;

std::string NormalizeUsername(std::string_view username) {
  std::string out(username);
  for (char& c : out) {
    if (c >= 'A' && c <= 'Z') {
      c = static_cast<char>(c - 'A' + 'a');
    }
  }
  return out;
}

std::string UserKey(std::string_view username) {
  return std::string(kUserFolder) + std::string(username);
}

Result<std::optional<UserEntry>> ReadUser(storage::Backend& storage, std::string_view username) {
  COFFER_ASSIGN_OR_RETURN(
      std::optional<json> stored,
      core::framework::ReadStoredJson(storage, UserKey(username), "userpass user"));
  if (!stored) {
    return std::optional<UserEntry>();
  }
  const json& j = *stored;
  if (!j.is_object() || !j.contains("password_hash") || !j["password_hash"].is_string()) {
    return Status::Corruption("userpass user entry has no password hash");
  }
  UserEntry entry;
  entry.password_hash = j["password_hash"].get<std::string>();
  try {
    entry.token = core::TokenParams::FromStored(j.value("token", json::object()));
  } catch (const std::exception& e) {
    return Status::Corruption(std::string("userpass user entry has bad token fields: ") +
                              e.what());
  }
  return std::optional<UserEntry>(std::move(entry));
}

Status WriteUser(storage::Backend& storage, std::string_view username, const UserEntry& entry) {
  json j = {{"password_hash", entry.password_hash}, {"token", entry.token.ToStored()}};
  COFFER_ASSIGN_OR_RETURN(std::string encoded, core::framework::EncodeJson(j));
  return storage.Put(UserKey(username), encoded);
}

}  // namespace coffer::auth::userpass
