#include "core/framework/json_util.h"

namespace coffer::core::framework {

Result<std::string> EncodeJson(const nlohmann::json& value) {
  try {
    return value.dump();
  } catch (const nlohmann::json::exception& e) {
    return Status::InvalidArgument(std::string("cannot encode data: ") + e.what());
  }
}

Result<nlohmann::json> DecodeStoredJson(std::string_view bytes, std::string_view what) {
  nlohmann::json value = nlohmann::json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  if (value.is_discarded()) {
    return Status::Corruption("stored " + std::string(what) + " is not valid JSON");
  }
  return value;
}

Result<std::optional<nlohmann::json>> ReadStoredJson(storage::Backend& storage,
                                                     std::string_view key,
                                                     std::string_view what) {
  Result<std::string> bytes = storage.Get(key);
  if (bytes.status().IsNotFound()) {
    return std::optional<nlohmann::json>();
  }
  if (!bytes.ok()) {
    return bytes.status();
  }
  COFFER_ASSIGN_OR_RETURN(nlohmann::json value, DecodeStoredJson(*bytes, what));
  return std::optional<nlohmann::json>(std::move(value));
}

Result<bool> StoredKeyExists(storage::Backend& storage, std::string_view key) {
  Result<std::string> stored = storage.Get(key);
  if (stored.status().IsNotFound()) {
    return false;
  }
  if (!stored.ok()) {
    return stored.status();
  }
  return true;
}

Result<std::map<std::string, std::string>> StringMapFromJson(const nlohmann::json& j,
                                                             const char* what) {
  std::map<std::string, std::string> out;
  if (j.is_null()) {
    return out;
  }
  if (!j.is_object()) {
    return Status::InvalidArgument(std::string("\"") + what + "\" must be an object");
  }
  for (auto it = j.begin(); it != j.end(); ++it) {
    if (it->is_string()) {
      out[it.key()] = it->get<std::string>();
    } else if (it->is_number() || it->is_boolean()) {
      out[it.key()] = it->dump();
    } else {
      return Status::InvalidArgument(std::string("\"") + what + "." + it.key() +
                                     "\" must be a string");
    }
  }
  return out;
}

}  // namespace coffer::core::framework
