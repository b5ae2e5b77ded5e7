// FieldType: the types an engine's path field can have, and the conversion
// of a raw JSON request value into the type's normal form. The conversions
// are Vault's (sdk/framework/field_data.go), so clients that send "5" for an
// int or "1h" for a duration keep working.
#pragma once

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace coffer::core::framework {

enum class FieldType {
  kString,           // normal form: string
  kInt,              // integer
  kBool,             // boolean
  kDuration,         // integer seconds from 30 or "1h30m"; negative rejected
  kSignedDuration,   // like kDuration, negative allowed ("-1s")
  kSlice,            // array of any JSON; a single value becomes [value]
  kStringSlice,      // array of strings (trimmed); a single value becomes one
                     // element, "" becomes [] (Vault's TypeStringSlice)
  kCommaStringSlice, // array of strings; a string is split on commas
  kIntSlice,         // array of integers; a string is split on commas
                     // (Vault's TypeCommaIntSlice)
  kMap,              // object
  kKeyValuePairs,    // object of strings, from an object or ["k=v", ...]
  kLowerCaseString,  // string, lowercased
  kNameString,       // string matching ^\w(([\w-.]+)?\w)?$
};

// FieldTypeName is the name shown in help ("string", "duration (sec)", ...).
const char* FieldTypeName(FieldType type);

// ConvertField converts `raw` (not null) into the normal form of `type`.
// On failure it returns InvalidArgument with the reason only; the caller
// names the field.
Result<nlohmann::json> ConvertField(FieldType type, const nlohmann::json& raw);

// ZeroValue is the normal form a field has when neither the request nor the
// schema's default gives it a value: "", 0, false, [] or {}.
nlohmann::json ZeroValue(FieldType type);

}  // namespace coffer::core::framework
