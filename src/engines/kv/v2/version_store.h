// The data of each KV v2 version, stored apart from the key's metadata at
// "versions/<path>/<n>" as {"data": {...}, "created_time": ns}. The last
// segment is always the number, so (path, n) pairs never share a key.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "storage/backend.h"

namespace coffer::engines::kv {

std::string VersionStorageKey(std::string_view key, uint64_t version);

// PutVersionOp is the transaction op storing one version's data (an object);
// InvalidArgument if a string in it is not valid UTF-8. The stored bytes are
// {"created_time":<ns>,"data":<data>} in compact JSON, so the data's
// encoded text can be taken from them (LoadEncodedVersionData).
Result<storage::TxnOp> PutVersionOp(std::string_view key, uint64_t version,
                                    const nlohmann::json& data, int64_t created_ns);

// DeleteVersionOp drops one version's data.
storage::TxnOp DeleteVersionOp(std::string_view key, uint64_t version);

// LoadVersionData returns the data object of a version the metadata says is
// live; Internal when it is missing (metadata and data disagree).
Result<nlohmann::json> LoadVersionData(storage::Backend& storage, std::string_view key,
                                       uint64_t version);

// LoadEncodedVersionData is LoadVersionData's object as encoded JSON text
// (base/encoded_json.h), for reads that serve it as it is: the stored bytes
// are sliced, not parsed. A stored value not in PutVersionOp's layout is
// parsed and encoded again.
Result<std::string> LoadEncodedVersionData(storage::Backend& storage, std::string_view key,
                                           uint64_t version);

// EncodedVersionData is the data member's text in `stored` (a version's
// stored bytes), taken in place; Corruption when it has no data object.
Result<std::string> EncodedVersionData(std::string stored);

}  // namespace coffer::engines::kv
