// JSON (de)serialization for values engines keep in storage, with
// nlohmann's exceptions turned into Status values.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "base/status.h"
#include "storage/backend.h"

namespace coffer::core::framework {

// EncodeJson serializes `value`; InvalidArgument if it holds a string that
// is not valid UTF-8 (request bodies are parsed JSON, so this is rare).
Result<std::string> EncodeJson(const nlohmann::json& value);

// DecodeStoredJson parses a value an engine stored earlier; Corruption if it
// is not JSON (storage was damaged or written by something else). `what`
// names the item in the message, for the server log.
Result<nlohmann::json> DecodeStoredJson(std::string_view bytes, std::string_view what);

// ReadStoredJson gets and decodes `key`; nullopt when the key is absent.
Result<std::optional<nlohmann::json>> ReadStoredJson(storage::Backend& storage,
                                                     std::string_view key,
                                                     std::string_view what);

// StoredKeyExists tells whether `key` is present, for existence checks;
// storage errors other than NotFound are returned.
Result<bool> StoredKeyExists(storage::Backend& storage, std::string_view key);

// StringMapFromJson reads an object of strings (numbers and booleans are
// taken as their JSON text, as Vault's weak typing does) such as a mount's
// or audit device's "options"; null is an empty map. `what` names the
// member in the InvalidArgument message.
Result<std::map<std::string, std::string>> StringMapFromJson(const nlohmann::json& j,
                                                             const char* what);

}  // namespace coffer::core::framework
