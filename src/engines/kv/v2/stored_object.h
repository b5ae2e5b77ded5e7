// StoredObject reads the typed members of a JSON object this engine stored,
// checking each type first. Absent members read as zero; a member of the
// wrong type marks the object corrupt (status()), so one check at the end
// covers every read.
#pragma once

#include <cstdint>
#include <optional>
#include <string>

#include <nlohmann/json.hpp>

#include "base/status.h"

namespace coffer::engines::kv {

class StoredObject {
 public:
  // `what` names the item in the Corruption message.
  StoredObject(const nlohmann::json& object, std::string what);

  uint64_t Uint(const char* name);
  int64_t Int(const char* name);
  bool Bool(const char* name);
  std::optional<int64_t> OptionalInt(const char* name);
  // Object returns the member if it is an object, nullptr when absent.
  const nlohmann::json* Object(const char* name);

  Status status() const { return status_; }

 private:
  const nlohmann::json* Member(const char* name);
  void Fail(const char* name);

  const nlohmann::json& object_;
  std::string what_;
  Status status_;
};

}  // namespace coffer::engines::kv
