#include "core/seal_config.h"

#include <nlohmann/json.hpp>

namespace coffer::core {

Status SealConfig::Validate() const {
  if (type != "shamir") {
    return Status::InvalidArgument("unsupported seal type \"" + type + "\"");
  }
  if (secret_shares < 1) {
    return Status::InvalidArgument("secret_shares must be at least one");
  }
  if (secret_shares > 255) {
    return Status::InvalidArgument("secret_shares must be at most 255");
  }
  if (secret_threshold < 1) {
    return Status::InvalidArgument("secret_threshold must be at least one");
  }
  if (secret_threshold > secret_shares) {
    return Status::InvalidArgument("secret_threshold cannot be larger than secret_shares");
  }
  if (secret_shares > 1 && secret_threshold == 1) {
    return Status::InvalidArgument("secret_threshold must be greater than one for multiple shares");
  }
  return Status::Ok();
}

std::string SealConfig::Encode() const {
  nlohmann::json j = {
      {"type", type}, {"secret_shares", secret_shares}, {"secret_threshold", secret_threshold}};
  return j.dump();
}

Result<SealConfig> SealConfig::Decode(std::string_view bytes) {
  nlohmann::json j = nlohmann::json::parse(bytes, nullptr, /*allow_exceptions=*/false);
  if (!j.is_object() || !j["type"].is_string() || !j["secret_shares"].is_number_integer() ||
      !j["secret_threshold"].is_number_integer()) {
    return Status::Corruption("stored seal configuration is malformed");
  }
  SealConfig c;
  c.type = j["type"].get<std::string>();
  c.secret_shares = j["secret_shares"].get<int>();
  c.secret_threshold = j["secret_threshold"].get<int>();
  Status valid = c.Validate();
  if (!valid.ok()) {
    return Status::Corruption("stored seal configuration is invalid: " + valid.message());
  }
  return c;
}

std::string SealConfig::MasterAad(std::string_view encoded_config) {
  std::string aad(kMasterKey);
  aad.push_back('|');
  aad.append(encoded_config);
  return aad;
}

}  // namespace coffer::core
