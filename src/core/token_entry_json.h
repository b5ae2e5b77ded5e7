// EncodeTokenEntry: a token entry's stored JSON, written straight from the
// struct. Byte for byte what TokenEntry::ToStored().dump() writes for
// valid UTF-8 (members in nlohmann's sorted order), without building the
// JSON document first: every service token issued is encoded once, and
// building the document was most of what preparing a token cost.
// (Invalid UTF-8, which dump() refuses with an exception, is written with
// U+FFFD in its place, as base/compact_json.h does.)
#pragma once

#include <string>

#include "core/token_store.h"

namespace coffer::core {

// EncodeTokenEntry returns the stored form of `entry` (its id_key is the
// storage key and is not part of it).
std::string EncodeTokenEntry(const TokenEntry& entry);

// EncodeAccessorIndex returns the stored form of an accessor index entry
// naming `id_key`: {"id_key":"<id_key>"}.
std::string EncodeAccessorIndex(const std::string& id_key);

}  // namespace coffer::core
