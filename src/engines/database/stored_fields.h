// The stored JSON form of the engine's entries (DbConfig, RoleEntry,
// StaticRoleEntry). Each entry lists its fields once, as a function
//   fields(entry, visit)  calling  visit("key", entry.member)  per field,
// and StoreFields / LoadFields turn that list into the stored object and
// back. Reading is lenient, as for anything read from storage: a field that
// is missing or of the wrong type keeps the entry's default, and string
// lists skip items that are not strings.
#pragma once

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace coffer::engines::database {

namespace stored_fields_internal {

inline void Load(const nlohmann::json& value, std::string* out) {
  if (value.is_string()) {
    *out = value.get<std::string>();
  }
}

inline void Load(const nlohmann::json& value, int64_t* out) {
  if (value.is_number_integer()) {
    *out = value.get<int64_t>();
  }
}

inline void Load(const nlohmann::json& value, bool* out) {
  if (value.is_boolean()) {
    *out = value.get<bool>();
  }
}

inline void Load(const nlohmann::json& value, std::vector<std::string>* out) {
  if (!value.is_array()) {
    return;
  }
  out->clear();
  for (const nlohmann::json& item : value) {
    if (item.is_string()) {
      out->push_back(item.get<std::string>());
    }
  }
}

}  // namespace stored_fields_internal

// StoreFields is the stored object of `entry`.
template <typename Entry, typename Fields>
nlohmann::json StoreFields(const Entry& entry, Fields fields) {
  nlohmann::json out = nlohmann::json::object();
  fields(entry, [&out](const char* key, const auto& value) { out[key] = value; });
  return out;
}

// LoadFields reads StoreFields' form into a default Entry; Corruption
// naming `what` when `stored` is not an object.
template <typename Entry, typename Fields>
Result<Entry> LoadFields(const nlohmann::json& stored, std::string_view what, Fields fields) {
  if (!stored.is_object()) {
    return Status::Corruption("stored " + std::string(what) + " is not an object");
  }
  Entry entry;
  fields(entry, [&stored](const char* key, auto& value) {
    auto it = stored.find(key);
    if (it != stored.end()) {
      stored_fields_internal::Load(*it, &value);
    }
  });
  return entry;
}

}  // namespace coffer::engines::database
