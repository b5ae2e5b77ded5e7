#include "engines/kv/v2/version_store.h"

#include <optional>

#include "base/compact_json.h"
#include "base/encoded_json.h"
#include "core/framework/json_util.h"

namespace coffer::engines::kv {

std::string VersionStorageKey(std::string_view key, uint64_t version) {
  return "versions/" + std::string(key) + "/" + std::to_string(version);
}

Result<storage::TxnOp> PutVersionOp(std::string_view key, uint64_t version,
                                    const nlohmann::json& data, int64_t created_ns) {
  // The bytes dump() gives for {"data": data, "created_time": created_ns}
  // (members sorted), written around `data` so it need not be copied into
  // a new object first.
  COFFER_ASSIGN_OR_RETURN(std::string encoded_data, core::framework::EncodeJson(data));
  std::string encoded = "{\"created_time\":" + std::to_string(created_ns) + ",\"data\":";
  encoded.reserve(encoded.size() + encoded_data.size() + 1);
  encoded.append(encoded_data);
  encoded.push_back('}');
  return storage::TxnOp::Put(VersionStorageKey(key, version), std::move(encoded));
}

storage::TxnOp DeleteVersionOp(std::string_view key, uint64_t version) {
  return storage::TxnOp::Delete(VersionStorageKey(key, version));
}

Result<nlohmann::json> LoadVersionData(storage::Backend& storage, std::string_view key,
                                       uint64_t version) {
  COFFER_ASSIGN_OR_RETURN(std::optional<nlohmann::json> stored,
                          core::framework::ReadStoredJson(
                              storage, VersionStorageKey(key, version), "kv version"));
  if (!stored) {
    return Status::Internal("could not find version data");
  }
  if (!stored->is_object() || !stored->contains("data") || !(*stored)["data"].is_object()) {
    return Status::Corruption("stored kv version has no data object");
  }
  return std::move((*stored)["data"]);
}

Result<std::string> EncodedVersionData(std::string stored) {
  // PutVersionOp's layout: {"created_time":<digits>,"data":{...}}
  constexpr std::string_view kHead = "{\"created_time\":";
  constexpr std::string_view kData = ",\"data\":";
  std::string_view view = stored;
  if (view.starts_with(kHead)) {
    size_t i = kHead.size();
    while (i < view.size() && (view[i] == '-' || (view[i] >= '0' && view[i] <= '9'))) {
      ++i;
    }
    const size_t start = i + kData.size();
    if (i > kHead.size() && view.substr(i).starts_with(kData) && start < view.size() &&
        view[start] == '{' && view.back() == '}' &&
        EncodedValueSize(view.substr(start)) == view.size() - 1 - start) {
      stored.pop_back();
      stored.erase(0, start);
      return stored;
    }
  }
  COFFER_ASSIGN_OR_RETURN(nlohmann::json parsed,
                          core::framework::DecodeStoredJson(stored, "kv version"));
  if (!parsed.is_object() || !parsed.contains("data") || !parsed["data"].is_object()) {
    return Status::Corruption("stored kv version has no data object");
  }
  std::string encoded;
  AppendCompactJson(&encoded, parsed["data"]);
  return encoded;
}

Result<std::string> LoadEncodedVersionData(storage::Backend& storage, std::string_view key,
                                           uint64_t version) {
  Result<std::string> stored = storage.Get(VersionStorageKey(key, version));
  if (stored.status().IsNotFound()) {
    return Status::Internal("could not find version data");
  }
  if (!stored.ok()) {
    return stored.status();
  }
  return EncodedVersionData(std::move(stored).value());
}

}  // namespace coffer::engines::kv
