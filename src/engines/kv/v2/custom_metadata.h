// custom_metadata: user key/value strings on a KV v2 key, with Vault's
// limits (64 keys, keys 1..128 bytes, values 1..512 bytes, printable).
#pragma once

#include <map>
#include <string>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace coffer::engines::kv {

using CustomMetadata = std::map<std::string, std::string>;

// ParseCustomMetadata converts a JSON object's values to strings (numbers
// and bools weakly, as Vault). With `skip_nulls` (PATCH), null values are
// left out so the caller can treat them as removals.
Result<CustomMetadata> ParseCustomMetadata(const nlohmann::json& object, bool skip_nulls);

// ValidateCustomMetadata checks Vault's limits; InvalidArgument lists every
// problem, each starting "custom_metadata validation failed".
Status ValidateCustomMetadata(const CustomMetadata& metadata);

}  // namespace coffer::engines::kv
